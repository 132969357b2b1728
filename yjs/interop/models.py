"""What an import brought in: each source row's identifier, kept so a re-import is idempotent."""

from __future__ import annotations

from django.db import models

from yjs.organisation.models import Service


class SourceRecord(models.Model):
    """One row of another system's data, imported (`yjs.interop.importer`): the source's own
    identifier for it, the record it became, and a hash of the values last imported, so the
    same row imported again changes nothing and a changed row updates the record."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    system = models.CharField(max_length=60, help_text="The source system (the mapping's name)")
    table = models.CharField(max_length=40, help_text="Canonical table (docs/dataset.md)")
    source_id = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField(help_text="The record's id in its casework table")
    row_hash = models.CharField(max_length=40)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "system", "table", "source_id"], name="source_record_unique"
            )
        ]

    def __str__(self):
        return f"{self.system} {self.table} {self.source_id}"
