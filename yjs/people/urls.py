from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("children/<int:pk>/people/new/", views.add_person, name="add_person"),
    path("children/<int:pk>/addresses/new/", views.add_address, name="add_address"),
    path("children/<int:pk>/professionals/new/", views.add_professional, name="add_professional"),
    path("children/<int:pk>/schools/new/", views.add_ete_placement, name="add_ete_placement"),
    path("children/<int:pk>/gp/new/", views.add_gp, name="add_gp"),
]
