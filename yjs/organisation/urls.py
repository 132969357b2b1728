from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("account/password/", views.ChangePassword.as_view(), name="change_password"),
    path("account/two-factor/", views.second_factor, name="second_factor"),
    path("staff/", views.staff, name="staff"),
    path("service/", views.service_areas, name="service_areas"),
    path("staff/<int:pk>/reset-password/", views.reset_password, name="reset_password"),
    path(
        "staff/<int:pk>/reset-two-factor/",
        views.reset_second_factor,
        name="reset_second_factor",
    ),
]
