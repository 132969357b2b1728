"""Court work's pages. Thin: casework's `_child` checks the user may work with the child,
`services` does the work, every page that shows a child audits the read."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from yjs.casework import services as casework
from yjs.casework.views import (
    _apply_versioned,
    _child,
    _child_form,
    _posted,
    _require,
    _with_child,
)

from . import forms, selectors, services


def court(request):
    """Hearings in the next 14 days and reports outstanding, of the children in reach."""
    _require(request, "court.view_court")
    today = casework.today()
    found = selectors.court_list(request.user, today)
    casework.record_list_view(request.user, found.children, "Court work")
    # a manager signs a report off from here, without opening each child's record
    can_gatekeep = {
        r.pk
        for r in found.reports
        if not r.gatekept_on and request.user.has_perm("court.gatekeep_report", r.child)
    }
    return render(
        request,
        "court/court.html",
        {
            "court": found,
            "today": today,
            "days": selectors.UPCOMING_DAYS,
            "can_gatekeep": can_gatekeep,
        },
    )


def add_hearing(request, pk):
    return _child_form(
        request,
        pk,
        forms.HearingForm,
        lambda c, f: services.record_hearing(
            request.user, _with_child(f, c), f.cleaned_data["offences"]
        ),
        "Record a court hearing",
        success="Hearing recorded",
    )


def add_report(request, pk):
    return _child_form(
        request,
        pk,
        forms.ReportForm,
        lambda c, f: services.record_report(request.user, _with_child(f, c)),
        "Record a pre-sentence report request",
        success="Pre-sentence report recorded",
    )


def gatekeep(request, pk, report_pk):
    child = _child(request, pk, "court.gatekeep_report")
    report = get_object_or_404(
        child.pre_sentence_reports.select_related("requested_at"), pk=report_pk
    )
    form = forms.GatekeepForm(_posted(request), revision=report.revision)
    if request.method == "POST" and form.is_valid():
        if form.revision is not None:
            report.revision = form.revision

        def sign_off():
            return services.gatekeep_report(request.user, report, form.cleaned_data["gatekept_on"])

        saved, form = _apply_versioned(
            form, sign_off, lambda current: forms.GatekeepForm(None, revision=current.revision)
        )
        if saved:
            messages.success(request, "Pre-sentence report gatekept")
            return redirect(child)
    casework.record_view(request.user, child, what="gatekeep a pre-sentence report")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": child,
            "title": f"Gatekeep the pre-sentence report due {report.due_on:%-d %B %Y}",
            "cancel": child.get_absolute_url(),
        },
    )
