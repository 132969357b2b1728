"""Forms for recording the child's journey.

Domain rules live in `services`, not here: the forms ask `services` for the problems of what
was filled in and show them with their own "Enter …" errors, so every error comes in one round
(`RecordForm`, `add_problems`); the services still refuse a record that has any.
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import FieldDoesNotExist

from yjs import codes, periods
from yjs.forms import DateField, GovukForm, GovukModelForm, yes_no_field
from yjs.organisation.models import Role, Team, User

from . import models, services


def case_workers(service):
    """Staff who can hold a caseload: practitioners and team managers of the service."""
    return User.objects.filter(service=service, role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER])


def offences_field(label: str) -> forms.ModelMultipleChoiceField:
    """Tick-boxes for the child's offences; the form narrows the queryset to its child."""
    return forms.ModelMultipleChoiceField(
        queryset=models.Offence.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=label,
    )


def add_problems(form: forms.BaseForm, problems: dict[str, str]) -> None:
    """Show the service's problems on the form: each on its field unless that field has an
    error already (the first error is the one to fix), else above the form."""
    for field, message in problems.items():
        name = field if field in form.fields else None
        if name is not None and name in form.errors:
            continue
        if name is None and message in form.non_field_errors():
            continue
        form.add_error(name, message)


class RecordForm(GovukModelForm):
    """A form about one record of a child's journey: `child=` the child it is about.

    After its own checks it asks `services.record_problems` about the answers that are valid
    (an answer with an error counts as not given), so a missing answer and a date out of order
    are shown together.
    """

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child
        if child is not None and self.instance._state.adding and _has_child(self.instance):
            self.instance.child = child

    def _post_clean(self):
        super()._post_clean()
        add_problems(self, self.problems(self.as_filled_in()))

    def problems(self, record) -> dict[str, str]:
        return services.record_problems(
            record, child=self.child, offences=self._offences(), unchanged=self._unchanged()
        )

    def as_filled_in(self):
        """A copy of the record with the valid answers, and None for an answer with an error."""
        record = copy.copy(self.instance)
        record._state = copy.copy(self.instance._state)
        record._state.fields_cache = dict(self.instance._state.fields_cache)
        for name in self.errors:
            try:
                field = record._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many:
                setattr(record, field.attname, None)
        return record

    def _offences(self):
        if "offences" not in self.fields or "offences" in self.errors:
            return None
        return list(self.cleaned_data.get("offences") or [])

    def _unchanged(self) -> set[str]:
        if self.instance._state.adding:
            return set()
        return {name for name in self.fields if name not in self.changed_data}


def _has_child(instance) -> bool:
    try:
        instance._meta.get_field("child")
    except FieldDoesNotExist:
        return False
    return True


_REFERRAL = models.Referral._meta
UNDER_TEN_HINT = (
    f"The age of criminal responsibility is {periods.YOUTH_JUSTICE_MIN_AGE}: a child aged "
    f"{periods.PREVENTION_MIN_AGE} or {periods.YOUTH_JUSTICE_MIN_AGE - 1} can only be referred "
    "for prevention work."
)
REFERRED_BY_REQUIRED = {"required": "Select who made the referral"}


class ChildReferralForm(RecordForm):
    """A new child and the referral that brings them to the service."""

    ethnicity = forms.ChoiceField(
        label="Ethnicity (as the child describes it)",
        choices=[("", "Choose")] + codes.ETHNICITY_CHOICES,
        error_messages={"required": "Select the child's ethnicity"},
    )
    received_on = DateField(label=_REFERRAL.get_field("received_on").verbose_name)
    source = forms.ChoiceField(
        label=_REFERRAL.get_field("source").verbose_name,
        choices=[("", "Choose")] + _REFERRAL.get_field("source").choices,
        error_messages=REFERRED_BY_REQUIRED,
    )
    pathway = forms.ChoiceField(
        label="Pathway",
        choices=[("", "Choose")] + _REFERRAL.get_field("pathway").choices,
        help_text=UNDER_TEN_HINT,
    )
    reason = forms.CharField(label="Reason for referral", widget=forms.Textarea)
    # Shown with the likely matches (selectors.likely_matches), never before.
    different_child = forms.BooleanField(
        label="This is a different child: record a new child", required=False
    )

    class Meta:
        model = models.Child
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "pnc_number",
            "sex",
            "gender",
            "home_local_authority",
            "residence",
            "team",
            "allocated_worker",
        ]
        labels = {"residence": "Where does the child live?"}
        widgets = {"residence": forms.RadioSelect}
        error_messages = {"residence": {"required": "Select where the child lives"}}

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(service=service)
        self.fields["allocated_worker"].queryset = case_workers(service)
        self.fields["home_local_authority"].queryset = service.local_authorities.all()

    def problems(self, child) -> dict[str, str]:
        d = self.cleaned_data
        referral = models.Referral(
            received_on=d.get("received_on"), pathway=d.get("pathway", "")
        )
        return services.new_child_problems(child, referral)

    def clean_pnc_number(self):
        return models.normalise_pnc(self.cleaned_data.get("pnc_number", ""))

    @property
    def child_fields(self):
        """The visible fields, without the answer given only when likely matches are shown."""
        return [f for f in self.visible_fields() if f.name != "different_child"]


class OffenceForm(RecordForm):
    class Meta:
        model = models.Offence
        fields = ["description", "offence_date", "arrest_date", "category", "gravity_score"]
        labels = {"description": "Description of the offence"}
        help_texts = {"gravity_score": "YJB gravity score from 1 (least serious) to 8"}


class OutcomeForm(RecordForm):
    offences = offences_field("Offences this outcome is for")

    class Meta:
        model = models.Outcome
        fields = [
            "code",
            "outcome_date",
            "first_hearing_date",
            "court",
            "length_months",
            "yro_requirements",
            "varies",
            "appeal_status",
            "residence",
        ]
        labels = {
            "code": "Outcome",
            "residence": "Where did the child live on the outcome date?",
            "varies": "Does this extend or vary an order the child already has?",
        }
        help_texts = {
            "varies": "An extension or variation is not a new outcome: it is not counted again "
            "in the KPIs. Leave as 'No' for a new sentence or decision."
        }
        widgets = {"appeal_status": forms.RadioSelect, "residence": forms.RadioSelect}
        error_messages = {
            "residence": {"required": "Select where the child lived on the outcome date"}
        }

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["offences"].queryset = child.offences.all()
        self.fields["code"].choices = [("", "Choose the outcome")] + codes.OUTCOME_CHOICES
        varies = self.fields["varies"]
        varies.queryset = child.outcomes.filter(code__in=services.VARIABLE_ORDERS)
        if self.instance.pk:
            varies.queryset = varies.queryset.exclude(pk=self.instance.pk)
        varies.empty_label = "No: a new outcome"
        self.fields["offences"].help_text = (
            "For an extension or variation, leave empty to use the offences of the order"
        )

    def _post_clean(self):
        self.instance.is_variation = bool(self.cleaned_data.get("varies"))
        super()._post_clean()


class StatusFields(GovukForm):
    """The child's accommodation and ETE at the start or end of an intervention (KPIs 1 and 2)."""

    accommodation_type = forms.ChoiceField(
        choices=[("", "Not recorded")] + codes.ACCOMMODATION_CHOICES, required=False
    )
    accommodation_suitability = forms.ChoiceField(
        label="Is the accommodation suitable?",
        choices=codes.SUITABILITY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    provision = forms.ChoiceField(
        label="Education, training or employment",
        choices=[("", "Not recorded")] + codes.ETE_PROVISION_CHOICES,
        required=False,
    )
    ete_suitability = forms.ChoiceField(
        label="Is the education, training or employment suitable?",
        choices=codes.SUITABILITY_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    hours_offered = forms.IntegerField(
        label="Hours offered each week", min_value=0, max_value=60, required=False
    )
    hours_attended = forms.IntegerField(
        label="Hours attended each week", min_value=0, max_value=60, required=False
    )

    def clean(self):
        data = super().clean()
        add_problems(self, services.status_problems(data))
        return data

    def status(self) -> dict:
        d = self.cleaned_data
        return {
            k: d.get(k)
            for k in (
                "accommodation_type",
                "accommodation_suitability",
                "provision",
                "ete_suitability",
                "hours_offered",
                "hours_attended",
            )
        }


class InterventionForm(RecordForm):
    class Meta:
        model = models.Intervention
        fields = ["kind", "outcome", "start_date", "planned_end_date", "worker", "team"]
        labels = {"kind": "Intervention", "outcome": "Legal outcome it delivers (if any)"}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["outcome"].queryset = child.outcomes.all()
        self.fields["worker"].queryset = case_workers(child.service)
        self.fields["team"].queryset = Team.objects.filter(service=child.service)


class CloseInterventionForm(GovukForm):
    end_date = DateField(label="End date")
    end_reason = forms.ChoiceField(
        label="Why did it end?",
        widget=forms.RadioSelect,
        choices=models.Intervention._meta.get_field("end_reason").choices,
        error_messages={"required": "Select why it ended"},
    )
    completed_successfully = yes_no_field(
        "Was it completed successfully?",
        error_messages={"required": "Select whether it was completed successfully"},
    )

    def __init__(self, *args, intervention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.intervention = intervention

    def clean(self):
        data = super().clean()
        if self.intervention is not None and data.get("end_date"):
            closing = copy.copy(self.intervention)
            closing.end_date = data["end_date"]
            kept = {f.attname for f in closing._meta.concrete_fields} - {"end_date"}
            add_problems(self, services.record_problems(closing, unchanged=kept))
        return data


class AssessmentForm(RecordForm):
    class Meta:
        model = models.Assessment
        fields = [
            "kind",
            "completed_on",
            "likelihood_of_reoffending",
            "risk_of_serious_harm",
            "safety_and_wellbeing",
            "needs",
            "review_due",
        ]
        labels = {"kind": "Type of assessment"}


class ContactForm(RecordForm):
    attended = yes_no_field(
        "Did the child attend?",
        error_messages={"required": "Select whether the child attended"},
    )

    class Meta:
        model = models.Contact
        fields = ["contact_date", "contact_type", "mode", "attended", "notes"]
        labels = {"mode": "Contact method"}


class VictimForm(RecordForm):
    offences = offences_field("Offences against this victim")

    class Meta:
        model = models.Victim
        fields = [
            "name",
            "victim_type",
            "consent_to_contact",
            "contacted_on",
            "view_sought",
            "rj_offered",
            "rj_engaged",
            "progress_requested",
            "progress_provided",
            "support_requested",
            "support_provided",
            "satisfaction",
        ]
        labels = {"name": "Victim's name or business name"}
        widgets = {
            f: forms.RadioSelect
            for f in (
                "victim_type",
                "consent_to_contact",
                "view_sought",
                "rj_offered",
                "rj_engaged",
                "progress_requested",
                "progress_provided",
                "support_requested",
                "support_provided",
            )
        }

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["offences"].queryset = child.offences.all()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect) and name != "victim_type":
                field.choices = [c for c in field.choices if c[0]]


class OversightForm(RecordForm):
    class Meta:
        model = models.ManagementOversight
        fields = ["recorded_on", "summary", "actions"]
        labels = {
            "summary": "Oversight and decisions",
            "actions": "Actions for the practitioner",
        }


class CloseCaseForm(GovukForm):
    closed_on = DateField(label=models.Child._meta.get_field("closed_on").verbose_name)
    closure_reason = forms.ChoiceField(
        label="Reason for closing",
        widget=forms.RadioSelect,
        choices=[c for c in models.Child._meta.get_field("closure_reason").choices if c[0]],
    )

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.child = child

    def clean(self):
        data = super().clean()
        if self.child is not None and "closed_on" not in self.errors:
            add_problems(self, services.close_case_problems(self.child, data.get("closed_on")))
        return data




class ReopenCaseForm(GovukForm):
    reopened_on = DateField(label="Date the case is reopened")
    reason = forms.CharField(label="Why is the case being reopened?", max_length=200)


class MergeChooseForm(GovukForm):
    reference = forms.CharField(
        label="YJS reference of the duplicate record",
        max_length=20,
        help_text="Its records move to this child's record, and it is marked as merged",
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class PanelForm(RecordForm):
    class Meta:
        model = models.ReferralOrderPanel
        fields = ["panel_type", "panel_date"]


class TransitionForm(RecordForm):
    class Meta:
        model = models.TransitionDecision
        fields = ["decided_on", "decision", "transferred_on", "notes"]
        widgets = {"decision": forms.RadioSelect}


class ChildPlanForm(RecordForm):
    class Meta:
        model = models.ChildPlan
        fields = ["agreed_on", "goals", "we_will", "co_produced"]
        error_messages = {
            "goals": {"required": "Enter the child's goals"},
            "we_will": {"required": "Enter what we will do together"},
        }

    co_produced = yes_no_field(
        "Was the plan written with the child?",
        error_messages={"required": "Select whether the plan was written with the child"},
    )


class RemandForm(RecordForm):
    class Meta:
        model = models.Remand
        fields = [
            "decision",
            "start_date",
            "end_date",
            "first_hearing_date",
            "establishment",
            "nightly_cost",
            "circumstances",
        ]
        labels = {"decision": "Remand or bail decision"}


class CareStatusForm(RecordForm):
    class Meta:
        model = models.CareStatus
        fields = ["status", "start_date", "end_date", "local_authority"]
        labels = {"status": "Care status"}


class CaseloadFilter(GovukForm):
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, empty_label="All teams"
    )
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="All workers"
    )
    kind = forms.ChoiceField(
        label="Open intervention",
        required=False,
        choices=[("", "Any")] + list(models.Intervention.Kind.choices),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(service=user.service)
        self.fields["worker"].queryset = case_workers(user.service)


class SendForm(RecordForm):
    class Meta:
        model = models.SendRecord
        fields = ["identified", "support", "formal_plan", "start_date", "end_date"]
        labels = {
            "identified": "Have special educational needs been identified?",
            "support": "Support in place",
            "formal_plan": "Is there a formal plan (EHCP or IDP)?",
        }
        widgets = {"identified": forms.RadioSelect, "formal_plan": forms.RadioSelect}
        error_messages = {
            "identified": {
                "required": "Select whether special educational needs have been identified"
            },
            "formal_plan": {"required": "Select whether there is a formal plan (EHCP or IDP)"},
        }


class HealthForm(RecordForm):
    """Screening and intervention for mental health or substance misuse (KPIs 4 and 5)."""

    class Meta:
        fields = [
            "need_identified_on",
            "referred_on",
            "offered_on",
            "intervention_type",
            "attended_start",
            "attended_end",
        ]
        labels = {"intervention_type": "Type of intervention"}


class MentalHealthForm(HealthForm):
    class Meta(HealthForm.Meta):
        model = models.MentalHealthRecord


class SubstanceMisuseForm(HealthForm):
    class Meta(HealthForm.Meta):
        model = models.SubstanceMisuseRecord


class ExploitationForm(RecordForm):
    class Meta:
        model = models.ExploitationConcern
        fields = ["concern", "identified_on", "nrm_referred_on", "nrm_decision", "ended_on"]
        labels = {"concern": "Type of exploitation"}
        widgets = {"concern": forms.RadioSelect}


class CustodyForm(RecordForm):
    class Meta:
        model = models.CustodyEpisode
        fields = ["outcome", "establishment", "start_date", "release_date", "licence_end_date"]
        labels = {"outcome": "Custodial sentence"}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        self.fields["outcome"].queryset = child.outcomes.filter(
            code__in=[o.code for o in codes.OUTCOMES if o.group == "CUSTODY"]
        )


class ReferralForm(RecordForm):
    class Meta:
        model = models.Referral
        fields = [
            "received_on",
            "source",
            "pathway",
            "reason",
            "decision",
            "decided_on",
            "decided_by",
            "decision_reason",
        ]
        labels = {"reason": "Reason for referral", "decision": "Decision (leave blank until made)"}
        help_texts = {"pathway": UNDER_TEN_HINT}
        error_messages = {"source": REFERRED_BY_REQUIRED}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, child=child, **kwargs)
        service = child.service if child else self.instance.child.service
        self.fields["decided_by"].queryset = User.objects.filter(service=service, is_active=True)


class AllocationForm(GovukForm):
    """Allocate or reallocate the child's team and worker, from a date."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label="Choose a team")
    worker = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="No worker yet (the team's referral queue)",
        help_text="A practitioner or team manager of the team chosen",
    )
    allocated_on = DateField(label="Date allocated", help_text="For example, 27 3 2025")
    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="For example: worker on leave, child moved to the south of the county",
    )

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(service=child.service)
        self.fields["worker"].queryset = (
            case_workers(child.service)
            .filter(is_active=True)
            .select_related("team")
            .order_by("team__name", "first_name", "last_name")
        )
        self.fields["worker"].label_from_instance = lambda u: f"{u} ({u.team or 'no team'})"
        self.fields["team"].error_messages["required"] = "Select the team the case belongs to"


class TransferForm(RecordForm):
    class Meta:
        model = models.Transfer
        fields = ["direction", "other_service", "their_reference", "transfer_date", "notes"]
        labels = {
            "direction": "Which way is the child transferring?",
            "their_reference": "Their reference for the child (optional)",
            "notes": "Notes (optional)",
        }
        help_texts = {
            "other_service": "For example, Southmoor Youth Justice Service",
            "transfer_date": "A transfer out closes the case here on this date",
        }
        widgets = {"direction": forms.RadioSelect}
class AccommodationForm(RecordForm):
    class Meta:
        model = models.AccommodationRecord
        fields = ["accommodation_type", "suitability", "start_date", "end_date"]
        labels = {"suitability": "Is the accommodation suitable?"}
        widgets = {"suitability": forms.RadioSelect}


class EteForm(RecordForm):
    class Meta:
        model = models.EteRecord
        fields = [
            "provision",
            "suitability",
            "hours_offered",
            "hours_attended",
            "start_date",
            "end_date",
        ]
        labels = {
            "provision": "Education, training or employment",
            "suitability": "Is the education, training or employment suitable?",
            "hours_offered": "Hours offered each week",
            "hours_attended": "Hours attended each week",
        }
        widgets = {"suitability": forms.RadioSelect}


class InterventionEditForm(InterventionForm):
    """Change an intervention, including how it ended once it is closed."""

    class Meta(InterventionForm.Meta):
        fields = [
            *InterventionForm.Meta.fields,
            "end_date",
            "end_reason",
            "completed_successfully",
        ]
        labels = {
            **InterventionForm.Meta.labels,
            "end_reason": "Why did it end?",
            "completed_successfully": "Was it completed successfully?",
        }


class ChildDetailsForm(GovukModelForm):
    """The child's own details (allocation and closure have their own pages)."""

    class Meta:
        model = models.Child
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "gender",
            "home_local_authority",
            "residence",
            "pnc_number",
            "previous_substantive_outcome",
            "speech_language_needs",
            "speech_language_notes",
        ]
        labels = {
            "speech_language_needs": "Speech, language and communication needs identified",
            "speech_language_notes": "Speech, language and communication notes",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_local_authority"].queryset = self.instance.service.local_authorities.all()
        self.fields["date_of_birth"].label = "Date of birth"

    def clean_pnc_number(self):
        return models.normalise_pnc(self.cleaned_data.get("pnc_number", ""))


class EthnicityForm(GovukForm):
    ethnicity = forms.ChoiceField(
        label="Ethnicity (as the child describes it)",
        choices=[("", "Choose")] + codes.ETHNICITY_CHOICES,
    )
    recorded_on = DateField(label="Date the child described it")


class VoidForm(GovukForm):
    reason = forms.CharField(
        label="Why is this record being voided?",
        help_text="For example: entered on the wrong child, or entered twice",
        widget=forms.Textarea,
        max_length=1000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why this record is being voided"
