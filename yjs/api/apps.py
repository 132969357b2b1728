from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The typed JSON API (django-ninja) under /api/v1/ and the per-user API tokens it is
    opened with. Every endpoint reads and writes through the same selectors, services,
    permissions and audit as the pages."""

    name = "yjs.api"
    label = "api"
    verbose_name = "API"
