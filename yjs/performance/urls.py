from django.urls import path, register_converter

from . import views


class DownloadFormat:
    regex = "csv|xlsx"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(DownloadFormat, "download_format")

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("drill/<slug:kpi>/", views.drill, name="drill"),
    path("download.<download_format:fmt>", views.download, name="download"),
    # fmt csv: a zip of one CSV file per table
    path("dataset.<download_format:fmt>", views.dataset_export, name="dataset_export"),
]
