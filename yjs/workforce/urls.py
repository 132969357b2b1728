from django.urls import path

from . import views

app_name = "workforce"
urlpatterns = [
    path("workforce/", views.index, name="index"),
    path("workforce/me/", views.mine, name="mine"),
    path("workforce/courses/new/", views.add_course, name="add_course"),
    path("workforce/training/new/", views.add_training, name="add_training"),
    path("workforce/supervision/new/", views.add_supervision, name="add_supervision"),
    path("workforce/vacancies/new/", views.add_vacancy, name="add_vacancy"),
    path("workforce/vacancies/<int:pk>/", views.edit_vacancy, name="edit_vacancy"),
    path("volunteers/", views.volunteers, name="volunteers"),
    path("volunteers/new/", views.add_volunteer, name="add_volunteer"),
    path("volunteers/<int:pk>/", views.edit_volunteer, name="edit_volunteer"),
    path("volunteers/<int:pk>/hours/new/", views.add_hours, name="add_hours"),
    path("volunteers/panels/new/", views.add_panel, name="add_panel"),
    path("volunteers/panels/<int:pk>/cancel/", views.cancel_panel, name="cancel_panel"),
    path("volunteers/panels/<int:pk>/held/", views.hold_panel, name="hold_panel"),
    path("resources/", views.resources, name="resources"),
    path("resources/remand-costs/new/", views.add_nightly_cost, name="add_nightly_cost"),
    path("resources/reparation/new/", views.add_project, name="add_project"),
    path("resources/reparation/sessions/new/", views.add_session, name="add_session"),
]
