from django.urls import path

from . import views
from .v1 import api

app_name = "apiaccount"
urlpatterns = [
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("api/docs", views.docs, name="docs"),
]
api_urls = [path("api/v1/", api.urls)]
