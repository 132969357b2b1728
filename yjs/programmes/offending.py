"""Offending before, during and after a programme: the one place it is defined.

The definitions are those of the KPI engine's closed-cohort tracker
(yjs/performance/sql/local_closed_cohort.sql, KPIS.md §5) with the programme in place of the
intervention, and proven offences as the reoffending measure proves them
(yjs/performance/sql/reoffending.sql):

- **Proven offence**: a live (not voided) offence of the child disposed of by at least one live
  outcome that is *substantive* (a caution or conviction: ``codes`` marks which outcome codes
  are), is a new outcome (not an extension or variation of an existing order), was not quashed or
  changed on appeal, and is dated on or before the as-at date. What counts is the date the
  offence was committed. Community resolutions, Outcome 22 and no further action prove nothing.
- **Before**: committed in the 12 months before the child's programme started
  ``[start - 12 months, start)``. **During**: ``[start, end]``.
- **After**, at checkpoints 3, 6, 9 and 12 months: committed in the interval since the previous
  checkpoint ``(end + previous, end + N months]`` (intervals do not overlap, as in the tracker).
  A child counts at a checkpoint only once they have **reached** it: ``end + N months`` is on or
  before the as-at date (a child exactly 3 months after the end counts; one day short does
  not). Months are calendar months clamped to the month end (`periods.add_months`, which is what
  DuckDB's ``+ INTERVAL n MONTH`` does).
- Start is the cohort's start (or the child's enrolment, if later); end is the cohort's end
  (or the date the child left early). A cohort without an end has no "after" yet.

Why Python and not the engine's SQL: the engine reads a pseudonymised snapshot of the whole
service, rebuilt in the background when the data changes, and programme places are no part of
the canonical dataset; a cohort report is a handful of children, read live from the records
they are about (so a voided offence leaves it at once). The rules above are the SQL's, and
tests/programmes/test_offending.py holds hand-worked cases of each edge.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from yjs import codes, periods
from yjs.casework.models import Outcome

CHECKPOINTS = (3, 6, 9, 12)
BEFORE_MONTHS = 12
QUASHED = ("CHANGED_ON_APPEAL", "SUCCESSFUL")


@dataclass(frozen=True)
class Window:
    """One child's programme: the child and the dates offending is counted around."""

    child_id: int
    start: dt.date
    end: dt.date | None


@dataclass
class Tally:
    """Children counted (reached), children who offended and proven offences, in one window."""

    reached: int = 0
    offended: int = 0
    offences: int = 0
    offended_ids: set = field(default_factory=set)


def proven_offence_dates(child_ids, as_at: dt.date) -> dict[int, list[dt.date]]:
    """The dates of each child's proven offences (see the module docstring), one per offence."""
    substantive = [o.code for o in codes.OUTCOMES if o.substantive]
    outcomes = (
        Outcome.objects.filter(  # the live manager: voided outcomes never prove anything
            child_id__in=list(child_ids),
            code__in=substantive,
            is_variation=False,
            outcome_date__lte=as_at,
        )
        .exclude(appeal_status__in=QUASHED)
        .prefetch_related("offences")
    )
    seen: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for outcome in outcomes:
        for offence in outcome.offences.all():  # live offences only (the default manager)
            if offence.voided_at is None and offence.child_id == outcome.child_id:
                seen[offence.child_id][offence.pk] = offence.offence_date
    return {child: sorted(dates.values()) for child, dates in seen.items()}


def reached(end: dt.date | None, months: int, as_at: dt.date) -> bool:
    """A child has reached the checkpoint `months` after `end` by `as_at`."""
    return end is not None and periods.add_months(end, months) <= as_at


def _count(tally: Tally, child_id: int, dates) -> None:
    tally.reached += 1
    n = len(dates)
    tally.offences += n
    if n:
        tally.offended += 1
        tally.offended_ids.add(child_id)


def tally(windows: list[Window], as_at: dt.date) -> dict[str, Tally]:
    """Offending of children around their programme: keys "before", "during", "3", "6", "9",
    "12" (the checkpoints). Before is counted for every child whose programme has started by
    `as_at`; during for every child whose programme has ended (or started, if still running,
    counted up to `as_at`); each checkpoint only for children who reached it."""
    offences = proven_offence_dates({w.child_id for w in windows}, as_at)
    out = {key: Tally() for key in ("before", "during", *map(str, CHECKPOINTS))}
    for w in windows:
        if w.start > as_at:
            continue
        dates = offences.get(w.child_id, [])
        first = periods.add_months(w.start, -BEFORE_MONTHS)
        _count(out["before"], w.child_id, [d for d in dates if first <= d < w.start])
        last = min(w.end, as_at) if w.end else as_at
        _count(out["during"], w.child_id, [d for d in dates if w.start <= d <= last])
        previous = 0
        for months in CHECKPOINTS:
            if reached(w.end, months, as_at):
                low = periods.add_months(w.end, previous)
                high = periods.add_months(w.end, months)
                _count(out[str(months)], w.child_id, [d for d in dates if low < d <= high])
            previous = months
    return out
