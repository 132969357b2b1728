"""Forms of the order's supervision: casework `RecordForm`s, so the rules of `services` are
shown on their fields with the GOV.UK error summary in one round."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm
from yjs.organisation.models import User

from . import models


def _orders(child, instance):
    """The child's youth rehabilitation orders and referral orders (never a variation)."""
    child = child or instance.child
    return child.outcomes.filter(code__in=models.SUPERVISED_ORDERS, varies__isnull=True)


class _OrderForm(RecordForm):
    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["order"].queryset = _orders(child, self.instance)
        self.fields["order"].empty_label = "Choose the order"
        self.fields["order"].error_messages["required"] = "Select the order"


class RequirementForm(_OrderForm):
    class Meta:
        model = models.Requirement
        fields = [
            "order",
            "kind",
            "start_date",
            "planned_end_date",
            "curfew_hours",
            "unit",
            "ordered",
            "completed",
            "details",
        ]
        error_messages = {"kind": {"required": "Select the requirement"}}
        # Declared here, not swapped in after the form is built, so it gets the GOV.UK radio
        # styling (yjs.forms) like every other radio: swapped in later, the inputs had no class.
        widgets = {"unit": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed"].required = False

    def clean_completed(self):
        return self.cleaned_data.get("completed") or 0


class AppointmentForm(_OrderForm):
    """An appointment; for an unacceptable absence, the warning given for it may be recorded
    with it (both saved in one transaction: `services.record_appointment`)."""

    warning_given = forms.BooleanField(
        label="A warning was given for this unacceptable absence", required=False
    )
    warning_reason = forms.CharField(
        label="Reason for the warning", widget=forms.Textarea, required=False
    )

    class Meta:
        model = models.Appointment
        fields = ["order", "requirement", "appointment_date", "kind", "attendance", "notes"]
        widgets = {"attendance": forms.RadioSelect}
        error_messages = {
            "attendance": {"required": "Select whether the child kept the appointment"},
            "kind": {"required": "Select the kind of appointment"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        child = self.child or self.instance.child
        self.fields["requirement"].queryset = child.requirements.all()
        self.fields["requirement"].empty_label = "Not for one requirement"
        if not self.instance._state.adding:  # a warning given later is recorded on its own
            del self.fields["warning_given"], self.fields["warning_reason"]

    def clean(self):
        data = super().clean()
        if data.get("warning_given"):
            if data.get("attendance") != models.Appointment.Attendance.UNACCEPTABLE:
                self.add_error(
                    "warning_given", "A warning is only given for an unacceptable absence"
                )
            if not (data.get("warning_reason") or "").strip():
                self.add_error("warning_reason", "Enter the reason for the warning")
        return data

    def warning(self, actor) -> models.Warning | None:
        if not self.cleaned_data.get("warning_given"):
            return None
        return models.Warning(
            warned_on=self.cleaned_data["appointment_date"],
            reason=self.cleaned_data["warning_reason"].strip(),
            given_by=actor,
        )


class WarningForm(_OrderForm):
    class Meta:
        model = models.Warning
        fields = ["order", "appointment", "warned_on", "reason", "given_by"]
        error_messages = {"given_by": {"required": "Select who gave the warning"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        child = self.child or self.instance.child
        self.fields["appointment"].queryset = child.appointments.filter(
            attendance=models.Appointment.Attendance.UNACCEPTABLE
        )
        self.fields["appointment"].empty_label = "Choose the missed appointment"
        self.fields["given_by"].queryset = User.objects.filter(
            service=child.service, is_active=True
        )


class BreachForm(_OrderForm):
    class Meta:
        model = models.Breach
        fields = ["order", "breach_date", "proceedings", "reason", "result", "result_date"]
        widgets = {"proceedings": forms.RadioSelect}
        error_messages = {
            "proceedings": {"required": "Select where the breach was taken"},
            "reason": {"required": "Enter what the child failed to do"},
        }
