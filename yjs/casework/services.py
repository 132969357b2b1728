"""Commands that change a child's record. Each runs in one transaction and is audited here.

Views call these; they never save models themselves. Domain rules about dates live here too,
so the forms, the importers and the demo generator refuse the same impossible records.
"""

from __future__ import annotations

import copy
import datetime
import functools
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from yjs import codes, periods, versioning
from yjs.audit import services as audit
from yjs.forms import in_sentence, sentence_case
from yjs.organisation.models import Role

from . import selectors
from .models import (
    AccommodationRecord,
    Allocation,
    CaseClosure,
    CaseRecord,
    Child,
    ChildMerge,
    EteRecord,
    EthnicityRecord,
    Intervention,
    ManagementOversight,
    Offence,
    Outcome,
    ReferenceCounter,
    Referral,
    ReferralOrderPanel,
    Transfer,
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
PLANNED_DATES = frozenset(
    {
        "planned_end_date",
        "review_due",
        "licence_end_date",
        "transferred_on",
        "next_hearing_date",  # court work: the date a hearing adjourned to
        "due_on",  # court work: a pre-sentence report's due date
    }
)

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
    ("closed_on", "reopened_on"),
)


def date_label(instance, name: str) -> str:
    """How a date is named in a message: its field's label ("Date the referral was received")."""
    return sentence_case(instance._meta.get_field(name).verbose_name)


def _date_fields(instance) -> tuple[str, ...]:
    return _date_fields_of(type(instance))


@functools.cache
def _date_fields_of(model) -> tuple[str, ...]:
    """A model's date fields (its fields do not change: asked once per model, not per record,
    as an import judges tens of thousands of records)."""
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    )


def _child_of(instance) -> Child | None:
    if isinstance(instance, Child):
        return instance
    if getattr(instance, "child_id", None):
        return instance.child
    if isinstance(instance, ReferralOrderPanel) and instance.intervention_id:
        return instance.intervention.child
    if isinstance(instance, Victim) and instance.pk:
        return Child.objects.filter(offences__victims=instance).first()
    return None


def date_problems(
    instance, *, child: Child | None = None, unchanged=(), as_of: datetime.date | None = None
) -> dict[str, str]:
    """Each implausible date of a record, by field: outside the bounds of `yjs.periods`, in the
    future when it is not a planned date, or before a date it follows. Dates in `unchanged`
    (kept from an earlier save) are not judged again, so an old record can still be updated.
    Dates not given yet (None) are skipped, so a form can ask this of a half-filled record.
    `as_of` is today's date when the caller judges many records at once (an import).
    """
    child = child or _child_of(instance)
    dob = child.date_of_birth if child and not isinstance(instance, Child) else None
    now = as_of or today()
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
                # a model may name planned dates of its own (a panel booked ahead)
                future_allowed=name in PLANNED_DATES
                or name in getattr(instance, "PLANNED_DATES", ()),
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
    if offence.pk and offence.offence_date and "offence_date" not in problems:
        # a changed date must still come before the outcomes it led to
        for outcome in offence.outcomes.all():
            if outcome.outcome_date < offence.offence_date:
                problems["offence_date"] = (
                    "Offence date must be the same as or before the date of its outcome "
                    f"({outcome.get_code_display()}, {periods.long_date(outcome.outcome_date)})"
                )
                break
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
        if info and info.group is not None and not offences and not outcome.varies_id:
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
    problems.update(variation_problems(outcome, child=child))
    return problems


# Orders a court can extend or vary (the variation is recorded against the order it changes).
VARIABLE_ORDERS = frozenset({"YRO", "REFERRAL_ORDER", "REPARATION_ORDER"})


def variation_problems(outcome: Outcome, *, child: Child | None = None) -> dict[str, str]:
    """A variation names the order it varies: one of this child's orders, the same kind of
    order, made on or before the variation."""
    if not outcome.varies_id:
        if outcome.is_variation:
            return {"varies": "Select the order this extends or varies"}
        return {}
    varied = outcome.varies
    if (child and varied.child_id != child.pk) or (outcome.pk and varied.pk == outcome.pk):
        return {"varies": "Select an earlier order of this child"}
    if varied.code not in VARIABLE_ORDERS:
        return {
            "varies": "Only a referral order, reparation order or youth rehabilitation "
            "order can be extended or varied"
        }
    if outcome.code and outcome.code != varied.code:
        return {
            "code": f"An extension or variation keeps the order's own outcome "
            f"({varied.get_code_display().lower()})"
        }
    if outcome.outcome_date and outcome.outcome_date < varied.outcome_date:
        return {
            "outcome_date": "Outcome date of a variation must be the same as or after the "
            f"date of the order ({periods.long_date(varied.outcome_date)})"
        }
    return {}


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


def referral_problems(referral: Referral, **_) -> dict[str, str]:
    """A decision has its date and reason; a date alone is no decision."""
    problems = {}
    if referral.decision:
        if not referral.decided_on:
            problems["decided_on"] = "Enter the date the decision was made"
        if referral.decision != "ACCEPTED" and not referral.decision_reason.strip():
            problems["decision_reason"] = "Enter why the referral was not accepted"
    elif referral.decided_on:
        problems["decision"] = "Select the decision made on the referral"
    return problems


_RULES = {
    Referral: referral_problems,
    Offence: offence_problems,
    Outcome: outcome_problems,
    Intervention: intervention_problems,
    Victim: victim_problems,
}
# The command that changes a record of another app's kind (court work, ...) from its record
# page, and the live records that rest on one: see `register_record_kind`.
_UPDATES: dict[type, Callable] = {}
_DEPENDANTS: dict[type, Callable] = {}


def register_record_kind(model, problems, *, update=None, dependants=None) -> None:
    """A record kind of the journey's other parts, registered in its AppConfig.ready():
    `problems(record, *, child, offences) -> {field: message}` joins `record_problems` (the
    forms and every save ask it), `update(actor, record, *, offences)` is the command
    `update_record` runs for a change, and `dependants(record) -> [records]` what
    `void_record` asks to be voided first."""
    _RULES[model] = problems
    if update is not None:
        _UPDATES[model] = update
    if dependants is not None:
        _DEPENDANTS[model] = dependants


# Work that follows a new record of a kind (the diary's tasks when an order, a pre-sentence
# report or a victim is recorded): `hook(actor, record, child)` runs inside the save's
# transaction, after its audit, so the record and what follows it are saved together or not at
# all. An explicit list rather than Django signals: `_save` is the one door every record passes.
_AFTER_CREATE: dict[type, list[Callable]] = {}


def register_after_create(model, hook) -> None:
    hooks = _AFTER_CREATE.setdefault(model, [])
    if hook not in hooks:
        hooks.append(hook)


def record_problems(
    instance, *, child: Child | None = None, offences=None, unchanged=(), as_of=None
) -> dict[str, str]:
    """Every problem of a record, by field: its dates (`date_problems`), then its own rules.

    `offences` are the offences an outcome or victim is linked to (None: not judged here).
    """
    child = child or _child_of(instance)
    problems = date_problems(instance, child=child, unchanged=unchanged, as_of=as_of)
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


# Nothing new is recorded on a closed case: it is reopened first (`reopen_case`, or
# `record_referral` for a re-referral). Only the case's closure and merge history and a manager's
# oversight (for example signing off the closure) may be added while it is closed. Corrections
# of existing records stay possible.
ALLOWED_ON_CLOSED_CASE = (CaseClosure, ChildMerge, ManagementOversight)


def closed_case_message(child: Child) -> str:
    return (
        f"This case was closed on {periods.long_date(child.closed_on)}. "
        "Reopen it to record anything new"
    )


def _check_case_open(instance, child: Child | None) -> None:
    if instance.pk or isinstance(instance, (Child, *ALLOWED_ON_CLOSED_CASE)):
        return
    owner = child or _child_of(instance)
    if owner is not None and owner.closed_on:
        raise ValidationError(closed_case_message(owner), code="case_closed")


def _save(actor, instance, *, description: str = "", child: Child | None = None):
    """Validate, save and audit one record (create or update, with old and new values).

    A versioned record is saved only if nobody saved it since the user opened it
    (`versioning.claim` raises EditConflict otherwise). A voided record is never changed, and
    a new record of a closed case is refused (ALLOWED_ON_CLOSED_CASE).
    """
    _check_case_open(instance, child)
    if isinstance(instance, versioning.Versioned):
        versioning.claim(instance, actor)
    before = {}
    if instance.pk:
        # the base manager: a voided record is found, and refused
        before = audit.field_values(type(instance)._base_manager.get(pk=instance.pk))
        if before.get("voided_at"):
            raise ValidationError("This record was voided: it can no longer be changed")
    check_record(instance, child=child, unchanged=_unchanged(before, instance))
    instance.full_clean()
    action = "UPDATE" if instance.pk else "CREATE"
    instance.save()
    _audit_change(actor, action, instance, before, description, child)
    if action == "CREATE":
        for hook in _AFTER_CREATE.get(type(instance), ()):
            hook(actor, instance, child or _child_of(instance))
    return instance


def _audit_change(actor, action, instance, before, description, child=None):
    after = audit.field_values(instance)
    changes = {k: v for k, v in audit.diff(before, after).items() if k not in _REVISION_FIELDS}
    audit.record(
        actor,
        action,
        instance,
        child=child or _child_of(instance),
        description=description or str(instance),
        changes=changes,
    )
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
def add_child_with_referral(
    actor, *, child: Child, ethnicity: str, referral: Referral, not_a_match_of: int = 0
) -> Child:
    """A new child and their referral. `not_a_match_of`: how many likely matches
    (`selectors.likely_matches`) the user judged to be other children, kept in the audit."""
    problems = new_child_problems(child, referral)
    if problems:
        raise ValidationError(problems)
    if not child.reference:
        child.reference = next_reference()
    checked = f" (checked against {not_a_match_of} likely matches)" if not_a_match_of else ""
    _save(actor, child, description=f"New child{checked}")
    _save(
        actor, EthnicityRecord(child=child, ethnicity=ethnicity, recorded_on=referral.received_on)
    )
    referral.child = child
    _save(actor, referral, description="Referral received")
    _save(
        actor,
        Allocation(
            child=child,
            team=child.team,
            worker=child.allocated_worker,
            allocated_on=referral.received_on,
            allocated_by=actor,
            reason="New referral",
        ),
        description=_allocation_text(child.allocated_worker, child.team),
    )
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
    """Record or change an outcome. A variation is for the offences of the order it varies
    unless others are ticked."""
    offences = list(offences)
    outcome.is_variation = outcome.is_variation or bool(outcome.varies_id)
    if outcome.varies_id and not offences:
        offences = list(outcome.varies.offences.all())
    check_record(outcome, offences=offences)
    _save(actor, outcome)
    link_offences(actor, outcome, offences, "Offences linked to outcome")
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
    _save(actor, victim, child=child)
    link_offences(actor, victim, offences, "Victim's offences", child=child)
    return victim


def link_offences(actor, record, offences, description: str, *, child=None) -> None:
    """Link a saved record (an outcome, a victim, a hearing, a panel) to these offences and
    audit the change of links: a many-to-many change is no field change, so `_save`'s own
    audit does not see it."""
    before = sorted(record.offences.values_list("pk", flat=True))
    record.offences.set(offences)
    after = sorted(o.pk for o in offences)
    if before != after:
        audit.record(
            actor,
            "UPDATE",
            record,
            child=child,
            description=description,
            changes={"offences": [before, after]},
        )


def _open_work_problem(child: Child) -> str:
    open_interventions = child.interventions.filter(end_date__isnull=True)
    if open_interventions.exists():
        return (
            "Close the child's open interventions first "
            f"({', '.join(str(i) for i in open_interventions)})"
        )
    return ""


@transaction.atomic
def close_case(actor, child: Child, *, closed_on, closure_reason) -> Child:
    problems = close_case_problems(child, closed_on)
    if problems:
        raise ValidationError(problems)
    if Child.objects.filter(pk=child.pk, closed_on__isnull=False).exists():
        raise ValidationError({"closed_on": "This case is already closed"})
    child.closed_on = closed_on
    child.closure_reason = closure_reason
    _save(actor, child, description="Case closed")
    _save(
        actor,
        CaseClosure(child=child, closed_on=closed_on, reason=closure_reason, closed_by=actor),
        description="Case closed",
    )
    return child


# Allocation and transfers -----------------------------------------------------------------

# Staff who can hold a caseload (forms.case_workers offers the same people).
CASE_WORKER_ROLES = {Role.PRACTITIONER, Role.TEAM_MANAGER}


def _allocation_text(worker, team) -> str:
    return f"Allocated to {worker}, team {team}" if worker else f"Unallocated, team {team}"


def last_allocation(child: Child) -> Allocation | None:
    return child.allocations.order_by("-allocated_on", "-id").first()


@transaction.atomic
def allocate(actor, child: Child, team, worker, on, reason: str = "") -> Allocation:
    """Give the child's case to a team and worker (or to the team's queue, without a worker)
    from a date. The child's current team and worker follow, so the caseloads do too.

    The worker must hold a caseload in that team: a practitioner sees only their own team's
    children, so a worker of another team could not open the record they were given.
    """
    problems: dict[str, str] = {}
    if child.closed_on:
        raise ValidationError("The case is closed: reopen it before allocating it")
    if team is None or team.service_id != child.service_id:
        problems["team"] = "Select a team of this service"
    elif worker is not None and (
        worker.service_id != child.service_id
        or worker.team_id != team.pk
        or worker.role not in CASE_WORKER_ROLES
        or not worker.is_active
    ):
        problems["worker"] = f"Select a worker who holds a caseload in team {team}"
    allocation = Allocation(
        child=child, team=team, worker=worker, allocated_on=on, allocated_by=actor, reason=reason
    )
    problems |= date_problems(allocation, child=child) if on else {}
    last = last_allocation(child)
    if last and on and on < last.allocated_on and "allocated_on" not in problems:
        problems["allocated_on"] = (
            "The allocation date must be the same as or after the last allocation "
            f"({last.allocated_on:%-d %B %Y})"
        )
    unchanged = child.team_id == getattr(team, "pk", None) and child.allocated_worker_id == (
        worker.pk if worker else None
    )
    if unchanged and last and not problems:  # with no history yet, this starts it
        problems["worker"] = (
            f"The child is already allocated to {worker}, team {team}"
            if worker
            else f"The child is already waiting for allocation in team {team}"
        )
    if problems:
        raise ValidationError(problems)
    description = _allocation_text(worker, team)
    child.team, child.allocated_worker = team, worker
    _save(actor, child, description=description)
    return _save(actor, allocation, description=description, child=child)


def _transfer(actor, child: Child, transfer: Transfer, direction: str) -> Transfer:
    transfer.child, transfer.direction = child, direction
    return _save(actor, transfer, description=str(transfer), child=child)


@transaction.atomic
def transfer_in(actor, child: Child, transfer: Transfer) -> Transfer:
    """Record that the child came to us from another youth justice service."""
    return _transfer(actor, child, transfer, Transfer.Direction.IN)


@transaction.atomic
def transfer_out(actor, child: Child, transfer: Transfer) -> Transfer:
    """Hand the child to another youth justice service: the transfer is recorded and the case
    closes here on the transfer date, with the reason "transferred to another youth justice
    service", in the same transaction. Refused while an intervention is open (as closing is)."""
    if child.closed_on:
        raise ValidationError(
            {"transfer_date": f"The case was closed on {child.closed_on:%-d %B %Y}"}
        )
    problem = _open_work_problem(child)
    if problem:
        raise ValidationError({"transfer_date": problem})
    saved = _transfer(actor, child, transfer, Transfer.Direction.OUT)
    close_case(actor, child, closed_on=transfer.transfer_date, closure_reason="TRANSFERRED_YJS")
    return saved


# Corrections: edit, void, the child's details -----------------------------------------------


@transaction.atomic
def update_record(actor, instance, *, offences=None):
    """Save a change to a record through the command that first recorded it, so an edit
    passes the same checks (dates, ages, linked offences) and is audited with old and new
    values. `offences` is for outcomes and victims, which link to offences."""
    if not instance.pk:
        raise ValueError("update_record changes an existing record")
    if type(instance) in _UPDATES:
        return _UPDATES[type(instance)](actor, instance, offences=offences)
    if isinstance(instance, Offence):
        return record_offence(actor, instance)
    if isinstance(instance, Outcome):
        return record_outcome(actor, instance, offences if offences is not None else [])
    if isinstance(instance, Victim):
        return record_victim(actor, instance, offences if offences is not None else [])
    if isinstance(instance, Intervention):
        if instance.outcome and instance.outcome.child_id != instance.child_id:
            raise ValidationError({"outcome": "Choose an outcome of this child"})
        if instance.end_date and not instance.end_reason:
            raise ValidationError({"end_reason": "Select why the intervention ended"})
    return _save(actor, instance, description=f"Changed {instance._meta.verbose_name}")


def live_dependants(record) -> list:
    """Live records that rest on this one: voided first, so nothing counts on a void record.

    Every casework record (of any app: court work, supervision) that links to this one is
    found through its relation, so a new record kind is covered without being listed here;
    a kind whose dependants are linked the other way (a hearing's remand) registers them
    (`register_record_kind(dependants=)`)."""
    found = []
    for rel in type(record)._meta.related_objects:
        if not (rel.one_to_many or rel.many_to_many) or not issubclass(
            rel.related_model, CaseRecord
        ):
            continue
        found.extend(getattr(record, rel.get_accessor_name()).all())
    if type(record) in _DEPENDANTS:
        found.extend(d for d in _DEPENDANTS[type(record)](record) if d not in found)
    return found


def describe(record) -> str:
    """A record in words, for messages: "Outcome: Referral order (3 Jan 2024)"."""
    name = str(record._meta.verbose_name)
    name = name[:1].upper() + name[1:]
    if type(record).__str__ is not models.Model.__str__:
        return f"{name}: {record}"
    dates = [getattr(record, f) for f in _date_fields(record) if getattr(record, f)]
    return f"{name} ({dates[0]:%-d %b %Y})" if dates else name


@transaction.atomic
def void_record(actor, record: CaseRecord, reason: str) -> CaseRecord:
    """Mark a record entered in error: it leaves the journey, the KPIs and the snapshots, and
    its page keeps it with its history. Records never leave the database by a user's hand.

    A record others rest on (an offence with outcomes or victims, an outcome with
    interventions or custody, an intervention with panels) is refused, naming what to void
    first: voiding them silently as well would hide a second correction in the first.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this record is being voided"})
    current = type(record).all_objects.get(pk=record.pk)
    if current.voided_at:
        raise ValidationError("This record has already been voided")
    dependants = live_dependants(record)
    if dependants:
        names = "; ".join(describe(d) for d in dependants)
        raise ValidationError(
            {"reason": f"Void the records that depend on this one first: {names}"}
        )
    versioning.claim(record, actor)
    before = audit.field_values(current)
    record.voided_at = timezone.now()
    record.voided_by = actor if getattr(actor, "is_authenticated", False) else None
    record.void_reason = reason
    record.save()
    _audit_change(actor, "UPDATE", record, before, f"Voided: {reason}")
    return record


@transaction.atomic
def update_child(actor, child: Child) -> Child:
    """Change the child's details. A new date of birth must keep every offence at 10 to 17."""
    if child.erased_at:
        raise ValidationError("This child's personal data has been erased")
    for offence in child.offences.all():
        age = periods.age_on(child.date_of_birth, offence.offence_date)
        if age not in YOUTH_AGES:
            raise ValidationError(
                {
                    "date_of_birth": f"With this date of birth the child was {age} on the date "
                    f"of an offence ({offence.offence_date:%-d %B %Y}): an offence dealt with "
                    "by the service must be committed aged 10 to 17"
                }
            )
    return _save(actor, child, description="Child's details changed")


@transaction.atomic
def record_ethnicity(actor, child: Child, *, ethnicity: str, recorded_on) -> EthnicityRecord:
    """A child re-identifies: a new dated record, the old one stays as history."""
    return _save(
        actor,
        EthnicityRecord(child=child, ethnicity=ethnicity, recorded_on=recorded_on),
        description="Ethnicity recorded",
    )


def _open_closure(child: Child) -> CaseClosure:
    """The closure a reopening ends: the latest not yet reopened (one is made for a closure
    recorded before closures were kept as history)."""
    closure = child.closures.filter(reopened_on__isnull=True).first()
    return closure or CaseClosure(
        child=child, closed_on=child.closed_on, reason=child.closure_reason
    )


def _reopen(actor, child: Child, *, reopened_on, reason: str, description: str) -> CaseClosure:
    if not child.closed_on:
        raise ValidationError("This case is open")
    closure = _open_closure(child)
    closure.reopened_on = reopened_on
    closure.reopened_by = actor
    closure.reopen_reason = reason
    check_dates(closure, unchanged={"closed_on"})
    child.closed_on = None
    child.closure_reason = ""
    _save(actor, child, description=description)
    _save(actor, closure, description=description)
    return closure


@transaction.atomic
def reopen_case(actor, child: Child, *, reopened_on, reason: str) -> Child:
    """Reopen a closed case to record more; the closure stays in the case's history."""
    _reopen(actor, child, reopened_on=reopened_on, reason=reason, description="Case reopened")
    return child


@transaction.atomic
def record_referral(actor, referral: Referral) -> Referral:
    """A referral of a known child. A re-referral of a closed case reopens it, with no worker,
    so the child waits in the team's referral queue for allocation."""
    child = referral.child
    if child.closed_on:
        check_dates(referral)
        if referral.received_on < child.closed_on:
            raise ValidationError(
                {
                    "received_on": "The case was closed on "
                    f"{periods.long_date(child.closed_on)}: a new referral must be received "
                    "on or after that date"
                }
            )
        child.allocated_worker = None
        _reopen(
            actor,
            child,
            reopened_on=referral.received_on,
            reason="New referral",
            description="Case reopened by a new referral",
        )
    return _save(actor, referral, description="Referral received")


# Merging duplicate records -----------------------------------------------------------------


def _move(actor, model, field: str, ids, source: Child, target: Child, description: str):
    """Move records from one child to another, one audit event each (old and new child)."""
    rows = selectors.all_rows(model).filter(pk__in=ids, **{field: source})
    records = list(rows)
    changes = {field: target}
    if any(f.name == "revision" for f in model._meta.concrete_fields):
        changes["revision"] = F("revision") + 1  # a form opened before the move is stale
    rows.update(**changes)
    for record in records:
        audit.record(
            actor,
            "UPDATE",
            record,
            child=target,
            description=description,
            changes={f"{field}_id": [source.pk, target.pk]},
        )
    return len(records)


def merge_problem(survivor: Child, duplicate: Child) -> str | None:
    """Why these two records cannot be merged, or None."""
    if survivor.pk == duplicate.pk:
        return "A record cannot be merged into itself: choose the duplicate record"
    if survivor.service_id != duplicate.service_id:
        return "Children of different youth justice services cannot be merged"
    for child in (duplicate, survivor):
        if child.merged_into_id:
            return f"{child.reference} has already been merged into another record"
        if child.erased_at:
            return f"{child.reference} has been erased and cannot be merged"
    return None


@transaction.atomic
def merge_children(actor, survivor: Child, duplicate: Child) -> ChildMerge:
    """Move every record of the duplicate to the surviving record and mark the duplicate as
    merged into it, so it drops out of caseloads, search, alerts, snapshots and KPIs.

    If the survivor's case is closed but the duplicate's is open, the survivor is reopened
    with the duplicate's team and worker. What moved and what changed is kept in the
    ChildMerge, so `unmerge_children` can put it back exactly.
    """
    survivor = Child.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Child.objects.select_for_update().get(pk=duplicate.pk)
    problem = merge_problem(survivor, duplicate)
    if problem:
        raise ValidationError(problem)
    if not actor.has_perm("casework.merge_children", (survivor, duplicate)):
        raise PermissionDenied
    description = f"Moved from {duplicate.reference} to {survivor.reference} (merge)"
    moved: dict[str, dict[str, list[int]]] = {}
    for rel in selectors.record_relations():
        model, field = rel.related_model, rel.field.name
        ids = sorted(
            selectors.all_rows(model).filter(**{field: duplicate}).values_list("pk", flat=True)
        )
        if ids:
            _move(actor, model, field, ids, duplicate, survivor, description)
            moved.setdefault(model._meta.label_lower, {})[field] = ids
    before = {}
    if survivor.closed_on and not duplicate.closed_on:
        before = {
            "closed_on": survivor.closed_on.isoformat(),
            "closure_reason": survivor.closure_reason,
            "team_id": survivor.team_id,
            "allocated_worker_id": survivor.allocated_worker_id,
        }
        survivor.team_id = duplicate.team_id
        survivor.allocated_worker_id = duplicate.allocated_worker_id
        closure = _reopen(
            actor,
            survivor,
            reopened_on=today(),
            reason=f"Merged with {duplicate.reference}",
            description="Case reopened by a merge",
        )
        before["closure_id"] = closure.pk
    merge = _save(
        actor,
        ChildMerge(
            survivor=survivor,
            duplicate=duplicate,
            moved=moved,
            survivor_before=before,
            merged_by=actor,
        ),
        child=survivor,
        description=f"Merged {duplicate.reference} into {survivor.reference}",
    )
    duplicate.merged_into = survivor
    _save(actor, duplicate, description=f"Merged into {survivor.reference}")
    return merge


@transaction.atomic
def unmerge_children(actor, merge: ChildMerge) -> ChildMerge:
    """Reverse a merge exactly: the records that moved go back, the duplicate returns, and a
    case the merge reopened is closed again. Records added to the survivor since stay."""
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    survivor = Child.objects.select_for_update().get(pk=merge.survivor_id)
    duplicate = Child.objects.select_for_update().get(pk=merge.duplicate_id)
    if not actor.has_perm("casework.merge_children", (survivor, duplicate)):
        raise PermissionDenied
    if merge.unmerged_at:
        raise ValidationError("This merge has already been reversed")
    if survivor.merged_into_id:
        raise ValidationError(
            f"{survivor.reference} has since been merged into another record: "
            "reverse that merge first"
        )
    description = f"Moved back from {survivor.reference} to {duplicate.reference} (merge reversed)"
    for label, fields in merge.moved.items():
        model = apps.get_model(label)
        for field, ids in fields.items():
            if selectors.all_rows(model).filter(pk__in=ids, **{field: survivor}).count() != len(
                ids
            ):
                raise ValidationError(
                    "Some records that this merge moved are no longer on "
                    f"{survivor.reference}, so it cannot be reversed exactly"
                )
            _move(actor, model, field, ids, survivor, duplicate, description)
    before = merge.survivor_before
    if before and survivor.closed_on is None:
        survivor.closed_on = datetime.date.fromisoformat(before["closed_on"])
        survivor.closure_reason = before["closure_reason"]
        survivor.team_id = before["team_id"]
        survivor.allocated_worker_id = before["allocated_worker_id"]
        _save(actor, survivor, description="Case closed again (merge reversed)")
        closure = CaseClosure.objects.filter(pk=before.get("closure_id")).first()
        if closure:
            closure.reopened_on, closure.reopened_by, closure.reopen_reason = None, None, ""
            _save(actor, closure, description="Reopening reversed (merge reversed)")
    duplicate.merged_into = None
    _save(actor, duplicate, description=f"Merge into {survivor.reference} reversed")
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor
    return _save(actor, merge, child=survivor, description="Merge reversed")
