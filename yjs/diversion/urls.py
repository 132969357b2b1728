from django.urls import path

from . import views

app_name = "diversion"
urlpatterns = [
    path("out-of-court-panels/", views.panels, name="panels"),
    path("children/<int:pk>/out-of-court-panels/new/", views.add_panel, name="add_panel"),
    path(
        "children/<int:pk>/out-of-court-panels/<int:record_pk>/decision/",
        views.record_decision,
        name="record_decision",
    ),
]
