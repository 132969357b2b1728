"""Optimistic locking: two people editing one record never silently overwrite each other.

A `Versioned` record carries a revision number; a form carries the revision it was opened on
(the hidden `revision` field of `yjs.forms.GovukModelForm` and `VersionedForm`). (The field is
not called `version`: plan sections and approvals already have a `version`, their plan's.)
The services layer calls `claim()` inside the save's transaction: it moves the row on to the
next revision only if it still has the one the user saw – one conditional UPDATE, which on
PostgreSQL also holds the row until the commit and on SQLite runs inside the IMMEDIATE
transaction – and otherwise raises `EditConflict`, naming who changed the record and when, so
the view can show the record as it is now.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Versioned(models.Model):
    revision = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """Someone saved the record after the user opened it; `current` is the record as it is now."""

    def __init__(self, current: Versioned):
        self.current = current
        who = current.updated_by
        name = (who.get_full_name() or who.get_username()) if who else "someone else"
        when = timezone.localtime(current.updated_at)
        super().__init__(
            f"This record was changed by {name} at {when:%H:%M} – "
            "review the changes and save again",
            code="edit_conflict",
        )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def claim(instance: Versioned, actor=None, expected: int | None = None) -> None:
    """Take the record for this save, or raise EditConflict if it changed since it was opened.

    `expected` is the revision the user saw (by default the one on the instance, which the form
    set). Call it inside the transaction that saves the instance, before the save.
    """
    instance.updated_by = _user(actor)
    if instance.pk is None:
        instance.revision = 1
        return
    expected = instance.revision if expected is None else expected
    model = type(instance)
    claimed = model._base_manager.filter(pk=instance.pk, revision=expected).update(
        revision=expected + 1, updated_by=instance.updated_by, updated_at=timezone.now()
    )
    if not claimed:
        current = model._base_manager.select_related("updated_by").filter(pk=instance.pk).first()
        if current is None:
            raise ValidationError(
                "This record was deleted after you opened it: go back and check the list"
            )
        raise EditConflict(current)
    instance.revision = expected + 1
