"""Governance: the management board, the Youth Justice Plan, its data blocks and its exports.

Models hold data and invariants only. Changes go through `services.py`, reads through
`selectors.py`; documents are rendered in `documents.py`. The plan's section structure (YJB
2023) lives in `structure.py`, not in the database, so every plan numbers itself the same way.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from yjs import codes
from yjs.organisation.models import Service
from yjs.periods import FinancialYear, add_working_days
from yjs.versioning import Versioned

PAPERS_DUE_DAYS_BEFORE = 7
MINUTES_DUE_WORKING_DAYS = 10

# --------------------------------------------------------------------------- code lists

BOARD_ROLES = [("CHAIR", "Chair"), ("DEPUTY_CHAIR", "Deputy chair"), ("MEMBER", "Member")]

# Rows of table B5 (PLAN.md). Welsh Government only for Welsh services.
B5_AGENCIES = [
    ("YJB", "Youth Justice Board"),
    ("LOCAL_AUTHORITY", "Local Authority"),
    ("POLICE", "Police"),
    ("PCC", "Police and Crime Commissioner"),
    ("PROBATION", "Probation"),
    ("HEALTH", "Health"),
    ("WELSH_GOVERNMENT", "Welsh Government"),
    ("OTHER", "Other"),
]

# Columns of table B8 (PLAN.md), each split male / female.
B8_ROLES = [
    ("MANAGER_STRATEGIC", "Managers strategic"),
    ("MANAGER_OPERATIONAL", "Managers operational"),
    ("PRACTITIONER", "Practitioners"),
    ("ADMINISTRATIVE", "Administrative"),
    ("SESSIONAL", "Sessional"),
    ("STUDENT", "Student"),
    ("REFERRAL_ORDER_PANEL_VOLUNTEER", "Referral order panel volunteer"),
    ("OTHER_VOLUNTEER", "Other volunteer"),
]
B8_SEXES = [("MALE", "Male"), ("FEMALE", "Female")]
# Rows of B8: the YJB reporting groups, in the table's order.
B8_ETHNICITY_GROUPS = [
    ("ASIAN", "Asian"),
    ("BLACK", "Black"),
    ("MIXED", "Mixed"),
    ("WHITE", "White"),
    ("OTHER", "Any other ethnic group"),
    ("NOT_KNOWN", "Not known"),
]

RAG_STATUSES = [
    ("COMPLETED", "Completed"),
    ("ON_TRACK", "On track"),
    ("NOT_STARTED", "Not started"),
    ("OFF_TRACK", "Off track"),
]
ACTION_SOURCES = [
    ("HMIP", "HMIP recommendation"),
    ("NATIONAL_STANDARD", "National Standard"),
    ("BOARD", "Management board"),
    ("YJB", "Youth Justice Board"),
    ("SERVICE", "Service self-assessment"),
    ("OTHER", "Other"),
]
RISK_KINDS = [("CHALLENGE", "Challenge"), ("RISK", "Risk"), ("ISSUE", "Issue")]
BAND_RAGS = [("GREEN", "Green"), ("AMBER", "Amber"), ("RED", "Red")]

# The ten priority areas the YJB asks every plan to address (PLAN.md section 10).
PRIORITY_AREAS = [
    ("OVER_REPRESENTED", "Children from groups which are over-represented"),
    ("PREVENTION", "Prevention"),
    ("DIVERSION", "Diversion"),
    ("EDUCATION", "Education"),
    ("RESTORATIVE", "Restorative approaches and victims"),
    ("SERIOUS_VIOLENCE", "Serious violence and exploitation"),
    ("POLICE_CUSTODY", "Detention in police custody"),
    ("REMANDS", "Remands"),
    ("CUSTODY", "Use of custody"),
    ("RESETTLEMENT", "Constructive resettlement"),
]

NATIONAL_STANDARDS = [
    ("NS1", "Out of court disposals"),
    ("NS2", "At court"),
    ("NS3", "In the community (court disposals)"),
    ("NS4", "In secure settings"),
    ("NS5", "On transition and resettlement"),
]
STANDARD_RATINGS = [
    ("OUTSTANDING", "Outstanding"),
    ("GOOD", "Good"),
    ("REQUIRES_IMPROVEMENT", "Requires improvement"),
    ("INADEQUATE", "Inadequate"),
]

APPROVAL_BODIES = [
    ("BOARD", "Management board"),
    ("SCRUTINY", "Scrutiny committee"),
    ("CABINET", "Cabinet"),
    ("YJB", "Submitted to the Youth Justice Board"),
]
APPROVAL_ORDER = [code for code, _ in APPROVAL_BODIES]

MONEY = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0")}


# --------------------------------------------------------------------------- the board


class BoardMember(Versioned):
    """A member of the YJS management board, and the partner sector they represent."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="board_members")
    name = models.CharField(max_length=120)
    position = models.CharField(
        max_length=160, help_text="Job title, e.g. Director of Children's Services"
    )
    organisation = models.CharField(max_length=160)
    sector = models.CharField(
        "Statutory sector represented", max_length=30, choices=codes.BOARD_SECTORS
    )
    board_role = models.CharField(max_length=14, choices=BOARD_ROLES, default="MEMBER")
    named_deputy = models.CharField(
        max_length=160, blank=True, help_text="Who attends when the member cannot"
    )
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["board_role", "sector", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return (self.joined_on is None or self.joined_on <= on) and (
            self.left_on is None or self.left_on >= on
        )


class BoardMeeting(Versioned):
    """A management board meeting: papers a week before, minutes within ten working days."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="board_meetings")
    meeting_date = models.DateField()
    minutes_published_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-meeting_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "meeting_date"], name="board_meeting_unique_date"
            )
        ]

    def __str__(self):
        return f"Board meeting {self.meeting_date:%d %B %Y}"

    @property
    def papers_due(self) -> datetime.date:
        return self.meeting_date - datetime.timedelta(days=PAPERS_DUE_DAYS_BEFORE)

    @property
    def minutes_due(self) -> datetime.date:
        return add_working_days(self.meeting_date, MINUTES_DUE_WORKING_DAYS)


class BoardAttendance(models.Model):
    """The most senior attendance of one partner sector at one meeting (feeds KPI 7).

    One row per meeting and sector, as the canonical dataset's ``board_attendance`` table.
    """

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendance")
    sector = models.CharField(max_length=30, choices=codes.BOARD_SECTORS)
    attendance = models.CharField(max_length=10, choices=codes.ATTENDANCE_LEVELS)
    member = models.ForeignKey(
        BoardMember,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendance",
        help_text="The board member who attended (empty when a delegate came)",
    )
    attended_by = models.CharField(
        max_length=160, blank=True, help_text="Name and role of a delegate, if one attended"
    )
    new_partner = models.BooleanField(default=False)
    disproportionality_data = models.BooleanField(
        "Contributed disproportionality data",
        default=False,
        help_text="The partner contributed data identifying racial and ethnic disproportionality",
    )

    class Meta:
        ordering = ["meeting", "sector"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "sector"], name="board_attendance_unique_sector"
            )
        ]


# --------------------------------------------------------------------------- the plan


class Plan(models.Model):
    """A Youth Justice Plan covering one to three financial years, updated each year."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200, default="Youth Justice Plan")
    start_year = models.PositiveSmallIntegerField(
        help_text="The financial year the plan starts in (2024 means 2024-25)"
    )
    years = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    service_lead = models.CharField("Service manager / lead", max_length=160, blank=True)
    board_chair = models.CharField("Chair of the board", max_length=160, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_plans",
        help_text="The plan this one follows (for progress on the previous plan)",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service", "-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(years__gte=1, years__lte=3), name="plan_years_1_3")
        ]

    def __str__(self):
        return f"{self.title} {self.period_label}"

    @property
    def first_year(self) -> FinancialYear:
        return FinancialYear(self.start_year)

    @property
    def last_year(self) -> FinancialYear:
        return FinancialYear(self.start_year + self.years - 1)

    @property
    def start(self) -> datetime.date:
        return self.first_year.start

    @property
    def end(self) -> datetime.date:
        return self.last_year.end

    @property
    def period_label(self) -> str:
        if self.years == 1:
            return self.first_year.label
        return f"{self.first_year.start_year}-{self.last_year.start_year + 1}"


class PlanVersion(Versioned):
    """One edition of a plan: the original or an annual update, draft until approved."""

    class Status(models.TextChoices):
        DRAFT = "DRAFT", "Draft"
        APPROVED = "APPROVED", "Approved"
        SUPERSEDED = "SUPERSEDED", "Superseded"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(default=1)
    year = models.PositiveSmallIntegerField(
        help_text="The financial year this edition reports on and updates (2024 means 2024-25)"
    )
    kpi_quarter = models.CharField(
        "Latest KPI quarter",
        max_length=12,
        blank=True,
        help_text="The quarter whose KPI results the plan quotes, e.g. 2024-25 Q4",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    signed_off_by = models.CharField("Signed off by (name)", max_length=160, blank=True)
    signed_off_role = models.CharField(max_length=160, blank=True, default="Chair of the board")
    signed_off_on = models.DateField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Frozen on approval so an approved plan's export is reproducible.
    frozen_context = models.JSONField(null=True, blank=True, editable=False)
    snapshot_ref = models.CharField(max_length=300, blank=True, editable=False)
    # The Word template it was approved with (the service's own or the default of the day):
    # a later upload or release changes no approved plan's document.
    template = models.BinaryField(null=True, blank=True, editable=False)
    template_sha256 = models.CharField(
        "Template SHA-256", max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")
        ]

    def __str__(self):
        return f"{self.plan} version {self.number} ({self.get_status_display().lower()})"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year)


class ApprovalStep(models.Model):
    """One step of the approval chain: board → scrutiny → cabinet (→ YJB submission)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="approvals")
    body = models.CharField(max_length=10, choices=APPROVAL_BODIES)
    decided_on = models.DateField()
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "body"], name="approval_unique_body")
        ]


class PlanSection(Versioned):
    """The narrative (Markdown) an author writes for one section of one plan version."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=40, help_text="The section's key in structure.SECTIONS")
    narrative = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="plan_section_unique_key")
        ]


class Priority(Versioned):
    """A priority of the plan, usually one of the YJB's ten areas."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    area = models.CharField(max_length=20, choices=PRIORITY_AREAS, blank=True)
    title = models.CharField(max_length=200)
    narrative = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name_plural = "priorities"

    def __str__(self):
        return self.title


class Action(Versioned):
    """A row of the service development / action plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=20)
    outcome = models.CharField("Outcome needed / area of focus", max_length=300)
    action = models.TextField()
    impact = models.TextField(blank=True)
    lead_owners = models.CharField(
        "Lead owner(s)", max_length=300, help_text="Roles or names; separate several with ';'"
    )
    due_date = models.DateField("By when (date)", null=True, blank=True)
    recurrence = models.CharField(
        "By when (recurring)",
        max_length=120,
        blank=True,
        help_text="For example: quarterly until March 2025",
    )
    measure = models.TextField("How we will know", blank=True)
    progress = models.TextField(blank=True)
    rag = models.CharField("RAG", max_length=12, choices=RAG_STATUSES, default="NOT_STARTED")
    source = models.CharField(max_length=20, choices=ACTION_SOURCES, default="SERVICE")
    source_detail = models.CharField(
        max_length=200, blank=True, help_text="For example: HMIP recommendation 3, NS2"
    )
    priority_area = models.CharField(max_length=20, choices=PRIORITY_AREAS, blank=True)

    class Meta:
        ordering = ["plan", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ref"], name="action_unique_ref"),
            models.CheckConstraint(
                condition=~Q(due_date__isnull=True, recurrence=""), name="action_has_by_when"
            ),
        ]

    def __str__(self):
        return f"{self.ref}: {self.action[:60]}"

    @property
    def by_when(self) -> str:
        if self.due_date and self.recurrence:
            return f"{self.recurrence} (to {self.due_date:%d %B %Y})"
        if self.due_date:
            return f"{self.due_date:%d %B %Y}"
        return self.recurrence


class Risk(Versioned):
    """A challenge, risk or issue with its mitigations; score = likelihood × impact (1–25)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=10, choices=RISK_KINDS, default="RISK")
    description = models.TextField()
    likelihood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 rare – 5 almost certain",
    )
    impact = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 minor – 5 severe"
    )
    mitigations = models.TextField("Controls and mitigations", blank=True)
    owner = models.CharField(max_length=160)
    review_date = models.DateField()

    class Meta:
        ordering = ["plan", "-likelihood", "-impact", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_1_5",
            )
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class TargetBand(Versioned):
    """A local target band for one KPI measure: value in [lower, upper) → this RAG.

    Lower bound inclusive, upper bound exclusive, so adjacent bands meet without overlap;
    an empty bound is open-ended. Consistency checks report overlaps and gaps.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="target_bands")
    kpi = models.CharField(max_length=40)
    measure = models.CharField(max_length=60)
    rag = models.CharField("RAG", max_length=6, choices=BAND_RAGS)
    lower = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["plan", "kpi", "measure", "lower"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lower__isnull=True)
                | Q(upper__isnull=True)
                | Q(lower__lt=models.F("upper")),
                name="target_band_lower_below_upper",
            )
        ]

    def contains(self, value) -> bool:
        v = Decimal(str(value))
        return (self.lower is None or v >= self.lower) and (self.upper is None or v < self.upper)


class StandardsAssessment(Versioned):
    """The service's self-assessment against one National Standard."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="standards")
    standard = models.CharField(max_length=3, choices=NATIONAL_STANDARDS)
    rating = models.CharField(max_length=22, choices=STANDARD_RATINGS)
    assessed_on = models.DateField()
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "standard"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "standard"], name="standard_unique_per_plan")
        ]


# --------------------------------------------------------------------------- resources


class BudgetLine(Versioned):
    """One agency's row of table B5 for one financial year. Totals are computed, never stored."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(help_text="Financial year start (2024 means 2024-25)")
    agency = models.CharField(max_length=20, choices=B5_AGENCIES)
    staffing_costs = models.DecimalField(**MONEY)
    payments_in_kind = models.DecimalField(**MONEY)
    other_delegated_funds = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["service", "year", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "agency"], name="budget_line_unique_agency"
            )
        ]

    @property
    def total(self) -> Decimal:
        return self.staffing_costs + self.payments_in_kind + self.other_delegated_funds


class FundingStream(Versioned):
    """An additional, time-limited grant listed under table B5 (e.g. Turnaround)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding_streams")
    year = models.PositiveSmallIntegerField(help_text="Financial year start (2024 means 2024-25)")
    name = models.CharField(max_length=160)
    funder = models.CharField(max_length=160)
    amount = models.DecimalField(**MONEY)
    end_date = models.DateField(null=True, blank=True)
    purpose = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["service", "year", "name"]


class FinancePosition(Versioned):
    """The pooled budget position reported to the board for one quarter."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="finance_positions")
    quarter = models.CharField(max_length=12, help_text="For example 2024-25 Q1")
    budget = models.DecimalField(**MONEY)
    spend_to_date = models.DecimalField(**MONEY)
    forecast_outturn = models.DecimalField(**MONEY)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["service", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["service", "quarter"], name="finance_unique_quarter")
        ]

    @property
    def variance(self) -> Decimal:
        """Forecast over (+) or under (−) budget."""
        return self.forecast_outturn - self.budget


class StaffRecord(Versioned):
    """One person working in the service, as table B8 counts them (no names needed).

    ``fte_posts`` is the full-time-equivalent share of a post (written so to avoid the clash
    with FTE = first time entrant).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="staff_records")
    role_category = models.CharField(max_length=32, choices=B8_ROLES)
    sex = models.CharField(max_length=6, choices=B8_SEXES)
    ethnicity_group = models.CharField(max_length=10, choices=B8_ETHNICITY_GROUPS)
    fte_posts = models.DecimalField(
        "Posts (full-time equivalent)", max_digits=4, decimal_places=2, default=Decimal("1.00")
    )
    welsh_speaker = models.BooleanField(default=False)
    job_title = models.CharField(max_length=160, blank=True)
    seconded_from = models.CharField(max_length=160, blank=True)
    started_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["service", "role_category", "job_title", "id"]


# --------------------------------------------------------------------------- exports


class PlanExport(models.Model):
    """A rendered plan document: which data it used and the hash of the file produced."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=4, choices=[("docx", "Word"), ("pdf", "PDF")])
    sha256 = models.CharField(max_length=64)
    snapshot_ref = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]


class PlanTemplate(models.Model):
    """A service's own branded Word template (docxtpl), replacing the default one."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="plan_template")
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(
        "SHA-256", max_length=64, blank=True, help_text="Of the uploaded file, as audited"
    )
    uploaded_at = models.DateTimeField(auto_now=True)
