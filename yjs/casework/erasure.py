"""Erasure ("shredding"): remove a child's personal data everywhere and leave an audited stub.

What goes, in one transaction:

- every record about the child: every model with a foreign key to `Child` (found by walking the
  child's reverse relations, so a new casework model is erased without a change here) and what
  hangs from those records (panels of an intervention, the links between outcomes and offences);
- victims linked only to this child's offences (their names and contact details); a victim also
  linked to another child's offence stays, without the link to this child;
- the child's name, date of birth (only the year is kept), sex, gender, home area, worker,
  speech and language notes and closure reason;
- the values in the audit trail's record of those changes (field names and who did what, when,
  stay; old and new values become "[erased]"), and the names and descriptions in its text;
- what imports kept of the child (``SourceRecord``: another system's ids for the child and the
  records, and hashes of those rows' values);
- every Parquet snapshot under ``settings.SNAPSHOT_DIR`` that holds the child's pseudonym: the
  folder is deleted (a snapshot is derived data, and the live dashboard takes a new one); a
  rewritten snapshot would no longer be the frozen copy its manifest and cached results claim.

What stays: the `Child` row as a stub ("Erased record") with its reference, service, team,
creation and closure dates, the erasure date and who erased it, so the audit trail that points at
the child id keeps its integrity. The year of birth stays because the column is required and
every age calculation reads it; on its own it identifies no one. No KPI needs more: the stub has
no records, so it counts in no figure.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

import yjs.permissions  # noqa: F401  the rules must be registered when the CLI or a test calls
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.interop.pseudonyms import child_pseudonym

from .models import Child, Offence, Victim

ERASED = "[erased]"
STUB_FIRST_NAME, STUB_LAST_NAME = "Erased", "record"
SNAPSHOT_MANIFEST = "manifest.json"  # every snapshot folder has one (yjs.interop.snapshot)

# The stub's values for the child's personal fields (the year of birth is kept separately).
STUB_VALUES = {
    "first_name": STUB_FIRST_NAME,
    "last_name": STUB_LAST_NAME,
    "preferred_name": "",
    "sex": "0",  # "Not known"
    "gender": "",
    "home_local_authority": None,
    "residence": "LOCAL",
    "allocated_worker": None,
    "speech_language_needs": False,
    "speech_language_notes": "",
    "closure_reason": "",
}


def child_relations() -> list[models.ManyToOneRel]:
    """The child's reverse one-to-many relations: every model holding records about a child.

    The audit trail is left out on purpose: it is kept (with its values erased) for integrity.
    """
    return [
        rel
        for rel in Child._meta.related_objects
        if rel.one_to_many and rel.related_model._meta.app_label != AuditEvent._meta.app_label
    ]


def victims_only_of(child: Child):
    """Victims of this child's offences who are not victims of another child's offences
    (voided records included: erasure leaves nothing of the child behind)."""
    return (
        Victim.all_objects.filter(offences__child=child)
        .exclude(offences__in=Offence.all_objects.exclude(child=child))
        .distinct()
    )


def records_of(rel: models.ManyToOneRel, owner):
    """Every record of a reverse relation, voided ones too (a related manager hides those)."""
    return rel.related_model._base_manager.filter(**{rel.field.name: owner})


def erase_child(actor, child: Child, reason: str) -> dict:
    """Erase the child's personal data (see the module docstring); return what was removed.

    Snapshots are swept before the database transaction (reading Parquet files must not hold
    the database's write lock) and again after it commits, for one taken in between.
    """
    reason = (reason or "").strip()
    _check(actor, child, reason)
    pseudonym = child_pseudonym(child.pk)
    snapshots = delete_snapshots_holding(pseudonym)
    with transaction.atomic():
        summary = _erase(actor, child, reason, snapshots=len(snapshots))
        transaction.on_commit(lambda: delete_snapshots_holding(pseudonym))
    return summary


def _check(actor, child: Child, reason: str) -> None:
    if not actor.has_perm("casework.erase_child", child):
        raise PermissionDenied
    if not reason:
        raise ValidationError({"reason": "Enter why the child's personal data is being erased"})
    if child.erased_at:
        raise ValidationError("This child's personal data has already been erased")
    if child.closed_on is None:
        raise ValidationError({"reason": "Close the case before erasing the child's personal data"})


def _erase(actor, child: Child, reason: str, *, snapshots: int) -> dict:
    child = Child.objects.select_for_update().get(pk=child.pk)
    if child.erased_at:  # on the locked row: someone may have erased it a moment ago
        raise ValidationError("This child's personal data has already been erased")

    personal_text = _personal_text(child)
    victims = list(victims_only_of(child))
    victim_keys = [str(v.pk) for v in victims]
    removed: dict[str, int] = {}
    if victims:
        _count(removed, Victim.all_objects.filter(pk__in=[v.pk for v in victims]).delete()[1])
    from yjs.interop.importer import forget_child  # interop builds on casework, not the reverse

    if forgotten := forget_child(child):  # before the records go: it finds them by their ids
        removed["source ids"] = forgotten
    _delete_records(child, removed)

    blanked = [name for name, value in STUB_VALUES.items() if _value(child, name) != value]
    for name, value in STUB_VALUES.items():
        setattr(child, name, value)
    if child.date_of_birth.month != 1 or child.date_of_birth.day != 1:
        blanked.append("date_of_birth (year kept)")
        child.date_of_birth = child.date_of_birth.replace(month=1, day=1)
    child.erased_at = timezone.now()
    child.erased_by = actor
    child.save()

    _redact_audit_trail(child, victim_keys, personal_text)
    summary = {
        "child_fields": blanked,
        "records": removed,
        "victims": len(victims),
        "snapshots": snapshots,
        "reason": reason,
    }
    audit.record(
        actor,
        "DELETE",
        child,
        description=f"Erased the child's personal data: {reason}",
        changes={"erased": summary},
    )
    return summary


def _value(child, name):
    field = Child._meta.get_field(name)
    return getattr(child, field.attname) if field.is_relation else getattr(child, name)


def _count(removed: dict[str, int], per_model: dict[str, int]) -> None:
    for label, n in per_model.items():
        if n:
            key = label.split(".")[-1].lower()
            removed[key] = removed.get(key, 0) + n


def _delete_records(child: Child, removed: dict[str, int]) -> None:
    """Delete every record about the child; records another one protects go after it."""
    pending = child_relations()
    while pending:
        blocked = []
        for rel in pending:
            try:
                with transaction.atomic():
                    _count(removed, records_of(rel, child).delete()[1])
            except ProtectedError:
                blocked.append(rel)
        if len(blocked) == len(pending):
            names = ", ".join(r.related_model._meta.label for r in blocked)
            raise RuntimeError(f"cannot erase records that protect each other: {names}")
        pending = blocked


def _personal_text(child: Child) -> list[str]:
    """Strings that identify the child or quote their records, as they appear in audit text."""
    texts = {
        child.first_name,
        child.last_name,
        child.preferred_name,
        str(child),
        child.display_name,
        child.date_of_birth.isoformat(),
    }
    for offence in Offence.all_objects.filter(child=child):
        texts.update({str(offence), offence.description})
    for victim in Victim.all_objects.filter(offences__child=child):
        texts.add(victim.name)
    return sorted((t for t in texts if t and len(t) > 1), key=len, reverse=True)


def _redact_audit_trail(child: Child, victim_keys: list[str], personal_text: list[str]) -> None:
    """Erase the values the audit trail kept of the child's records; keep who, when and what.

    Field names stay (so the trail still says which fields changed); each old and new value
    becomes "[erased]", and the child's names and offence descriptions in the descriptions too.
    """
    events = AuditEvent.objects.filter(child=child) | AuditEvent.objects.filter(
        object_type=Victim._meta.verbose_name, object_id__in=victim_keys
    )
    for event in events:
        changes = {field: [ERASED, ERASED] for field in event.changes}
        description = event.description
        for text in personal_text:
            description = description.replace(text, ERASED)
        if changes != event.changes or description != event.description:
            audit.redact(event, description=description)  # the one update the trail allows


# Snapshots ----------------------------------------------------------------------------------


def snapshot_folders(root: Path | None = None) -> list[Path]:
    """Every snapshot folder under SNAPSHOT_DIR, at any depth (found by its manifest)."""
    root = Path(root or settings.SNAPSHOT_DIR)
    if not root.exists():
        return []
    return sorted({m.parent for m in root.rglob(SNAPSHOT_MANIFEST)})


def holds(folder: Path, value: str) -> bool:
    """Whether any file of the snapshot (Parquet tables, cached results) contains the value."""
    files = sorted(folder.rglob("*"), key=lambda p: p.name != "children.parquet")
    for path in files:
        if not path.is_file():
            continue
        if path.suffix == ".parquet":
            if _parquet_holds(path, value):
                return True
        elif value.encode() in path.read_bytes():
            return True
    return False


def _parquet_holds(path: Path, value: str) -> bool:
    table = pq.read_table(path)
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            if pc.any(pc.equal(column, value)).as_py():
                return True
    return False


def delete_snapshots_holding(pseudonym: str, root: Path | None = None) -> list[Path]:
    """Delete every snapshot folder that holds the pseudonym; return the folders deleted."""
    deleted = []
    for folder in snapshot_folders(root):
        if folder.exists() and holds(folder, pseudonym):
            # Renamed first, so no reader finds half a snapshot while it is removed.
            doomed = folder.with_name(f"{folder.name}.erasing-{uuid.uuid4().hex[:8]}")
            folder.rename(doomed)
            shutil.rmtree(doomed)
            deleted.append(folder)
    return deleted
