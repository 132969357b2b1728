"""Quality assurance (issue 14): case audits and themed audits of children's cases, the
National Standards self-assessment by sub-standard, HMIP inspection recommendations and serious
incident notifications (community safeguarding and public protection incidents, CSPPI).

Models hold data and invariants; rules and commands are in `services`, reads in `selectors`.
Actions arising from any of them are rows of the plan's action plan (governance `Action`):
`QualityAction` only links one to what it came from, so the action plan is never duplicated and
its RAG status is the one status everyone tracks.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from yjs.casework.models import Child
from yjs.governance.models import STANDARD_RATINGS, Action, Plan
from yjs.organisation.models import Service
from yjs.versioning import Versioned

from .standards import SUB_STANDARD_CHOICES

# The four-level rating (HMIP and the YJB self-assessment): best first.
RATINGS = STANDARD_RATINGS
RATING_ORDER = [code for code, _ in RATINGS]
RATING_LABELS = dict(RATINGS)
# The areas of a case audit, in the order of the case's life (HMIP's case domains).
AUDIT_AREAS = [
    ("assessment", "Assessment"),
    ("planning", "Planning"),
    ("delivery", "Delivery (implementation)"),
    ("review", "Review"),
    ("overall", "Overall"),
]


def _rating(label: str) -> models.CharField:
    return models.CharField(label, max_length=22, choices=RATINGS)


class ThemedAudit(Versioned):
    """An audit of one theme (breach, PSR, out-of-court, remand) over a sample of the children
    whose cases had that event in the period; the sample is drawn with a recorded seed, so
    anyone can draw it again and get the same children."""

    class Theme(models.TextChoices):
        PSR = "PSR", "Pre-sentence reports"
        OOCD = "OOCD", "Out-of-court disposals"
        BREACH = "BREACH", "Breach"
        REMAND = "REMAND", "Remand"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="themed_audits")
    theme = models.CharField(max_length=10, choices=Theme.choices)
    title = models.CharField(max_length=160, blank=True)
    period_start = models.DateField("Start of the period")
    period_end = models.DateField("End of the period")
    sample_size = models.PositiveSmallIntegerField(
        "Number of children to sample", help_text="For example 10"
    )
    seed = models.PositiveIntegerField(
        editable=False, help_text="The random seed the sample was drawn with"
    )
    eligible_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]

    def __str__(self):
        return self.title or f"{self.get_theme_display()} audit"


class SampledCase(models.Model):
    """One child drawn into a themed audit's sample, in the order drawn."""

    themed_audit = models.ForeignKey(ThemedAudit, on_delete=models.CASCADE, related_name="sample")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["themed_audit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["themed_audit", "child"], name="sample_unique_child")
        ]


class CaseAudit(Versioned):
    """A manager's audit of one child's case, rated on the four-level scale in each area."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="case_audits")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="case_audits")
    themed_audit = models.ForeignKey(
        ThemedAudit, null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    audited_on = models.DateField("Date of the audit")
    assessment = _rating("Assessment")
    planning = _rating("Planning")
    delivery = _rating("Delivery (implementation)")
    review = _rating("Review")
    overall = _rating("Overall")
    works_well = models.TextField("What works well")
    to_improve = models.TextField("Areas for improvement", blank=True)

    class Meta:
        ordering = ["-audited_on", "-id"]

    def __str__(self):
        return f"Case audit of {self.audited_on:%-d %b %Y}"


class SubStandardRating(Versioned):
    """The self-assessment of one sub-standard (strategic or operational part of a National
    Standard) in one plan, beside governance's overall rating of the standard."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sub_standard_ratings")
    code = models.CharField("Sub-standard", max_length=6, choices=SUB_STANDARD_CHOICES)
    rating = _rating("Rating")
    evidence = models.TextField(help_text="What the rating rests on: audits, data, feedback")
    assessed_on = models.DateField("Date assessed")

    class Meta:
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="sub_standard_unique_per_plan")
        ]

    def __str__(self):
        return f"{self.code}: {self.get_rating_display()}"


class Recommendation(Versioned):
    """A recommendation of an HMIP inspection, tracked to completion with its evidence."""

    class Status(models.TextChoices):
        NOT_STARTED = "NOT_STARTED", "Not started"
        IN_PROGRESS = "IN_PROGRESS", "In progress"
        COMPLETED = "COMPLETED", "Completed"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="recommendations")
    inspection = models.CharField(
        max_length=160, help_text="For example: HMIP inspection of youth justice services"
    )
    inspection_date = models.DateField("Date of the inspection report")
    number = models.PositiveSmallIntegerField("Recommendation number")
    text = models.TextField("Recommendation")
    owner = models.CharField(max_length=160, help_text="Role or name of who leads on it")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField("Evidence of progress or completion", blank=True)
    completed_on = models.DateField("Date completed", null=True, blank=True)

    class Meta:
        ordering = ["service", "-inspection_date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "inspection_date", "number"],
                name="recommendation_unique_number",
            )
        ]

    def __str__(self):
        return f"Recommendation {self.number} ({self.inspection_date:%B %Y})"


class SeriousIncident(Versioned):
    """A community safeguarding and public protection incident (CSPPI) notified to the YJB,
    with its review and learning. Sensitive: managers only."""

    class Kind(models.TextChoices):
        DEATH = "DEATH", "Death of a child (safeguarding)"
        SELF_HARM = "SELF_HARM", "Attempted suicide or serious self-harm (safeguarding)"
        SERIOUS_HARM = "SERIOUS_HARM", "Serious injury, abuse or exploitation (safeguarding)"
        SERIOUS_OFFENCE = (
            "SERIOUS_OFFENCE",
            "Child charged with a serious offence, e.g. murder, rape (public protection)",
        )
        OTHER = "OTHER", "Other serious incident"

    class Status(models.TextChoices):
        NOTIFIED = "NOTIFIED", "Notified, review not started"
        UNDER_REVIEW = "UNDER_REVIEW", "Under review"
        CLOSED = "CLOSED", "Review complete, learning shared"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="incidents")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="serious_incidents")
    kind = models.CharField("Type of incident", max_length=16, choices=Kind.choices)
    incident_date = models.DateField("Date of the incident")
    known_at = models.DateTimeField(
        "When the service knew of it", help_text="Date and time, e.g. 2025-06-03 14:30"
    )
    notified_at = models.DateTimeField(
        "When it was notified to the YJB",
        null=True,
        blank=True,
        help_text="Date and time, e.g. 2025-06-04 09:00; leave blank until notified",
    )
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.NOTIFIED)
    review_date = models.DateField("Date of the review", null=True, blank=True)
    findings = models.TextField("Findings of the review", blank=True)
    learning = models.TextField("Learning and how it is shared", blank=True)

    class Meta:
        ordering = ["-incident_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.incident_date:%-d %b %Y})"


class QualityAction(models.Model):
    """Links a row of the plan's action plan to the audit, sub-standard or recommendation it
    came from (exactly one of them)."""

    action = models.OneToOneField(Action, on_delete=models.CASCADE, related_name="quality_source")
    case_audit = models.ForeignKey(
        CaseAudit, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    sub_standard = models.ForeignKey(
        SubStandardRating, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.CASCADE, related_name="actions"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case_audit__isnull=False, sub_standard=None, recommendation=None)
                    | models.Q(case_audit=None, sub_standard__isnull=False, recommendation=None)
                    | models.Q(case_audit=None, sub_standard=None, recommendation__isnull=False)
                ),
                name="quality_action_one_source",
            )
        ]


NOTIFY_WITHIN = datetime.timedelta(hours=24)
