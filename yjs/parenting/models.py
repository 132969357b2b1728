"""Parenting work: a parenting order or contract, or voluntary parenting support, delivered to a
child's parent or carer (issue 11). It is a casework record of the child (voidable, versioned,
with a page of its own); rules are in `services`, reads in `selectors`. The `parenting` local
indicator counts it (docs/kpis.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs.casework.models import CaseRecord, Child


class ParentingWork(CaseRecord):
    """One parenting intervention with one parent or carer (or both parents together)."""

    class Kind(models.TextChoices):
        PARENTING_ORDER = "PARENTING_ORDER", "Parenting order (Crime and Disorder Act 1998 s.8)"
        PARENTING_CONTRACT = (
            "PARENTING_CONTRACT",
            "Parenting contract (Anti-social Behaviour Act 2003)",
        )
        VOLUNTARY = "VOLUNTARY", "Voluntary parenting support"

    class Programme(models.TextChoices):
        TRIPLE_P_GROUP = "TRIPLE_P_GROUP", "Triple P, group"
        TRIPLE_P_ONE_TO_ONE = "TRIPLE_P_ONE_TO_ONE", "Triple P, one-to-one"
        ONE_TO_ONE = "ONE_TO_ONE", "One-to-one parenting support"
        GROUP = "GROUP", "Other group parenting programme"
        OTHER = "OTHER", "Other"

    class EndReason(models.TextChoices):
        COMPLETED = "COMPLETED", "Completed"
        DISENGAGED = "DISENGAGED", "The parent or carer stopped taking part"
        BREACHED = "BREACHED", "Order or contract not complied with"
        DISCHARGED = "DISCHARGED", "Order discharged or varied by the court"
        MOVED = "MOVED", "The family moved away"
        OTHER = "OTHER", "Other"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="parenting_work")
    kind = models.CharField("Kind of parenting work", max_length=20, choices=Kind.choices)
    programme = models.CharField(max_length=20, choices=Programme.choices)
    parent_or_carer = models.CharField(
        "Parent or carer who receives it",
        max_length=120,
        help_text="For example: mother, father, grandmother (kinship carer)",
    )
    # A parenting order only: the court's order, which the work then carries out.
    order_made_on = models.DateField("Date the court made the order", null=True, blank=True)
    court = models.CharField("Court that made the order", max_length=120, blank=True)
    start_date = models.DateField("Date the work started")
    # A planned date (casework services.PLANNED_DATES): the end the order or plan sets.
    planned_end_date = models.DateField("Date the work is planned to end", null=True, blank=True)
    end_date = models.DateField("Date the work ended", null=True, blank=True)
    completed_successfully = models.BooleanField(
        "Completed successfully", null=True, blank=True, help_text="Left empty until it ends"
    )
    end_reason = models.CharField(
        "Why it ended", max_length=12, choices=EndReason.choices, blank=True
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parenting_work",
        verbose_name="Worker",
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = "parenting work"
        verbose_name_plural = "parenting work"

    def __str__(self):
        return f"{self.get_kind_display()} from {self.start_date:%-d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None
