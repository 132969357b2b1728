from django.urls import path

from . import lifecycle_views, merge_views, views

app_name = "casework"
urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("children/search/", views.search, name="search"),
    path("alerts/", views.alerts, name="alerts"),
    path("children/new/", views.add_child, name="add_child"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/offences/new/", views.add_offence, name="add_offence"),
    path("children/<int:pk>/outcomes/new/", views.add_outcome, name="add_outcome"),
    path("children/<int:pk>/interventions/new/", views.add_intervention, name="add_intervention"),
    path("interventions/<int:pk>/close/", views.close_intervention, name="close_intervention"),
    path("interventions/<int:pk>/panels/new/", views.add_panel, name="add_panel"),
    path("children/<int:pk>/assessments/new/", views.add_assessment, name="add_assessment"),
    path("children/<int:pk>/contacts/new/", views.add_contact, name="add_contact"),
    path("children/<int:pk>/victims/new/", views.add_victim, name="add_victim"),
    path("children/<int:pk>/victims/<int:victim_pk>/", views.edit_victim, name="edit_victim"),
    path("children/<int:pk>/oversight/new/", views.add_oversight, name="add_oversight"),
    path("children/<int:pk>/plans/new/", views.add_plan, name="add_plan"),
    path("children/<int:pk>/transition/new/", views.add_transition, name="add_transition"),
    path("children/<int:pk>/remands/new/", views.add_remand, name="add_remand"),
    path("children/<int:pk>/care-status/new/", views.add_care_status, name="add_care_status"),
    path("children/<int:pk>/close/", views.close_case, name="close_case"),
    path("children/<int:pk>/send/new/", views.add_send, name="add_send"),
    path("children/<int:pk>/mental-health/new/", views.add_mental_health, name="add_mental_health"),
    path(
        "children/<int:pk>/substance-misuse/new/",
        views.add_substance_misuse,
        name="add_substance_misuse",
    ),
    path("children/<int:pk>/exploitation/new/", views.add_exploitation, name="add_exploitation"),
    path("children/<int:pk>/custody/new/", views.add_custody, name="add_custody"),
    path("children/<int:pk>/referrals/new/", views.add_referral, name="add_referral"),
    path("children/<int:pk>/reopen/", views.reopen_case, name="reopen_case"),
    path("children/<int:pk>/merge/", merge_views.merge, name="merge"),
    path("children/<int:pk>/unmerge/<int:merge_pk>/", merge_views.unmerge, name="unmerge"),
    path("retention/", lifecycle_views.retention_list, name="retention"),
    path("children/<int:pk>/erase/", lifecycle_views.erase_child, name="erase_child"),
    path(
        "children/<int:pk>/subject-access.zip",
        lifecycle_views.subject_access_export,
        name="subject_access",
    ),
]
