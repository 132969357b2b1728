"""Which children's records are due for review under the retention rule (a selector).

The rule: a child's record is due for review, and may then be erased, when the case has been
closed for ``settings.RETENTION_YEARS_AFTER_CLOSURE`` whole years (environment variable
``YJS_RETENTION_YEARS_AFTER_CLOSURE``, default 6) and never before the child's 18th birthday:
due since = the later of (closure date + N years) and (18th birthday). Open cases are never due;
an erased record is no longer listed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from yjs import periods
from yjs.audit import services as audit

from .models import Child

ADULT_AGE = 18


def rule_text() -> str:
    years = settings.RETENTION_YEARS_AFTER_CLOSURE
    return (
        f"A record is due for review {years} years after the case closed, "
        f"and never before the child's {ADULT_AGE}th birthday."
    )


def due_since(child: Child) -> datetime.date | None:
    """The day the child's record became due for review, or None while the case is open."""
    if child.closed_on is None:
        return None
    after_closure = periods.add_months(child.closed_on, 12 * settings.RETENTION_YEARS_AFTER_CLOSURE)
    adult = periods.add_months(child.date_of_birth, 12 * ADULT_AGE)
    return max(after_closure, adult)


def age_band(date_of_birth: datetime.date, on: datetime.date) -> str:
    """Five-year bands (ONS style), so the list does not show a date of birth."""
    low = periods.age_on(date_of_birth, on) // 5 * 5
    return f"{low}–{low + 4}"


@dataclass(frozen=True)
class DueRecord:
    child: Child
    age_band: str
    closed_on: datetime.date
    due_since: datetime.date

    @property
    def reference(self) -> str:
        return self.child.reference


def due_for_review(service, today: datetime.date) -> list[DueRecord]:
    """Closed, unerased children of the service whose records are due, longest overdue first."""
    # A coarse filter in the database; `due_since` decides exactly (month ends, 29 February).
    closed_before = periods.add_months(today, -12 * settings.RETENTION_YEARS_AFTER_CLOSURE)
    born_before = periods.add_months(today, -12 * ADULT_AGE)
    candidates = Child.objects.filter(
        service=service,
        erased_at__isnull=True,
        closed_on__isnull=False,
        closed_on__lte=closed_before + datetime.timedelta(days=3),
        date_of_birth__lte=born_before + datetime.timedelta(days=3),
    ).order_by("closed_on", "reference")
    due = []
    for child in candidates:
        since = due_since(child)
        if since <= today:
            due.append(
                DueRecord(child, age_band(child.date_of_birth, today), child.closed_on, since)
            )
    return sorted(due, key=lambda r: (r.due_since, r.reference))


def review_list(actor, service, today: datetime.date) -> list[DueRecord]:
    """The list as a manager (or the CLI) sees it; each child listed is an audited read."""
    due = due_for_review(service, today)
    audit.record_many(actor, "VIEW", [r.child for r in due], description="Retention review list")
    return due
