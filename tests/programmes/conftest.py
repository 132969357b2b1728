"""Which Way in Northshire: 6 sessions, completed by attending at least 4; one cohort that
started on 6 January 2025 and ended on 14 February 2025 (the tests' dates are fixed)."""

from __future__ import annotations

import datetime as dt

import pytest

from yjs.casework.models import Offence, Outcome
from yjs.programmes.models import Attendance, Cohort, Enrolment, Programme, Session

D = dt.date


@pytest.fixture
def which_way(northshire):
    return Programme.objects.create(
        service=northshire, name="Which Way", sessions=6, sessions_to_complete=4
    )


@pytest.fixture
def cohort9(which_way, people):
    cohort = Cohort.objects.create(
        programme=which_way, name="Cohort 9", start_date=D(2025, 1, 6), end_date=D(2025, 2, 14)
    )
    cohort.facilitators.set([people["alice"]])
    for n, topic in enumerate(
        [
            "County lines",
            "Gangs and knives",
            "Role models",
            "Mental health",
            "Drugs",
            "Celebration",
        ],
        start=1,
    ):
        Session.objects.create(
            cohort=cohort, number=n, date=D(2025, 1, 6) + dt.timedelta(weeks=n - 1), topic=topic
        )
    return cohort


def enrol(cohort, child, before=None, after=None, on=None):
    return Enrolment.objects.create(
        cohort=cohort,
        child=child,
        enrolled_on=on or cohort.start_date,
        score_before=before,
        score_after=after,
    )


def attend(enrolment, numbers, start=None, end=None):
    for s in enrolment.cohort.sessions.all():
        Attendance.objects.create(
            session=s,
            enrolment=enrolment,
            attended=s.number in numbers,
            score_start=start if s.number in numbers else None,
            score_end=end if s.number in numbers else None,
        )


def offence(child, on, code="YOUTH_CAUTION", outcome_on=None, **outcome):
    """An offence committed on `on`, disposed of by an outcome `code` (None: no outcome yet)."""
    f = Offence.objects.create(
        child=child, offence_date=on, description="Theft", category="THEFT_AND_HANDLING"
    )
    if code:
        o = Outcome.objects.create(
            child=child,
            code=code,
            outcome_date=outcome_on or on + dt.timedelta(days=20),
            appeal_status=outcome.pop("appeal_status", "NONE"),
            residence="LOCAL",
            **outcome,
        )
        o.offences.add(f)
    return f
