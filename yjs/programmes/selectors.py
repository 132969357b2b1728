"""Reads of programmes: the catalogue, a cohort's register and the cohort report (the web page
and the plan's data block share `cohort_report`).

Names leave only through `OutputScope`: a practitioner's cohort page names the children of
their own team and counts the others; the report pages and the block name nobody.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q

from yjs.casework.models import Child
from yjs.compiled import OneParentRead
from yjs.permissions import output_scope

from . import offending, services
from .models import Attendance, Cohort, Enrolment, Programme, Session


def programmes_for(user):
    return Programme.objects.filter(service_id=user.service_id)


def cohorts_for(user):
    return Cohort.objects.filter(programme__service_id=user.service_id).select_related("programme")


def sessions_for(user):
    return Session.objects.filter(cohort__programme__service_id=user.service_id).select_related(
        "cohort__programme"
    )


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def one_place(value: float | None) -> str:
    """A mean as printed: one decimal place, halves away from zero (2.65 → 2.7)."""
    if value is None:
        return "–"
    return str(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Place:
    """One child's place on a cohort as the register and the report read it."""

    enrolment: Enrolment
    attended: int
    status: str
    by_session: dict = field(default_factory=dict)  # session pk -> Attendance

    @property
    def change(self) -> int | None:
        e = self.enrolment
        if e.score_before is None or e.score_after is None:
            return None
        return e.score_after - e.score_before


def places(cohort: Cohort, as_at: dt.date) -> list[Place]:
    """Every live enrolment of the cohort with its attendance and completion status."""
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort).select_related("child", "child__team")
    )
    rows: dict[int, dict] = {e.pk: {} for e in enrolments}
    for a in Attendance.objects.filter(enrolment__in=enrolments):
        rows[a.enrolment_id][a.session_id] = a
    ended = services.cohort_ended(cohort, as_at)
    out = []
    for e in enrolments:
        attended = sum(1 for a in rows[e.pk].values() if a.attended)
        status = services.completion_status(attended, cohort.programme, ended)
        out.append(Place(e, attended, status, rows[e.pk]))
    return out


def windows(cohort: Cohort, enrolments) -> list[offending.Window]:
    """Each child's programme dates (offending.py): the cohort's start or their enrolment if
    later; the cohort's end or the day they left early."""
    out = []
    for e in enrolments:
        start = max(cohort.start_date, e.enrolled_on)
        end = e.left_on or cohort.end_date
        out.append(offending.Window(e.child_id, start, end))
    return out


@dataclass
class Report:
    """A cohort's (or several cohorts') figures: seed 000's tables."""

    enrolled: int
    completed: int
    in_progress: int
    score_changes: list[int]
    sessions: list[dict]
    offending: dict

    @property
    def finished(self) -> int:
        """Children whose result is known: completed, or not completed by the cohort's end.
        The completion rate is of these (children still in progress are shown apart)."""
        return self.enrolled - self.in_progress

    @property
    def completion_rate(self) -> str:
        if not self.finished:
            return "–"
        return f"{one_place(100 * self.completed / self.finished)}%"

    @property
    def average_change(self) -> float | None:
        return mean(self.score_changes)

    @property
    def average_change_text(self) -> str:
        value = self.average_change
        if value is None:
            return "–"
        text = one_place(value)
        return f"+{text}" if value > 0 else text


def cohort_report(cohorts, as_at: dt.date) -> Report:
    """Enrolled, completed, self-score change, session scores and offending before, during and
    after (offending.tally) for the children of `cohorts`."""
    enrolled = completed = in_progress = 0
    changes: list[int] = []
    all_windows: list[offending.Window] = []
    sessions: list[dict] = []
    for cohort in cohorts:
        cohort_places = places(cohort, as_at)
        enrolled += len(cohort_places)
        completed += sum(p.status == services.COMPLETED for p in cohort_places)
        in_progress += sum(p.status == services.IN_PROGRESS for p in cohort_places)
        changes += [p.change for p in cohort_places if p.change is not None]
        all_windows += windows(cohort, [p.enrolment for p in cohort_places])
        for s in cohort.sessions.all():
            present = [p.by_session[s.pk] for p in cohort_places if s.pk in p.by_session]
            present = [a for a in present if a.attended]
            sessions.append(
                {
                    "session": s,
                    "attended": len(present),
                    "start": mean(a.score_start for a in present),
                    "end": mean(a.score_end for a in present),
                }
            )
    return Report(
        enrolled,
        completed,
        in_progress,
        changes,
        sessions,
        offending.tally(all_windows, as_at),
    )


def catalogue(user, as_at: dt.date) -> list[dict]:
    """The service's programmes with their cohorts and how many children each has."""
    cohorts = cohorts_for(user).annotate(
        children=Count("enrolments", filter=Q(enrolments__voided_at__isnull=True))
    )
    by_programme: dict[int, list] = {}
    for c in cohorts:
        by_programme.setdefault(c.programme_id, []).append(c)
    return [
        {"programme": p, "cohorts": by_programme.get(p.pk, [])}
        for p in programmes_for(user).order_by("-active", "name")
    ]


def register(cohort: Cohort, user, as_at: dt.date) -> dict:
    """A cohort page's register: places of children the user may name, and how many others."""
    scope = output_scope(user)
    every = places(cohort, as_at)
    shown = [p for p in every if scope.includes(p.enrolment.child)]
    return {"places": shown, "others": len(every) - len(shown)}


@functools.cache
def _child_enrolments() -> OneParentRead:
    return OneParentRead(
        Child,
        Prefetch("enrolments", queryset=Enrolment.objects.select_related("cohort__programme")),
    )


def child_enrolments(child) -> list[Enrolment]:
    """The child's places, read once per page (section and timeline), compiled once."""
    return _child_enrolments().once(child)


def section(child, user, today: dt.date) -> dict | None:
    """The child record's "Programmes" section; nothing when the child has no place."""
    enrolments = child_enrolments(child)
    if not enrolments:
        return None
    rows = []
    for e in enrolments:
        place = next(p for p in places(e.cohort, today) if p.enrolment.pk == e.pk)
        rows.append({"place": place, "cohort": e.cohort, "sessions": e.cohort.programme.sessions})
    return {"rows": rows}


def timeline_entries(child) -> list:
    from yjs.casework.records import record_url
    from yjs.casework.selectors import TimelineEntry

    return [
        TimelineEntry(
            e.enrolled_on,
            f"Enrolled on {e.cohort.programme.name}",
            "programme",
            url=record_url(child, e),
            lines=(f"{e.cohort.name}, starting {e.cohort.start_date:%-d %B %Y}",),
        )
        for e in child_enrolments(child)
    ]


def record_actions(child, record, user) -> list[tuple[str, str]]:
    """A place's record page links to its cohort (and its report)."""
    from yjs.reversing import reverse

    if not isinstance(record, Enrolment) or not user.has_perm("programmes.run_cohorts"):
        return []
    cohort = record.cohort
    return [
        (
            f"Open the cohort: {cohort.programme.name}, {cohort.name}",
            reverse("programmes:cohort", args=[cohort.pk]),
        ),
    ]
