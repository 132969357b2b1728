"""Out-of-court panel pages. Thin: check permission, hand the forms to `services`, render."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from yjs import periods
from yjs.casework import services as casework
from yjs.casework.records import record_url
from yjs.casework.views import _apply, _apply_versioned, _child, _posted, _require, case_closed
from yjs.forms import DateField, GovukForm

from . import forms, selectors, services
from .models import OutOfCourtPanel


def _render_form(request, child, title, form, formset, *, intro=""):
    return render(
        request,
        "diversion/panel_form.html",
        {
            "form": form,
            "formset": formset,
            "child": child,
            "title": title,
            "intro": intro,
            "cancel": child.get_absolute_url(),
        },
    )


def add_panel(request, pk):
    title = "Record an out-of-court panel"
    child = _child(request, pk)
    if child.closed_on:
        return case_closed(request, child, title)
    form = forms.PanelForm(_posted(request), child=child)
    formset = forms.attendee_formset(_posted(request))
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        panel = form.save(commit=False)
        panel.child = child
        saved = _apply(
            form,
            lambda: services.record_panel(
                request.user,
                panel,
                offences=form.cleaned_data["offences"],
                attendees=formset.rows(),
            ),
        )
        if saved:
            messages.success(request, "Out-of-court panel recorded")
            return redirect(child)
    casework.record_view(request.user, child, what=title.lower())
    return _render_form(request, child, title, form, formset)


def record_decision(request, pk, record_pk):
    title = "Record the police decision"
    child = _child(request, pk)
    panel = get_object_or_404(OutOfCourtPanel.objects.filter(child=child), pk=record_pk)
    if panel.police_decision:
        messages.error(request, "The police decision on this panel is already recorded")
        return redirect(record_url(child, panel))
    form = forms.DecisionForm(_posted(request), instance=panel, child=child)
    formset = forms.attendee_formset(_posted(request), panel)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        saved, form = _apply_versioned(
            form,
            lambda: services.record_decision(
                request.user, form.save(commit=False), attendees=formset.rows()
            ),
            lambda current: forms.DecisionForm(None, instance=current, child=child),
        )
        if saved:
            outcome = saved.outcome
            messages.success(
                request,
                f"Police decision recorded, and the outcome: {outcome}"
                if outcome
                else "Police decision recorded: the child is charged, so the court will decide "
                "the outcome",
            )
            return redirect(child)
    casework.record_view(request.user, child, what="record the police decision of a panel")
    intro = f"Panel of {periods.long_date(panel.panel_date)}"
    return _render_form(request, child, title, form, formset, intro=intro)


class PeriodForm(GovukForm):
    start = DateField(label="Decided from", required=False)
    end = DateField(label="Decided to", required=False)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "Decided to must be the same as or after decided from")
        return data


def panels(request):
    _require(request, "casework.view_caseload")
    today = casework.today()
    period = PeriodForm(request.GET or None)
    data = period.cleaned_data if period.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or periods.add_months(end, -12) + datetime.timedelta(days=1)
    lists = selectors.coordinator_lists(request.user, today, start, end)
    casework.record_list_view(
        request.user, selectors.children_of(lists), "Out-of-court panels"
    )
    return render(
        request,
        "diversion/panels.html",
        {
            "lists": lists,
            "period": period,
            "start": start,
            "end": end,
            "today": today,
            "target_days": selectors.TARGET_WORKING_DAYS,
            "target_share": selectors.TARGET_SHARE,
            "decided": [(p, selectors.timeliness(p)) for p in lists.decided],
        },
    )
