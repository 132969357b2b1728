"""One page per record (its values and history), and its correction: change, void. Also the
child's own details and a new self-identified ethnicity. Thin: `services` does the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from yjs.versioning import EditConflict

from . import extensions, forms, records, services
from .views import _apply, _apply_versioned, _child, _posted, _require


def _record(request, pk, record_type, record_pk, perm="casework.view_child"):
    """The child (the user may `perm` them), the record type and the record, voided or not."""
    rt = records.RECORD_TYPES.get(record_type)
    if rt is None:
        raise Http404("No such kind of record")
    child = _child(request, pk, perm)
    record = get_object_or_404(rt.of_child(child), pk=record_pk)
    return child, rt, record


def record_detail(request, pk, record_type, record_pk):
    child, rt, record = _record(request, pk, record_type, record_pk)
    services.record_view(request.user, child, what=f"{rt.title.lower()} record and its history")
    can_change = request.user.has_perm(rt.change_perm, child) and not record.voided
    return render(
        request,
        "casework/record.html",
        {
            "child": child,
            "rt": rt,
            "record": record,
            "rows": records.summary(rt, record),
            "history": records.history(record),
            "can_edit": can_change and rt.form is not None,
            "can_void": can_change,
            "edit_url": rt.url(child, record, "edit"),
            "void_url": rt.url(child, record, "void"),
            "actions": extensions.record_actions(child, record, request.user),
        },
    )


def _changeable(request, pk, record_type, record_pk):
    child, rt, record = _record(request, pk, record_type, record_pk)
    _require(request, rt.change_perm, child)
    if record.voided:
        messages.error(request, "This record was voided: it can no longer be changed")
        return child, rt, None
    return child, rt, record


def record_edit(request, pk, record_type, record_pk):
    child, rt, record = _changeable(request, pk, record_type, record_pk)
    if record is None:
        return redirect("casework:record", pk, record_type, record_pk)
    if rt.form is None:
        raise Http404("This kind of record is not changed: a new one is recorded")
    form = rt.form_for(_posted(request), record, child)
    if request.method == "POST" and form.is_valid():
        offences = form.cleaned_data.get("offences") if rt.links_offences else None
        saved, form = _apply_versioned(
            form,
            lambda: services.update_record(
                request.user, form.save(commit=False), offences=offences
            ),
            lambda current: rt.form_for(None, current, child),
        )
        if saved:
            messages.success(request, f"{rt.title} updated")
            return redirect(rt.url(child, record))
    services.record_view(request.user, child, what=f"change {rt.title.lower()}")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": child,
            "title": f"Change {rt.title[:1].lower()}{rt.title[1:]}",
            "cancel": rt.url(child, record),
        },
    )


def record_void(request, pk, record_type, record_pk):
    child, rt, record = _changeable(request, pk, record_type, record_pk)
    if record is None:
        return redirect("casework:record", pk, record_type, record_pk)
    form = forms.VoidForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = _apply(
                form,
                lambda: services.void_record(request.user, record, form.cleaned_data["reason"]),
            )
        except EditConflict as conflict:  # changed since the page was opened: look again
            done = None
            form.add_error(None, conflict)
            record = conflict.current
        if done:
            messages.success(request, f"{rt.title} voided: it no longer counts anywhere")
            return redirect(rt.url(child, record))
    services.record_view(request.user, child, what=f"void {rt.title.lower()}")
    return render(
        request,
        "casework/record_void.html",
        {
            "form": form,
            "child": child,
            "rt": rt,
            "record": record,
            "rows": records.summary(rt, record),
            "cancel": rt.url(child, record),
        },
    )


def child_details(request, pk):
    child = _child(request, pk)
    if child.erased_at:
        raise Http404("This child's personal data has been erased")
    form = forms.ChildDetailsForm(_posted(request), instance=child)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.update_child(request.user, form.save(commit=False)),
            lambda current: forms.ChildDetailsForm(None, instance=current),
        )
        if saved:
            messages.success(request, "The child's details were updated")
            return redirect(child)
    services.record_view(request.user, child, what="change the child's details")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": child,
            "title": "Change the child's details",
            "cancel": child.get_absolute_url(),
        },
    )


def new_ethnicity(request, pk):
    child = _child(request, pk)
    form = forms.EthnicityForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if _apply(
            form, lambda: services.record_ethnicity(request.user, child, **form.cleaned_data)
        ):
            messages.success(request, "Ethnicity recorded")
            return redirect(child)
    services.record_view(request.user, child, what="record the child's ethnicity")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": child,
            "title": "Record how the child describes their ethnicity",
            "cancel": child.get_absolute_url(),
        },
    )
