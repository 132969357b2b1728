from django.urls import path

from . import views

app_name = "parenting"
urlpatterns = [
    path("children/<int:pk>/parenting/new/", views.add_parenting_work, name="add_parenting_work"),
]
