"""Forms of people and places: casework `RecordForm`s, so the rules of `services` are shown on
their fields with the GOV.UK error summary in one round."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm
from yjs.forms import yes_no_field

from . import models

# Sized for what they hold (GOV.UK input widths); no autocomplete: the details are someone
# else's, never the signed-in user's own.
PHONE = forms.TextInput(attrs={"type": "tel", "class": "govuk-input govuk-input--width-20"})
POSTCODE = forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"})
SHORT_TEXT = forms.Textarea(attrs={"rows": 3})
NOT_FILLED_IN = {"autocomplete": "off"}


def _sized(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.TextInput | forms.EmailInput | forms.Textarea):
            field.widget.attrs.update(NOT_FILLED_IN)


class RelatedPersonForm(RecordForm):
    # Asked, never assumed: a box left unticked would record "no parental responsibility" or
    # "do not contact" for a question nobody answered.
    parental_responsibility = yes_no_field(
        "Do they have parental responsibility for the child?",
        error_messages={"required": "Select whether they have parental responsibility"},
    )
    may_contact = yes_no_field(
        "May the service contact them?",
        error_messages={"required": "Select whether the service may contact them"},
    )

    class Meta:
        model = models.RelatedPerson
        fields = [
            "name",
            "relationship",
            "parental_responsibility",
            "lives_with_child",
            "phone",
            "email",
            "address",
            "postcode",
            "may_contact",
            "no_contact_reason",
            "interpreter_needed",
            "language",
            "end_date",
            "notes",
        ]
        error_messages = {
            "name": {"required": "Enter their full name"},
            "relationship": {"required": "Select their relationship to the child"},
            "email": {"invalid": "Enter an email address, like name@example.com"},
        }
        widgets = {
            "phone": PHONE,
            "postcode": POSTCODE,
            "address": SHORT_TEXT,
            "no_contact_reason": SHORT_TEXT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sized(self)
        if self.instance._state.adding:  # no answer ticked for the user
            for name in ("parental_responsibility", "may_contact"):
                self.initial.pop(name, None)


class AddressForm(RecordForm):
    class Meta:
        model = models.Address
        fields = [
            "kind",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "local_authority",
            "other_local_authority",
            "start_date",
            "end_date",
        ]
        error_messages = {"kind": {"required": "Select the type of address"}}
        widgets = {"postcode": POSTCODE}
        help_texts = {
            "start_date": (
                "Leave blank if not known. If the child has moved, the current address is "
                "ended the day before this one starts."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sized(self)
        child = self.child or self.instance.child
        self.fields["local_authority"].queryset = child.service.local_authorities.all()


class EtePlacementForm(RecordForm):
    class Meta:
        model = models.EtePlacement
        fields = ["name", "kind", "contact_name", "phone", "email", "start_date", "end_date"]
        error_messages = {
            "name": {"required": "Enter the name of the school, college or provider"},
            "kind": {"required": "Select the type of school or provider"},
            "email": {"invalid": "Enter an email address, like name@example.com"},
        }
        widgets = {"phone": PHONE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sized(self)


class GeneralPractitionerForm(RecordForm):
    class Meta:
        model = models.GeneralPractitioner
        fields = ["practice_name", "doctor_name", "phone", "address"]
        error_messages = {"practice_name": {"required": "Enter the name of the GP practice"}}
        widgets = {"phone": PHONE, "address": SHORT_TEXT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sized(self)


class ProfessionalForm(RecordForm):
    class Meta:
        model = models.Professional
        fields = ["name", "role", "agency", "phone", "email", "start_date", "end_date"]
        error_messages = {
            "name": {"required": "Enter their full name"},
            "role": {"required": "Select their role"},
            "agency": {"required": "Enter the agency they work for"},
            "email": {"invalid": "Enter an email address, like name@example.com"},
        }
        widgets = {"phone": PHONE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sized(self)
