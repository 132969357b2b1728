"""The plan's and board pack's "Programmes and groups" block (part "evidence"): one row per
programme for the plan year or the board pack's quarter, from the same `cohort_report` the web
report uses. It names no child, and like every figure that leaves the system, counts of 1 to 4
children are shown as "fewer than 5" (KPIS.md §1.6) and a rate built on one is not shown."""

from __future__ import annotations

from yjs import periods
from yjs.casework import services as casework
from yjs.performance.engine import is_suppressed
from yjs.permissions import count_text

from . import selectors
from .models import Cohort, Programme

NAME = "programmes"
TITLE = "Programmes and groups"
HEADERS = [
    "Programme",
    "Cohorts",
    "Children enrolled",
    "Completed",
    "Completion rate (of children who finished)",
    "Average self-score change",
    "Offended in the 12 months before",
    "Offended in the 3 months after (children reached)",
]


def _rate(n: int, d: int) -> str:
    if not d or is_suppressed(n, d):
        return "–"
    return f"{selectors.one_place(100 * n / d)}%"


def _of(n: int, d: int) -> str:
    if not d:
        return "–"
    return f"{count_text(n)} of {count_text(d)}"


def build(request) -> dict:
    as_at = min(request.end, casework.today())
    rows = []
    for programme in Programme.objects.filter(service=request.service).order_by("name"):
        cohorts = list(
            Cohort.objects.filter(
                programme=programme,
                start_date__gte=request.start,
                start_date__lte=min(request.end, as_at),
            ).order_by("start_date")
        )
        if not cohorts:
            continue
        r = selectors.cohort_report(cohorts, as_at)
        before, after = r.offending["before"], r.offending["3"]
        rows.append(
            [
                programme.name,
                len(cohorts),
                count_text(r.enrolled),
                count_text(r.completed),
                _rate(r.completed, r.finished),
                r.average_change_text if len(r.score_changes) >= 5 else "–",
                _of(before.offended, before.reached),
                _of(after.offended, after.reached),
            ]
        )
    span = f"{periods.long_date(request.start)} to {periods.long_date(request.end)}"
    return {
        "intro": (
            f"Group programmes whose cohorts started {span}: children enrolled, how many "
            "completed (attended at least the sessions each programme requires), the average "
            "change in children's own 0 to 10 scores from before to after the programme, and "
            "proven offending before and after."
            if rows
            else f"No programme cohort started {span}."
        ),
        "caption": "Programme cohorts, completion and offending" if rows else "",
        "headers": HEADERS if rows else [],
        "rows": rows,
        "note": (
            "Proven offences: offences disposed of by a caution or conviction. After the "
            "programme, only children 3 months past its end by "
            f"{periods.long_date(as_at)} are counted. Counts of 1 to 4 children are not "
            "shown; an average of fewer than 5 children's scores is not shown."
            if rows
            else ""
        ),
    }
