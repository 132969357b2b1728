"""Programmes and groups (issue 14): a service's catalogue of group programmes (seed 000's
Which Way, REACH, Turnaround), their cohorts (one run of a programme), the sessions of a
cohort, and each enrolled child's attendance and 0-10 self-scores.

A child's place on a cohort (`Enrolment`) is a casework record of the child: voidable,
versioned, with casework's record page (change, void, history). The catalogue, cohorts and
sessions are `Versioned` too, so two people editing one never overwrite each other. Rules are in
`services`, reads in `selectors`, offending before/during/after in `offending`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from yjs.casework.models import CaseRecord, Child
from yjs.organisation.models import Service
from yjs.versioning import Versioned

SCORE = [MinValueValidator(0), MaxValueValidator(10)]


def score_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=True, validators=SCORE)


class Programme(Versioned):
    """A programme of the service's catalogue, with its completion rule: a child completes a
    cohort by attending at least `sessions_to_complete` of its `sessions` sessions."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(max_length=120)
    description = models.TextField("What the programme is for", blank=True)
    sessions = models.PositiveSmallIntegerField(
        "Number of sessions", validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    sessions_to_complete = models.PositiveSmallIntegerField(
        "Sessions a child must attend to complete it",
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="For example 4 (of 6 sessions)",
    )
    programme_question = models.CharField(
        "Question children score themselves on, before and after the programme",
        max_length=200,
        default="How confident do you feel to make safe choices and avoid risks?",
    )
    session_question = models.CharField(
        "Question children score themselves on, at the start and end of each session",
        max_length=200,
        default="How much do you know about today's topic?",
    )
    active = models.BooleanField("Offered now", default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="programme_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def rule_text(self) -> str:
        return f"at least {self.sessions_to_complete} of {self.sessions} sessions"


class Cohort(Versioned):
    """One run of a programme: its start, its facilitators and the children enrolled."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField("Cohort name", max_length=80, help_text="For example Cohort 9")
    start_date = models.DateField("Date the cohort starts")
    end_date = models.DateField(
        "Date the cohort ends",
        null=True,
        blank=True,
        help_text="Leave blank until it ends: offending after the programme counts from here",
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="cohorts_facilitated"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique")
        ]

    def __str__(self):
        return f"{self.programme.name}: {self.name}"

    @property
    def service_id(self):
        return self.programme.service_id


class Enrolment(CaseRecord):
    """A child's place on a cohort, with their whole-programme self-scores (0-10)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_on = models.DateField("Date the child was enrolled")
    score_before = score_field("Self-score before the programme (0 to 10)")
    score_after = score_field("Self-score after the programme (0 to 10)")
    left_on = models.DateField(
        "Date the child left early", null=True, blank=True, help_text="Only if they left early"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["cohort", "child__last_name", "child__first_name", "id"]
        verbose_name = "programme enrolment"

    def __str__(self):
        return f"Enrolled on {self.cohort}"


class Session(Versioned):
    """One session of a cohort. Its register (attendance and scores) is saved under this
    record's revision, so two people taking one register never overwrite each other."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField("Session number", validators=[MinValueValidator(1)])
    date = models.DateField("Date of the session")
    topic = models.CharField(max_length=160)

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "number"], name="session_number_unique")
        ]

    def __str__(self):
        return f"Session {self.number}: {self.topic}"


class Attendance(models.Model):
    """One child's attendance at one session, with their start and end self-scores."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(default=False)
    score_start = score_field("Self-score at the start (0 to 10)")
    score_end = score_field("Self-score at the end (0 to 10)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_unique")
        ]
