"""Commands on a child's documents: upload, write a letter, download, a service's letter
templates. Each is audited here; views only call these.

A file is checked (`files.check_upload`) and the record's own rules are asked before anything is
written, so a refused upload leaves nothing in storage; a file whose record then fails to save
is deleted again.
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from yjs import periods
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.casework import services as casework
from yjs.casework.models import Child
from yjs.governance.documents import RenderError

from . import files, letters, render, template_builder
from .models import Attachment, LetterKindCode, LetterTemplate
from .storage import document_storage


def _store(actor, attachment: Attachment, data: bytes, description: str) -> Attachment:
    """Write the file, then the record (validated, audited); the file goes if the record fails."""
    child = attachment.child
    if child.closed_on:
        raise ValidationError(casework.closed_case_message(child), code="case_closed")
    problems = casework.record_problems(attachment, child=child)
    if problems:
        raise ValidationError(problems)
    attachment.size = len(data)
    attachment.sha256 = hashlib.sha256(data).hexdigest()
    attachment.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    attachment.file.save(attachment.original_name, ContentFile(data), save=False)
    stored = attachment.file.name
    try:
        with transaction.atomic():
            return casework._save(actor, attachment, description=description)
    except BaseException:
        document_storage.delete(stored)
        raise


def upload_document(
    actor,
    child: Child,
    *,
    kind: str,
    document_date: datetime.date,
    description: str,
    name: str,
    data: bytes,
) -> Attachment:
    """A file added to the child's record: refused, with the reason, unless it is a PDF, Word
    document or PNG/JPEG image under the size limit whose content matches its name."""
    file_kind = files.check_upload(name, data)
    attachment = Attachment(
        child=child,
        kind=kind,
        document_date=document_date,
        description=description,
        original_name=files.safe_name(name),
        content_type=file_kind.content_type,
        source=Attachment.Source.UPLOADED,
    )
    return _store(actor, attachment, data, f"Uploaded {attachment}")


# --------------------------------------------------------------------------- letters


def template_bytes(service, code: str) -> bytes:
    """The service's own template of this kind of letter, or the default one."""
    own = LetterTemplate.objects.filter(service=service, kind=code).first()
    return bytes(own.content) if own else template_builder.letter_template(code)


def sample_context(code: str) -> dict:
    kind = letters.KINDS.get(code)
    sample = kind.sample if kind is not None else letters.SAMPLES[code]
    return {**letters.SAMPLE_BASE, **sample}


@transaction.atomic
def set_letter_template(service, code: str, name: str, content: bytes, actor) -> LetterTemplate:
    """A service's own template for one kind of letter. A template is code: it is stored only if
    it is a sound .docx that fills the kind's sample data in the sandbox using the documented
    fields and nothing else; an unknown field is refused by name."""
    if code not in LetterKindCode.values:
        raise ValidationError({"file": "Select a kind of letter"})
    name = files.safe_name(name)
    try:
        render.render_letter(
            content, sample_context(code), title="Sample", when=datetime.datetime(2000, 1, 1)
        )
    except RenderError as exc:
        raise ValidationError({"file": f"{name} was not accepted. {exc}"}) from exc
    digest = hashlib.sha256(content).hexdigest()
    before = LetterTemplate.objects.filter(service=service, kind=code).first()
    template, created = LetterTemplate.objects.update_or_create(
        service=service,
        kind=code,
        defaults={"name": name, "content": content, "sha256": digest, "uploaded_by": actor},
    )
    audit.record(
        actor,
        AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
        template,
        description=f"Uploaded the {LetterKindCode(code).label.lower()} template {name} "
        f"(SHA-256 {digest})",
        changes={
            "name": [before.name if before else None, name],
            "sha256": [before.sha256 if before else None, digest],
        },
    )
    return template


@transaction.atomic
def use_default_template(service, code: str, actor) -> None:
    """Back to the default template of this kind."""
    own = LetterTemplate.objects.filter(service=service, kind=code).first()
    if own is None:
        return
    audit.record(
        actor,
        AuditEvent.Action.DELETE,
        own,
        description=f"The {own.get_kind_display().lower()} uses the default template again",
    )
    own.delete()


def write_letter(
    actor, child: Child, code: str, record, recipient: dict, today: datetime.date | None = None
) -> Attachment:
    """The letter filled from the record and saved to the child's record as a Word document."""
    kind = letters.KINDS.get(code)
    if kind is None:
        raise ValidationError({"kind": "Select a kind of letter"})
    if not recipient.get("may_contact", True):
        raise ValidationError(
            {"recipient": f"{recipient['name']} must not be contacted: choose someone else"}
        )
    today = today or casework.today()
    context = letters.letter_context(kind, child, record, recipient, actor, today)
    try:
        data = render.render_letter(
            template_bytes(child.service, code),
            context,
            title=kind.label,
            when=datetime.datetime.combine(today, datetime.time()),
        )
    except RenderError as exc:
        raise ValidationError(f"The letter could not be written. {exc}") from exc
    to = recipient["name"] or recipient["relationship"]
    attachment = Attachment(
        child=child,
        kind=kind.attachment_kind,
        document_date=today,
        description=f"{kind.label} to {to}"[:300],
        original_name=files.safe_name(f"{kind.label} {child.reference} {today:%Y-%m-%d}.docx"),
        content_type=files.DOCX,
        source=Attachment.Source.GENERATED,
        letter_kind=code,
    )
    return _store(
        actor, attachment, data, f"Wrote a {kind.label.lower()} ({periods.long_date(today)})"
    )


# --------------------------------------------------------------------------- download


def open_for_download(actor, attachment: Attachment):
    """The stored file, opened; the download is audited (who took which document of whom)."""
    handle = document_storage.open(attachment.file.name, "rb")
    audit.record(
        actor,
        AuditEvent.Action.EXPORT,
        attachment,
        child=attachment.child,
        description=f"Downloaded {attachment} (document {attachment.pk})",
    )
    return handle


def delete_file(name: str) -> None:
    """Remove a stored file (erasure): once the deletion of its record has committed."""
    if name:
        transaction.on_commit(lambda: document_storage.delete(name))
