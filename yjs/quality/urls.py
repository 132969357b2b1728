from django.urls import path

from . import views

app_name = "quality"
urlpatterns = [
    path("quality/", views.index, name="index"),
    path("quality/children/<int:pk>/audit/new/", views.audit_new, name="audit_new"),
    path("quality/audits/<int:audit_pk>/", views.audit_detail, name="audit"),
    path("quality/audits/<int:audit_pk>/edit/", views.audit_edit, name="audit_edit"),
    path(
        "quality/audits/<int:audit_pk>/actions/new/",
        views.audit_action_new,
        name="audit_action_new",
    ),
    path("quality/themed/new/", views.themed_new, name="themed_new"),
    path("quality/themed/<int:themed_pk>/", views.themed_detail, name="themed"),
    path("quality/standards/", views.standards_page, name="standards"),
    path("quality/standards/<str:code>/", views.sub_standard_edit, name="sub_standard"),
    path(
        "quality/standards/<str:code>/actions/new/",
        views.sub_standard_action_new,
        name="sub_standard_action_new",
    ),
    path("quality/recommendations/", views.recommendations, name="recommendations"),
    path("quality/recommendations/new/", views.recommendation_edit, name="recommendation_new"),
    path(
        "quality/recommendations/<int:rec_pk>/",
        views.recommendation_edit,
        name="recommendation",
    ),
    path(
        "quality/recommendations/<int:rec_pk>/actions/new/",
        views.recommendation_action_new,
        name="recommendation_action_new",
    ),
    path("quality/incidents/", views.incidents, name="incidents"),
    path("quality/children/<int:pk>/incident/new/", views.incident_new, name="incident_new"),
    path("quality/incidents/<int:incident_pk>/", views.incident_edit, name="incident"),
]
