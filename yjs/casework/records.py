"""Every kind of casework record by its URL slug: its model, the form that changes it, its name.

The record pages (`record_views`) and the journey's links read this one registry, so a record
kind added here gets a page with its history, "Change" and "Void" without a view of its own.
Changes are saved by `services.update_record`, which runs the record's own checks.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db import connection, models
from django.db.models import Exists, OuterRef

from yjs.audit.models import AuditEvent
from yjs.reversing import reverse

from . import forms
from . import models as cw


@dataclass(frozen=True)
class RecordType:
    slug: str
    model: type[cw.CaseRecord]
    title: str  # "Offence": the page's heading, "Change offence"
    form: type | None = None  # None: never edited (a new record is added instead)
    child_path: str = "child"  # from the record to its child
    change_perm: str = "casework.change_child"
    form_needs_child: bool = False
    links_offences: bool = False  # the form links the record to the child's offences

    def of_child(self, child):
        """The child's records of this kind, voided ones too (their pages stay)."""
        return self.model.all_objects.filter(**{self.child_path: child}).distinct()

    def form_for(self, data, instance, child):
        kwargs = {"instance": instance}
        if self.form_needs_child:
            kwargs["child"] = child
        if self.links_offences:
            kwargs["initial"] = {"offences": instance.offences.all()}
        return self.form(data, **kwargs)

    def url(self, child, record, action: str = "") -> str:
        name = f"casework:record_{action}" if action else "casework:record"
        return reverse(name, args=[child.pk, self.slug, record.pk])


RECORD_TYPES = {
    rt.slug: rt
    for rt in (
        RecordType("offence", cw.Offence, "Offence", forms.OffenceForm),
        RecordType(
            "outcome",
            cw.Outcome,
            "Outcome",
            forms.OutcomeForm,
            form_needs_child=True,
            links_offences=True,
        ),
        RecordType(
            "intervention",
            cw.Intervention,
            "Intervention",
            forms.InterventionEditForm,
            form_needs_child=True,
        ),
        RecordType(
            "panel",
            cw.ReferralOrderPanel,
            "Referral order panel",
            forms.PanelForm,
            child_path="intervention__child",
        ),
        RecordType("remand", cw.Remand, "Remand or bail decision", forms.RemandForm),
        RecordType(
            "custody", cw.CustodyEpisode, "Custody", forms.CustodyForm, form_needs_child=True
        ),
        RecordType("assessment", cw.Assessment, "Assessment", forms.AssessmentForm),
        RecordType("plan", cw.ChildPlan, "Plan with the child", forms.ChildPlanForm),
        RecordType("contact", cw.Contact, "Contact", forms.ContactForm),
        RecordType(
            "victim",
            cw.Victim,
            "Victim",
            forms.VictimForm,
            child_path="offences__child",
            form_needs_child=True,
            links_offences=True,
        ),
        RecordType("care-status", cw.CareStatus, "Care status", forms.CareStatusForm),
        RecordType("send", cw.SendRecord, "Special educational needs (SEND)", forms.SendForm),
        RecordType(
            "mental-health",
            cw.MentalHealthRecord,
            "Mental health and wellbeing",
            forms.MentalHealthForm,
        ),
        RecordType(
            "substance-misuse",
            cw.SubstanceMisuseRecord,
            "Substance misuse",
            forms.SubstanceMisuseForm,
        ),
        RecordType(
            "exploitation", cw.ExploitationConcern, "Exploitation concern", forms.ExploitationForm
        ),
        RecordType(
            "referral", cw.Referral, "Referral", forms.ReferralForm, form_needs_child=True
        ),
        RecordType(
            "transition", cw.TransitionDecision, "Transition decision", forms.TransitionForm
        ),
        RecordType(
            "oversight",
            cw.ManagementOversight,
            "Management oversight",
            forms.OversightForm,
            change_perm="casework.add_oversight",  # a manager's record
        ),
        RecordType(
            "accommodation", cw.AccommodationRecord, "Accommodation", forms.AccommodationForm
        ),
        RecordType("ete", cw.EteRecord, "Education, training or employment", forms.EteForm),
        # A child who re-identifies gets a new dated record; the old one is history, not a typo.
        RecordType("ethnicity", cw.EthnicityRecord, "Ethnicity"),
        # A transfer entered in error is voided; a real one is followed by a new referral.
        RecordType("transfer", cw.Transfer, "Transfer between services"),
    )
}
BY_MODEL = {rt.model: rt for rt in RECORD_TYPES.values()}


def record_url(child, record) -> str:
    return BY_MODEL[type(record)].url(child, record)


_THE_CHILD = -1  # stands for the child's id in the compiled query; no child has it


@functools.cache
def _voided_kinds_query() -> tuple[str, tuple]:
    """One row of booleans for a child: which kinds of record have voided ones.

    Compiled once per process: Django takes longer to build 22 EXISTS than the database takes
    to answer them.
    """
    of_the_child = [
        rt.model.all_objects.filter(**{rt.child_path: OuterRef("pk")}, voided_at__isnull=False)
        for rt in RECORD_TYPES.values()
    ]
    query = cw.Child.objects.filter(pk=_THE_CHILD).values_list(*map(Exists, of_the_child))
    return query.query.sql_with_params()


def voided_records(child) -> list[tuple[RecordType, cw.CaseRecord]]:
    """The child's voided records of every kind, most recently voided first.

    One query asks which kinds have any (most children have none), then only those are read.
    """
    sql, params = _voided_kinds_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [child.pk if p == _THE_CHILD else p for p in params])
        has_any = cursor.fetchone() or ()
    types = list(RECORD_TYPES.values())
    found = [
        (rt, record)
        for rt, any_voided in zip(types, has_any, strict=False)
        if any_voided
        for record in rt.of_child(child).filter(voided_at__isnull=False)
    ]
    return sorted(found, key=lambda pair: pair[1].voided_at, reverse=True)


# Showing values ---------------------------------------------------------------------------

NOT_RECORDED = "Not recorded"
ERASED = "[erased]"  # what an erasure leaves in the audit trail's values


def shown(field, value) -> str:
    """A stored value as a reader sees it: choice labels, names, dates in words."""
    if value is None or value == "" or value == []:
        return NOT_RECORDED
    if value == ERASED:
        return value
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field is not None and field.is_relation and not isinstance(value, models.Model):
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if field is not None and field.is_relation:
        return str(value)
    if isinstance(value, str) and isinstance(field, models.DateField):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        return f"{value:%-d %B %Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def summary(rt: RecordType, record) -> list[tuple[str, str]]:
    """(label, value) of what the record holds, in its form's order."""
    form = rt.form_for(None, record, _child_of(rt, record)) if rt.form else None
    names = [n for n in form.fields if n != "revision"] if form else None
    if names is None:
        names = [f.name for f in record._meta.concrete_fields if f.editable and f.name != "id"]
        names = [n for n in names if n not in ("child",)]
    rows = []
    for name in names:
        if name == "offences":
            label = form.fields[name].label if form else "Offences"
            value = ", ".join(str(o) for o in record.offences.all()) or NOT_RECORDED
        else:
            field = record._meta.get_field(name)
            label = form.fields[name].label if form else field.verbose_name
            raw = getattr(record, name)
            value = shown(field, raw)
        rows.append((str(label)[:1].upper() + str(label)[1:], value))
    return rows


def _child_of(rt: RecordType, record):
    if rt.child_path == "child":
        return record.child
    if rt.child_path == "intervention__child":
        return record.intervention.child
    return cw.Child.objects.filter(offences__victims=record).first()


@dataclass
class HistoryEntry:
    at: datetime.datetime
    who: str
    action: str
    description: str
    changes: list[tuple[str, str, str]]
    created: bool = False


# Optimistic locking's bookkeeping, not a change anyone made.
HIDDEN_FIELDS = {"revision", "updated_at", "updated_by_id"}
# A new record's entry lists the answers given, not the child it is on or its timestamps.
HIDDEN_AT_CREATION = {"child_id", "recorded_at"}


def history(record) -> list[HistoryEntry]:
    """Every audit event about this record, oldest first, values in words."""
    events = AuditEvent.objects.filter(
        object_type=record._meta.verbose_name, object_id=str(record.pk)
    ).select_related("actor")
    by_attname = {f.attname: f for f in record._meta.concrete_fields}
    entries = []
    for e in events.order_by("at", "id"):
        created = e.action == AuditEvent.Action.CREATE
        changes = []
        for name, pair in sorted(e.changes.items()):
            if name in HIDDEN_FIELDS or not isinstance(pair, list) or len(pair) != 2:
                continue
            field = by_attname.get(name)
            label = str(field.verbose_name) if field else name.replace("_", " ")
            if name == "offences":
                old, new = (_offences_text(v) for v in pair)
            else:
                old, new = (shown(field, v) for v in pair)
            if created and (new == NOT_RECORDED or name in HIDDEN_AT_CREATION):
                continue  # what was entered, not a list of empty answers
            changes.append((label[:1].upper() + label[1:], old, new))
        voided = e.description.startswith("Voided")
        entries.append(
            HistoryEntry(
                at=e.at,
                who=(e.actor.get_full_name() or e.actor_username) if e.actor else "The system",
                action="Voided" if voided else e.get_action_display(),
                description=e.description,
                changes=changes,
                created=created,
            )
        )
    return entries


def _offences_text(value) -> str:
    if not isinstance(value, list):
        return str(value)
    if not value:
        return "None"
    found = {o.pk: str(o) for o in cw.Offence.all_objects.filter(pk__in=value)}
    return "; ".join(found.get(pk, str(pk)) for pk in value)
