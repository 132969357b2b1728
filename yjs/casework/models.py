"""The child's journey: the operational records a practitioner keeps.

Models hold data and invariants only; changes go through `services.py` (which audits them) and
reads through `selectors.py`. Code lists come from `yjs.codes`.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from yjs import codes
from yjs.organisation.models import LocalAuthority, Service, Team
from yjs.versioning import Versioned

YES_NO = codes.YES_NO_CHOICES

# A Police National Computer ID: year (2 or 4 digits), a slash, a serial number and a check
# letter ("12/123456A"). Checked loosely: the check letter is not recomputed.
PNC_PATTERN = re.compile(r"^(\d{2}|\d{4})/\d{1,7}[A-Z]$")


def normalise_pnc(value: str) -> str:
    """A PNC number as stored and compared: no spaces, upper case."""
    return re.sub(r"\s+", "", value or "").upper()


def validate_pnc(value: str) -> None:
    if value and not PNC_PATTERN.match(normalise_pnc(value)):
        raise ValidationError(
            "Enter a PNC number in the right format, like 12/123456A", code="invalid"
        )


class LiveRecords(models.Manager):
    """Records not voided: what the journey, forms, KPIs and snapshots see."""

    # The query of each model's live records, built once and copied for every queryset: a
    # page makes hundreds (each related manager and each prefetched record makes one), and
    # building the filter anew cost more than copying it.
    _live_queries: dict = {}

    def get_queryset(self):
        query = self._live_queries.get(self.model)
        if query is None:
            query = super().get_queryset().filter(voided_at__isnull=True).query
            self._live_queries[self.model] = query
        return self._queryset_class(
            model=self.model, query=query.chain(), using=self._db, hints=self._hints
        )


class CaseRecord(Versioned):
    """A record of the child's journey: edited under optimistic locking, never deleted by a
    user but voided ("entered in error") with a reason, so it leaves the journey, every KPI
    and every snapshot while its page and audit history stay.

    `objects` (the default manager, so also every reverse relation such as
    `child.offences`) holds live records only; `all_objects` holds voided ones too. The base
    manager stays unfiltered, so a foreign key to a voided record still resolves and deletion
    (erasure) still cascades to voided rows.
    """

    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    void_reason = models.TextField(blank=True, editable=False)

    objects = LiveRecords()
    all_objects = models.Manager()

    class Meta:
        abstract = True

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class Child(Versioned):
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="children")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="children")
    allocated_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
    )
    reference = models.CharField("YJS reference", max_length=20, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    preferred_name = models.CharField(max_length=80, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=codes.SEX_CHOICES)
    gender = models.CharField(max_length=1, choices=codes.GENDER_CHOICES, blank=True)
    home_local_authority = models.ForeignKey(
        LocalAuthority, null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    residence = models.CharField(
        max_length=10,
        choices=codes.RESIDENCE_CHOICES,
        help_text="Whether the child lives in the service's area",
    )
    pnc_number = models.CharField(
        "PNC number",
        max_length=14,
        blank=True,
        validators=[validate_pnc],
        help_text="Police National Computer ID, for example 12/123456A",
    )
    speech_language_needs = models.BooleanField(default=False)
    # From the Police National Computer: a caution, conviction or other substantive outcome the
    # service has no record of (e.g. given elsewhere). Such a child is no first-time entrant.
    previous_substantive_outcome = models.BooleanField(
        "The Police National Computer shows an earlier substantive outcome", default=False
    )
    speech_language_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField("Date the case was closed", null=True, blank=True)
    closure_reason = models.CharField(
        max_length=30,
        blank=True,
        choices=[
            ("COMPLETED", "Work completed"),
            ("TRANSFERRED_TO_PROBATION", "Transferred to probation"),
            ("MOVED_AREA", "Moved to another area"),
            ("TRANSFERRED_YJS", "Transferred to another youth justice service"),
            ("NO_FURTHER_INVOLVEMENT", "No further involvement needed"),
            ("DECEASED", "Died"),
        ],
    )
    # Set when the child's personal data is erased (`erasure.erase_child`): the row stays as a
    # stub so the audit trail that points at it keeps its integrity.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when a manager merges this duplicate record into the surviving one
    # (`services.merge_children`); hidden from reverse relations so erasure and merges of the
    # survivor never treat the duplicate stub as one of its records.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("casework:child", args=[self.pk])

    def clean(self):
        self.pnc_number = normalise_pnc(self.pnc_number)

    @property
    def display_name(self):
        return f"{self.preferred_name or self.first_name} {self.last_name}"


class CaseClosure(models.Model):
    """One closure of the child's case, kept when the case is reopened (a re-referral, or a
    reopen to record more), so the timeline shows every closure and reopening."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="closures")
    closed_on = models.DateField("Date the case was closed")
    reason = models.CharField(
        "Reason for closing",
        max_length=30,
        choices=Child._meta.get_field("closure_reason").choices,
        blank=True,
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopened_on = models.DateField("Date the case was reopened", null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reopen_reason = models.CharField("Reason for reopening", max_length=200, blank=True)

    class Meta:
        ordering = ["-closed_on", "-id"]

    def __str__(self):
        return f"Case closed {self.closed_on:%-d %b %Y}"


class ChildMerge(models.Model):
    """A duplicate record merged into the surviving one: which records moved, so the merge can
    be reversed exactly (`services.unmerge_children`)."""

    survivor = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    # {"casework.offence": {"child": [ids]}, ...}: the records moved, by model and field.
    moved = models.JSONField(default=dict, blank=True)
    # The survivor's case fields before the merge, when the merge reopened it.
    survivor_before = models.JSONField(default=dict, blank=True)
    merged_at = models.DateTimeField(auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-merged_at", "-id"]

    def __str__(self):
        return f"Merge of {self.duplicate.reference} into {self.survivor.reference}"

    @property
    def record_count(self) -> int:
        return sum(len(ids) for fields in self.moved.values() for ids in fields.values())


class ReferenceCounter(models.Model):
    """The last number given to a child's reference with this prefix ("YJ000123").

    Allocation updates this one row, which holds it until the transaction commits, so two
    referrals made at the same moment never take the same number (see services.next_reference).
    """

    prefix = models.CharField(max_length=8, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.prefix}{self.last:06d}"


class EthnicityRecord(CaseRecord):
    """Self-identified ethnicity, kept as history because children re-identify."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ethnicity_history")
    ethnicity = models.CharField(max_length=40, choices=codes.ETHNICITY_CHOICES)
    recorded_on = models.DateField("Date recorded")

    class Meta:
        ordering = ["-recorded_on", "-id"]


class DatedRecord(CaseRecord):
    """A status that holds from `start_date` until `end_date` (open when NULL)."""

    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = []


class CareStatus(DatedRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="care_statuses")
    status = models.CharField(max_length=30, choices=codes.CARE_STATUS_CHOICES)
    local_authority = models.CharField(
        max_length=120, blank=True, help_text="Responsible local authority, if not the home one"
    )

    class Meta:
        ordering = ["-start_date"]
        verbose_name_plural = "care statuses"


class SendRecord(DatedRecord):
    """Special educational needs and disabilities (England) / additional learning needs (Wales)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="send_records")
    identified = models.CharField(max_length=3, choices=YES_NO)
    formal_plan = models.CharField("Formal plan (EHCP / IDP)", max_length=3, choices=YES_NO)
    support = models.CharField(
        max_length=12,
        choices=[
            ("EHCP", "Education, health and care plan"),
            ("SEN_SUPPORT", "SEN support"),
            ("IDP", "Individual development plan (Wales)"),
            ("NONE", "None"),
        ],
    )

    class Meta:
        ordering = ["-start_date"]


class ExploitationConcern(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="exploitation_concerns")
    concern = models.CharField(
        max_length=20,
        choices=[
            ("CCE", "Child criminal exploitation"),
            ("CSE", "Child sexual exploitation"),
            ("COUNTY_LINES", "County lines"),
            ("TRAFFICKING", "Trafficking"),
        ],
    )
    identified_on = models.DateField("Date the concern was identified")
    nrm_referred_on = models.DateField("NRM referral date", null=True, blank=True)
    nrm_decision = models.CharField(
        "NRM decision",
        max_length=20,
        blank=True,
        choices=[
            ("PENDING", "Pending"),
            ("POSITIVE_REASONABLE", "Positive reasonable grounds"),
            ("POSITIVE_CONCLUSIVE", "Positive conclusive grounds"),
            ("NEGATIVE", "Negative"),
        ],
    )
    ended_on = models.DateField("Date the concern ended", null=True, blank=True)


class Referral(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="referrals")
    received_on = models.DateField("Date the referral was received")
    source = models.CharField(
        "Referred by",
        max_length=20,
        choices=[
            ("POLICE", "Police"),
            ("COURT", "Court"),
            ("SOCIAL_CARE", "Children's social care"),
            ("EDUCATION", "School or education"),
            ("EARLY_HELP", "Early Help"),
            ("HEALTH", "Health"),
            ("FAMILY", "Family or self"),
            ("OTHER", "Other"),
        ],
    )
    pathway = models.CharField(
        max_length=20,
        choices=[
            ("PREVENTION", "Prevention"),
            ("TURNAROUND", "Turnaround"),
            ("DIVERSION", "Diversion"),
            ("OOCD", "Out-of-court disposal"),
            ("COURT", "Court order"),
            ("BAIL", "Bail and remand"),
        ],
    )
    reason = models.TextField()
    decision = models.CharField(
        max_length=12,
        blank=True,
        choices=[
            ("ACCEPTED", "Accepted"),
            ("DECLINED", "Declined"),
            ("SIGNPOSTED", "Signposted to another service"),
            ("NFA", "No further action"),
        ],
    )
    decided_on = models.DateField("Date the decision was made", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Decided by",
    )
    decision_reason = models.TextField("Reason for the decision", blank=True)

    class Meta:
        ordering = ["-received_on"]


class Offence(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="offences")
    offence_date = models.DateField()
    arrest_date = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=200)
    category = models.CharField(
        "YJB offence category", max_length=40, choices=codes.OFFENCE_CATEGORIES
    )
    gravity_score = models.PositiveSmallIntegerField(
        "Seriousness (gravity) score", null=True, blank=True
    )

    class Meta:
        ordering = ["-offence_date"]

    def __str__(self):
        return f"{self.description} ({self.offence_date:%-d %b %Y})"

    @property
    def serious_violence(self) -> bool:
        return (
            self.category in codes.SERIOUS_VIOLENCE_CATEGORIES
            and (self.gravity_score or 0) >= codes.SERIOUS_VIOLENCE_MIN_GRAVITY
        )


class Outcome(CaseRecord):
    """A legal outcome of one or more offences (pre-court decision or court sentence)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="outcomes")
    offences = models.ManyToManyField(Offence, related_name="outcomes")
    code = models.CharField("Outcome", max_length=40, choices=codes.OUTCOME_CHOICES)
    outcome_date = models.DateField()
    first_hearing_date = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=120, blank=True)
    length_months = models.PositiveSmallIntegerField(
        "Length of the order in months",
        null=True,
        blank=True,
        help_text="Required for a referral order (3 to 12 months), a youth rehabilitation order "
        "(up to 36) and a detention and training order (4, 6, 8, 10, 12, 18 or 24)",
    )
    yro_requirements = models.CharField(
        "YRO requirements",
        max_length=300,
        blank=True,
        help_text="For example supervision, curfew, ISS",
    )
    appeal_status = models.CharField(max_length=20, choices=codes.APPEAL_STATUS_CHOICES)
    # An extension or variation of an existing order is not a new outcome: the KPIs never count
    # it as one (no first-time entrant, no reoffending cohort, no KPI 9 offence again).
    is_variation = models.BooleanField(
        "Is this an extension or variation of an existing order?", default=False
    )
    varies = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="variations",
        verbose_name="The order it varies or extends",
    )
    residence = models.CharField(
        "Residence at outcome", max_length=10, choices=codes.RESIDENCE_CHOICES
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-outcome_date"]

    def __str__(self):
        return f"{self.get_code_display()} ({self.outcome_date:%-d %b %Y})"

    @property
    def info(self) -> codes.OutcomeCode:
        return codes.OUTCOME_BY_CODE[self.code]

    @property
    def tier(self) -> str:
        return codes.OUTCOME_GROUP_LABELS.get(self.info.group or "", "Not countable")

    @property
    def substantive(self) -> bool:
        return self.info.substantive


class Intervention(CaseRecord):
    """A programme of work the service delivers, with its worker and team."""

    class Kind(models.TextChoices):
        PREVENTION = "PREVENTION", "Prevention"
        TURNAROUND = "TURNAROUND", "Turnaround"
        DIVERSION = "DIVERSION", "Diversion"
        OOCD = "OOCD", "Out-of-court disposal"
        REFERRAL_ORDER = "REFERRAL_ORDER", "Referral order"
        YRO = "YRO", "Youth rehabilitation order"
        CUSTODY = "CUSTODY", "Custody"
        LICENCE = "LICENCE", "Licence (notice of supervision)"
        RESETTLEMENT = "RESETTLEMENT", "Resettlement"
        BAIL_SUPPORT = "BAIL_SUPPORT", "Bail and remand support"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="interventions")
    outcome = models.ForeignKey(
        Outcome, null=True, blank=True, on_delete=models.SET_NULL, related_name="interventions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    start_date = models.DateField()
    planned_end_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interventions",
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="interventions")
    completed_successfully = models.BooleanField(null=True, blank=True)
    end_reason = models.CharField(
        max_length=30,
        blank=True,
        choices=[
            ("COMPLETED", "Completed"),
            ("REVOKED", "Revoked"),
            ("BREACHED", "Breached and resentenced"),
            ("TRANSFERRED", "Transferred"),
            ("DISENGAGED", "Child disengaged (voluntary work)"),
            ("OTHER", "Other"),
        ],
    )

    class Meta:
        ordering = ["-start_date"]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None


class ReferralOrderPanel(CaseRecord):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="panels")
    panel_type = models.CharField(
        max_length=10,
        choices=[
            ("INITIAL", "Initial panel"),
            ("REVIEW", "Review panel"),
            ("FINAL", "Final panel"),
        ],
    )
    panel_date = models.DateField()

    class Meta:
        ordering = ["panel_date"]


class Remand(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="remands")
    decision = models.CharField(max_length=60, choices=codes.REMAND_CHOICES)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    first_hearing_date = models.DateField(null=True, blank=True)
    establishment = models.CharField(
        max_length=10,
        blank=True,
        choices=[
            ("YOI", "Young offender institution"),
            ("STC", "Secure training centre"),
            ("SCH", "Secure children's home"),
            ("LA", "Local authority accommodation"),
        ],
    )
    nightly_cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    circumstances = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date"]

    @property
    def secure(self) -> bool:
        return self.decision in codes.SECURE_REMANDS

    @property
    def nights(self) -> int | None:
        return (self.end_date - self.start_date).days if self.end_date else None


class CustodyEpisode(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="custody_episodes")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="custody_episodes")
    establishment = models.CharField(
        max_length=14,
        choices=[
            ("YOI", "Young offender institution"),
            ("STC", "Secure training centre"),
            ("SCH", "Secure children's home"),
            ("SECURE_SCHOOL", "Secure school"),
        ],
    )
    start_date = models.DateField()
    release_date = models.DateField(null=True, blank=True)
    licence_end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]


class Assessment(CaseRecord):
    LEVELS = [("LOW", "Low"), ("MEDIUM", "Medium"), ("HIGH", "High"), ("VERY_HIGH", "Very high")]

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    kind = models.CharField(
        max_length=24,
        choices=[
            ("ASSETPLUS", "AssetPlus"),
            ("PREVENTION_DIVERSION", "Prevention and diversion"),
            ("SHORT_FORMAT", "Short format"),
        ],
    )
    completed_on = models.DateField("Date the assessment was completed")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    likelihood_of_reoffending = models.CharField(max_length=10, choices=LEVELS[:3])
    risk_of_serious_harm = models.CharField(
        "Risk of serious harm (ROSH)", max_length=10, choices=LEVELS
    )
    safety_and_wellbeing = models.CharField(max_length=10, choices=LEVELS)
    needs = models.TextField(
        "Needs and strengths", help_text="Needs and strengths the assessment found"
    )
    review_due = models.DateField("Date the review is due")

    class Meta:
        ordering = ["-completed_on"]


class ChildPlan(CaseRecord):
    """The plan co-produced with the child, written to the child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    agreed_on = models.DateField("Date the plan was agreed")
    goals = models.TextField(
        "Your goals", help_text="Written to the child: what you want to achieve"
    )
    we_will = models.TextField("What we will do together")
    co_produced = models.BooleanField("Was the plan written with the child?")

    class Meta:
        ordering = ["-agreed_on"]


class Contact(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contacts")
    contact_date = models.DateField()
    contact_type = models.CharField(
        max_length=20,
        choices=[
            ("SUPERVISION", "Supervision session"),
            ("HOME_VISIT", "Home visit"),
            ("INTERVENTION", "Intervention session"),
            ("REPARATION", "Reparation"),
            ("EDUCATION", "Education meeting"),
            ("HEALTH", "Health appointment"),
            ("PANEL", "Panel meeting"),
            ("OTHER", "Other"),
        ],
    )
    mode = models.CharField(
        max_length=14,
        choices=[
            ("FACE_TO_FACE", "Face to face"),
            ("VIRTUAL", "Video call"),
            ("PHONE", "Phone call"),
        ],
    )
    attended = models.BooleanField("Did the child attend?")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-contact_date"]


class ManagementOversight(CaseRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="oversight")
    recorded_on = models.DateField("Date of the oversight")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField()
    actions = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_on"]


# Status records used by the 2023 KPIs: each holds over a period, so the status at the start and
# end of any intervention can be read off them (KPIS.md §1.5).


class AccommodationRecord(DatedRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="accommodation")
    accommodation_type = models.CharField(max_length=30, choices=codes.ACCOMMODATION_CHOICES)
    suitability = models.CharField(max_length=10, choices=codes.SUITABILITY_CHOICES)

    class Meta:
        ordering = ["-start_date"]


class EteRecord(DatedRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="ete")
    provision = models.CharField("Provision", max_length=45, choices=codes.ETE_PROVISION_CHOICES)
    suitability = models.CharField(max_length=10, choices=codes.SUITABILITY_CHOICES)
    hours_offered = models.PositiveSmallIntegerField(default=0)
    hours_attended = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "ETE record"


class HealthRecord(CaseRecord):
    """Screening and intervention for one need (mental health or substance misuse)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE)
    need_identified_on = models.DateField(
        "Date the need was identified (screening date)", null=True, blank=True
    )
    referred_on = models.DateField("Date referred for support", null=True, blank=True)
    offered_on = models.DateField("Date the intervention was offered", null=True, blank=True)
    attended_start = models.DateField("Date the child started attending", null=True, blank=True)
    attended_end = models.DateField("Date the child stopped attending", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-need_identified_on"]


class MentalHealthRecord(HealthRecord):
    intervention_type = models.CharField(max_length=30, choices=codes.MENTAL_HEALTH_INTERVENTIONS)

    class Meta(HealthRecord.Meta):
        default_related_name = "mental_health"


class SubstanceMisuseRecord(HealthRecord):
    intervention_type = models.CharField(
        max_length=40, choices=codes.SUBSTANCE_MISUSE_INTERVENTIONS
    )

    class Meta(HealthRecord.Meta):
        default_related_name = "substance_misuse"


class Victim(CaseRecord):
    """A victim of offences by children the service works with (Victim Code)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="victims")
    offences = models.ManyToManyField(Offence, related_name="victims")
    victim_type = models.CharField(max_length=12, choices=codes.VICTIM_TYPES)
    name = models.CharField(max_length=120)
    consent_to_contact = models.CharField(max_length=3, choices=YES_NO, blank=True)
    contacted_on = models.DateField("Date the victim was first contacted", null=True, blank=True)
    rj_offered = models.CharField(
        "Restorative justice offered", max_length=3, choices=YES_NO, blank=True
    )
    rj_engaged = models.CharField(
        "Engaged with restorative justice", max_length=3, choices=YES_NO, blank=True
    )
    view_sought = models.CharField(
        "Views sought before the decision", max_length=3, choices=YES_NO, blank=True
    )
    progress_requested = models.CharField(max_length=3, choices=YES_NO, blank=True)
    progress_provided = models.CharField(max_length=3, choices=YES_NO, blank=True)
    support_requested = models.CharField(max_length=3, choices=YES_NO, blank=True)
    support_provided = models.CharField(max_length=3, choices=YES_NO, blank=True)
    satisfaction = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("VERY_SATISFIED", "Very satisfied"),
            ("SATISFIED", "Satisfied"),
            ("DISSATISFIED", "Dissatisfied"),
            ("VERY_DISSATISFIED", "Very dissatisfied"),
        ],
    )

    def __str__(self):
        return self.name


class TransitionDecision(CaseRecord):
    """The decision, around 17½, on moving to adult probation."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transitions")
    decided_on = models.DateField("Date the decision was made")
    decision = models.CharField(
        max_length=30,
        choices=[
            ("TRANSFER_TO_PROBATION", "Transfer to probation"),
            ("REMAIN_WITH_YJS", "Remain with the youth justice service to the end of the order"),
            ("NOT_REQUIRED", "No transition needed (order ends before 18)"),
        ],
    )
    transferred_on = models.DateField("Date of transfer to probation", null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-decided_on"]


class Allocation(models.Model):
    """Who held the child's case, and in which team, from a date: the history behind
    `Child.team` and `Child.allocated_worker`, which always hold the latest allocation.

    A row without a worker records a child waiting in the team's referral queue.
    """

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="allocations")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    allocated_on = models.DateField("Date allocated")
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-allocated_on", "-id"]

    def __str__(self):
        worker = self.worker or "no worker"
        return f"Allocated to {worker}, team {self.team} ({self.allocated_on:%-d %b %Y})"


class Transfer(CaseRecord):
    """A move of the child's supervision between youth justice services.

    In: the child came to us from another service (their reference and the date we took over).
    Out: we handed the child to another service; the case closes here on that date
    (`services.transfer_out`), and the other service counts the child from then on.
    """

    class Direction(models.TextChoices):
        IN = "IN", "Transfer in from another youth justice service"
        OUT = "OUT", "Transfer out to another youth justice service"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="transfers")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    other_service = models.CharField("The other youth justice service", max_length=120)
    their_reference = models.CharField("Their reference for the child", max_length=40, blank=True)
    transfer_date = models.DateField("Date of the transfer")
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-transfer_date", "-id"]

    def __str__(self):
        way = "from" if self.direction == self.Direction.IN else "to"
        return f"Transfer {way} {self.other_service} ({self.transfer_date:%-d %b %Y})"
