from django.urls import path

from . import views

app_name = "programmes"
urlpatterns = [
    path("programmes/", views.index, name="index"),
    path("programmes/new/", views.edit_programme, name="add_programme"),
    path("programmes/<int:programme_pk>/edit/", views.edit_programme, name="edit_programme"),
    path("programmes/<int:programme_pk>/report/", views.programme_report, name="programme_report"),
    path("programmes/<int:programme_pk>/cohorts/new/", views.edit_cohort, name="add_cohort"),
    path("programmes/cohorts/<int:cohort_pk>/", views.cohort, name="cohort"),
    path("programmes/cohorts/<int:cohort_pk>/edit/", views.edit_cohort, name="edit_cohort"),
    path("programmes/cohorts/<int:cohort_pk>/report/", views.cohort_report, name="cohort_report"),
    path("programmes/cohorts/<int:cohort_pk>/enrol/", views.enrol, name="enrol"),
    path("programmes/cohorts/<int:cohort_pk>/sessions/new/", views.add_session, name="add_session"),
    path("programmes/cohorts/<int:cohort_pk>/scores/", views.programme_scores, name="scores"),
    path("programmes/sessions/<int:session_pk>/register/", views.take_register, name="register"),
]
