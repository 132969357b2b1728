from __future__ import annotations

from django import forms

from yjs.forms import DateField, GovukForm

from .models import AuditEvent


class AuditFilter(GovukForm):
    child_reference = forms.CharField(label="Child reference", required=False, max_length=20)
    username = forms.CharField(label="Username", required=False, max_length=150)
    date_from = DateField(label="From", required=False)
    date_to = DateField(label="To", required=False)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any")] + list(AuditEvent.Action.choices)
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return data

    def filters(self) -> dict:
        """The filters to apply: none if the form has errors (they are shown instead)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}
