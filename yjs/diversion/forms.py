"""Forms for out-of-court panels: the panel, who attended (one validated row each) and the police
decision. Rules are `services.panel_problems`, shown with the forms' own errors in one round."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm, offences_field
from yjs.forms import GovukForm

from .models import OutOfCourtPanel, PanelAttendee

DETAILS = [
    "referral",
    "panel_date",
    "child_views",
    "family_views",
    "assessment_summary",
    "recommendation",
]
DECISION = ["police_decision", "decided_on", "decision_reason"]


class PanelForm(RecordForm):
    """A panel booked or held: what it considers and what the service brings to it."""

    offences = offences_field("Offences the panel considers")

    class Meta:
        model = OutOfCourtPanel
        fields = ["referral", "offences", *DETAILS[1:]]
        help_texts = {
            "panel_date": "It may be in the future for a panel booked ahead",
            "recommendation": "The disposal the youth justice service proposes to the panel",
        }
        widgets = {"recommendation": forms.RadioSelect}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["referral"].queryset = child.referrals.all()
        self.fields["referral"].empty_label = "None: no referral recorded"
        self.fields["offences"].queryset = child.offences.all()


class PanelChangeForm(PanelForm):
    """The record page's "Change": the panel's details. The offences and the police decision are
    shown, not changed here: the decision recorded an outcome for those offences, so a mistake
    there is corrected by voiding the outcome and the panel and recording them again."""

    class Meta(PanelForm.Meta):
        fields = ["referral", "offences", *DETAILS[1:], *DECISION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("offences", *DECISION):
            self.fields[name].disabled = True
            self.fields[name].required = False
        self.fields["police_decision"].help_text = (
            "Recorded on its own page; to correct it, void the outcome it recorded and this "
            "panel, then record them again"
        )


class DecisionForm(RecordForm):
    """The police decision made at the panel."""

    class Meta:
        model = OutOfCourtPanel
        fields = DECISION
        widgets = {"police_decision": forms.RadioSelect}
        help_texts = {
            "police_decision": "Every decision but a charge records the outcome for the "
            "offences the panel considered",
            "decision_reason": "Required when the decision differs from the service's "
            "recommendation",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["police_decision"].required = True
        self.fields["police_decision"].error_messages["required"] = "Select the police decision"
        self.fields["decided_on"].required = True
        self.fields["decided_on"].error_messages["required"] = (
            "Enter the date of the police decision"
        )


class AttendeeForm(GovukForm):
    """One person at the panel. A row left empty is skipped; a row begun must be finished."""

    agency = forms.ChoiceField(
        choices=[("", "Choose")] + PanelAttendee.Agency.choices, required=False
    )
    name = forms.CharField(max_length=120, required=False)
    role = forms.CharField(max_length=120, required=False)

    def clean(self):
        data = super().clean()
        if not any(data.get(k) for k in ("agency", "name", "role")):
            return data
        if not data.get("agency") and "agency" not in self.errors:
            self.add_error("agency", "Select the agency this person attended for")
        if not (data.get("name") or "").strip() and "name" not in self.errors:
            self.add_error("name", "Enter the name of the person who attended")
        if not (data.get("role") or "").strip() and "role" not in self.errors:
            self.add_error("role", "Enter the role of the person who attended")
        return data

    def row(self) -> dict | None:
        data = self.cleaned_data
        return data if data.get("agency") else None


class BaseAttendees(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        # Every row is read, even one posted unchanged from the people already recorded: the
        # posted rows replace the list (an empty row is still skipped, by `row`).
        return {**super().get_form_kwargs(index), "empty_permitted": False}

    def rows(self) -> list[dict]:
        return [
            {k: r[k] for k in ("agency", "name", "role")}
            for r in (f.row() for f in self.forms)
            if r
        ]


AttendeeFormSet = forms.formset_factory(AttendeeForm, formset=BaseAttendees, extra=4)


def attendee_formset(data, panel: OutOfCourtPanel | None = None) -> BaseAttendees:
    initial = (
        [{"agency": a.agency, "name": a.name, "role": a.role} for a in panel.attendees.all()]
        if panel is not None and panel.pk
        else []
    )
    return AttendeeFormSet(data, initial=initial, prefix="attendee")
