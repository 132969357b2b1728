"""The parenting work form: a casework `RecordForm`, so the rules of `services` are shown on
their fields with the GOV.UK error summary in one round."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm, case_workers

from . import models


class ParentingWorkForm(RecordForm):
    # Yes / No radios, neither ticked until the work ends (a checkbox would record "No").
    completed_successfully = forms.TypedChoiceField(
        label="Was it completed successfully?",
        widget=forms.RadioSelect,
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda v: v == "True",
        empty_value=None,
        required=False,
        help_text="Leave blank until the work ends",
    )

    class Meta:
        model = models.ParentingWork
        fields = [
            "kind",
            "programme",
            "parent_or_carer",
            "order_made_on",
            "court",
            "start_date",
            "planned_end_date",
            "worker",
            "end_date",
            "end_reason",
            "completed_successfully",
            "notes",
        ]
        widgets = {"kind": forms.RadioSelect, "end_reason": forms.RadioSelect}
        labels = {
            "order_made_on": "Date the court made the order (parenting orders only)",
            "court": "Court that made the order (parenting orders only)",
            "end_reason": "Why did it end?",
        }
        error_messages = {
            "kind": {"required": "Select the kind of parenting work"},
            "programme": {"required": "Select the programme"},
            "parent_or_carer": {"required": "Enter who receives the parenting work"},
        }

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        child = child or self.instance.child
        self.fields["worker"].queryset = case_workers(child.service)
        self.fields["end_reason"].required = False
