from django.urls import path, re_path

from . import views
from .v1 import api

app_name = "apiaccount"
urlpatterns = [
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("api/docs", views.docs, name="docs"),
]
api_urls = [
    path("api/v1/", api.urls),
    # Anything else under /api/v1/ is a problem+json 404, not the HTML page.
    re_path(r"^api/v1/.*$", views.no_such_endpoint, name="no_such_endpoint"),
]
