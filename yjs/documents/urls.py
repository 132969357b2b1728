from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("children/<int:pk>/documents/new/", views.upload, name="upload"),
    path(
        "children/<int:pk>/documents/<int:attachment_pk>/download/",
        views.download,
        name="download",
    ),
    path("children/<int:pk>/letters/new/", views.write_letter, name="write_letter"),
    path(
        "children/<int:pk>/letters/new/<str:kind>/",
        views.write_letter_kind,
        name="write_letter_kind",
    ),
    path("documents/letter-templates/", views.letter_templates, name="letter_templates"),
    path("documents/letter-templates/<str:kind>/", views.letter_template, name="letter_template"),
]
