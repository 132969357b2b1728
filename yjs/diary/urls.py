from django.urls import path

from . import views

app_name = "diary"
urlpatterns = [
    path("diary/", views.my_diary, name="my_diary"),
    path("diary/team/", views.team_diary, name="team_diary"),
    path("diary/plan/", views.plan_for, name="plan_for"),
    path("diary/appointments/<int:pk>/outcome/", views.record_outcome, name="record_outcome"),
    path("diary/appointments/<int:pk>/rearrange/", views.rearrange, name="rearrange"),
    path("diary/appointments/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("diary/calendar-feed/", views.calendar_feed, name="calendar_feed"),
    # Open to calendar apps (they cannot sign in): the secret token is the key.
    path("diary/feed/<str:token>.ics", views.ics_feed, name="feed"),
    path("children/<int:pk>/diary/plan/", views.plan, name="plan"),
    path("children/<int:pk>/contact-frequency/new/", views.set_frequency, name="set_frequency"),
    path("my-work/", views.my_work, name="my_work"),
    path("my-work/tasks/new/", views.add_task, name="add_task"),
    path("my-work/tasks/<int:pk>/done/", views.finish_task, {"status": "done"}, name="task_done"),
    path(
        "my-work/tasks/<int:pk>/cancel/",
        views.finish_task,
        {"status": "cancel"},
        name="task_cancel",
    ),
]
