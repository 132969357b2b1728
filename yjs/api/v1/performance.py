"""KPI results for a quarter, and the children behind a figure (drill-down).

Figures come from the snapshot the dashboard shows and leave through the one output scope:
suppressed counts (1-4 children) are always blanked here, since an API response is a copy
that leaves the screen. The drill-down is the page's own rule (`selectors.drill_down`):
analysts get pseudonyms, casework roles the children in their reach, board members nothing.
"""

from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router

from yjs import periods
from yjs.audit import services as audit
from yjs.performance import dashboard, engine, live, selectors
from yjs.permissions import output_scope

from .common import page, require, user_of
from .schemas import Drill, KpiResults, Limit, Offset, Problem

router = Router(tags=["performance"])
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
Period = Annotated[
    str, Query(max_length=20, description="A quarter, e.g. 2024-25Q1 (default: the latest)")
]
# (Each parameter gets its own Query: ninja keeps a parameter's default on its Query object.)
Word = Annotated[str, Query(max_length=100)]


def _period(text: str):
    if not text:
        return dashboard.default_period(timezone.localdate())
    try:
        return periods.parse_quarter(text)
    except ValueError as e:
        raise ValidationError({"period": [str(e)]}) from None


def _figure(row: dict) -> dict:
    """A figure with the columns the dashboard's download has (but the population year)."""
    from yjs.performance.views import COLUMNS

    return {k: row.get(k) for k in COLUMNS if k != "population_year"}


@router.get("/kpis", response={200: KpiResults, **ERRORS}, summary="KPI results for a quarter")
def kpis(request, period: Period = "", kpi: Word = "", dimension: Word = ""):
    """Every figure of the quarter (optionally one KPI, one dimension: ``all``, ``sex``,
    ``ethnicity``…), from the newest complete snapshot of the user's service."""
    require(request, "performance.view_dashboard")
    user = user_of(request)
    q = _period(period)
    shown = live.figures(user.service)
    rows = output_scope(user).figures(live.results(shown.snapshot, q))
    if kpi:
        rows = [r for r in rows if r.get("kpi") == kpi]
    if dimension:
        rows = [r for r in rows if r.get("dimension") == dimension]
    audit.record(user, "VIEW", description=f"API KPI figures {q.label} ({len(rows)} figures)")
    return {
        "period": q.label,
        "snapshot": shown.snapshot.name,
        "refreshing": shown.refreshing,
        "items": [_figure(r) for r in rows],
    }


@router.get(
    "/kpis/{kpi}/children",
    response={200: Drill, **ERRORS},
    summary="The children behind a figure (drill-down)",
)
def drill(
    request,
    kpi: str,
    period: Period = "",
    measure: Annotated[str, Query(max_length=100)] = "",
    dimension: Annotated[str, Query(max_length=100)] = "all",
    category: Annotated[str, Query(max_length=100)] = "all",
    limit: Limit = 50,
    offset: Offset = 0,
):
    require(request, "performance.view_pseudonymised_children")
    user = user_of(request)
    if kpi not in engine.KPI_BY_ID:
        raise Http404
    q = _period(period)
    measure = measure or engine.KPI_BY_ID[kpi].headline.id
    snapshot = live.shown_snapshot(user.service)
    try:
        found = selectors.drill_down(
            user, snapshot, kpi, q, measure, dimension, category, via="API "
        )
    except KeyError:
        raise Http404 from None
    figure = next(
        (
            r
            for r in output_scope(user).figures(live.results(snapshot, q))
            if (r["kpi"], r["measure"], r["dimension"], r["category"])
            == (kpi, measure, dimension, category)
        ),
        None,
    )
    items, count = page(found["rows"], limit, offset)
    return {
        "kpi": kpi,
        "measure": measure,
        "period": q.label,
        "dimension": dimension,
        "category": category,
        "snapshot": snapshot.name,
        "named": found["named"],
        "outside_reach": found["outside"],
        "figure": _figure(figure) if figure else None,
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [_drill_row(r, found["named"]) for r in items],
    }


def _drill_row(row: dict, named: bool) -> dict:
    child = row.get("child") if named else None
    return {
        "pseudonym": row["child_id"],
        "in_numerator": bool(row.get("in_numerator")),
        "in_denominator": bool(row.get("in_denominator")),
        "why": row.get("why") or "",
        "child_id": child.pk if child else None,
        "reference": child.reference if child else None,
        "name": child.display_name if child else None,
    }
