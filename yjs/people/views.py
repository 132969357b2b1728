"""Pages to record people and places. Thin: casework's `_child_form` checks the user may change
the child (and that the case is open), audits the read and shows the GOV.UK errors; `services`
does the work. Each record then has casework's record page (change, void, history), which only
users who may see the child reach.
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
        success=success,
    )


def add_person(request, pk):
    return _form(
        request,
        pk,
        forms.RelatedPersonForm,
        services.record_person,
        "Add a parent, carer or family member",
        "Parent, carer or family member added",
    )


def add_address(request, pk):
    return _form(
        request,
        pk,
        forms.AddressForm,
        services.record_address,
        "Add an address",
        "Address added",
    )


def add_professional(request, pk):
    return _form(
        request,
        pk,
        forms.ProfessionalForm,
        services.record_professional,
        "Add a professional",
        "Professional added",
    )


def add_ete_placement(request, pk):
    return _form(
        request,
        pk,
        forms.EtePlacementForm,
        services.record_ete_placement,
        "Add a school, college or ETE provider",
        "School or ETE provider added",
    )


def add_gp(request, pk):
    return _form(
        request, pk, forms.GeneralPractitionerForm, services.record_gp, "Add the GP", "GP added"
    )
