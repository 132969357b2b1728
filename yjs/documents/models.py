"""Documents on a child's record: files uploaded (orders, reports, consent forms) and letters
generated from a service's Word templates.

An `Attachment` is a casework record (voidable, versioned, with its own page and history).
Voiding keeps the file, for the audit; erasing the child deletes it from storage
(`signals.py`). `LetterTemplate` is a service's own Word template for one kind of letter,
replacing the default one (`template_builder.py`), as `governance.PlanTemplate` does for the
plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs.casework.models import CaseRecord, Child
from yjs.organisation.models import Service

from .storage import get_storage, private_name


class LetterKindCode(models.TextChoices):
    """Every kind of letter the platform can write. A kind is offered only once something has
    registered what it is written from (`letters.register_kind`)."""

    APPOINTMENT = "APPOINTMENT", "Appointment letter"
    WARNING = "WARNING", "Warning letter"
    VICTIM_CONTACT = "VICTIM_CONTACT", "Victim contact letter"
    PANEL_INVITATION = "PANEL_INVITATION", "Panel invitation"
    PSR_DRAFT = "PSR_DRAFT", "Pre-sentence report draft"


class Attachment(CaseRecord):
    class Kind(models.TextChoices):
        COURT_ORDER = "COURT_ORDER", "Court order"
        REPORT = "REPORT", "Report"
        PSR = "PSR", "Pre-sentence report"
        CONSENT_FORM = "CONSENT_FORM", "Consent form"
        LETTER = "LETTER", "Letter"
        ASSESSMENT = "ASSESSMENT", "Assessment"
        OTHER = "OTHER", "Other"

    class Source(models.TextChoices):
        UPLOADED = "UPLOADED", "Uploaded"
        GENERATED = "GENERATED", "Written from a letter template"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("Kind of document", max_length=16, choices=Kind.choices)
    document_date = models.DateField("Date of the document")
    description = models.CharField("Description", max_length=300)
    original_name = models.CharField("File name", max_length=120)
    file = models.FileField(storage=get_storage, upload_to=private_name, max_length=120)
    size = models.PositiveIntegerField("Size in bytes")
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Added by",
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOADED)
    letter_kind = models.CharField(
        "Kind of letter", max_length=20, choices=LetterKindCode.choices, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-document_date", "-id"]
        verbose_name = "document"

    def __str__(self):
        return f"{self.get_kind_display()} ({self.document_date:%-d %b %Y})"


class LetterTemplate(models.Model):
    """A service's own Word template (docxtpl) for one kind of letter."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="letter_templates")
    kind = models.CharField(max_length=20, choices=LetterKindCode.choices)
    name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "kind"], name="letter_template_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} template: {self.name}"
