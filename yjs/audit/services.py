"""The one place audit events are written; called by the services layer, never by views."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import models

from .models import AuditEvent


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def field_values(instance: models.Model) -> dict:
    """Concrete field values of a record, for diffing before and after a change."""
    return {
        f.attname: _plain(getattr(instance, f.attname))
        for f in instance._meta.concrete_fields
        if f.name != "id"
    }


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    child=None,
    description: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    if child is None and obj is not None:
        child = obj if obj._meta.model_name == "child" else getattr(obj, "child", None)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        child=child,
        object_type=obj._meta.verbose_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        description=description[:200],
        changes=changes or {},
    )


def record_many(actor, action: str, children, *, description: str = "") -> None:
    """One event per child for pages that list many children (e.g. a KPI drill-down)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            action=action,
            child=child,
            object_type="child",
            object_id=str(child.pk),
            description=description[:200],
        )
        for child in children
    )
