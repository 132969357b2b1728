"""The demo's programmes (issue 14): seed 000's Which Way (6 sessions, complete with 4), REACH
(8 sessions, complete with 6) and Turnaround group work (catalogue only), with a few cohorts of
children who were under an intervention when the cohort started: one that ended over a year
ago (every checkpoint reached), one a few months ago, one running now.

Drawn from a random stream of its own, seeded by text (`yjs.interop.demo`), after every other
demo record is saved, so nothing else in the demo (nor any KPI figure) changes.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Q

from yjs import periods
from yjs.casework.models import Child
from yjs.organisation.models import Role, Service, User

from .models import Attendance, Cohort, Enrolment, Programme, Session

D = dt.timedelta

PROGRAMMES = (
    (
        "Which Way",
        "Group work for children at risk of criminal exploitation, county lines and serious "
        "youth violence.",
        6,
        4,
        (
            "Enhanced induction and county lines",
            "Gangs and knives",
            "Role models and peer influences",
            "Mental health and wellbeing",
            "Drugs and alcohol",
            "Celebratory session",
        ),
    ),
    (
        "REACH",
        "Education and aspiration group for children out of or at risk of leaving education.",
        8,
        6,
        (
            "Getting started",
            "What I am good at",
            "Goals",
            "Managing feelings",
            "Respect",
            "College and training",
            "Work experience",
            "Celebration",
        ),
    ),
    (
        "Turnaround group work",
        "Group sessions for children on the Turnaround early intervention programme.",
        6,
        4,
        (),
    ),
)
# (programme, cohort name, months before today it starts, children)
COHORTS = (
    ("Which Way", "Cohort 1", 15, 8),
    ("Which Way", "Cohort 2", 5, 7),
    ("Which Way", "Cohort 3", 0, 6),
    ("REACH", "Cohort 1", 9, 6),
)


def _monday(d: dt.date) -> dt.date:
    return d - D(days=d.weekday())


def _children(service: Service, on: dt.date, n: int, taken: set, rng) -> list[Child]:
    """Children under an intervention on `on`, aged 12 to 17 then, not yet on a cohort."""
    pool = list(
        Child.objects.filter(service=service, interventions__start_date__lte=on)
        .filter(Q(interventions__end_date__isnull=True) | Q(interventions__end_date__gte=on))
        .exclude(pk__in=taken)
        .distinct()
        .order_by("pk")
    )
    pool = [c for c in pool if 12 <= periods.age_on(c.date_of_birth, on) <= 17]
    chosen = rng.sample(pool, min(n, len(pool)))
    taken.update(c.pk for c in chosen)
    return chosen


def add_programmes(service: Service, rng: random.Random, today: dt.date) -> dict[str, int]:
    programmes = {}
    for name, description, sessions, to_complete, _topics in PROGRAMMES:
        programmes[name] = Programme.objects.create(
            service=service,
            name=name,
            description=description,
            sessions=sessions,
            sessions_to_complete=to_complete,
        )
    topics = {p[0]: p[4] for p in PROGRAMMES}
    workers = list(
        User.objects.filter(service=service, role=Role.PRACTITIONER).order_by("username")
    )
    taken: set[int] = set()
    counts = {"Cohort": 0, "Enrolment": 0, "Session": 0, "Attendance": 0}
    for programme_name, name, months_ago, n in COHORTS:
        programme = programmes[programme_name]
        start = _monday(periods.add_months(today, -months_ago) - D(days=7 if months_ago else 14))
        dates = [start + D(weeks=i) for i in range(programme.sessions)]
        held = [d for d in dates if d <= today]
        cohort = Cohort.objects.create(
            programme=programme,
            name=name,
            start_date=start,
            end_date=dates[-1] if dates[-1] <= today else None,
        )
        cohort.facilitators.set(rng.sample(workers, min(2, len(workers))))
        sessions = [
            Session.objects.create(
                cohort=cohort, number=i + 1, date=d, topic=topics[programme_name][i]
            )
            for i, d in enumerate(held)
        ]
        ended = cohort.end_date is not None
        rows = []
        for child in _children(service, start, n, taken, rng):
            before = rng.randint(2, 5)
            e = Enrolment.objects.create(
                cohort=cohort,
                child=child,
                enrolled_on=start - D(days=rng.randint(3, 14)),
                score_before=before,
                score_after=min(10, before + rng.randint(1, 5)) if ended else None,
            )
            counts["Enrolment"] += 1
            keen = rng.random() < 0.75  # most attend nearly every session
            for s in sessions:
                present = rng.random() < (0.9 if keen else 0.45)
                low = rng.randint(2, 7)
                scored = present and s.number < programme.sessions  # no scores at a celebration
                rows.append(
                    Attendance(
                        session=s,
                        enrolment=e,
                        attended=present,
                        score_start=low if scored else None,
                        score_end=min(10, low + rng.randint(0, 3)) if scored else None,
                    )
                )
        Attendance.objects.bulk_create(rows)
        counts["Cohort"] += 1
        counts["Session"] += len(sessions)
        counts["Attendance"] += len(rows)
    counts["Programme"] = len(programmes)
    return counts
