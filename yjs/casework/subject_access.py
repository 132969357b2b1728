"""Subject access export: a child's whole record, for the child or their parent.

The selector reads every model generically: each of the child's reverse relations (every model
with a foreign key to `Child`), then whatever hangs from those records (panels of an
intervention, victims of an offence), so a new casework model appears in the export without a
change here. A subject access request must not disclose third parties: a victim's details are
withheld (only that there was a victim, of which kind, of which offence, is shown). Staff names
stay: they acted in an official capacity. The child's own access log comes from the audit trail.

The file is a zip holding a readable page (``record.html``) and the same data as JSON
(``record.json``), so it opens anywhere and can also be read by a machine.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from decimal import Decimal

from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from yjs.audit import services as audit
from yjs.audit.models import AuditEvent

from .erasure import child_relations, records_of
from .models import Child, Victim

WITHHELD = "[withheld: information about another person]"
# Third parties' records: only these fields are shown; every other value is withheld.
THIRD_PARTY_FIELDS = {Victim: {"victim_type", "offences"}}
SKIPPED_FIELDS = {"id", "child", "erased_by"}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _label(field) -> str:
    name = str(field.verbose_name)
    return name[:1].upper() + name[1:]


def _about(queryset, child: Child):
    """Only this child's records among linked ones (a victim may be another child's victim too)."""
    model = queryset.model
    keys = [f.name for f in model._meta.fields if f.is_relation and f.related_model is Child]
    return queryset.filter(**{keys[0]: child}) if keys and child is not None else queryset


def _row(obj: models.Model, child: Child | None = None) -> dict:
    """Every field of a record, with the words a reader sees (choices displayed, people named)."""
    kept = THIRD_PARTY_FIELDS.get(type(obj))
    row = {"Record number": obj.pk}
    for field in obj._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        if kept is not None and field.name not in kept:
            row[_label(field)] = WITHHELD
            continue
        if field.choices:
            value = (
                getattr(obj, f"get_{field.name}_display")() if getattr(obj, field.attname) else ""
            )
        elif field.is_relation:
            value = getattr(obj, field.name)
        else:
            value = getattr(obj, field.attname)
        row[_label(field)] = _plain(value)
    for field in obj._meta.many_to_many:
        if kept is not None and field.name not in kept:
            row[_label(field)] = WITHHELD
            continue
        linked = _about(getattr(obj, field.name).all(), child)
        row[_label(field)] = [f"{_plain(o)} (record {o.pk})" for o in linked]
    return row


def _title(model) -> str:
    name = str(model._meta.verbose_name_plural)
    return name[:1].upper() + name[1:]


def record_data(child: Child) -> dict:
    """The child's whole record as plain data: details, one section per model, access log."""
    direct = child_relations()
    direct_models = {rel.related_model for rel in direct}
    sections: dict[str, dict] = {}
    nested: dict[type, dict[int, models.Model]] = {}

    for rel in direct:
        records = list(records_of(rel, child).order_by("pk"))  # voided ones too: still held
        sections[rel.related_model._meta.label_lower] = {
            "title": _title(rel.related_model),
            "rows": [_row(r, child) for r in records],
        }
        # What hangs from these records and has no foreign key to the child itself.
        for sub in rel.related_model._meta.related_objects:
            model = sub.related_model
            if model in direct_models or model is AuditEvent or model is Child:
                continue
            for record in records:
                for item in records_of(sub, record):
                    nested.setdefault(model, {})[item.pk] = item

    for model, items in sorted(nested.items(), key=lambda kv: kv[0]._meta.label_lower):
        sections[model._meta.label_lower] = {
            "title": _title(model),
            "rows": [_row(items[pk], child) for pk in sorted(items)],
        }

    return {
        "generated_at": _plain(timezone.now()),
        "service": str(child.service),
        "child": _row(child),
        "sections": sections,
        "access_log": access_log(child),
    }


def access_log(child: Child) -> list[dict]:
    """Who read or changed the child's record, when (oldest first); values are not repeated."""
    events = AuditEvent.objects.filter(child=child).select_related("actor").order_by("at", "pk")
    return [
        {
            "When": _plain(e.at),
            "Who": str(e.actor) if e.actor else "The system",
            "Role": e.actor.get_role_display() if e.actor else "",
            "Action": e.get_action_display(),
            "Record": e.object_type,
            "Description": e.description,
        }
        for e in events
    ]


def _shown(value) -> str:
    """A value as the readable page prints it."""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def _shown_rows(rows: list[dict]) -> list[dict]:
    return [{label: _shown(value) for label, value in row.items()} for row in rows]


def export(actor, child: Child) -> tuple[str, bytes]:
    """The subject access file (zip) and its name; audited as an export."""
    data = record_data(child)
    shown = {
        "child": _shown_rows([data["child"]])[0],
        "sections": {
            key: {"title": s["title"], "rows": _shown_rows(s["rows"])}
            for key, s in data["sections"].items()
        },
    }
    html = render_to_string(
        "casework/subject_access_record.html", {"data": data, "shown": shown, "child": child}
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("record.html", html)
        archive.writestr("record.json", json.dumps(data, indent=2, ensure_ascii=False))
    audit.record(
        actor,
        "EXPORT",
        child,
        description="Subject access export (record.html, record.json)",
        changes={"sections": sorted(data["sections"])},
    )
    filename = f"subject-access-{child.reference}-{timezone.localdate():%Y-%m-%d}.zip"
    return filename, buffer.getvalue()
