"""Performance pages: the live dashboard, drill-down to the children, downloads."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yjs import periods
from yjs.audit import services as audit
from yjs.permissions import output_scope

from . import dashboard as board
from . import engine, live, selectors


def _period(request):
    today = timezone.localdate()
    text = request.GET.get("period")
    if not text:
        return board.default_period(today)
    try:
        return periods.parse_quarter(text)
    except ValueError:
        raise Http404("Unknown period") from None


def dashboard(request):
    if not request.user.has_perm("performance.view_dashboard"):
        raise PermissionDenied
    period = _period(request)
    shown = live.figures(request.user.service)
    return render(
        request,
        "performance/dashboard.html",
        {
            "period": period,
            "choices": board.period_choices(timezone.localdate()),
            "cards": board.cards(
                shown.snapshot, period, request.user.service, output_scope(request.user)
            ),
            "snapshot": shown.snapshot.name,
            "taken_at": shown.taken_at,
            "refreshing": shown.refreshing,
            "can_drill": request.user.has_perm("performance.view_pseudonymised_children"),
        },
    )


def drill(request, kpi):
    user = request.user
    if not user.has_perm("performance.view_pseudonymised_children"):
        raise PermissionDenied
    if kpi not in engine.KPI_BY_ID:
        raise Http404("Unknown KPI")
    period = _period(request)
    measure = request.GET.get("measure") or engine.KPI_BY_ID[kpi].headline.id
    dimension = request.GET.get("dimension", "all")
    category = request.GET.get("category", "all")
    snapshot = live.shown_snapshot(user.service)
    try:
        found = selectors.drill_down(user, snapshot, kpi, period, measure, dimension, category)
    except KeyError:
        raise Http404("Unknown measure") from None
    shown, named, outside = found["rows"], found["named"], found["outside"]
    result = next(
        (
            r
            for r in live.results(snapshot, period)
            if (r["kpi"], r["measure"], r["dimension"], r["category"])
            == (kpi, measure, dimension, category)
        ),
        None,
    )
    return render(
        request,
        "performance/drill.html",
        {
            "kpi": engine.KPI_BY_ID[kpi],
            "measure": measure,
            "period": period,
            "rows": shown,
            "named": named,
            "outside": outside,
            "result": result,
            "result_display": board.format_value(result["value"], result["unit"]) if result else "",
            "dimension": dimension,
            "category": category,
            "snapshot": snapshot.name,
        },
    )


COLUMNS = (
    "kpi",
    "measure",
    "label",
    "period",
    "window",
    "dimension",
    "category",
    "numerator",
    "denominator",
    "value",
    "unit",
    "suppressed",
    "population_year",
)


def download(request, fmt):
    if not request.user.has_perm("performance.view_dashboard"):
        raise PermissionDenied
    period = _period(request)
    snapshot = live.figures(request.user.service).snapshot
    rows = output_scope(request.user).figures(live.results(snapshot, period))
    name = f"kpis-{period.yjb_label}-{snapshot.name}"
    audit.record(
        request.user,
        "EXPORT",
        description=f"KPI figures {period.label} ({fmt}, snapshot {snapshot.name})",
    )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([_safe(r.get(c)) for c in COLUMNS])
        response = HttpResponse(out.getvalue(), content_type="text/csv")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "KPIs"
        ws.append(COLUMNS)
        for r in rows:
            ws.append([_safe(r.get(c)) for c in COLUMNS])
        meta = wb.create_sheet("Snapshot")
        meta.append(["snapshot", snapshot.name])
        meta.append(["taken at", str(live.snapshot_taken_at(snapshot))])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _safe(value):
    """Guard spreadsheet cells against formula injection."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
