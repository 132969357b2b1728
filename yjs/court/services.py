"""Court work's commands and rules: hearings (whose bail or remand decision is kept as a remand
record in the same transaction) and pre-sentence reports (gatekept by a manager before they are
submitted). Every command is one transaction, audited through casework's `save_record`."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from yjs import periods
from yjs.casework import services as casework
from yjs.casework.models import Child, Remand

from .models import COURT_GROUPS, Hearing, PreSentenceReport

# Rules --------------------------------------------------------------------------------------


def hearing_problems(hearing: Hearing, *, child: Child | None = None, offences=None, **_):
    """A hearing is about offences of this child committed before it; the next hearing comes
    after it."""
    problems = {}
    if offences is not None:
        offences = list(offences)
        if not offences:
            problems["offences"] = "Select the offence or offences this hearing is about"
        elif child and any(o.child_id != child.pk for o in offences):
            problems["offences"] = "Select only offences of this child"
        elif hearing.hearing_date:
            latest = max(o.offence_date for o in offences)
            if hearing.hearing_date < latest:
                problems["hearing_date"] = (
                    "Date of the hearing must be the same as or after the offence date "
                    f"({periods.long_date(latest)})"
                )
    if (
        hearing.next_hearing_date
        and hearing.hearing_date
        and hearing.next_hearing_date <= hearing.hearing_date
    ):
        problems["next_hearing_date"] = (
            "Date of the next hearing must be after the date of the hearing "
            f"({periods.long_date(hearing.hearing_date)})"
        )
    return problems


def report_problems(report: PreSentenceReport, *, child: Child | None = None, **_):
    """A report is requested at a hearing of this child, gatekept and submitted after it was
    requested, and never submitted before a manager gatekept it."""
    problems = {}
    child = child or (report.child if report.child_id else None)
    hearing = report.requested_at if report.requested_at_id else None
    requested = report.requested_on
    if hearing and child and hearing.child_id != child.pk:
        problems["requested_at"] = "Select a hearing of this child"
    elif hearing and requested and requested < hearing.hearing_date:
        problems["requested_on"] = (
            "Date the report was requested must be the same as or after the date of the "
            f"hearing that asked for it ({periods.long_date(hearing.hearing_date)})"
        )
    if requested and report.due_on and report.due_on < requested:
        problems["due_on"] = (
            "Date the report is due must be the same as or after the date it was requested"
        )
    if requested and report.gatekept_on and report.gatekept_on < requested:
        problems["gatekept_on"] = (
            "Date the report was gatekept must be the same as or after the date it was "
            f"requested ({periods.long_date(requested)})"
        )
    if report.submitted_on:
        if not report.gatekept_on:
            problems["submitted_on"] = (
                "The report must be gatekept by a team manager or head of service before it "
                "is submitted to the court"
            )
        elif requested and report.submitted_on < requested:
            problems["submitted_on"] = (
                "Date the report was submitted must be the same as or after the date it was "
                f"requested ({periods.long_date(requested)})"
            )
        elif report.submitted_on < report.gatekept_on:
            problems["submitted_on"] = (
                "Date the report was submitted must be the same as or after the date it was "
                f"gatekept ({periods.long_date(report.gatekept_on)})"
            )
    outcome = report.outcome if report.outcome_id else None
    if outcome is not None:
        if (child and outcome.child_id != child.pk) or outcome.info.group not in COURT_GROUPS:
            problems["outcome"] = "Select a court sentence of this child"
        elif requested and outcome.outcome_date < requested:
            problems["outcome"] = (
                "The sentence must be given on or after the date the report was requested "
                f"({periods.long_date(requested)})"
            )
    return problems


def hearing_dependants(hearing: Hearing) -> list:
    """What rests on a hearing: the reports it asked for and the remand its decision made."""
    found = list(hearing.reports_requested.all())
    if hearing.remand_id and not hearing.remand.voided:
        found.append(hearing.remand)
    return found


# Hearings -----------------------------------------------------------------------------------


def first_hearing_date(hearing: Hearing, offences) -> datetime.date:
    """The first hearing of the case: the earliest live hearing about any of these offences."""
    earlier = (
        Hearing.objects.filter(offences__in=offences)
        .exclude(pk=hearing.pk)
        .order_by("hearing_date")
        .values_list("hearing_date", flat=True)
        .first()
    )
    return min(d for d in (earlier, hearing.hearing_date) if d)


def _remand_text(hearing: Hearing) -> str:
    return (
        f"Decided at the {hearing.get_hearing_type_display().lower()} hearing at "
        f"{hearing.court} on {periods.long_date(hearing.hearing_date)}"
    )


def _end_open_remands(actor, hearing: Hearing, keep: Remand | None) -> None:
    """A new decision, or the sentence, ends the child's remand or bail in force before it."""
    for open_remand in Remand.objects.filter(
        child_id=hearing.child_id, end_date__isnull=True, start_date__lte=hearing.hearing_date
    ).exclude(pk=getattr(keep, "pk", None)):
        open_remand.end_date = hearing.hearing_date
        casework.save_record(
            actor, open_remand, description=f"Ended by the hearing of {hearing.hearing_date}"
        )


def _keep_remand(actor, hearing: Hearing, offences, *, new: bool) -> None:
    """Keep the hearing's bail or remand decision as the child's remand record."""
    remand = Remand.all_objects.filter(pk=hearing.remand_id).first() if hearing.remand_id else None
    if remand is not None and remand.voided:
        remand = None
    if not hearing.bail_decision:
        if remand is not None:
            casework.void_record(actor, remand, "The hearing's bail or remand decision was removed")
        hearing.remand = None
        if new and hearing.hearing_type == Hearing.Type.SENTENCE:
            _end_open_remands(actor, hearing, keep=None)
        return
    if remand is None:
        remand = Remand(child_id=hearing.child_id)
    changed = (
        remand.pk is None
        or remand.decision != hearing.bail_decision
        or remand.start_date != hearing.hearing_date
    )
    remand.decision = hearing.bail_decision
    remand.start_date = hearing.hearing_date
    remand.first_hearing_date = first_hearing_date(hearing, offences)
    if remand.pk is None:
        remand.circumstances = _remand_text(hearing)
    if changed:
        if new:
            _end_open_remands(actor, hearing, keep=remand)
        casework.save_record(actor, remand, description=_remand_text(hearing))
    hearing.remand = remand


@transaction.atomic
def record_hearing(actor, hearing: Hearing, offences) -> Hearing:
    """Record or change a hearing, and its bail or remand decision as a remand record in the
    same transaction: a new decision ends the remand or bail in force before it, a sentence
    hearing ends it too, and a decision taken off the hearing voids its remand record."""
    offences = list(offences)
    casework.check_record(hearing, offences=offences)
    new = hearing.pk is None
    _keep_remand(actor, hearing, offences, new=new)
    casework.save_record(actor, hearing)
    casework.link_offences(actor, hearing, offences, "Offences linked to the hearing")
    return hearing


def update_hearing(actor, hearing: Hearing, *, offences=None) -> Hearing:
    """A change from the hearing's record page (casework `update_record`)."""
    return record_hearing(
        actor, hearing, offences if offences is not None else hearing.offences.all()
    )


# Pre-sentence reports -----------------------------------------------------------------------


@transaction.atomic
def record_report(actor, report: PreSentenceReport) -> PreSentenceReport:
    return casework.save_record(actor, report)


@transaction.atomic
def gatekeep_report(actor, report: PreSentenceReport, gatekept_on) -> PreSentenceReport:
    """A team manager or head of service signs the report off before it goes to court."""
    if not actor.has_perm("court.gatekeep_report", report.child):
        raise PermissionDenied
    if report.gatekept_on:
        raise ValidationError(
            {"gatekept_on": f"This report was gatekept on {periods.long_date(report.gatekept_on)}"}
        )
    report.gatekept_on = gatekept_on
    report.gatekept_by = actor
    return casework.save_record(actor, report, description="Pre-sentence report gatekept")
