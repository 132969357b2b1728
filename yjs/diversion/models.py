"""The joint decision-making (JDM) / out-of-court disposal panel: the youth justice service and
the police decide together what happens after a child's offence (GLOSSARY.md, "OOCD").

A panel may be booked ahead (its date in the future); the police decision comes later and, unless
it is a charge, records the casework Outcome for the offences considered (`services`).
"""

from __future__ import annotations

from django.db import models

from yjs import codes
from yjs.casework.models import CaseRecord, Child, Offence, Outcome, Referral

# What the police may decide at the panel: an outcome code of `yjs.codes`, or a charge (the child
# goes to court: the court's outcome is recorded there, later).
CHARGE = "CHARGE"
DECISION_CODES = (
    "COMMUNITY_RESOLUTION",
    "OUTCOME_22",
    "OUTCOME_22_DEFERRED",
    "OUTCOME_23",
    "OUTCOME_20_21",
    "YOUTH_CAUTION",
    "YOUTH_CONDITIONAL_CAUTION",
    "NO_FURTHER_ACTION",
)
DECISION_CHOICES = [(c, codes.OUTCOME_BY_CODE[c].label) for c in DECISION_CODES] + [
    (CHARGE, "Charge (the child goes to court)")
]


class OutOfCourtPanel(CaseRecord):
    # The panel may be booked ahead: its date may be in the future until a decision is made.
    PLANNED_DATES = ("panel_date",)

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="oocd_panels")
    referral = models.ForeignKey(
        Referral,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="oocd_panels",
        verbose_name="The referral the panel is about",
    )
    offences = models.ManyToManyField(Offence, related_name="oocd_panels")
    panel_date = models.DateField("Date of the panel")
    child_views = models.TextField("The child's views", blank=True)
    family_views = models.TextField("The family's views", blank=True)
    assessment_summary = models.TextField("The service's assessment", blank=True)
    recommendation = models.CharField(
        "The service's recommendation", max_length=30, blank=True, choices=DECISION_CHOICES
    )
    police_decision = models.CharField(
        "The police decision", max_length=30, blank=True, choices=DECISION_CHOICES
    )
    decided_on = models.DateField("Date of the police decision", null=True, blank=True)
    decision_reason = models.TextField("Reasons for the decision", blank=True)
    # The outcome the decision recorded (none for a charge, or before the decision).
    outcome = models.ForeignKey(
        Outcome,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="oocd_panels",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-panel_date", "-id"]
        verbose_name = "out-of-court panel"

    def __str__(self):
        return f"Out-of-court panel ({self.panel_date:%-d %b %Y})"

    @property
    def decided(self) -> bool:
        return bool(self.police_decision)


class PanelAttendee(models.Model):
    """Who attended the panel, for which agency."""

    class Agency(models.TextChoices):
        YJS = "YJS", "Youth justice service"
        POLICE = "POLICE", "Police"
        SOCIAL_CARE = "SOCIAL_CARE", "Children's social care"
        EDUCATION = "EDUCATION", "Education"
        HEALTH = "HEALTH", "Health"
        OTHER = "OTHER", "Other"

    panel = models.ForeignKey(OutOfCourtPanel, on_delete=models.CASCADE, related_name="attendees")
    agency = models.CharField(max_length=12, choices=Agency.choices)
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_agency_display()}: {self.name} ({self.role})"
