"""Reads about out-of-court panels: the coordinator's lists, timeliness, the child's section and
timeline entries. Children reach a user only through `yjs.permissions.visible_children`."""

from __future__ import annotations

import datetime
import functools
import statistics
from dataclasses import dataclass

from django.db.models import Prefetch

from yjs import periods
from yjs.casework.models import Child
from yjs.compiled import OneParentRead
from yjs.permissions import visible_children

from .models import OutOfCourtPanel

# The service's timeliness target for a panel's decision: within 20 working days of the referral
# being received, for 90% of decisions. No seed sets an out-of-court target; this borrows the one
# panel target the seeds do set (Portsmouth, seed 003: 90% of referral order panels within 20
# working days), so both panels are held to the same standard. docs/casework.md says so.
TARGET_WORKING_DAYS = 20
TARGET_SHARE = 90


@dataclass(frozen=True)
class Interval:
    days: int
    working_days: int

    @classmethod
    def between(cls, start: datetime.date | None, end: datetime.date | None):
        if start is None or end is None:
            return None
        return cls((end - start).days, periods.working_days_between(start, end))

    def __str__(self):
        days = "day" if self.days == 1 else "days"
        working = "working day" if self.working_days == 1 else "working days"
        return f"{self.days} {days} ({self.working_days} {working})"


@dataclass(frozen=True)
class Timeliness:
    """Referral received -> panel -> police decision, each step in days and working days
    (a working day is Monday to Friday, not a bank holiday; day 1 is the first after)."""

    referral_to_panel: Interval | None
    panel_to_decision: Interval | None
    referral_to_decision: Interval | None

    @property
    def within_target(self) -> bool | None:
        if self.referral_to_decision is None:
            return None
        return self.referral_to_decision.working_days <= TARGET_WORKING_DAYS


def timeliness(panel: OutOfCourtPanel) -> Timeliness:
    received = panel.referral.received_on if panel.referral_id else None
    decided = panel.decided_on if panel.police_decision else None
    return Timeliness(
        Interval.between(received, panel.panel_date),
        Interval.between(panel.panel_date, decided),
        Interval.between(received, decided),
    )


@dataclass(frozen=True)
class Summary:
    """Referral-to-decision timeliness of the decided panels with a referral."""

    count: int
    median_days: float | None
    average_days: float | None
    median_working_days: float | None
    average_working_days: float | None
    within_target: int
    without_referral: int

    @property
    def within_target_percent(self) -> float | None:
        return round(100 * self.within_target / self.count, 1) if self.count else None


def summary(panels) -> Summary:
    measured = [t for t in (timeliness(p).referral_to_decision for p in panels) if t]
    days = [t.days for t in measured]
    working = [t.working_days for t in measured]

    def stat(fn, values):
        return round(fn(values), 1) if values else None

    return Summary(
        count=len(measured),
        median_days=stat(statistics.median, days),
        average_days=stat(statistics.mean, days),
        median_working_days=stat(statistics.median, working),
        average_working_days=stat(statistics.mean, working),
        within_target=sum(1 for w in working if w <= TARGET_WORKING_DAYS),
        without_referral=sum(1 for p in panels if not p.referral_id),
    )


def _panels():
    return OutOfCourtPanel.objects.select_related(
        "child", "referral", "outcome", "child__team"
    ).prefetch_related("offences", "attendees")


def visible_panels(user):
    """Live panels of the children the user may see."""
    return _panels().filter(child__in=visible_children(user, Child.objects.all()))


@dataclass
class CoordinatorLists:
    upcoming: list
    awaiting_decision: list
    decided: list
    summary: Summary


def coordinator_lists(user, today: datetime.date, start: datetime.date, end: datetime.date):
    """Upcoming panels (from today, no decision), panels held and awaiting the police decision,
    and panels decided from `start` to `end` with their timeliness summary."""
    panels = visible_panels(user)
    undecided = panels.filter(police_decision="")
    decided = list(
        panels.exclude(police_decision="")
        .filter(decided_on__gte=start, decided_on__lte=end)
        .order_by("-decided_on", "-id")
    )
    return CoordinatorLists(
        upcoming=list(undecided.filter(panel_date__gte=today).order_by("panel_date", "id")),
        awaiting_decision=list(undecided.filter(panel_date__lt=today).order_by("panel_date")),
        decided=decided,
        summary=summary(decided),
    )


def children_of(lists: CoordinatorLists) -> list[Child]:
    seen = {}
    for p in (*lists.upcoming, *lists.awaiting_decision, *lists.decided):
        seen.setdefault(p.child_id, p.child)
    return list(seen.values())


# The child's record ------------------------------------------------------------------------


def child_panels(child: Child) -> list[OutOfCourtPanel]:
    """The child's live panels, newest first: one query (no offences or attendees), compiled
    once and kept in the child's prefetch cache, so the record page's section and timeline
    share it (and none is made when the record page found the child has none)."""
    return _child_panels().once(child)


@functools.cache
def _child_panels() -> OneParentRead:
    return OneParentRead(
        Child,
        Prefetch(
            "oocd_panels", queryset=OutOfCourtPanel.objects.select_related("referral", "outcome")
        ),
    )


def section(child: Child, user, today: datetime.date) -> dict | None:
    """The child record's "Out-of-court panels" section; nothing when the child has none."""
    panels = child_panels(child)
    if not panels:
        return None
    return {
        "panels": [(p, timeliness(p)) for p in panels],
        "can_change": user.has_perm("casework.change_child", child),
        "today": today,
    }


def timeline_entries(child: Child) -> list:
    from yjs.casework.records import record_url
    from yjs.casework.selectors import TimelineEntry

    entries = []
    for p in child_panels(child):
        if p.police_decision:
            decision = f"Police decision: {p.get_police_decision_display()}"
            decision += f" ({periods.long_date(p.decided_on)})"
        else:
            decision = "Police decision: not yet made"
        lines = [decision]
        if p.recommendation:
            lines.append(f"The service recommended: {p.get_recommendation_display()}")
        entries.append(
            TimelineEntry(
                p.panel_date,
                "Out-of-court panel (joint decision-making)",
                "panel",  # a key event, shown with the other panels
                url=record_url(child, p),
                lines=tuple(lines),
                tag="" if p.police_decision else "Decision awaited",
            )
        )
    return entries
