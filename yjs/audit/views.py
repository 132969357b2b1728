"""The audit trail for managers of a service, and a child's own access log. Thin views."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yjs.casework.models import Child
from yjs.outputs import csv_writer, safe_text
from yjs.permissions import visible_children

from . import selectors
from . import services as audit
from .forms import AuditFilter
from .models import AuditEvent

PAGE_SIZE = 50


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read now: the read itself is recorded next
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


def _filtered(request):
    form = AuditFilter(request.GET or None)
    if form.errors:  # a mistyped filter shows its error, not the whole trail
        return form, AuditEvent.objects.none()
    return form, selectors.events_for(request.user, **form.filters())


def events(request):
    _require(request, "audit.view_audit")
    form, queryset = _filtered(request)
    page, query = _page(request, queryset)
    audit.record_trail_read(request.user, f"Audit trail: page {page.number}")
    return render(
        request,
        "audit/events.html",
        {"form": form, "page": page, "query": query},
    )


def export_csv(request):
    _require(request, "audit.view_audit")
    form, queryset = _filtered(request)
    if form.errors:
        return redirect(f"{reverse('audit:events')}?{request.GET.urlencode()}")
    audit.record_trail_export(request.user, queryset.count())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv_writer(response)
    writer.writerow(
        [
            "Event",
            "When (UTC)",
            "User",
            "Action",
            "Child reference",
            "Record type",
            "Record id",
            "Description",
            "Fields changed",
            "Hash",
        ]
    )
    for e in queryset.iterator(chunk_size=2000):
        writer.writerow(
            safe_text(v)
            for v in (
                e.id,
                e.at.isoformat(timespec="seconds"),
                e.actor_username,
                e.action,
                e.child.reference if e.child_id else "",
                e.object_type,
                e.object_id,
                e.description,
                " ".join(sorted(e.changes)),
                e.hash,
            )
        )
    return response


def child_access_log(request, pk):
    child = get_object_or_404(Child, pk=pk)
    _require(request, "audit.view_child_access_log", child)
    # the scope rule decides, whatever the user's flags (a superuser has no role, so no reach)
    child = get_object_or_404(visible_children(request.user, Child.objects.all()), pk=pk)
    audit.record_trail_read(request.user, "Viewed access log", child=child)
    page, query = _page(request, selectors.access_log(request.user, child))
    return render(
        request,
        "audit/access_log.html",
        {"child": child, "page": page, "query": query},
    )
