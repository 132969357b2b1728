"""Commands that change a child's record. Each runs in one transaction and is audited here.

Views call these; they never save models themselves. Domain rules about dates live here too,
so the forms, the importers and the demo generator refuse the same impossible records.
"""

from __future__ import annotations

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from yjs import codes, periods, versioning
from yjs.audit import services as audit
from yjs.forms import in_sentence, sentence_case

from .models import (
    AccommodationRecord,
    Child,
    EteRecord,
    EthnicityRecord,
    Intervention,
    Offence,
    Outcome,
    ReferenceCounter,
    Referral,
    ReferralOrderPanel,
    Victim,
)

YOUTH_AGES = range(periods.YOUTH_JUSTICE_MIN_AGE, periods.YOUTH_JUSTICE_MAX_AGE + 1)


def today() -> datetime.date:
    return timezone.localdate()


# Date rules -------------------------------------------------------------------------------
#
# Every date saved on a child's record passes `check_dates` (called by `_save`), so the forms,
# and anything else that records through these commands, refuse the same impossible dates.
# The bounds themselves are in `yjs.periods` (docs/security.md, "Input").

# Dates of what is planned or due, not of what has happened: they may be in the future.
PLANNED_DATES = frozenset({"planned_end_date", "review_due", "licence_end_date", "transferred_on"})

# (earlier, later) for every record that has both dates: the later may not come first. The
# messages name each date by its field's label, as the form does ("End date must be the same as
# or after the start date").
DATE_ORDER = (
    ("start_date", "end_date"),
    ("start_date", "planned_end_date"),
    ("start_date", "release_date"),
    ("release_date", "licence_end_date"),
    ("attended_start", "attended_end"),
    ("identified_on", "ended_on"),
    ("identified_on", "nrm_referred_on"),
    ("received_on", "decided_on"),
    ("completed_on", "review_due"),
    ("decided_on", "transferred_on"),
)


def date_label(instance, name: str) -> str:
    """How a date is named in a message: its field's label ("Date the referral was received")."""
    return sentence_case(instance._meta.get_field(name).verbose_name)


def _date_fields(instance) -> list[str]:
    return [
        f.attname
        for f in instance._meta.concrete_fields
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    ]


def _child_of(instance) -> Child | None:
    if isinstance(instance, Child):
        return instance
    if getattr(instance, "child_id", None):
        return instance.child
    if isinstance(instance, ReferralOrderPanel) and instance.intervention_id:
        return instance.intervention.child
    return None


def date_problems(instance, *, child: Child | None = None, unchanged=()) -> dict[str, str]:
    """Each implausible date of a record, by field: outside the bounds of `yjs.periods`, in the
    future when it is not a planned date, or before a date it follows. Dates in `unchanged`
    (kept from an earlier save) are not judged again, so an old record can still be updated.
    Dates not given yet (None) are skipped, so a form can ask this of a half-filled record.
    """
    child = child or _child_of(instance)
    dob = child.date_of_birth if child and not isinstance(instance, Child) else None
    now = today()
    problems: dict[str, str] = {}
    for name in _date_fields(instance):
        value = getattr(instance, name)
        if value is None or name in unchanged:
            continue
        if isinstance(instance, Child) and name == "date_of_birth":
            problem = periods.date_of_birth_problem(value, now)
        else:
            problem = periods.event_date_problem(
                value,
                date_label(instance, name),
                today=now,
                dob=instance.date_of_birth if isinstance(instance, Child) else dob,
                future_allowed=name in PLANNED_DATES,
            )
        if problem:
            problems[name] = problem
    for earlier, later in DATE_ORDER:
        first, then = getattr(instance, earlier, None), getattr(instance, later, None)
        if first and then and then < first and later not in problems:
            problems[later] = (
                f"{date_label(instance, later)} must be the same as or after the "
                f"{in_sentence(instance._meta.get_field(earlier).verbose_name)}"
            )
    if isinstance(instance, Referral) and dob and instance.received_on:
        if "received_on" not in problems:
            problems.update(_referral_age_problems(dob, instance))
    return problems


PREVENTION_PATHWAY = "PREVENTION"


def _referral_age_problems(dob, referral: Referral) -> dict[str, str]:
    """A child aged 8 or 9 can be referred for prevention work only: the pathway is at fault."""
    prevention = referral.pathway == PREVENTION_PATHWAY
    problem = periods.referral_age_problem(dob, referral.received_on, prevention=prevention)
    if not problem:
        return {}
    age = periods.age_on(dob, referral.received_on)
    under_age = periods.PREVENTION_MIN_AGE <= age < periods.YOUTH_JUSTICE_MIN_AGE
    return {"pathway" if under_age else "received_on": problem}


def check_dates(instance, *, child: Child | None = None, unchanged=()) -> None:
    """Raise one ValidationError naming every implausible date of the record."""
    problems = date_problems(instance, child=child, unchanged=unchanged)
    if problems:
        raise ValidationError(problems)


# Record rules -----------------------------------------------------------------------------
#
# Each rule returns every problem of a record as {field: message}, and skips what is not given
# yet, so the forms can show them next to their own "Enter …" errors in one round
# (`forms.RecordForm`) and the commands refuse a record that has any (`check_record`).


def offence_problems(offence: Offence, *, child: Child | None = None, **_) -> dict[str, str]:
    problems = {}
    if child and offence.offence_date:
        # The youth justice system deals with children aged 10 to 17 at the time of the offence.
        age = periods.age_on(child.date_of_birth, offence.offence_date)
        if age not in YOUTH_AGES:
            problems["offence_date"] = (
                f"The child was {age} on the offence date: an offence dealt with by the "
                f"service must be committed aged {YOUTH_AGES[0]} to {YOUTH_AGES[-1]}"
            )
    if offence.arrest_date and offence.offence_date and offence.arrest_date < offence.offence_date:
        problems["arrest_date"] = "Arrest date must be the same as or after the offence date"
    if offence.gravity_score is not None and not 1 <= offence.gravity_score <= 8:
        problems["gravity_score"] = "Gravity score must be a number from 1 to 8"
    return problems


def outcome_problems(
    outcome: Outcome, *, child: Child | None = None, offences=None, **_
) -> dict[str, str]:
    """The outcome's own rules, and with `offences` (the offences it is for) theirs too."""
    problems = {}
    info = codes.OUTCOME_BY_CODE.get(outcome.code or "")
    if offences is not None:
        offences = list(offences)
        if child and any(o.child_id != child.pk for o in offences):
            problems["offences"] = "Select only offences of this child"
        elif outcome.outcome_date and offences:
            latest = max(o.offence_date for o in offences)
            if outcome.outcome_date < latest:
                problems["outcome_date"] = (
                    f"Outcome date must be the same as or after the offence date "
                    f"({periods.long_date(latest)})"
                )
        if info and info.group is not None and not offences:
            problems["offences"] = "Select the offence or offences this outcome is for"
    if (
        outcome.first_hearing_date
        and outcome.outcome_date
        and outcome.first_hearing_date > outcome.outcome_date
    ):
        problems["first_hearing_date"] = (
            "First hearing date must be the same as or before the outcome date"
        )
    if info:
        problem = codes.order_length_problem(info.code, outcome.length_months)
        if problem:
            problems["length_months"] = problem
    return problems


def intervention_problems(
    intervention: Intervention, *, child: Child | None = None, **_
) -> dict[str, str]:
    outcome = intervention.outcome if intervention.outcome_id else None
    if outcome and child and outcome.child_id != child.pk:
        return {"outcome": "Select an outcome of this child"}
    return {}


def victim_problems(victim: Victim, *, offences=None, **_) -> dict[str, str]:
    problems = {}
    if offences is not None and not list(offences):
        problems["offences"] = "Select the offence this person or business was a victim of"
    if victim.rj_engaged == "YES" and victim.consent_to_contact != "YES":
        problems["rj_engaged"] = (
            "A victim can only engage with restorative justice after consenting to contact"
        )
    if victim.progress_provided == "YES" and victim.progress_requested != "YES":
        problems["progress_provided"] = (
            "Record that progress information was requested before recording it as provided"
        )
    if victim.support_provided == "YES" and victim.support_requested != "YES":
        problems["support_provided"] = (
            "Record that support was requested before recording it as provided"
        )
    return problems


_RULES = {
    Offence: offence_problems,
    Outcome: outcome_problems,
    Intervention: intervention_problems,
    Victim: victim_problems,
}


def record_problems(
    instance, *, child: Child | None = None, offences=None, unchanged=()
) -> dict[str, str]:
    """Every problem of a record, by field: its dates (`date_problems`), then its own rules.

    `offences` are the offences an outcome or victim is linked to (None: not judged here).
    """
    child = child or _child_of(instance)
    problems = date_problems(instance, child=child, unchanged=unchanged)
    rule = _RULES.get(type(instance))
    if rule:
        for field, message in rule(instance, child=child, offences=offences).items():
            problems.setdefault(field, message)
    return problems


def check_record(instance, **kwargs) -> None:
    """Raise one ValidationError naming every problem of the record (`record_problems`)."""
    problems = record_problems(instance, **kwargs)
    if problems:
        raise ValidationError(problems)


def new_child_problems(child: Child, referral: Referral) -> dict[str, str]:
    """The problems of a new child and the referral that brings them (one form asks both)."""
    problems = date_problems(child)
    # a refused date of birth says why already; the referral's own dates are still checked
    problems |= date_problems(referral, child=None if problems else child)
    return problems


def close_case_problems(child: Child, closed_on) -> dict[str, str]:
    closing = copy.copy(child)  # judged as it would be saved; the child is left as it is
    closing.closed_on = closed_on
    problems = date_problems(closing, unchanged={"date_of_birth"})
    open_interventions = child.interventions.filter(end_date__isnull=True)
    if "closed_on" not in problems and open_interventions.exists():
        problems["closed_on"] = (
            "Close the child's open interventions first "
            f"({', '.join(str(i) for i in open_interventions)})"
        )
    return problems


def status_problems(status: dict) -> dict[str, str]:
    """The child's accommodation and ETE as the intervention forms record them (KPIs 1 and 2)."""
    problems = {}
    if status.get("accommodation_type") and not status.get("accommodation_suitability"):
        problems["accommodation_suitability"] = "Select whether the accommodation is suitable"
    if (
        status.get("accommodation_type") in codes.ALWAYS_UNSUITABLE_ACCOMMODATION
        and status.get("accommodation_suitability") == "SUITABLE"
    ):
        problems["accommodation_suitability"] = (
            "Bed and breakfast, no fixed abode and unknown accommodation are never suitable"
        )
    if status.get("provision") and not status.get("ete_suitability"):
        problems["ete_suitability"] = (
            "Select whether the education, training or employment is suitable"
        )
    if (status.get("hours_attended") or 0) > (status.get("hours_offered") or 0):
        problems["hours_attended"] = "Hours attended cannot be more than hours offered"
    return problems


# Generic audited save ---------------------------------------------------------------------


# Bookkeeping of optimistic locking, not a change anyone made.
_REVISION_FIELDS = {"revision", "updated_at", "updated_by_id"}


def _save(actor, instance, *, description: str = "", child: Child | None = None):
    """Validate, save and audit one record (create or update, with old and new values).

    A versioned record is saved only if nobody saved it since the user opened it
    (`versioning.claim` raises EditConflict otherwise).
    """
    if isinstance(instance, versioning.Versioned):
        versioning.claim(instance, actor)
    before = {}
    if instance.pk:
        before = audit.field_values(type(instance).objects.get(pk=instance.pk))
    check_record(instance, child=child, unchanged=_unchanged(before, instance))
    instance.full_clean()
    action = "UPDATE" if instance.pk else "CREATE"
    instance.save()
    after = audit.field_values(instance)
    changes = {k: v for k, v in audit.diff(before, after).items() if k not in _REVISION_FIELDS}
    audit.record(actor, action, instance, description=description or str(instance), changes=changes)
    return instance


def _unchanged(before: dict, instance) -> set[str]:
    after = audit.field_values(instance)
    return {name for name, value in before.items() if after.get(name) == value}


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
    problems = new_child_problems(child, referral)
    if problems:
        raise ValidationError(problems)
    if not child.reference:
        child.reference = next_reference()
    _save(actor, child, description="New child")
    _save(
        actor, EthnicityRecord(child=child, ethnicity=ethnicity, recorded_on=referral.received_on)
    )
    referral.child = child
    _save(actor, referral, description="Referral received")
    return child


REFERENCE_PREFIX = "YJ"


def next_reference() -> str:
    """The next free child reference, "YJ" and six digits. Call it inside the transaction that
    saves the child.

    The counter row is locked until that transaction commits, so referrals made at the same
    moment wait for each other instead of taking the same number (PostgreSQL); on SQLite the
    IMMEDIATE transaction already has the database to itself.
    """
    ReferenceCounter.objects.get_or_create(
        prefix=REFERENCE_PREFIX, defaults={"last": _highest_reference_number()}
    )
    counter = ReferenceCounter.objects.select_for_update().get(prefix=REFERENCE_PREFIX)
    number = counter.last + 1
    while Child.objects.filter(reference=f"{REFERENCE_PREFIX}{number:06d}").exists():
        number += 1  # a reference loaded by the demo or an import
    counter.last = number
    counter.save(update_fields=["last"])
    return f"{REFERENCE_PREFIX}{number:06d}"


def _highest_reference_number() -> int:
    numbers = (
        ref[len(REFERENCE_PREFIX) :]
        for ref in Child.objects.filter(reference__startswith=REFERENCE_PREFIX).values_list(
            "reference", flat=True
        )
    )
    return max((int(n) for n in numbers if n.isdigit()), default=0)


@transaction.atomic
def record_offence(actor, offence: Offence) -> Offence:
    return _save(actor, offence)  # `_save` checks the record (`offence_problems`)


@transaction.atomic
def record_outcome(actor, outcome: Outcome, offences) -> Outcome:
    offences = list(offences)
    check_record(outcome, offences=offences)
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
    _check_status(status)
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
    _check_status(status)
    intervention.end_date = end_date
    intervention.end_reason = end_reason
    intervention.completed_successfully = completed_successfully
    _save(actor, intervention, description=f"Closed {intervention.get_kind_display()}")
    if status:
        _replace_status(actor, intervention.child, end_date, status)
    return intervention


def _check_status(status: dict | None) -> None:
    problems = status_problems(status or {})
    if problems:
        raise ValidationError(problems)


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
    check_record(victim, child=offences[0].child if offences else None, offences=offences)
    child = offences[0].child
    before = set(victim.offences.values_list("pk", flat=True)) if victim.pk else set()
    _save(actor, victim, child=child)
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
    problems = close_case_problems(child, closed_on)
    if problems:
        raise ValidationError(problems)
    child.closed_on = closed_on
    child.closure_reason = closure_reason
    return _save(actor, child, description="Case closed")
