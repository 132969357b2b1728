"""Reads of a child's documents, for the record page's section and the record pages' links."""

from __future__ import annotations

import datetime
import functools

from django.db.models import Prefetch

from yjs.casework.models import Child
from yjs.casework.records import record_url
from yjs.compiled import OneParentRead
from yjs.permissions import MANAGER_ROLES
from yjs.reversing import reverse

from . import files, letters
from .models import Attachment, LetterKindCode, LetterTemplate


def may_download(user, attachment: Attachment) -> bool:
    """Anyone who may see the child, for a live document; a voided one (perhaps another
    child's file put on the wrong record) is kept for the audit and only managers open it."""
    if not user.has_perm("casework.view_child", attachment.child):
        return False
    return not attachment.voided or getattr(user, "role", None) in MANAGER_ROLES


def download_url(attachment: Attachment) -> str:
    return reverse("documents:download", args=[attachment.child_id, attachment.pk])


@functools.cache
def _attachments() -> OneParentRead:
    """The child's live documents, compiled once; none read when the record page found none."""
    return OneParentRead(
        Child, Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by"))
    )


def section(child: Child, user, today: datetime.date) -> dict:
    """The "Documents" section of the child's record page: every live document, newest first."""
    rows = [
        {
            "attachment": a,
            "size": files.size_text(a.size),
            "url": record_url(child, a),
            "download": download_url(a),
            "by": (a.uploaded_by.get_full_name() or a.uploaded_by.get_username())
            if a.uploaded_by_id
            else "The system",
        }
        for a in _attachments().once(child)
    ]
    can_change = user.has_perm("casework.change_child", child) and not child.closed_on
    return {
        "rows": rows,
        "can_add": can_change,
        "can_write": can_change and bool(letters.KINDS),
        "can_change_templates": user.has_perm("documents.change_letter_templates"),
    }


def record_actions(child: Child, record, user) -> list[tuple[str, str]]:
    """Links on a record's page: download a document; write the letters the record is for."""
    if isinstance(record, Attachment):
        return (
            [("Download the document", download_url(record))] if may_download(user, record) else []
        )
    if record.voided or child.closed_on or not user.has_perm("casework.change_child", child):
        return []
    key = record_key(record)
    return [
        (
            f"Write a {kind.label[:1].lower()}{kind.label[1:]}"
            if kind.code != LetterKindCode.PSR_DRAFT
            else "Draft the pre-sentence report from the template",
            reverse("documents:write_letter_kind", args=[child.pk, kind.code]) + f"?record={key}",
        )
        for kind in letters.KINDS.values()
        if isinstance(record, kind.models) and _writes_from(kind, child, record)
    ]


def _writes_from(kind, child: Child, record) -> bool:
    """Whether the letter's page would offer this record: a kind may take only some records of
    its models (a panel invitation only for a panel not yet decided), and a link to a letter
    that cannot be written from the record is a dead end."""
    return any(type(r) is type(record) and r.pk == record.pk for r in kind.records(child))


def record_key(record) -> str:
    """How a form names one of the records a letter can be written from."""
    return f"{record._meta.label_lower}:{record.pk}"


def templates_of(service) -> list[dict]:
    """Each kind of letter, and whether the service uses its own template or the default."""
    own = {t.kind: t for t in LetterTemplate.objects.filter(service=service)}
    return [
        {
            "code": code,
            "label": label,
            "own": own.get(code),
            "offered": code in letters.KINDS,
        }
        for code, label in LetterKindCode.choices
    ]
