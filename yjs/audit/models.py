"""Who saw or changed which child's record, when, and what changed (old and new values).

The trail is append-only and hash-chained: each event carries the hash of the event before it
(`prev_hash`) and its own `hash`, a sha256 over `prev_hash` and a canonical JSON of its own
fields (see `services.event_hash`). A database trigger refuses UPDATE and DELETE on the table
(`triggers.py`); `yj audit verify` walks the chain and names the first broken link.

One change is allowed, once: erasing a child's personal data ("shredding") replaces the values
in `changes` and the names in `description` (`redacted` becomes true). The chain covers those
two through `content_hash`, so who, when, what and on whom stay provable after an erasure.

`child` and `actor` are PROTECTed: the hash covers their ids, so nulling them when a child or a
user is deleted would edit history (and the trigger refuses it). A child with audit history is
erased to a stub, never deleted; a member of staff who has acted is deactivated.
"""

from django.conf import settings
from django.db import models

GENESIS = "0" * 64


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "VIEW", "Viewed"
        CREATE = "CREATE", "Created"
        UPDATE = "UPDATE", "Changed"
        DELETE = "DELETE", "Deleted"
        APPROVE = "APPROVE", "Approved"
        EXPORT = "EXPORT", "Exported"
        SIGN_IN = "SIGN_IN", "Signed in"
        SIGN_IN_FAILED = "SIGN_IN_FAILED", "Sign-in failed"
        SIGN_OUT = "SIGN_OUT", "Signed out"

    # Actions that change stored data (what a snapshot fingerprint must notice).
    CHANGES = (Action.CREATE, Action.UPDATE, Action.DELETE, Action.APPROVE)

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,  # the (actor, -at) index serves every lookup by actor
    )
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    child = models.ForeignKey(
        "casework.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
        db_index=False,  # the (child, -at) index serves every lookup by child
    )
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [old value, new value]")
    content_hash = models.CharField(max_length=64, help_text="sha256 of description and changes")
    redacted = models.BooleanField(default=False, help_text="Personal data erased")
    # Unique (Meta.constraints): two writers chaining onto the same event (a fork) cannot both
    # commit. A constraint rather than `unique=True`, which on PostgreSQL adds a second index
    # for LIKE queries that nothing makes: every page view inserts here, so each index counts.
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["child", "-at"]),
            models.Index(fields=["actor", "-at"]),
            # The newest change (pages.data_version) in one index probe, however many views
            # were audited since; views, the bulk of the trail, stay out of it.
            models.Index(
                fields=["id"],
                name="audit_change_id",
                condition=models.Q(action__in=["CREATE", "UPDATE", "DELETE", "APPROVE"]),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["prev_hash"], name="audit_event_prev_hash_unique"),
        ]

    def __str__(self):
        return f"{self.actor_username or 'nobody'} {self.get_action_display().lower()} " + (
            f"{self.object_type} {self.object_id}".strip()
        )
