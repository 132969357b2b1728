"""Forms of the diary. Planning and contact frequency are casework `RecordForm`s, so the rules
of `services` show on their fields with the GOV.UK error summary in one round; the outcome,
rearrange and cancel forms carry the appointment's revision (two people recording the same
appointment never both win)."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm, case_workers
from yjs.forms import DateField, GovukModelForm, VersionedForm
from yjs.supervision.models import Appointment as OrderAppointment

from . import models, services

ORDER_CODES = tuple(services.START_TASKS)  # court orders a worker supervises or plans for


def _time_field(label: str, hint: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=hint,
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        widget=forms.TimeInput(
            format="%H:%M",
            attrs={"class": "govuk-input govuk-input--width-5", "inputmode": "numeric"},
        ),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as hours and minutes, like 14:30",
        },
    )


def _orders(child):
    return child.outcomes.filter(code__in=ORDER_CODES, varies__isnull=True)


class PlannedAppointmentForm(RecordForm):
    start_time = _time_field("Start time", "For example, 14:30")
    end_time = _time_field("End time", "For example, 15:30")

    class Meta:
        model = models.PlannedAppointment
        fields = [
            "date",
            "start_time",
            "end_time",
            "place",
            "with_whom",
            "kind",
            "mode",
            "worker",
            "order",
        ]
        widgets = {"mode": forms.RadioSelect}
        error_messages = {
            "kind": {"required": "Select the kind of appointment"},
            "place": {"required": "Enter where the appointment is"},
        }

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        child = child or self.instance.child
        self.fields["worker"].queryset = case_workers(child.service).filter(is_active=True)
        self.fields["order"].queryset = _orders(child)
        self.fields["order"].empty_label = "Not for an order"


class OutcomeForm(VersionedForm):
    """Did the child come? On a supervised order, also whether a missed appointment was an
    acceptable absence, and any warning given (yjs.supervision)."""

    attended = forms.TypedChoiceField(
        label="Did the child attend?",
        choices=[("yes", "Attended"), ("no", "Did not attend")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child attended"},
    )
    absence = forms.ChoiceField(
        label="If the child did not attend, was the absence acceptable?",
        choices=[
            (OrderAppointment.Attendance.ACCEPTABLE, "Acceptable absence"),
            (OrderAppointment.Attendance.UNACCEPTABLE, "Unacceptable absence"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    warning_reason = forms.CharField(
        label="Warning given for an unacceptable absence (leave blank if none)",
        widget=forms.Textarea,
        required=False,
    )
    notes = forms.CharField(label="Notes of the contact", widget=forms.Textarea, required=False)

    def __init__(self, *args, supervised: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not supervised:
            del self.fields["absence"], self.fields["warning_reason"]

    def clean(self):
        data = super().clean()
        if "absence" in self.fields and data.get("attended") is False and not data.get("absence"):
            self.add_error("absence", "Select whether the absence was acceptable or unacceptable")
        return data


class RearrangeForm(VersionedForm):
    date = DateField(label="New date")
    start_time = _time_field("Start time", "For example, 14:30")
    end_time = _time_field("End time", "For example, 15:30")
    reason = forms.CharField(label="Why it is rearranged", widget=forms.Textarea, required=False)


class CancelForm(VersionedForm):
    reason = forms.CharField(
        label="Why it is cancelled",
        widget=forms.Textarea,
        error_messages={"required": "Enter why the appointment is cancelled"},
    )


class ContactFrequencyForm(RecordForm):
    class Meta:
        model = models.ContactFrequency
        fields = ["contacts", "per", "start_date", "planned_end_date", "order"]
        widgets = {"per": forms.RadioSelect}
        error_messages = {"per": {"required": "Select a week or a month"}}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        child = child or self.instance.child
        self.fields["order"].queryset = _orders(child)
        self.fields["order"].empty_label = "Not for one order"


class TaskForm(GovukModelForm):
    class Meta:
        model = models.Task
        fields = ["title", "kind", "due_date", "owner", "child"]
        error_messages = {"title": {"required": "Enter what the task is"}}

    def __init__(self, *args, user=None, owners=None, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].initial = user.pk
        self.fields["child"].queryset = children
        self.fields["child"].empty_label = "Not about one child"
