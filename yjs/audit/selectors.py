"""Reading the audit trail: a service's events, filtered, and one child's access log."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from yjs.permissions import visible_audit_events

from .models import AuditEvent


def events_for(
    user,
    *,
    child_reference: str = "",
    username: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    qs = visible_audit_events(user, AuditEvent.objects.all())
    if child_reference:
        qs = qs.filter(child__reference__iexact=child_reference)
    if username:
        qs = qs.filter(actor_username__iexact=username)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if action:
        qs = qs.filter(action=action)
    return qs.select_related("actor", "child").order_by("-id")


def access_log(user, child) -> QuerySet[AuditEvent]:
    """Who viewed or changed the child's record, newest first."""
    return (
        visible_audit_events(user, AuditEvent.objects.filter(child=child))
        .select_related("actor")
        .order_by("-id")
    )
