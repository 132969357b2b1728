"""Court work: the hearings of a child's case and the pre-sentence reports the court asks for.

Both are casework records (voidable, versioned, with a record page through casework's
RECORD_TYPES). Changes go through `services.py`; a hearing's bail or remand decision is kept as
one of the child's remand records (`casework.Remand`) too, so the remand figures count it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs import codes
from yjs.casework.models import CaseRecord, Child, Offence, Outcome, Remand

# The sentences a court can give (and a report can propose): the court tiers of the outcome list.
COURT_GROUPS = ("FIRST_TIER", "COMMUNITY", "CUSTODY")
COURT_OUTCOME_CHOICES = [(o.code, o.label) for o in codes.OUTCOMES if o.group in COURT_GROUPS]


class Hearing(CaseRecord):
    class Type(models.TextChoices):
        FIRST_APPEARANCE = "FIRST_APPEARANCE", "First appearance"
        ADJOURNMENT = "ADJOURNMENT", "Adjournment"
        PLEA = "PLEA", "Plea"
        TRIAL = "TRIAL", "Trial"
        SENTENCE = "SENTENCE", "Sentence"
        BREACH = "BREACH", "Breach"
        REVIEW = "REVIEW", "Review"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="hearings")
    offences = models.ManyToManyField(Offence, related_name="hearings")
    court = models.CharField("Court", max_length=120)
    hearing_date = models.DateField("Date of the hearing")
    hearing_type = models.CharField("Type of hearing", max_length=20, choices=Type.choices)
    result = models.TextField("Result", blank=True)
    next_hearing_date = models.DateField("Date of the next hearing", null=True, blank=True)
    bail_decision = models.CharField(
        "Bail or remand decision", max_length=60, choices=codes.REMAND_CHOICES, blank=True
    )
    # The remand record the decision was kept as (services.record_hearing).
    remand = models.OneToOneField(
        Remand,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="hearing",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-hearing_date", "-id"]

    def __str__(self):
        kind = self.get_hearing_type_display()
        return f"{kind} hearing at {self.court} ({self.hearing_date:%-d %b %Y})"


class PreSentenceReport(CaseRecord):
    """A report the court asked for before sentencing: due, gatekept by a manager, submitted.
    `outcome` is the sentence the court then gave; it is concordant when it is the proposal."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="pre_sentence_reports")
    requested_at = models.ForeignKey(
        Hearing,
        on_delete=models.PROTECT,
        related_name="reports_requested",
        verbose_name="The hearing that asked for the report",
    )
    requested_on = models.DateField("Date the report was requested")
    due_on = models.DateField("Date the report is due")
    proposal = models.CharField(
        "Sentence proposed", max_length=40, choices=COURT_OUTCOME_CHOICES, blank=True
    )
    gatekept_on = models.DateField("Date the report was gatekept", null=True, blank=True)
    gatekept_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Gatekept by",
    )
    submitted_on = models.DateField("Date the report was submitted", null=True, blank=True)
    outcome = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pre_sentence_reports",
        verbose_name="Sentence given",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = "pre-sentence report"

    def __str__(self):
        return f"Pre-sentence report due {self.due_on:%-d %b %Y}"

    @property
    def sentence(self) -> Outcome | None:
        return self.outcome if self.outcome_id and not self.outcome.voided else None

    @property
    def concordant(self) -> bool | None:
        """Whether the sentence given is the one proposed; None until both are known."""
        if not self.proposal or self.sentence is None:
            return None
        return self.sentence.code == self.proposal

    @property
    def concordance(self) -> str:
        if self.concordant is None:
            return "Not known yet" if self.proposal else "No proposal recorded"
        return (
            "Yes: the sentence matched the proposal"
            if self.concordant
            else ("No: the sentence differed from the proposal")
        )

    @property
    def gatekeeping(self) -> str:
        if not self.gatekept_on:
            return "Not gatekept"
        who = self.gatekept_by.get_full_name() if self.gatekept_by_id else ""
        return f"Gatekept {self.gatekept_on:%-d %b %Y}" + (f" by {who}" if who else "")
