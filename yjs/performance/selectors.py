"""Read-only API for the dashboard and governance: KPI results and comparators, never
recomputed by callers.

    kpi_results(period, data_dir) -> RunResult      (results: list[KpiResult])
    comparators_for(period, service) -> dict[(kpi, measure), dict[comparator, ComparatorFigure]]
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from yjs.performance.engine import KPI_BY_ID, KPIS, RunResult, run
from yjs.performance.loader import load_dataset
from yjs.periods import parse_quarter

_cache: dict[tuple, RunResult] = {}


def _fingerprint(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size)
                        for p in folder.iterdir() if p.is_file()))


def kpi_results(period, data_dir: str | Path, as_at: dt.date | None = None,
                kpis: list[str] | None = None) -> RunResult:
    """Every KPI for the quarter from a dataset folder (one service's snapshot, or files).

    Results of an unchanged folder are cached in-process, so a dashboard can call this freely.
    """
    q = parse_quarter(period)
    folder = Path(data_dir)
    key = (str(folder.resolve()), _fingerprint(folder), q, as_at, tuple(kpis or ()))
    if key not in _cache:
        dataset = load_dataset(folder)
        try:
            _cache[key] = run(dataset, q, as_at=as_at, kpis=kpis)
        finally:
            dataset.con.close()
        if len(_cache) > 32:
            _cache.pop(next(iter(_cache)))
    return _cache[key]


def comparators_for(period, service=None) -> dict[tuple[str, str], dict[str, object]]:
    """Imported comparator figures for the quarter and service, keyed by (kpi, measure) then
    comparator; the service's own figure wins over one imported for every service."""
    from django.db.models import Q

    from yjs.performance.models import ComparatorFigure

    label = parse_quarter(period).label
    out: dict[tuple[str, str], dict[str, object]] = {}
    mine = Q(service=service) if service is not None else Q(pk__in=[])
    figures = ComparatorFigure.objects.filter(mine | Q(service__isnull=True), period=label)
    for f in figures:
        by_group = out.setdefault((f.kpi, f.measure), {})
        if f.comparator not in by_group or f.service_id is not None:
            by_group[f.comparator] = f
    return out


def kpi_catalogue() -> list[dict]:
    """KPI ids, titles and measures (id, label, unit) for menus and documents."""
    return [{"kpi": k.id, "title": k.title, "alias": k.alias, "headline": k.headline.id,
             "measures": [{"id": m.id, "label": m.label, "unit": m.unit} for m in k.measures]}
            for k in KPIS]


def drill_down(user, snapshot, kpi, period, measure, dimension="all", category="all",
               *, via: str = "") -> dict:
    """The children behind one figure as this user may see them, with the read audited: the
    one rule for the drill-down page and the API. Casework roles get the children in their
    reach by name (and a count of those outside it); analysts get pseudonyms only. Unknown
    KPIs and measures raise KeyError. The caller checks `performance.view_pseudonymised_children`.
    """
    from yjs.audit import services as audit
    from yjs.casework.models import Child
    from yjs.interop.pseudonyms import children_for_pseudonyms
    from yjs.performance import live
    from yjs.permissions import output_scope

    rows = live.drill(snapshot, kpi, period, measure, dimension, category)
    scope = output_scope(user)
    named = scope.named and user.has_perm("performance.view_named_children")
    in_reach = (
        children_for_pseudonyms(scope.children(Child.objects.all()), [r["child_id"] for r in rows])
        if named
        else {}
    )
    outside = 0
    for row in rows:
        row["child"] = in_reach.get(row["child_id"])
        if named and row["child"] is None:
            outside += 1
    shown = [r for r in rows if r["child"] is not None] if named else rows
    what = f"{via}Drill-down {kpi} {measure} {dimension} {category} {parse_quarter(period).label}"
    if named:
        audit.record_many(user, "VIEW", [r["child"] for r in shown], description=what)
    else:  # pseudonymised: no child to link, but the list was read
        audit.record(user, "VIEW", description=f"{what}: {len(shown)} pseudonymised children")
    return {"rows": shown, "named": named, "outside": outside}


__all__ = ["KPI_BY_ID", "comparators_for", "drill_down", "kpi_catalogue", "kpi_results"]
