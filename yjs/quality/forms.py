"""Quality assurance forms in the GOV.UK style (yjs.forms): model forms carry the revision the
record was opened on, so two managers editing one audit never overwrite each other."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone

from yjs.forms import DateField, GovukForm, GovukModelForm

from . import models as m

RADIOS = forms.RadioSelect


class CaseAuditForm(GovukModelForm):
    class Meta:
        model = m.CaseAudit
        fields = [
            "audited_on",
            "assessment",
            "planning",
            "delivery",
            "review",
            "overall",
            "works_well",
            "to_improve",
        ]
        widgets = {k: RADIOS for k in ("assessment", "planning", "delivery", "review", "overall")}
        help_texts = {
            "to_improve": "Needed when any area requires improvement or is inadequate",
        }
        error_messages = {
            k: {"required": f"Select the rating for {label.lower()}"} for k, label in m.AUDIT_AREAS
        } | {
            "works_well": {"required": "Enter what works well"},
            "audited_on": {"required": "Enter the date of the audit"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, _label in m.AUDIT_AREAS:
            self.fields[key].choices = [c for c in self.fields[key].choices if c[0]]


class ActionForm(GovukForm):
    """A row of the plan's action plan arising from an audit, a standard or a recommendation."""

    outcome = forms.CharField(
        label="Area of focus",
        max_length=300,
        help_text="For example: quality of planning. Do not name the child: the action plan "
        "is published",
        error_messages={"required": "Enter the area of focus"},
    )
    action = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action"},
    )
    lead_owners = forms.CharField(
        label="Owner",
        max_length=300,
        help_text="Role or name, e.g. Team manager (North)",
        error_messages={"required": "Enter who owns the action"},
    )
    due_date = DateField(label="Due by", help_text="For example, 31 3 2026")
    measure = forms.CharField(
        label="How we will know (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ThemedAuditForm(GovukModelForm):
    seed = forms.IntegerField(
        label="Random seed (optional)",
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        help_text="Leave blank for a new sample; enter a recorded seed to draw the same one again",
    )

    class Meta:
        model = m.ThemedAudit
        fields = ["theme", "period_start", "period_end", "sample_size", "title"]
        widgets = {"theme": RADIOS}
        labels = {"title": "Title (optional)"}
        error_messages = {"theme": {"required": "Select the theme of the audit"}}


class SubStandardForm(GovukModelForm):
    class Meta:
        model = m.SubStandardRating
        fields = ["rating", "evidence", "assessed_on"]
        widgets = {"rating": RADIOS}
        error_messages = {
            "rating": {"required": "Select the rating"},
            "evidence": {"required": "Enter the evidence"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [c for c in self.fields["rating"].choices if c[0]]


class RecommendationForm(GovukModelForm):
    class Meta:
        model = m.Recommendation
        fields = [
            "inspection",
            "inspection_date",
            "number",
            "text",
            "owner",
            "status",
            "evidence",
            "completed_on",
        ]
        widgets = {"status": RADIOS}
        error_messages = {
            "inspection": {"required": "Enter the inspection"},
            "number": {"required": "Enter the recommendation number"},
            "text": {"required": "Enter the recommendation"},
            "owner": {"required": "Enter who leads on it"},
        }


TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def _time_field(label):
    return forms.CharField(
        label=label,
        required=False,
        max_length=5,
        help_text="24-hour clock, for example 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )


class IncidentForm(GovukModelForm):
    """The two moments that decide whether the notification was in time are asked as a date
    and a time each (GOV.UK date input plus a 24-hour time)."""

    known_on = DateField(label="Date the service knew of it")
    known_time = _time_field("Time the service knew of it")
    notified_on = DateField(
        label="Date it was notified to the YJB", required=False, help_text="Blank until notified"
    )
    notified_time = _time_field("Time it was notified to the YJB")

    class Meta:
        model = m.SeriousIncident
        fields = ["kind", "incident_date", "status", "review_date", "findings", "learning"]
        widgets = {"kind": RADIOS, "status": RADIOS}
        error_messages = {"kind": {"required": "Select the type of incident"}}

    field_order = [
        "kind",
        "incident_date",
        "known_on",
        "known_time",
        "notified_on",
        "notified_time",
        "status",
        "review_date",
        "findings",
        "learning",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        for prefix, field in (("known", "known_at"), ("notified", "notified_at")):
            value = getattr(self.instance, field)
            if value and not self.is_bound:
                local = timezone.localtime(value)
                self.initial[f"{prefix}_on"] = local.date()
                self.initial[f"{prefix}_time"] = f"{local:%H:%M}"

    def _moment(self, prefix: str, required: bool):
        day = self.cleaned_data.get(f"{prefix}_on")
        text = (self.cleaned_data.get(f"{prefix}_time") or "").strip()
        label = self.fields[f"{prefix}_time"].label
        if not text:
            if day is not None or required:
                self.add_error(f"{prefix}_time", f"Enter the {label[0].lower()}{label[1:]}")
            return None
        match = TIME.match(text)
        if not match:
            self.add_error(f"{prefix}_time", f"{label} must be a time such as 14:30")
            return None
        if day is None:
            if f"{prefix}_on" not in self.errors:
                self.add_error(f"{prefix}_on", f"Enter the {self.fields[f'{prefix}_on'].label}")
            return None
        naive = datetime.datetime.combine(day, datetime.time(int(match[1]), int(match[2])))
        return timezone.make_aware(naive)

    def clean(self):
        data = super().clean()
        self.instance.known_at = self._moment("known", required=True)
        self.instance.notified_at = self._moment("notified", required=False)
        return data
