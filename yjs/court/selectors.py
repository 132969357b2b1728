"""Court work's reads: the child's hearings and reports (one read per page, shared by the
record page's section and timeline), the service's court list, alerts and timeliness."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from yjs import periods
from yjs.casework.models import Child, Outcome
from yjs.casework.selectors import Alert, TimelineEntry, children_for, record_url
from yjs.compiled import CompiledQuery, OneParentRead, known_to_have_none

from .models import COURT_GROUPS, Hearing, PreSentenceReport

UPCOMING_DAYS = 14
REPORT_ALERT_WORKING_DAYS = 3


def _later_hearing() -> Exists:
    """A later hearing about any of the same offences: the next hearing has been held."""
    return Exists(
        Hearing.objects.filter(
            child=OuterRef("child"),
            hearing_date__gt=OuterRef("hearing_date"),
            offences__hearings=OuterRef("pk"),
        )
    )


def pending_next_hearings() -> QuerySet[Hearing]:
    """Hearings whose next hearing is still to come (no later hearing of those offences)."""
    return Hearing.objects.filter(next_hearing_date__isnull=False).filter(~_later_hearing())


def outstanding_reports() -> QuerySet[PreSentenceReport]:
    """Reports not submitted yet for which no sentence has been recorded."""
    return PreSentenceReport.objects.filter(
        Q(outcome__isnull=True) | Q(outcome__voided_at__isnull=False),
        submitted_on__isnull=True,
    )


# The court page --------------------------------------------------------------------------


@dataclass
class CourtList:
    hearings: list[Hearing]
    reports: list[PreSentenceReport]

    @property
    def children(self) -> list[Child]:
        seen = {}
        for record in [*self.hearings, *self.reports]:
            seen.setdefault(record.child_id, record.child)
        return list(seen.values())


def court_list(user, on: datetime.date, days: int = UPCOMING_DAYS) -> CourtList:
    """Hearings due in the next `days` days and outstanding reports, of children the user may
    see (casework `children_for`: team or service, never another service)."""
    children = children_for(user).filter(closed_on__isnull=True)
    hearings = (
        pending_next_hearings()
        .filter(child__in=children, next_hearing_date__range=(on, on + datetime.timedelta(days)))
        .select_related("child")
        .order_by("next_hearing_date", "court", "id")
    )
    reports = (
        outstanding_reports()
        .filter(child__in=children)
        .select_related("child", "requested_at", "gatekept_by")
        .order_by("due_on", "id")
    )
    return CourtList(list(hearings), list(reports))


# Alerts (one query per source for all the children of a page) ------------------------------

# Compiled once per process (yjs.compiled): every caseload and child's record asks them.
_HEARINGS_DUE = CompiledQuery(
    lambda child_ids, after, until: pending_next_hearings().filter(
        child_id__in=child_ids, next_hearing_date__gt=after, next_hearing_date__lte=until
    ),
    list,
    datetime.date,
    datetime.date,
)
_REPORTS_DUE = CompiledQuery(
    lambda child_ids, until: outstanding_reports().filter(
        child_id__in=child_ids, due_on__lte=until
    ),
    list,
    datetime.date,
)


def hearing_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    """ "Hearing tomorrow": the next hearing is on the next working day (after a Friday, the
    Monday) and has not been held."""
    by_id = {c.pk: c for c in children if not known_to_have_none(c, "hearings")}
    if not by_id:
        return []
    until = periods.add_working_days(on, 1)
    found = []
    for h in _HEARINGS_DUE(list(by_id), on, until):
        when = (
            "tomorrow"
            if h.next_hearing_date == on + datetime.timedelta(1)
            else (f"on {h.next_hearing_date:%A %-d %B}")
        )
        found.append(
            Alert(
                by_id[h.child_id],
                "hearing",
                f"Court hearing {when} at {h.court}",
                h.next_hearing_date,
            )
        )
    return found


def report_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    """A pre-sentence report due within 3 working days (or overdue) and not submitted."""
    by_id = {c.pk: c for c in children if not known_to_have_none(c, "pre_sentence_reports")}
    if not by_id:
        return []
    until = periods.add_working_days(on, REPORT_ALERT_WORKING_DAYS)
    found = []
    for r in _REPORTS_DUE(list(by_id), until):
        state = "gatekept" if r.gatekept_on else "not gatekept"
        if r.due_on < on:
            text = f"Pre-sentence report overdue since {r.due_on:%-d %B %Y}, not submitted"
        else:
            text = f"Pre-sentence report due {r.due_on:%-d %B %Y}, not submitted"
        found.append(Alert(by_id[r.child_id], "report", f"{text} ({state})", r.due_on))
    return found


# The child's record ----------------------------------------------------------------------


@dataclass
class Timeliness:
    """Offence to outcome, in days, for one outcome: each step None when a date is missing."""

    outcome: Outcome
    offence_date: datetime.date
    arrest_date: datetime.date | None
    first_hearing_date: datetime.date | None

    @staticmethod
    def _days(a, b) -> int | None:
        return (b - a).days if a and b else None

    @property
    def offence_to_arrest(self):
        return self._days(self.offence_date, self.arrest_date)

    @property
    def arrest_to_first_hearing(self):
        return self._days(self.arrest_date, self.first_hearing_date)

    @property
    def first_hearing_to_outcome(self):
        return self._days(self.first_hearing_date, self.outcome.outcome_date)

    @property
    def offence_to_outcome(self):
        return self._days(self.offence_date, self.outcome.outcome_date)


@dataclass
class ChildCourt:
    hearings: list[Hearing]
    reports: list[PreSentenceReport]


@functools.cache
def _child_court_reads() -> tuple[OneParentRead, OneParentRead]:
    """The child's hearings and reports as `child_court` reads them, compiled once."""
    return (
        OneParentRead(
            Child, Prefetch("hearings", queryset=Hearing.objects.prefetch_related("offences"))
        ),
        OneParentRead(
            Child,
            Prefetch(
                "pre_sentence_reports",
                queryset=PreSentenceReport.objects.select_related(
                    "requested_at", "outcome", "gatekept_by"
                ),
            ),
        ),
    )


def child_court(child: Child) -> ChildCourt:
    """The child's live hearings (with their offences) and reports, read once per page."""
    cached = getattr(child, "_court", None)
    if cached is None:
        hearings_read, reports_read = _child_court_reads()
        hearings = hearings_read.once(child)
        reports = (
            reports_read.once(child)
            if hearings  # a live report rests on a live hearing: none without one
            else []
        )
        cached = child._court = ChildCourt(hearings, reports)
    return cached


def timeliness(child: Child, hearings: list[Hearing]) -> list[Timeliness]:
    """For each of the child's outcomes (not variations): offence, arrest, first hearing and
    outcome dates. The earliest offence and arrest of the outcome's offences count; the first
    hearing of a court outcome is its own recorded date, else the earliest hearing about any of
    its offences (docs/kpis.md, `court_timeliness`)."""
    rows = []
    for outcome in child.outcomes.all():
        offences = list(outcome.offences.all())
        if not offences or outcome.is_variation:
            continue
        ids = {o.pk for o in offences}
        first_hearing = None
        if outcome.info.group in COURT_GROUPS:
            dates = [h.hearing_date for h in hearings if ids & {o.pk for o in h.offences.all()}]
            first_hearing = outcome.first_hearing_date or (min(dates) if dates else None)
        arrests = [o.arrest_date for o in offences if o.arrest_date]
        rows.append(
            Timeliness(
                outcome,
                min(o.offence_date for o in offences),
                min(arrests) if arrests else None,
                first_hearing,
            )
        )
    return sorted(rows, key=lambda t: t.outcome.outcome_date, reverse=True)


def child_section(child: Child, user, today: datetime.date) -> dict | None:
    court = child_court(child)
    rows = timeliness(child, court.hearings)
    if not (court.hearings or rows):
        return None
    return {
        "hearings": [(h, record_url(child, h)) for h in court.hearings],
        "reports": [(r, record_url(child, r)) for r in court.reports],
        "timeliness": rows,
        "can_gatekeep": user.has_perm("court.gatekeep_report", child),
    }


def timeline_entries(child: Child) -> list[TimelineEntry]:
    court = child_court(child)
    entries = []
    for h in court.hearings:
        lines = [f"Result: {h.result}" if h.result else "Result not recorded"]
        if h.bail_decision:
            lines.append(f"Bail or remand: {h.get_bail_decision_display()}")
        if h.next_hearing_date:
            lines.append(f"Next hearing: {h.next_hearing_date:%-d %B %Y}")
        entries.append(
            TimelineEntry(
                h.hearing_date,
                f"{h.get_hearing_type_display()} hearing at {h.court}",
                "hearing",
                lines=tuple(lines),
                url=record_url(child, h),
            )
        )
    for r in court.reports:
        lines = [f"Due {r.due_on:%-d %B %Y}", r.gatekeeping]
        if r.submitted_on:
            lines.append(f"Submitted {r.submitted_on:%-d %B %Y}")
        if r.proposal:
            lines.append(f"Proposed: {r.get_proposal_display()}")
        if r.concordant is not None:
            lines.append(f"Sentence matched the proposal: {'yes' if r.concordant else 'no'}")
        entries.append(
            TimelineEntry(
                r.requested_on,
                "Pre-sentence report requested",
                "report",
                lines=tuple(lines),
                url=record_url(child, r),
            )
        )
    return entries
