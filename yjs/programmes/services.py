"""The rules of programmes and the commands that change them (each one transaction, audited).

Completion: a child completes a cohort by attending at least the programme's
`sessions_to_complete` sessions (seed 000's Which Way: 4 of 6) – `completion_status`.
Every save of a versioned record claims its revision first (`versioning.claim`), so an edit
made on a page opened before someone else's save is refused (EditConflict), never applied over
it. A session's register is saved under the session's revision, the whole-programme scores
under the cohort's.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from yjs import periods, versioning
from yjs.audit import services as audit
from yjs.casework import services as casework

from .models import Attendance, Cohort, Enrolment, Programme, Session

COMPLETED, NOT_COMPLETED, IN_PROGRESS = "Completed", "Not completed", "In progress"


# --------------------------------------------------------------------------- rules


def is_complete(attended: int, programme: Programme) -> bool:
    """The completion rule: at least `sessions_to_complete` sessions attended."""
    return attended >= programme.sessions_to_complete


def completion_status(attended: int, programme: Programme, cohort_ended: bool) -> str:
    """Completed once the rule is met; not completed once the cohort has ended without it;
    in progress until then."""
    if is_complete(attended, programme):
        return COMPLETED
    return NOT_COMPLETED if cohort_ended else IN_PROGRESS


def cohort_ended(cohort: Cohort, as_at: dt.date) -> bool:
    return cohort.end_date is not None and cohort.end_date <= as_at


def programme_problems(programme: Programme, **_) -> dict[str, str]:
    problems = {}
    if (
        programme.sessions
        and programme.sessions_to_complete
        and programme.sessions_to_complete > programme.sessions
    ):
        problems["sessions_to_complete"] = (
            f"Sessions to complete it must be {programme.sessions} (the number of sessions) "
            "or fewer"
        )
    return problems


def cohort_problems(cohort: Cohort, *, today: dt.date | None = None, **_) -> dict[str, str]:
    problems = {}
    if cohort.start_date and cohort.end_date and cohort.end_date < cohort.start_date:
        problems["end_date"] = "Date the cohort ends must be the same as or after it starts"
    today = today or casework.today()
    if cohort.end_date and cohort.end_date > today:
        problems["end_date"] = "Date the cohort ends must be today or in the past"
    return problems


def session_problems(session: Session, **_) -> dict[str, str]:
    problems = {}
    cohort = session.cohort
    if session.number and session.number > cohort.programme.sessions:
        problems["number"] = (
            f"{cohort.programme} has {cohort.programme.sessions} sessions: enter a number "
            f"from 1 to {cohort.programme.sessions}"
        )
    elif (
        session.number
        and Session.objects.filter(cohort=cohort, number=session.number)
        .exclude(pk=session.pk)
        .exists()
    ):
        problems["number"] = f"Session {session.number} of this cohort is already recorded"
    if session.date and session.date < cohort.start_date:
        problems["date"] = (
            "Date of the session must be the same as or after the cohort starts "
            f"({periods.long_date(cohort.start_date)})"
        )
    return problems


def enrolment_problems(enrolment: Enrolment, *, child=None, **_) -> dict[str, str]:
    """Registered with casework (`register_record_kind`): the form, `save_record` and the record
    page's "Change" all refuse the same enrolments."""
    problems = {}
    child = child or getattr(enrolment, "child", None)
    cohort = enrolment.cohort if enrolment.cohort_id else None
    if cohort is None or child is None:
        return problems
    if child.service_id != cohort.programme.service_id:
        problems["__all__"] = "The child and the cohort must be of the same service"
    elif Enrolment.objects.filter(cohort=cohort, child=child).exclude(pk=enrolment.pk).exists():
        problems["__all__"] = f"{child.display_name} is already enrolled on {cohort}"
    if enrolment.left_on and enrolment.enrolled_on and enrolment.left_on < enrolment.enrolled_on:
        problems["left_on"] = "Date the child left must be the same as or after they enrolled"
    return problems


RULES = {Enrolment: enrolment_problems}


def _check(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


def _save(actor, instance, description: str, problems: dict[str, str]):
    """Claim, check, save and audit a record that is not a child's (catalogue, cohort,
    session): old and new values go to the trail like casework's."""
    versioning.claim(instance, actor)
    before = {}
    if instance.pk:
        before = audit.field_values(type(instance)._base_manager.get(pk=instance.pk))
    _check(problems)
    instance.full_clean()
    action = "UPDATE" if instance.pk else "CREATE"
    instance.save()
    changes = {
        k: v
        for k, v in audit.diff(before, audit.field_values(instance)).items()
        if k not in ("revision", "updated_at", "updated_by")
    }
    audit.record(actor, action, instance, description=description, changes=changes)
    return instance


# --------------------------------------------------------------------------- commands


@transaction.atomic
def save_programme(actor, programme: Programme) -> Programme:
    if programme.pk is None:
        programme.service_id = actor.service_id
    return _save(actor, programme, f"Saved programme {programme}", programme_problems(programme))


@transaction.atomic
def save_cohort(actor, cohort: Cohort, facilitators=None) -> Cohort:
    _save(actor, cohort, f"Saved cohort {cohort}", cohort_problems(cohort))
    if facilitators is not None:
        cohort.facilitators.set(facilitators)
    return cohort


@transaction.atomic
def save_session(actor, session: Session) -> Session:
    return _save(actor, session, f"Saved {session} of {session.cohort}", session_problems(session))


@transaction.atomic
def enrol(actor, enrolment: Enrolment) -> Enrolment:
    """A child's place on a cohort: a casework record (audited against the child)."""
    return casework._save(actor, enrolment, description=f"Enrolled on {enrolment.cohort}")


@transaction.atomic
def save_register(actor, session: Session, revision: int | None, rows: dict) -> int:
    """Save a session's register: `rows` = {enrolment: (attended, score_start, score_end)}.

    Only the enrolments given are touched (a practitioner's register lists the children in
    their reach). The session's revision is claimed first: a register opened before someone
    else saved it is refused whole. Returns the number of children marked present.
    """
    versioning.claim(session, actor, revision)
    problems = {}
    if session.date > casework.today():
        raise ValidationError(
            f"The register can be taken from the day of the session "
            f"({periods.long_date(session.date)})"
        )
    for enrolment, (attended, start, end) in rows.items():
        if enrolment.cohort_id != session.cohort_id:
            raise ValidationError("A child on the register is not enrolled on this cohort")
        if not attended and (start is not None or end is not None):
            problems["__all__"] = (
                f"{enrolment.child.display_name} has scores but is not marked present: "
                "tick present or clear the scores"
            )
    _check(problems)
    present = 0
    for enrolment, (attended, start, end) in rows.items():
        row, _ = Attendance.objects.get_or_create(session=session, enrolment=enrolment)
        before = audit.field_values(row)
        row.attended, row.score_start, row.score_end = attended, start, end
        row.full_clean()
        row.save()
        changes = audit.diff(before, audit.field_values(row))
        if changes:
            audit.record(
                actor,
                "UPDATE",
                row,
                child=enrolment.child,
                description=f"Register of {session} ({session.cohort})",
                changes=changes,
            )
        present += attended
    return present


@transaction.atomic
def save_programme_scores(actor, cohort: Cohort, revision: int | None, rows: dict) -> None:
    """Whole-programme self-scores: `rows` = {enrolment: (before, after)}, saved under the
    cohort's revision (refused whole if someone saved the cohort since it was opened)."""
    versioning.claim(cohort, actor, revision)
    for enrolment, (before_score, after_score) in rows.items():
        if enrolment.cohort_id != cohort.pk:
            raise ValidationError("A child on the list is not enrolled on this cohort")
        if (enrolment.score_before, enrolment.score_after) == (before_score, after_score):
            continue
        enrolment.score_before, enrolment.score_after = before_score, after_score
        # the enrolment's own revision moves on too: an open "Change" page of it is stale now
        casework._save(actor, enrolment, description=f"Programme self-scores, {cohort}")
