"""Workforce, volunteers and resources (issue 14): the service's own records about its people
and its money, next to governance's `StaffRecord` (which still feeds table B8).

- Training: a catalogue of courses (mandatory or not, renewed every so many months) and who
  attended when; the expiry is computed by `services`, never typed.
- Staff supervision (a manager's supervision of a worker – not the supervision of a child's order,
  which is `yjs.supervision`), with the date the next one is due.
- Vacancies: a post, its full-time-equivalent share and since when it is empty.
- Volunteers (referral order panel members and others), their vetting (DBS) and hours, and the
  referral order panel rota: a panel meeting for a child on a referral order with two volunteer
  panel members. Out-of-court panels are `yjs.diversion`'s, not these.
- Resources: the nightly cost of a remand by service, financial year and kind of placement (used
  when a remand record carries no cost of its own), and reparation projects and their sessions.

Rules are in `services`, reads in `selectors`. Every record is `Versioned` (optimistic locking).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from yjs.casework.models import Intervention
from yjs.governance.models import B8_ROLES
from yjs.organisation.models import Service
from yjs.versioning import Versioned


class Course(Versioned):
    """A training course of the service's catalogue."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField("Course name", max_length=160)
    mandatory = models.BooleanField("Mandatory for every member of staff", default=False)
    renewal_months = models.PositiveSmallIntegerField(
        "Renew every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Leave blank if the course never needs renewing",
    )
    for_volunteers = models.BooleanField("Also for volunteers", default=False)
    retired = models.BooleanField("No longer offered", default=False)

    class Meta:
        ordering = ["-mandatory", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="course_unique_name")
        ]

    def __str__(self):
        return self.name


class TrainingAttendance(Versioned):
    """One person (a member of staff with an account, or a volunteer) attended a course."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training",
        verbose_name="Member of staff",
    )
    volunteer = models.ForeignKey(
        "Volunteer", null=True, blank=True, on_delete=models.CASCADE, related_name="training"
    )
    attended_on = models.DateField("Date attended")
    # Computed by services.training_expiry from the course's renewal period; None = never.
    expires_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-attended_on", "-id"]

    def __str__(self):
        return f"{self.course} ({self.attended_on:%-d %b %Y})"


class StaffSupervision(Versioned):
    """A supervision session of a member of staff with their supervisor."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="supervisions_received",
        verbose_name="Member of staff",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervisions_given",
        verbose_name="Supervisor",
    )
    held_on = models.DateField("Date of the supervision")
    next_due = models.DateField("Date the next supervision is due")

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = "staff supervision"

    def __str__(self):
        return f"Supervision on {self.held_on:%-d %b %Y}"


class Vacancy(Versioned):
    """An empty post: what it is, its share of a full-time post and since when it is empty."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="vacancies")
    post = models.CharField("Post", max_length=160)
    role_category = models.CharField(
        "Kind of post (as in table B8)", max_length=32, choices=B8_ROLES
    )
    fte_posts = models.DecimalField(
        "Posts (full-time equivalent)",
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    vacant_since = models.DateField("Vacant since")
    filled_on = models.DateField("Date filled", null=True, blank=True)

    class Meta:
        ordering = ["filled_on", "vacant_since", "id"]
        verbose_name_plural = "vacancies"

    def __str__(self):
        return self.post


class Volunteer(Versioned):
    """A volunteer of the service. A referral order panel member sits on referral order panels
    (Sentencing Act 2020, s. 91), which need their vetting to be in date."""

    class Role(models.TextChoices):
        PANEL_MEMBER = "PANEL_MEMBER", "Referral order panel member"
        MENTOR = "MENTOR", "Mentor"
        APPROPRIATE_ADULT = "APPROPRIATE_ADULT", "Appropriate adult"
        REPARATION = "REPARATION", "Reparation supervisor"
        OTHER = "OTHER", "Other"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="volunteers")
    name = models.CharField(max_length=160)
    role = models.CharField(max_length=20, choices=Role.choices)
    started_on = models.DateField("Date started volunteering")
    left_on = models.DateField("Date stopped volunteering", null=True, blank=True)
    vetted_on = models.DateField("Date of the DBS check")
    vetting_expires_on = models.DateField(
        "Date the DBS check must be renewed",
        null=True,
        blank=True,
        help_text="Leave blank for the service's usual 3 years",
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def vetted_for(self, day) -> bool:
        """In date on ``day``: checked on or before it and not past the renewal date."""
        return (
            self.vetted_on <= day
            and self.vetting_expires_on is not None
            and day <= self.vetting_expires_on
        )


class VolunteerHours(Versioned):
    """Hours a volunteer gave on one day."""

    class Activity(models.TextChoices):
        PANEL = "PANEL", "Referral order panel"
        MENTORING = "MENTORING", "Mentoring"
        APPROPRIATE_ADULT = "APPROPRIATE_ADULT", "Appropriate adult"
        REPARATION = "REPARATION", "Reparation"
        TRAINING = "TRAINING", "Training"
        OTHER = "OTHER", "Other"

    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="hours")
    given_on = models.DateField("Date")
    hours = models.DecimalField(
        max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    activity = models.CharField(max_length=20, choices=Activity.choices)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name_plural = "volunteer hours"


class PanelMeeting(Versioned):
    """A referral order panel meeting on the rota: one child's referral order, a date and time,
    and two volunteer panel members (with a YJS panel adviser, who is staff)."""

    class Kind(models.TextChoices):
        INITIAL = "INITIAL", "Initial panel"
        REVIEW = "REVIEW", "Review panel"
        FINAL = "FINAL", "Final panel"
        BREACH = "BREACH", "Breach panel"

    class Status(models.TextChoices):
        BOOKED = "BOOKED", "Booked"
        HELD = "HELD", "Held"
        CANCELLED = "CANCELLED", "Cancelled"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="ro_panels")
    # Goes with the order: erasing a child's records (casework.erasure) removes their panels.
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="rota_panels",
        verbose_name="Referral order",
    )
    kind = models.CharField("Kind of panel", max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField("Starts at")
    minutes = models.PositiveSmallIntegerField(
        "Length (minutes)", default=90, validators=[MinValueValidator(15)]
    )
    venue = models.CharField(max_length=160, blank=True)
    member_one = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="+", verbose_name="First panel member"
    )
    member_two = models.ForeignKey(
        Volunteer, on_delete=models.PROTECT, related_name="+", verbose_name="Second panel member"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = "referral order panel meeting"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.starts_at:%-d %b %Y %H:%M}"

    @property
    def child(self):
        return self.intervention.child


class RemandNightlyCost(Versioned):
    """What one night of remand costs the service in a financial year, by kind of placement.

    Used for a remand whose record carries no nightly cost of its own. `source` cites where the
    figure comes from (the YJB's annual remand grant letter, the local authority's contract).
    """

    class Placement(models.TextChoices):
        YOI = "YOI", "Young offender institution (YDA)"
        STC = "STC", "Secure training centre (YDA)"
        SCH = "SCH", "Secure children's home (YDA)"
        LA = "LA", "Local authority accommodation (RILA)"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="remand_costs")
    year = models.PositiveSmallIntegerField(
        "Financial year (the year it starts)", help_text="For example 2024 for 2024-25"
    )
    placement = models.CharField(max_length=4, choices=Placement.choices)
    nightly_cost = models.DecimalField(
        "Cost of one night (£)",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    source = models.CharField("Source of the figure", max_length=300)

    class Meta:
        ordering = ["-year", "placement"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "placement"], name="remand_cost_unique_year"
            )
        ]


class ReparationProject(Versioned):
    """A place or piece of work where children make amends (community or victim reparation)."""

    class Kind(models.TextChoices):
        COMMUNITY = "COMMUNITY", "Community reparation"
        VICTIM = "VICTIM", "Reparation to a victim (direct or indirect)"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reparation")
    name = models.CharField(max_length=160)
    partner = models.CharField("Partner or beneficiary", max_length=160, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_on = models.DateField("Date the project started")
    ended_on = models.DateField("Date the project ended", null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class ReparationSession(Versioned):
    """One session of a project: how many children took part and the hours they gave in all."""

    project = models.ForeignKey(
        ReparationProject, on_delete=models.PROTECT, related_name="sessions"
    )
    held_on = models.DateField("Date of the session")
    children = models.PositiveSmallIntegerField(
        "Number of children", validators=[MinValueValidator(1)]
    )
    hours = models.DecimalField(
        "Hours delivered (all the children together)",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
    )

    class Meta:
        ordering = ["-held_on", "-id"]
