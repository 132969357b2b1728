"""The page to record parenting work. Thin: casework's `_child_form` checks the user may change
the child (and that the case is open), audits the read and shows the GOV.UK errors; `services`
does the work. The record then has casework's record page (change, void, history)."""

from __future__ import annotations

from yjs.casework.views import _child_form, _with_child

from . import forms, services


def add_parenting_work(request, pk):
    return _child_form(
        request,
        pk,
        forms.ParentingWorkForm,
        lambda child, form: services.record_parenting_work(request.user, _with_child(form, child)),
        "Record parenting work",
        form_kwargs=lambda child: {"child": child},
        success="Parenting work recorded",
    )
