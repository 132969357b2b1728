from django.urls import path

from . import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_new, name="plan_new"),
    path("plans/template/", views.plan_template, name="plan_template"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/annual-update/", views.annual_update, name="annual_update"),
    path("plans/<int:pk>/v<int:number>/", views.plan_detail, name="plan_version"),
    path(
        "plans/<int:pk>/v<int:number>/sections/<slug:key>/", views.section_edit, name="section_edit"
    ),
    path("plans/<int:pk>/v<int:number>/sign-off/", views.sign_off, name="sign_off"),
    path("plans/<int:pk>/v<int:number>/approvals/new/", views.approval_new, name="approval_new"),
    path("plans/<int:pk>/v<int:number>/approve/", views.approve, name="approve"),
    path("plans/<int:pk>/v<int:number>/export.<str:fmt>", views.export, name="export"),
    path("plans/<int:pk>/data/<slug:kind>/", views.data_list, name="plan_data"),
    path("plans/<int:pk>/data/<slug:kind>/new/", views.data_edit, name="plan_data_new"),
    path("plans/<int:pk>/data/<slug:kind>/import/", views.data_import, name="plan_data_import"),
    path("plans/<int:pk>/data/<slug:kind>/<int:obj>/", views.data_edit, name="plan_data_edit"),
    path("data/<slug:kind>/", views.data_list, name="data"),
    path("data/<slug:kind>/new/", views.data_edit, name="data_new"),
    path("data/<slug:kind>/import/", views.data_import, name="data_import"),
    path("data/<slug:kind>/<int:obj>/", views.data_edit, name="data_edit"),
    path("meetings/<int:meeting_pk>/attendance/", views.attendance, name="attendance"),
    path("board-pack/", views.board_pack, name="board_pack"),
]
