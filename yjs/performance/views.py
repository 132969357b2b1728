"""Performance pages: the live dashboard, drill-down to the children, downloads."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from yjs import page_cache, periods
from yjs.audit import services as audit
from yjs.casework.models import Child
from yjs.outputs import append_row, csv_writer
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
    today = timezone.localdate()

    def build():
        context = {
            "period": period,
            "choices": board.period_choices(today),
            "cards": board.cards(
                shown.snapshot, period, request.user.service, output_scope(request.user)
            ),
            "snapshot": shown.snapshot.name,
            "taken_at": shown.taken_at,
            "refreshing": shown.refreshing,
            "can_drill": request.user.has_perm("performance.view_pseudonymised_children"),
            "can_export": request.user.has_perm("performance.export_dataset"),
            "can_export_named": request.user.has_perm("performance.export_named_dataset"),
        }
        return render_to_string("performance/_dashboard_content.html", context, request), []

    # The cards are the shown snapshot's figures: kept until another snapshot is shown.
    content, _ = page_cache.cached(
        request, today, build, on=(shown.snapshot.name, shown.refreshing)
    )
    return render(
        request,
        "performance/dashboard.html",
        {
            "period": period,
            "content": content,
            "snapshot": shown.snapshot.name,
            "refreshing": shown.refreshing,
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
        writer = csv_writer(out)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([r.get(c) for c in COLUMNS])
        response = HttpResponse(out.getvalue(), content_type="text/csv")
    else:
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "KPIs"
        append_row(ws, COLUMNS)
        for r in rows:
            append_row(ws, [r.get(c) for c in COLUMNS])
        meta = wb.create_sheet("Snapshot")
        append_row(meta, ["snapshot", snapshot.name])
        append_row(meta, ["taken at", str(live.snapshot_taken_at(snapshot))])
        buf = io.BytesIO()
        wb.save(buf)
        response = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def dataset_export(request, fmt):
    """The canonical dataset of the user's service: pseudonymised, or named with ``?named=1``
    for those allowed (yjs.interop.exports). Audited either way."""
    from yjs.interop import exports
    from yjs.organisation.models import Service

    user = request.user
    if not user.has_perm("performance.export_dataset"):
        raise PermissionDenied
    named = request.GET.get("named") == "1"
    scope = output_scope(user)
    if named and not (user.has_perm("performance.export_named_dataset") and scope.named):
        raise PermissionDenied
    if scope.empty or scope.team_id is not None:
        raise PermissionDenied
    service = Service.objects.get(pk=scope.service_id)
    data, name, content_type, children = exports.export(service, fmt, named=named)
    kind = "named" if named else "pseudonymised"
    what = f"Dataset export ({kind}, {fmt}): {children} children"
    audit.record(user, "EXPORT", description=what)
    if named:
        audit.record_many(
            user,
            "EXPORT",
            scope.children(Child.objects.filter(erased_at__isnull=True, merged_into__isnull=True)),
            description="Named dataset export",
        )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
