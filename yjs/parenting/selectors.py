"""Reads of parenting work: the child record's section and its timeline entries."""

from __future__ import annotations

import datetime
import functools

from django.db.models import Prefetch

from yjs import periods
from yjs.casework.models import Child
from yjs.compiled import OneParentRead

from .models import ParentingWork


@functools.cache
def _child_work() -> OneParentRead:
    return OneParentRead(
        Child, Prefetch("parenting_work", queryset=ParentingWork.objects.select_related("worker"))
    )


def child_work(child: Child) -> list[ParentingWork]:
    """The child's parenting work, read once per page (section and timeline), compiled once."""
    return _child_work().once(child)


def section(child: Child, user, today: datetime.date) -> dict | None:
    """The child record's "Parenting work" section; nothing when there is none."""
    work = child_work(child)
    if not work:
        return None
    return {"work": work, "today": today}


def _state(w: ParentingWork) -> str:
    if w.end_date is None:
        return "Open"
    if w.completed_successfully:
        return f"Completed {periods.long_date(w.end_date)}"
    return f"Ended {periods.long_date(w.end_date)}: {w.get_end_reason_display().lower()}"


def timeline_entries(child: Child) -> list:
    from yjs.casework.records import record_url
    from yjs.casework.selectors import TimelineEntry

    entries = []
    for w in child_work(child):
        lines = [f"{w.get_programme_display()} with the {w.parent_or_carer}"]
        if w.kind == ParentingWork.Kind.PARENTING_ORDER and w.order_made_on:
            lines.append(f"Made by {w.court} on {periods.long_date(w.order_made_on)}")
        lines.append(_state(w))
        entries.append(
            TimelineEntry(
                w.start_date,
                w.get_kind_display(),
                "parenting",
                byline=w.worker.get_full_name() if w.worker else "",
                url=record_url(child, w),
                lines=tuple(lines),
                tag="Open" if w.is_open else "",
            )
        )
    return entries
