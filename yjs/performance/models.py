"""Published comparator figures shown beside local KPI values (the only performance model).

KPI results themselves are never stored as models: they are computed from a snapshot.
"""

from django.db import models


class ComparatorFigure(models.Model):
    """One published figure: national, regional, family-group or YJS-average value of a KPI.

    Imported for one service (its rank and quartile are that service's own); figures without
    a service (imported when the installation had none) are shown to every service.
    """

    class Comparator(models.TextChoices):
        NATIONAL = "NATIONAL", "England and Wales"
        REGION = "REGION", "Region"
        FAMILY_GROUP = "FAMILY_GROUP", "YJS family group"
        YJS_AVERAGE = "YJS_AVERAGE", "YJS average"

    service = models.ForeignKey(
        "organisation.Service",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comparator_figures",
    )
    kpi = models.CharField(max_length=40)
    measure = models.CharField(max_length=60)
    period = models.CharField(max_length=12, help_text="Quarter label, e.g. 2024-25 Q1")
    comparator = models.CharField(max_length=20, choices=Comparator.choices)
    value = models.DecimalField(max_digits=12, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True, help_text="This YJS's rank")
    quartile = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "kpi", "measure", "period", "comparator"],
                                    name="one_comparator_figure_per_service_kpi_period"),
        ]
        ordering = ["period", "kpi", "measure", "comparator"]

    def __str__(self) -> str:
        return f"{self.kpi}.{self.measure} {self.period} {self.comparator}: {self.value}"
