from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("children/<int:pk>/requirements/new/", views.add_requirement, name="add_requirement"),
    path("children/<int:pk>/appointments/new/", views.add_appointment, name="add_appointment"),
    path("children/<int:pk>/order-warnings/new/", views.add_warning, name="add_warning"),
    path("children/<int:pk>/breaches/new/", views.add_breach, name="add_breach"),
]
