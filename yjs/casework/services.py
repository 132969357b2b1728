"""Commands that change a child's record. Each runs in one transaction and is audited here.

Views call these; they never save models themselves. Domain rules about dates live here too,
so the forms, the importers and the demo generator refuse the same impossible records.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yjs import codes, periods
from yjs.audit import services as audit

from .models import (
    AccommodationRecord,
    Child,
    EteRecord,
    EthnicityRecord,
    Intervention,
    Offence,
    Outcome,
    Referral,
    Victim,
)

YOUTH_AGES = range(10, 18)


def today() -> datetime.date:
    return timezone.localdate()


# Date rules -------------------------------------------------------------------------------


def check_not_future(value: datetime.date | None, field: str, what: str) -> None:
    if value and value > today():
        raise ValidationError({field: f"{what} must be today or in the past"})


def check_end_after_start(start, end, end_field: str = "end_date", what: str = "End date"):
    if start and end and end < start:
        raise ValidationError({end_field: f"{what} must be the same as or after the start date"})


def check_age_at_offence(child: Child, offence_date: datetime.date, field="offence_date"):
    """The youth justice system deals with children aged 10 to 17 at the time of the offence."""
    age = periods.age_on(child.date_of_birth, offence_date)
    if age not in YOUTH_AGES:
        raise ValidationError(
            {
                field: f"The child was {age} on that date; an offence dealt with "
                f"by the service must be committed aged 10 to 17"
            }
        )


def check_outcome(child: Child, code: str, outcome_date, offences) -> None:
    check_not_future(outcome_date, "outcome_date", "Outcome date")
    for offence in offences:
        if offence.child_id != child.pk:
            raise ValidationError({"offences": "Choose offences of this child only"})
        if outcome_date < offence.offence_date:
            raise ValidationError(
                {
                    "outcome_date": f"Outcome date must be on or after the "
                    f"offence date ({offence.offence_date:%-d %B %Y})"
                }
            )
    if codes.OUTCOME_BY_CODE[code].group is not None and not offences:
        raise ValidationError({"offences": "Choose the offence or offences this outcome is for"})


# Generic audited save ---------------------------------------------------------------------


def _save(actor, instance, *, description: str = ""):
    """Validate, save and audit one record (create or update, with old and new values)."""
    before = {}
    if instance.pk:
        before = audit.field_values(type(instance).objects.get(pk=instance.pk))
    instance.full_clean()
    action = "UPDATE" if instance.pk else "CREATE"
    instance.save()
    after = audit.field_values(instance)
    changes = audit.diff(before, after)
    audit.record(actor, action, instance, description=description or str(instance), changes=changes)
    return instance


@transaction.atomic
def save_record(actor, instance, *, description: str = ""):
    return _save(actor, instance, description=description)


def record_view(actor, child: Child, what: str = "child record") -> None:
    audit.record(actor, "VIEW", child, description=f"Viewed {what}")


def record_list_view(actor, children, page: str) -> None:
    """One VIEW event per child a page lists, so each child's access log shows list reads too.

    `page` names the page ("Caseload", "Search: 3 results"), never a search term or a name:
    the description is not personal data.
    """
    audit.record_many(actor, "VIEW", children, description=page)


# Commands ---------------------------------------------------------------------------------


@transaction.atomic
def add_child_with_referral(actor, *, child: Child, ethnicity: str, referral: Referral) -> Child:
    check_not_future(child.date_of_birth, "date_of_birth", "Date of birth")
    check_not_future(referral.received_on, "received_on", "Date received")
    if not child.reference:
        child.reference = next_reference(child.service_id)
    _save(actor, child, description="New child")
    _save(
        actor, EthnicityRecord(child=child, ethnicity=ethnicity, recorded_on=referral.received_on)
    )
    referral.child = child
    _save(actor, referral, description="Referral received")
    return child


def next_reference(service_id: int) -> str:
    last = Child.objects.filter(service_id=service_id).order_by("-id").first()
    number = (last.pk if last else 0) + 1
    while Child.objects.filter(reference=f"YJ{number:06d}").exists():
        number += 1
    return f"YJ{number:06d}"


@transaction.atomic
def record_offence(actor, offence: Offence) -> Offence:
    check_not_future(offence.offence_date, "offence_date", "Offence date")
    check_age_at_offence(offence.child, offence.offence_date)
    if offence.arrest_date and offence.arrest_date < offence.offence_date:
        raise ValidationError({"arrest_date": "Arrest date must be on or after the offence date"})
    if offence.gravity_score is not None and not 1 <= offence.gravity_score <= 8:
        raise ValidationError({"gravity_score": "Gravity score must be between 1 and 8"})
    return _save(actor, offence)


@transaction.atomic
def record_outcome(actor, outcome: Outcome, offences) -> Outcome:
    offences = list(offences)
    check_outcome(outcome.child, outcome.code, outcome.outcome_date, offences)
    if outcome.first_hearing_date and outcome.first_hearing_date > outcome.outcome_date:
        raise ValidationError(
            {"first_hearing_date": "First hearing must be on or before the outcome date"}
        )
    _save(actor, outcome)
    outcome.offences.set(offences)
    audit.record(
        actor,
        "UPDATE",
        outcome,
        description="Offences linked to outcome",
        changes={"offences": [[], sorted(o.pk for o in offences)]},
    )
    return outcome


def _status_records(
    child,
    on,
    accommodation_type,
    accommodation_suitability,
    provision,
    ete_suitability,
    hours_offered,
    hours_attended,
):
    """Status records starting on a date, from the start-of-intervention form."""
    records = []
    if accommodation_type:
        records.append(
            AccommodationRecord(
                child=child,
                start_date=on,
                accommodation_type=accommodation_type,
                suitability=accommodation_suitability,
            )
        )
    if provision:
        records.append(
            EteRecord(
                child=child,
                start_date=on,
                provision=provision,
                suitability=ete_suitability,
                hours_offered=hours_offered or 0,
                hours_attended=hours_attended or 0,
            )
        )
    return records


def _current(manager, on):
    return [r for r in manager.filter(start_date__lte=on) if r.end_date is None or r.end_date >= on]


@transaction.atomic
def open_intervention(actor, intervention: Intervention, *, status: dict | None = None):
    """Open an intervention and record the child's accommodation and ETE at its start.

    A status that differs from what is already recorded closes the old record the day before
    and opens a new one, so the history stays a sequence of dated records.
    """
    check_end_after_start(
        intervention.start_date,
        intervention.planned_end_date,
        "planned_end_date",
        "Planned end date",
    )
    check_end_after_start(intervention.start_date, intervention.end_date)
    if intervention.outcome and intervention.outcome.child_id != intervention.child_id:
        raise ValidationError({"outcome": "Choose an outcome of this child"})
    _save(actor, intervention, description=f"Opened {intervention.get_kind_display()}")
    if status:
        _replace_status(actor, intervention.child, intervention.start_date, status)
    return intervention


@transaction.atomic
def close_intervention(
    actor,
    intervention: Intervention,
    *,
    end_date,
    end_reason,
    completed_successfully=None,
    status: dict | None = None,
):
    check_not_future(end_date, "end_date", "End date")
    check_end_after_start(intervention.start_date, end_date)
    intervention.end_date = end_date
    intervention.end_reason = end_reason
    intervention.completed_successfully = completed_successfully
    _save(actor, intervention, description=f"Closed {intervention.get_kind_display()}")
    if status:
        _replace_status(actor, intervention.child, end_date, status)
    return intervention


def _replace_status(actor, child, on, status):
    new = _status_records(child, on, **status)
    for record in new:
        manager = child.accommodation if isinstance(record, AccommodationRecord) else child.ete
        same = [r for r in _current(manager, on) if _same_status(r, record)]
        if same:
            continue
        for old in _current(manager, on):
            if old.start_date < on:
                old.end_date = on - datetime.timedelta(days=1)
                _save(actor, old, description="Status ended")
        _save(actor, record, description="Status recorded")


def _same_status(old, new) -> bool:
    fields = (
        ("accommodation_type", "suitability")
        if isinstance(new, AccommodationRecord)
        else ("provision", "suitability", "hours_offered", "hours_attended")
    )
    return all(getattr(old, f) == getattr(new, f) for f in fields)


@transaction.atomic
def record_victim(actor, victim: Victim, offences) -> Victim:
    offences = list(offences)
    if not offences:
        raise ValidationError(
            {"offences": "Choose the offence this person or business was a victim of"}
        )
    check_not_future(victim.contacted_on, "contacted_on", "Contact date")
    if victim.rj_engaged == "YES" and victim.consent_to_contact != "YES":
        raise ValidationError(
            {
                "rj_engaged": "A victim can only engage with restorative justice "
                "after consenting to contact"
            }
        )
    if victim.progress_provided == "YES" and victim.progress_requested != "YES":
        raise ValidationError(
            {
                "progress_provided": "Record that progress information was "
                "requested before recording it as provided"
            }
        )
    if victim.support_provided == "YES" and victim.support_requested != "YES":
        raise ValidationError(
            {
                "support_provided": "Record that support was requested before "
                "recording it as provided"
            }
        )
    child = offences[0].child
    before = set(victim.offences.values_list("pk", flat=True)) if victim.pk else set()
    _save(actor, victim)
    victim.offences.set(offences)
    after = {o.pk for o in offences}
    if before != after:
        audit.record(
            actor,
            "UPDATE",
            victim,
            child=child,
            description="Victim's offences",
            changes={"offences": [sorted(before), sorted(after)]},
        )
    return victim


@transaction.atomic
def close_case(actor, child: Child, *, closed_on, closure_reason) -> Child:
    check_not_future(closed_on, "closed_on", "Closure date")
    open_interventions = child.interventions.filter(end_date__isnull=True)
    if open_interventions.exists():
        raise ValidationError(
            {
                "closed_on": "Close the child's open interventions first "
                f"({', '.join(str(i) for i in open_interventions)})"
            }
        )
    child.closed_on = closed_on
    child.closure_reason = closure_reason
    return _save(actor, child, description="Case closed")
