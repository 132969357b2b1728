from django.urls import path

from . import views

app_name = "court"
urlpatterns = [
    path("court/", views.court, name="court"),
    path("children/<int:pk>/hearings/new/", views.add_hearing, name="add_hearing"),
    path("children/<int:pk>/pre-sentence-reports/new/", views.add_report, name="add_report"),
    path(
        "children/<int:pk>/pre-sentence-reports/<int:report_pk>/gatekeep/",
        views.gatekeep,
        name="gatekeep",
    ),
]
