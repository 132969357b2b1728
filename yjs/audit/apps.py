from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "yjs.audit"
