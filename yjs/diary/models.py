"""The worker's diary and tasks: appointments planned with a child, the contact frequency the
child's plan sets, and the tasks a worker owns (by hand, or started by the journey's workflows).

A planned appointment is a casework record (voidable, versioned, with a page of its own); once
its outcome is recorded it points at the casework `Contact` it became (and, on a supervised
order, at the supervision `Appointment` kept or missed). Rules are in `services`, reads in
`selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs.casework.models import CaseRecord, Child, Contact, Outcome
from yjs.versioning import Versioned

CONTACT_TYPES = Contact._meta.get_field("contact_type").choices
CONTACT_MODES = Contact._meta.get_field("mode").choices


class PlannedAppointment(CaseRecord):
    """An appointment in a worker's diary with a child: planned, then recorded as attended or
    not (a contact), rearranged (a new appointment follows it) or cancelled."""

    class Status(models.TextChoices):
        PLANNED = "PLANNED", "Planned"
        ATTENDED = "ATTENDED", "Attended"
        NOT_ATTENDED = "NOT_ATTENDED", "Not attended"
        REARRANGED = "REARRANGED", "Rearranged"
        CANCELLED = "CANCELLED", "Cancelled"

    # The date is planned ahead (casework `date_problems` allows it in the future).
    PLANNED_DATES = ("date",)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="planned_appointments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="diary_appointments",
        verbose_name="Worker",
    )
    date = models.DateField("Date of the appointment")
    start_time = models.TimeField("Start time", help_text="For example, 14:30")
    end_time = models.TimeField("End time", help_text="For example, 15:30")
    place = models.CharField(
        "Place", max_length=200, help_text="For example, the youth justice office"
    )
    with_whom = models.CharField(
        "With whom", max_length=200, blank=True, help_text="For example, Jay and his mother"
    )
    kind = models.CharField("Kind of appointment", max_length=20, choices=CONTACT_TYPES)
    mode = models.CharField(
        "How it takes place", max_length=14, choices=CONTACT_MODES, default="FACE_TO_FACE"
    )
    order = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_appointments",
        verbose_name="Order it is for",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    status_reason = models.TextField("Reason", blank=True)
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_appointments",
        verbose_name="The contact it became",
    )
    supervision_appointment = models.ForeignKey(
        "supervision.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="planned_appointments",
        verbose_name="The appointment of the order it became",
    )
    rearranged_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rearranged_to",
        verbose_name="Rearranged from",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "start_time", "id"]
        verbose_name = "planned appointment"

    def __str__(self):
        return f"{self.get_kind_display()} on {self.date:%-d %b %Y} at {self.start_time:%H:%M}"

    @property
    def planned(self) -> bool:
        return self.status == self.Status.PLANNED


class ContactFrequency(CaseRecord):
    """How often the child's plan says the child is to be seen: `contacts` a week or a month,
    from a date (until a newer frequency, the end date or the case's closure)."""

    class Per(models.TextChoices):
        WEEK = "WEEK", "A week"
        MONTH = "MONTH", "A month"

    PLANNED_DATES = ("start_date",)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="contact_frequencies")
    contacts = models.PositiveSmallIntegerField("Number of times the child is seen")
    per = models.CharField("Every", max_length=5, choices=Per.choices)
    start_date = models.DateField("Date the frequency starts")
    planned_end_date = models.DateField("Date it ends (if known)", null=True, blank=True)
    order = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_frequencies",
        verbose_name="Order it is for",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "contact frequency"
        verbose_name_plural = "contact frequencies"

    def __str__(self):
        per = "week" if self.per == self.Per.WEEK else "month"
        return f"Seen {self.contacts} a {per} from {self.start_date:%-d %b %Y}"


class Task(Versioned):
    """A piece of work a worker owns, with a due date: typed by hand, or started by a workflow
    (a new order's start tasks, a pre-sentence report requested, a victim recorded)."""

    class Kind(models.TextChoices):
        PSR_DUE = "PSR_DUE", "Pre-sentence report due"
        REVIEW_ASSESSMENT = "REVIEW_ASSESSMENT", "Review the assessment"
        VICTIM_CONTACT = "VICTIM_CONTACT", "Victim contact"
        FIRST_APPOINTMENT = "FIRST_APPOINTMENT", "First appointment of the order"
        INITIAL_ASSESSMENT = "INITIAL_ASSESSMENT", "Initial assessment"
        PLAN_AGREED = "PLAN_AGREED", "Plan agreed with the child"
        PANEL_MEETING = "PANEL_MEETING", "First referral order panel"
        OTHER = "OTHER", "Other"

    class Status(models.TextChoices):
        TO_DO = "TO_DO", "To do"
        DONE = "DONE", "Done"
        CANCELLED = "CANCELLED", "Cancelled"

    class Source(models.TextChoices):
        HAND = "HAND", "Added by hand"
        WORKFLOW = "WORKFLOW", "Started by a workflow"

    PLANNED_DATES = ("due_date",)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name="Who does it",
    )
    child = models.ForeignKey(
        Child,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name="Child it is about",
    )
    title = models.CharField("Task", max_length=200)
    kind = models.CharField("Kind of task", max_length=20, choices=Kind.choices)
    due_date = models.DateField("Date it is due")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TO_DO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.HAND)
    # What started a workflow task ("outcome:12"), so the same record never starts it twice.
    origin = models.CharField(max_length=40, blank=True, editable=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        # The kind, not the title: the title is free text, and this string goes into the audit
        # trail's descriptions, which erasure does not rewrite.
        return f"Task: {self.get_kind_display()} (due {self.due_date:%-d %b %Y})"


class CalendarFeed(models.Model):
    """A worker's secret calendar address (calendar apps cannot sign in). Only the token's hash
    is kept: the address is shown once, when made; a new one revokes the old."""

    worker = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Calendar feed of {self.worker}"
