"""Court work's forms: the rules are `services`' (shown with the form's own errors in one
round through casework's `RecordForm`)."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm, offences_field
from yjs.forms import DateField, VersionedForm

from .models import COURT_OUTCOME_CHOICES, Hearing, PreSentenceReport


class HearingForm(RecordForm):
    offences = offences_field("Offences the hearing is about")

    class Meta:
        model = Hearing
        fields = [
            "offences",
            "court",
            "hearing_date",
            "hearing_type",
            "result",
            "bail_decision",
            "next_hearing_date",
        ]
        labels = {"court": "Court (name)", "bail_decision": "Bail or remand decision"}
        help_texts = {
            "court": "For example Northshire Youth Court",
            "bail_decision": "A decision here is also recorded as the child's remand or bail "
            "decision (it counts in the remand figures)",
            "next_hearing_date": "Leave empty if the case did not adjourn",
        }
        widgets = {"result": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "court": {"required": "Enter the name of the court"},
            "hearing_type": {"required": "Select the type of hearing"},
        }

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["offences"].queryset = child.offences.all()
        self.fields["bail_decision"].choices = [("", "No bail or remand decision")] + list(
            self.fields["bail_decision"].choices
        )[1:]


class ReportForm(RecordForm):
    class Meta:
        model = PreSentenceReport
        fields = ["requested_at", "requested_on", "due_on", "proposal", "submitted_on", "outcome"]
        labels = {"proposal": "Sentence proposed in the report"}
        help_texts = {
            "submitted_on": "A team manager or head of service gatekeeps the report first",
            "outcome": "Once the court has sentenced: the outcome recorded for the child",
        }
        error_messages = {
            "requested_at": {"required": "Select the hearing that asked for the report"},
        }

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["requested_at"].queryset = child.hearings.all()
        self.fields["requested_at"].empty_label = "Choose the hearing"
        self.fields["proposal"].choices = [("", "Not decided yet")] + COURT_OUTCOME_CHOICES
        outcome = self.fields["outcome"]
        outcome.queryset = child.outcomes.filter(
            code__in=[code for code, _ in COURT_OUTCOME_CHOICES]
        )
        outcome.empty_label = "Not sentenced yet"


class GatekeepForm(VersionedForm):
    """A manager's sign-off; `services.gatekeep_report` checks it (and who gives it)."""

    gatekept_on = DateField(label="Date you gatekept the report")
