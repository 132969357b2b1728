"""Pages to record the order's supervision. Thin: casework's `_child_form` checks the user may
change the child (and that the case is open), audits the read and shows the GOV.UK errors;
`services` does the work. Each record then has casework's record page (change, void, history).
"""

from __future__ import annotations

from yjs.casework.views import _child_form, _with_child

from . import forms, services


def _form(request, pk, form_class, command, title, success):
    return _child_form(
        request,
        pk,
        form_class,
        lambda child, form: command(request.user, _with_child(form, child)),
        title,
        form_kwargs=lambda child: {"child": child},
        success=success,
    )


def add_requirement(request, pk):
    return _form(
        request,
        pk,
        forms.RequirementForm,
        services.record_requirement,
        "Record a requirement of the order",
        "Requirement recorded",
    )


def add_appointment(request, pk):
    return _child_form(
        request,
        pk,
        forms.AppointmentForm,
        lambda child, form: services.record_appointment(
            request.user, _with_child(form, child), warning=form.warning(request.user)
        ),
        "Record an appointment of the order",
        form_kwargs=lambda child: {"child": child},
        success="Appointment recorded",
    )


def add_warning(request, pk):
    return _form(
        request,
        pk,
        forms.WarningForm,
        services.record_warning,
        "Record a warning",
        "Warning recorded",
    )


def add_breach(request, pk):
    return _form(
        request,
        pk,
        forms.BreachForm,
        services.record_breach,
        "Record breach proceedings",
        "Breach recorded",
    )
