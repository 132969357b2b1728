"""Supervising an order: its requirements, the appointments the child keeps or misses, the
warnings given for unacceptable absences and breach proceedings.

Every record names the order it belongs to (a casework `Outcome`: a youth rehabilitation order or
a referral order, never a variation of one) and the child, and is a casework record (voidable,
versioned, with a page of its own). Rules are in `services`, reads in `selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs.casework.models import CaseRecord, Child, Outcome

# The orders whose supervision is recorded here (codes of `yjs.codes.OUTCOMES`).
YRO = "YRO"
REFERRAL_ORDER = "REFERRAL_ORDER"
SUPERVISED_ORDERS = (YRO, REFERRAL_ORDER)


class Requirement(CaseRecord):
    """One requirement of a youth rehabilitation order (Sentencing Act 2020, Schedule 6) or one
    element of a referral order's youth offender contract (Sentencing Act 2020, s. 97)."""

    class Kind(models.TextChoices):
        # Youth rehabilitation order requirements, Sentencing Act 2020 Schedule 6
        ACTIVITY = "ACTIVITY", "Activity requirement"
        SUPERVISION = "SUPERVISION", "Supervision requirement"
        UNPAID_WORK = "UNPAID_WORK", "Unpaid work requirement (aged 16 or 17 only)"
        PROGRAMME = "PROGRAMME", "Programme requirement"
        ATTENDANCE_CENTRE = "ATTENDANCE_CENTRE", "Attendance centre requirement"
        PROHIBITED_ACTIVITY = "PROHIBITED_ACTIVITY", "Prohibited activity requirement"
        CURFEW = "CURFEW", "Curfew requirement"
        EXCLUSION = "EXCLUSION", "Exclusion requirement"
        RESIDENCE = "RESIDENCE", "Residence requirement"
        LA_RESIDENCE = "LA_RESIDENCE", "Local authority residence requirement"
        FOSTERING = "FOSTERING", "Fostering requirement"
        MENTAL_HEALTH = "MENTAL_HEALTH", "Mental health treatment requirement"
        DRUG_TREATMENT = "DRUG_TREATMENT", "Drug treatment requirement"
        DRUG_TESTING = "DRUG_TESTING", "Drug testing requirement"
        INTOXICATING_SUBSTANCE = "INTOXICATING_SUBSTANCE", "Intoxicating substance treatment"
        EDUCATION = "EDUCATION", "Education requirement"
        ELECTRONIC_MONITORING = "ELECTRONIC_MONITORING", "Electronic monitoring requirement"
        ISS = "ISS", "Intensive supervision and surveillance (ISS)"
        # Elements of a referral order's youth offender contract
        REPARATION = "REPARATION", "Reparation (to the victim or the community)"
        RESTORATIVE_MEETING = "RESTORATIVE_MEETING", "Restorative meeting with the victim"
        CONTRACT_ACTIVITY = "CONTRACT_ACTIVITY", "Activities or programme in the contract"
        CONTRACT_EDUCATION = "CONTRACT_EDUCATION", "School, training or work in the contract"
        CONTRACT_HOME = "CONTRACT_HOME", "Being at home at set times in the contract"
        CONTRACT_RESTRICTION = "CONTRACT_RESTRICTION", "Keeping away from places or people"
        CONTRACT_REPORTING = "CONTRACT_REPORTING", "Reporting to the youth justice service"

    class Unit(models.TextChoices):
        HOURS = "HOURS", "Hours"
        DAYS = "DAYS", "Days"
        SESSIONS = "SESSIONS", "Sessions"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="requirements")
    order = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="requirements", verbose_name="Order"
    )
    kind = models.CharField("Requirement", max_length=24, choices=Kind.choices)
    start_date = models.DateField("Date the requirement starts")
    # A planned date (casework services.PLANNED_DATES): the end the court set, often ahead.
    planned_end_date = models.DateField("Date the requirement ends")
    curfew_hours = models.PositiveSmallIntegerField(
        "Curfew hours a day", null=True, blank=True, help_text="For a curfew: 2 to 20 hours a day"
    )
    unit = models.CharField(
        "Hours, days or sessions", max_length=8, choices=Unit.choices, blank=True
    )
    ordered = models.PositiveSmallIntegerField(
        "Number ordered", null=True, blank=True, help_text="Hours, days or sessions ordered"
    )
    completed = models.PositiveSmallIntegerField(
        "Number completed", default=0, help_text="Hours, days or sessions completed so far"
    )
    details = models.TextField(blank=True)

    class Meta:
        ordering = ["start_date", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%-d %b %Y}"


class Appointment(CaseRecord):
    """An appointment of the order: kept, or missed with an acceptable or unacceptable absence."""

    class Attendance(models.TextChoices):
        KEPT = "KEPT", "Kept"
        ACCEPTABLE = "ACCEPTABLE", "Missed: acceptable absence"
        UNACCEPTABLE = "UNACCEPTABLE", "Missed: unacceptable absence"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="appointments")
    order = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="appointments", verbose_name="Order"
    )
    requirement = models.ForeignKey(
        Requirement,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name="Requirement it was for",
    )
    appointment_date = models.DateField("Date of the appointment")
    kind = models.CharField(
        "Kind of appointment",
        max_length=20,
        choices=[
            ("SUPERVISION", "Supervision session"),
            ("UNPAID_WORK", "Unpaid work or reparation session"),
            ("PROGRAMME", "Programme or activity session"),
            ("ATTENDANCE_CENTRE", "Attendance centre"),
            ("PANEL", "Referral order panel meeting"),
            ("TREATMENT", "Treatment or testing"),
            ("HOME_VISIT", "Home visit"),
            ("OTHER", "Other"),
        ],
    )
    attendance = models.CharField(
        "Did the child keep the appointment?", max_length=12, choices=Attendance.choices
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-appointment_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.appointment_date:%-d %b %Y})"


class Warning(CaseRecord):
    """A warning for an unacceptable failure to comply (an unacceptable absence)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="order_warnings")
    order = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="order_warnings", verbose_name="Order"
    )
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warnings",
        verbose_name="The missed appointment it is for",
    )
    warned_on = models.DateField("Date the warning was given")
    reason = models.TextField("Reason for the warning")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Given by",
    )

    class Meta:
        ordering = ["-warned_on", "-id"]
        verbose_name = "order warning"

    def __str__(self):
        return f"Warning ({self.warned_on:%-d %b %Y})"


class Breach(CaseRecord):
    """Breach proceedings: the order taken back to court (or a referral order back to the
    panel), and what came of it. No result yet: the breach is pending."""

    class Proceedings(models.TextChoices):
        COURT = "COURT", "Taken back to court"
        PANEL = "PANEL", "Referred back to the youth offender panel"

    class Result(models.TextChoices):
        CONTINUED = "CONTINUED", "Order continued"
        VARIED = "VARIED", "Order varied or requirements added"
        EXTENDED = "EXTENDED", "Order extended"
        FINE = "FINE", "Fine, order continued"
        REVOKED_RESENTENCED = "REVOKED_RESENTENCED", "Order revoked and the child resentenced"
        REVOKED = "REVOKED", "Order revoked"
        NOT_PROVEN = "NOT_PROVEN", "Breach not proven or withdrawn"
        PANEL_CONTINUED = "PANEL_CONTINUED", "Panel continued the contract"
        PANEL_TO_COURT = "PANEL_TO_COURT", "Panel referred the child back to court"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="breaches")
    order = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="breaches", verbose_name="Order"
    )
    breach_date = models.DateField("Date breach proceedings began")
    proceedings = models.CharField(max_length=8, choices=Proceedings.choices)
    reason = models.TextField("What the child failed to do")
    result = models.CharField(
        "Result (leave blank until known)", max_length=20, choices=Result.choices, blank=True
    )
    result_date = models.DateField("Date of the result", null=True, blank=True)

    class Meta:
        ordering = ["-breach_date", "-id"]
        verbose_name_plural = "breaches"

    def __str__(self):
        return f"Breach ({self.breach_date:%-d %b %Y})"

    @property
    def pending(self) -> bool:
        return not self.result
