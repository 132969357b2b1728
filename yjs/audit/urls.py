from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.events, name="events"),
    path("export.csv", views.export_csv, name="export"),
    path("children/<int:pk>/", views.child_access_log, name="child_access_log"),
]
