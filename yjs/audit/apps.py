from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_triggers(sender, using="default", **kwargs):
    """A later migration that rebuilds the table on SQLite drops its triggers: put them back."""
    from django.db import connections

    from . import triggers

    triggers.install(connections[using])


class AuditConfig(AppConfig):
    name = "yjs.audit"

    def ready(self):
        from . import signals  # noqa: F401  (sign-in, sign-out and failed sign-in events)

        post_migrate.connect(_reinstall_triggers, sender=self)
