"""The one place audit events are written; called by the services layer, never by views.

Every event is chained to the one before it (see models.py). Writers are serialised so the
chain never forks: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by the write
transaction itself (BEGIN IMMEDIATE); `prev_hash` is unique as a last guard.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from .models import GENESIS, AuditEvent

# Any fixed 64-bit number: the one PostgreSQL advisory lock that guards the chain's head.
CHAIN_LOCK = 7_202_611_007


def _plain(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def field_values(instance: models.Model) -> dict:
    """Concrete field values of a record, for diffing before and after a change."""
    return {
        f.attname: _plain(_as_stored(f, getattr(instance, f.attname)))
        for f in instance._meta.concrete_fields
        if f.name != "id"
    }


def _as_stored(field, value):
    """A decimal as the column keeps it (0 and 0.00 are the same amount, not a change)."""
    if isinstance(field, models.DecimalField) and value is not None:
        return Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _text(value, limit: int) -> str:
    """Text as stored: NUL refused by PostgreSQL, so dropped; cut to the column's length."""
    return str(value or "").replace("\x00", "")[:limit]


def _json(value):
    """The changes as the database will give them back, so the hash is stable."""
    if isinstance(value, dict):
        return {_text(k, 200): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, str):
        return value.replace("\x00", "")
    if value is None or isinstance(value, bool | int | float):
        return value
    return _text(_plain(value), 10_000)


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(event: AuditEvent) -> str:
    """The hash of what an erasure may later blank: the description and the changes."""
    content = {"description": event.description, "changes": event.changes}
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict:
    """The event's own fields its hash covers besides `prev_hash`."""
    return {
        "at": event.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "action": event.action,
        "child_id": event.child_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "content_hash": event.content_hash,
    }


def canonical(event: AuditEvent) -> str:
    """The event's own fields as canonical JSON: what its hash covers besides `prev_hash`."""
    return _canonical(_hashed_fields(event))


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _head() -> str:
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS


def _prepare(event: AuditEvent, now) -> None:
    """The event's fields as they will be stored and hashed (all but the chain's two)."""
    _take_related_ids(event)
    event.at = now
    event.actor_username = _text(event.actor.get_username() if event.actor else "", 150)
    event.action = str(event.action).upper()
    event.object_type = _text(event.object_type, 60)
    event.object_id = _text(event.object_id, 40)
    event.description = _text(event.description, 200)
    event.changes = _json(event.changes or {})
    event.content_hash = content_hash(event)


def append(events: Iterable[AuditEvent], *, insert=None) -> list[AuditEvent]:
    """Chain unsaved events onto the trail, in order, in one insert: `bulk_create`, or
    `insert(events)` (an import's bulk writer, which sets no ids)."""
    events = list(events)
    if not events:
        return events
    with transaction.atomic():
        _lock_chain()
        prev = _head()
        now = timezone.now()
        for event in events:
            _prepare(event, now)
            event.prev_hash = prev
            event.hash = prev = event_hash(prev, event)
        if insert is not None:
            insert(events)
            return events
        if connection.vendor == "postgresql":
            ids = _insert_postgresql([{c: getattr(e, c) for c, _ in _COLUMNS} for e in events])
            for event, pk in zip(events, ids, strict=True):
                event.pk = pk
                event._state.adding, event._state.db = False, connection.alias
            return events
        return AuditEvent.objects.bulk_create(events)


def _append_views(event: AuditEvent, child_ids: list[int]) -> None:
    """`append` of one event per child, alike but for the child: a list page's VIEW events.

    Prepared and hashed from one event's fields, the child changed in place, and on
    PostgreSQL inserted without a model instance each (most of a caseload's audit CPU was
    building, preparing and hashing 70 events one by one). The hashes are `append`'s.
    """
    with transaction.atomic():
        _lock_chain()
        prev = _head()
        _prepare(event, timezone.now())
        fields = _hashed_fields(event)
        stored = {c: getattr(event, c) for c, _ in _COLUMNS}
        rows = []
        for pk in child_ids:
            fields["child_id"], fields["object_id"] = pk, str(pk)
            digest = hashlib.sha256((prev + _canonical(fields)).encode()).hexdigest()
            rows.append({**stored, "child_id": pk, "object_id": str(pk), "prev_hash": prev,
                         "hash": digest})  # fmt: skip
            prev = digest
        if connection.vendor == "postgresql":
            _insert_postgresql(rows)
        else:
            AuditEvent.objects.bulk_create(AuditEvent(**row) for row in rows)


# The columns an event is stored in, and PostgreSQL's type for each.
_COLUMNS = (
    ("at", "timestamptz"),
    ("actor_id", "bigint"),
    ("actor_username", "text"),
    ("action", "text"),
    ("child_id", "bigint"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("description", "text"),
    ("changes", "jsonb"),
    ("content_hash", "text"),
    ("redacted", "boolean"),
    ("prev_hash", "text"),
    ("hash", "text"),
)


def _insert_postgresql(events: list[dict]) -> list[int]:
    """`bulk_create` of the events (column: value) in one statement, in the same order, their
    ids returned; but a
    value every event shares (a list page's 70 VIEW events differ only in the child, the
    object id and the two hashes) is sent once rather than once per event, and no value goes
    through Django's preparation one by one (13 columns × 70 events was half the audit's CPU)."""
    select, arrays, shared, varying = [], [], [], []
    for column, kind in _COLUMNS:
        values = [event[column] for event in events]
        if kind == "jsonb":
            values = [json.dumps(v) for v in values]
        if all(v == values[0] for v in values):
            select.append(f"%s::{kind}")
            shared.append(values[0])
        else:
            select.append(f"v.c{len(arrays)}")
            arrays.append(f"%s::text[]::{kind}[]" if kind == "jsonb" else f"%s::{kind}[]")
            varying.append(values)
    names = ", ".join(column for column, _ in _COLUMNS)
    sql = f"INSERT INTO {AuditEvent._meta.db_table} ({names}) "
    if arrays:
        columns = ", ".join(f"c{i}" for i in range(len(arrays)))
        sql += (
            f"SELECT {', '.join(select)} FROM unnest({', '.join(arrays)}) WITH ORDINALITY "
            f"AS v({columns}, n) ORDER BY v.n RETURNING id"
        )
    else:  # one event
        sql += f"VALUES ({', '.join(select)}) RETURNING id"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*shared, *varying])
        return [row[0] for row in cursor.fetchall()]


def _take_related_ids(event: AuditEvent) -> None:
    """Copy the child's and actor's ids from related records saved since the event was built.

    The hash covers ``child_id``; an event built around a child not yet saved (a bulk load
    builds its events first) would otherwise be hashed with no child and stored with one, and
    the chain would fail verification at that event.
    """
    for name in ("child", "actor"):
        field = AuditEvent._meta.get_field(name)
        related = field.get_cached_value(event) if field.is_cached(event) else None
        if related is not None and related.pk is not None:
            setattr(event, field.attname, related.pk)


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def record(
    actor,
    action: str,
    obj: models.Model | None = None,
    *,
    child=None,
    description: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    if child is None and obj is not None:
        child = obj if obj._meta.model_name == "child" else getattr(obj, "child", None)
    return append(
        [
            AuditEvent(
                actor=_actor(actor),
                action=action,
                child=child,
                object_type=obj._meta.verbose_name if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                description=description,
                changes=changes or {},
            )
        ]
    )[0]


def record_many(actor, action: str, children, *, description: str = "") -> None:
    """One event per child for pages that list many children (caseload, search, drill-down)."""
    child_ids = list(dict.fromkeys(child.pk for child in children))
    if child_ids:
        event = AuditEvent(
            actor=_actor(actor), action=action, object_type="child", description=description
        )
        _append_views(event, child_ids)


# Erasure -----------------------------------------------------------------------------------

ERASED = "[erased]"


def redact(event: AuditEvent, *, description: str) -> None:
    """Erase the personal data an event kept, once (see models.py): every old and new value
    becomes "[erased]" and the description is the one given, with the names taken out.
    Who, when, what and on whom stay, and stay chained."""
    changes = {field: [ERASED, ERASED] for field in event.changes}
    AuditEvent.objects.filter(pk=event.pk, redacted=False).update(
        changes=changes, description=_text(description, 200), redacted=True
    )


# Verification -----------------------------------------------------------------------------


@dataclass
class Verdict:
    count: int
    problem: str = ""
    head: str = GENESIS
    erased: int = 0

    @property
    def intact(self) -> bool:
        return not self.problem


def verify() -> Verdict:
    """Walk the chain in id order; the first broken link, in words, or an intact verdict.

    An edited event no longer matches its hash. After a deleted event, the next one's
    `prev_hash` is not its predecessor's hash. An inserted event either carries a hash that does
    not match its contents, or does not link to its predecessor while the event after it does.
    """
    count = erased = 0
    last = None  # the event before the current one
    events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
    for event in events:
        count += 1
        if event.redacted:
            if any(v != [ERASED, ERASED] for v in event.changes.values()):
                return Verdict(
                    count, f"Audit event {event.id} was edited: marked erased, it still has values"
                )
            erased += 1
        elif content_hash(event) != event.content_hash:
            return Verdict(
                count,
                f"Audit event {event.id} was edited or forged: "
                "its description or changes do not match its hash",
            )
        if event_hash(event.prev_hash, event) != event.hash:
            return Verdict(
                count,
                f"Audit event {event.id} was edited or forged: "
                "its hash does not match its contents",
            )
        expected = last.hash if last else GENESIS
        if event.prev_hash != expected:
            after = next(events, None)
            if after is not None and after.prev_hash == expected:
                problem = (
                    f"Audit event {event.id} was inserted: it is not in the chain "
                    f"(event {after.id} follows event {last.id if last else 'none'})"
                )
            elif last is None:
                problem = (
                    f"Audit events before event {event.id} were deleted: "
                    "the first event does not start the chain"
                )
            else:
                problem = (
                    f"Audit event {event.id} does not follow event {last.id}: "
                    "an event between them was deleted, or one of them was inserted"
                )
            return Verdict(count, problem)
        last = event
    return Verdict(count, head=last.hash if last else GENESIS, erased=erased)


# Reading the trail is itself audited -------------------------------------------------------


def record_trail_read(actor, description: str, child=None) -> AuditEvent:
    """A manager read the audit trail (or a child's access log: then the child is named)."""
    return record(actor, "VIEW", child, description=description)


def record_trail_export(actor, count: int) -> AuditEvent:
    return record(actor, "EXPORT", description=f"Audit trail CSV: {count} events")
