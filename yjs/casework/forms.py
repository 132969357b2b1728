"""Forms for recording the child's journey. Domain rules are checked by `services`, not here."""

from __future__ import annotations

from django import forms

from yjs import codes
from yjs.forms import DateField, GovukForm, GovukModelForm
from yjs.organisation.models import Role, Team, User

from . import models


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


class ChildReferralForm(GovukModelForm):
    """A new child and the referral that brings them to the service."""

    ethnicity = forms.ChoiceField(
        label="Ethnicity (as the child describes it)",
        choices=[("", "Choose")] + codes.ETHNICITY_CHOICES,
    )
    received_on = DateField(label="Date referral received")
    source = forms.ChoiceField(
        label="Referred by", choices=models.Referral._meta.get_field("source").choices
    )
    pathway = forms.ChoiceField(choices=models.Referral._meta.get_field("pathway").choices)
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

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(service=service)
        self.fields["allocated_worker"].queryset = case_workers(service)
        self.fields["home_local_authority"].queryset = service.local_authorities.all()
        self.fields["date_of_birth"].label = "Date of birth"

    def clean_pnc_number(self):
        return models.normalise_pnc(self.cleaned_data.get("pnc_number", ""))

    @property
    def child_fields(self):
        """The visible fields, without the answer given only when likely matches are shown."""
        return [f for f in self.visible_fields() if f.name != "different_child"]


class OffenceForm(GovukModelForm):
    class Meta:
        model = models.Offence
        fields = ["description", "offence_date", "arrest_date", "category", "gravity_score"]
        help_texts = {"gravity_score": "YJB gravity score from 1 (least serious) to 8"}


class OutcomeForm(GovukModelForm):
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
            "appeal_status",
            "residence",
        ]
        labels = {"code": "Outcome", "length_months": "Length of order (months)"}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offences"].queryset = child.offences.all()
        self.fields["code"].choices = [("", "Choose the outcome")] + codes.OUTCOME_CHOICES


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
        if data.get("accommodation_type") and not data.get("accommodation_suitability"):
            self.add_error(
                "accommodation_suitability", "Select whether the accommodation is suitable"
            )
        if data.get("provision") and not data.get("ete_suitability"):
            self.add_error(
                "ete_suitability",
                "Select whether the education, training or employment is suitable",
            )
        if (data.get("hours_attended") or 0) > (data.get("hours_offered") or 0):
            self.add_error("hours_attended", "Hours attended cannot be more than hours offered")
        if (
            data.get("accommodation_type") in codes.ALWAYS_UNSUITABLE_ACCOMMODATION
            and data.get("accommodation_suitability") == "SUITABLE"
        ):
            self.add_error(
                "accommodation_suitability",
                "Bed and breakfast, no fixed abode and unknown accommodation are never suitable",
            )
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


class InterventionForm(GovukModelForm):
    class Meta:
        model = models.Intervention
        fields = ["kind", "outcome", "start_date", "planned_end_date", "worker", "team"]
        labels = {"kind": "Intervention", "outcome": "Legal outcome it delivers (if any)"}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = child.outcomes.all()
        self.fields["worker"].queryset = case_workers(child.service)
        self.fields["team"].queryset = Team.objects.filter(service=child.service)


class CloseInterventionForm(GovukForm):
    end_date = DateField(label="End date")
    end_reason = forms.ChoiceField(
        label="Why did it end?",
        widget=forms.RadioSelect,
        choices=models.Intervention._meta.get_field("end_reason").choices,
    )
    completed_successfully = forms.TypedChoiceField(
        label="Was it completed successfully?",
        widget=forms.RadioSelect,
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda v: v == "True",
    )


class AssessmentForm(GovukModelForm):
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
        labels = {"kind": "Assessment", "review_due": "Review due by"}


class ContactForm(GovukModelForm):
    class Meta:
        model = models.Contact
        fields = ["contact_date", "contact_type", "mode", "attended", "notes"]
        labels = {"attended": "The child attended"}


class VictimForm(GovukModelForm):
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
        labels = {"name": "Victim's name or business name", "contacted_on": "Date first contacted"}
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
        super().__init__(*args, **kwargs)
        self.fields["offences"].queryset = child.offences.all()
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.RadioSelect) and name != "victim_type":
                field.choices = [c for c in field.choices if c[0]]


class OversightForm(GovukModelForm):
    class Meta:
        model = models.ManagementOversight
        fields = ["recorded_on", "summary", "actions"]
        labels = {
            "recorded_on": "Date",
            "summary": "Oversight and decisions",
            "actions": "Actions for the practitioner",
        }


class CloseCaseForm(GovukForm):
    closed_on = DateField(label="Closure date")
    closure_reason = forms.ChoiceField(
        label="Reason for closing",
        widget=forms.RadioSelect,
        choices=[c for c in models.Child._meta.get_field("closure_reason").choices if c[0]],
    )


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


class PanelForm(GovukModelForm):
    class Meta:
        model = models.ReferralOrderPanel
        fields = ["panel_type", "panel_date"]


class TransitionForm(GovukModelForm):
    class Meta:
        model = models.TransitionDecision
        fields = ["decided_on", "decision", "transferred_on", "notes"]
        widgets = {"decision": forms.RadioSelect}


class ChildPlanForm(GovukModelForm):
    class Meta:
        model = models.ChildPlan
        fields = ["agreed_on", "goals", "we_will", "co_produced"]


class RemandForm(GovukModelForm):
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


class CareStatusForm(GovukModelForm):
    class Meta:
        model = models.CareStatus
        fields = ["status", "start_date", "end_date", "local_authority"]


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


class SendForm(GovukModelForm):
    class Meta:
        model = models.SendRecord
        fields = ["identified", "support", "formal_plan", "start_date", "end_date"]
        labels = {"identified": "Special educational needs identified"}
        widgets = {"identified": forms.RadioSelect, "formal_plan": forms.RadioSelect}


class HealthForm(GovukModelForm):
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
        labels = {
            "need_identified_on": "Need identified (screening date)",
            "offered_on": "Intervention offered",
            "attended_start": "Started attending",
            "attended_end": "Stopped attending",
        }


class MentalHealthForm(HealthForm):
    class Meta(HealthForm.Meta):
        model = models.MentalHealthRecord


class SubstanceMisuseForm(HealthForm):
    class Meta(HealthForm.Meta):
        model = models.SubstanceMisuseRecord


class ExploitationForm(GovukModelForm):
    class Meta:
        model = models.ExploitationConcern
        fields = ["concern", "identified_on", "nrm_referred_on", "nrm_decision", "ended_on"]
        widgets = {"concern": forms.RadioSelect}


class CustodyForm(GovukModelForm):
    class Meta:
        model = models.CustodyEpisode
        fields = ["outcome", "establishment", "start_date", "release_date", "licence_end_date"]
        labels = {"outcome": "Custodial sentence"}

    def __init__(self, *args, child=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = child.outcomes.filter(
            code__in=[o.code for o in codes.OUTCOMES if o.group == "CUSTODY"]
        )


class ReferralForm(GovukModelForm):
    class Meta:
        model = models.Referral
        fields = ["received_on", "source", "pathway", "reason", "decision", "decided_on"]


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


class TransferForm(GovukModelForm):
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
class AccommodationForm(GovukModelForm):
    class Meta:
        model = models.AccommodationRecord
        fields = ["accommodation_type", "suitability", "start_date", "end_date"]
        labels = {"suitability": "Is the accommodation suitable?"}
        widgets = {"suitability": forms.RadioSelect}


class EteForm(GovukModelForm):
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
