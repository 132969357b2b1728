"""Who saw or changed which child's record, when, and what changed (old and new values)."""

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "VIEW", "Viewed"
        CREATE = "CREATE", "Created"
        UPDATE = "UPDATE", "Changed"
        DELETE = "DELETE", "Deleted"
        EXPORT = "EXPORT", "Exported"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="audit_events"
    )
    action = models.CharField(max_length=8, choices=Action.choices)
    child = models.ForeignKey(
        "casework.Child",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [old value, new value]")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["child", "-at"])]

    def __str__(self):
        return (
            f"{self.actor} {self.get_action_display().lower()} {self.object_type} {self.object_id}"
        )
