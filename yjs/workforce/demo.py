"""The demo's workforce, volunteers and resources (issue 14): a training catalogue with each
member of staff's attendance (most in date, a few expiring or expired), monthly supervision
(a few overdue), three vacancies, a dozen volunteers with their vetting and hours, the next
weeks' referral order panel rota, nightly remand costs by year and three reparation projects.

Drawn from a random stream of its own, seeded by text (so it never coincides with another
stream's integer seed), after every other demo record is saved: nothing else in the demo, nor any
KPI figure, changes. A bulk load like the rest of the demo; the rota keeps the rules of
`services.panel_problems` by construction (vetted members, no member in two panels at once).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from yjs import periods
from yjs.casework.models import Intervention
from yjs.organisation.models import Service, User

from . import models as m
from .selectors import STAFF_ROLES
from .services import training_expiry

D = dt.timedelta

COURSES = (
    # name, mandatory, renewal months, for volunteers
    ("Safeguarding children", True, 12, True),
    ("AssetPlus assessment", True, 36, False),
    ("Trauma-informed practice", True, 24, False),
    ("Restorative justice", False, None, True),
    ("Referral order panel member training", False, 36, True),
)
VOLUNTEERS = (
    ("Pat Price", "PANEL_MEMBER"),
    ("Ray Reed", "PANEL_MEMBER"),
    ("Sue Shaw", "PANEL_MEMBER"),
    ("Tom Tate", "PANEL_MEMBER"),
    ("Una Usher", "PANEL_MEMBER"),
    ("Vic Vale", "PANEL_MEMBER"),
    ("Wyn Wood", "PANEL_MEMBER"),
    ("Zoe Young", "PANEL_MEMBER"),
    ("Amir Aziz", "MENTOR"),
    ("Bev Brook", "MENTOR"),
    ("Cy Cole", "APPROPRIATE_ADULT"),
    ("Di Dale", "REPARATION"),
)
# Synthetic figures, as the demo's remand records carry; a real service cites its source.
NIGHTLY = {"YOI": 330, "STC": 640, "SCH": 1150, "LA": 260}
PROJECTS = (
    ("Northtown community garden", "Northtown Allotment Society", "COMMUNITY"),
    ("Eastmoor food bank", "Eastmoor Food Bank", "COMMUNITY"),
    ("Letters and repairs for victims", "Victims who asked for reparation", "VICTIM"),
)


def add_workforce(service: Service, rng: random.Random, today: dt.date) -> dict[str, int]:
    staff = list(
        User.objects.filter(service=service, role__in=STAFF_ROLES, is_active=True).order_by(
            "username"
        )
    )
    courses = m.Course.objects.bulk_create(
        m.Course(service=service, name=n, mandatory=mand, renewal_months=months, for_volunteers=vol)
        for n, mand, months, vol in COURSES
    )
    attendance = []
    for person in staff:
        for c in courses:
            if not c.mandatory and rng.random() < 0.5:
                continue
            span = (c.renewal_months or 24) * 30
            if rng.random() < 0.06:
                continue  # never attended: on the expiry list
            day = today - D(days=rng.randint(20, span + 40))
            attendance.append(
                m.TrainingAttendance(
                    course=c, person=person, attended_on=day, expires_on=training_expiry(c, day)
                )
            )
    supervisions = _supervision(staff, rng, today)
    vacancies = m.Vacancy.objects.bulk_create(
        [
            m.Vacancy(
                service=service,
                post="Case manager, North team",
                role_category="PRACTITIONER",
                fte_posts=Decimal("1.00"),
                vacant_since=today - D(days=75),
            ),
            m.Vacancy(
                service=service,
                post="Speech and language therapist",
                role_category="PRACTITIONER",
                fte_posts=Decimal("0.60"),
                vacant_since=today - D(days=160),
            ),
            m.Vacancy(
                service=service,
                post="Business support officer",
                role_category="ADMINISTRATIVE",
                fte_posts=Decimal("1.00"),
                vacant_since=today - D(days=130),
                filled_on=today - D(days=40),
            ),
        ]
    )
    volunteers = []
    for i, (name, role) in enumerate(VOLUNTEERS):
        vetted = today - D(days=rng.randint(60, 900))
        renew = periods.add_months(vetted, 36)
        if i == 3:  # one whose check has run out, one due for renewal soon
            vetted, renew = today - D(days=1130), today - D(days=35)
        elif i == 4:
            renew = today + D(days=25)
        volunteers.append(
            m.Volunteer(
                service=service,
                name=name,
                role=role,
                started_on=vetted - D(days=rng.randint(10, 60)),
                vetted_on=vetted,
                vetting_expires_on=renew,
            )
        )
    volunteers = m.Volunteer.objects.bulk_create(volunteers)
    hours = []
    for v in volunteers:
        day = max(v.started_on, today - D(days=400))
        while day < today:
            activity = {
                "PANEL_MEMBER": "PANEL",
                "MENTOR": "MENTORING",
                "APPROPRIATE_ADULT": "APPROPRIATE_ADULT",
            }.get(v.role, "REPARATION")
            hours.append(
                m.VolunteerHours(
                    volunteer=v,
                    given_on=day,
                    activity=activity,
                    hours=Decimal(rng.choice((2, 2.5, 3, 4))),
                )
            )
            day += D(days=rng.randint(10, 35))
    vol_training = [
        m.TrainingAttendance(
            course=c,
            volunteer=v,
            attended_on=v.started_on,
            expires_on=training_expiry(c, v.started_on),
        )
        for v in volunteers
        for c in courses
        if c.for_volunteers and (v.role == "PANEL_MEMBER" or c.name == "Safeguarding children")
    ]
    m.TrainingAttendance.objects.bulk_create(attendance + vol_training)
    m.StaffSupervision.objects.bulk_create(supervisions)
    m.VolunteerHours.objects.bulk_create(hours)
    panels = _rota(service, volunteers, rng, today)
    fy = periods.FinancialYear.of(today)
    costs = m.RemandNightlyCost.objects.bulk_create(
        m.RemandNightlyCost(
            service=service,
            year=year,
            placement=place,
            nightly_cost=(Decimal(cost) * Decimal("1.03") ** (year - fy.start_year + 3)).quantize(
                Decimal("0.01")
            ),
            source="Synthetic demo figure",
        )
        for year in range(fy.start_year - 3, fy.start_year + 1)
        for place, cost in NIGHTLY.items()
    )
    sessions = _reparation(service, rng, today)
    return {
        "Course": len(courses),
        "TrainingAttendance": len(attendance) + len(vol_training),
        "StaffSupervision": len(supervisions),
        "Vacancy": len(vacancies),
        "Volunteer": len(volunteers),
        "VolunteerHours": len(hours),
        "PanelMeeting": panels,
        "RemandNightlyCost": len(costs),
        "ReparationSession": sessions,
    }


def _supervision(staff, rng, today):
    managers = [u for u in staff if u.role != "PRACTITIONER"] or staff
    rows = []
    for person in staff:
        supervisors = [u for u in managers if u.pk != person.pk]
        if not supervisors:
            continue
        supervisor = next((u for u in supervisors if u.team_id == person.team_id), supervisors[0])
        # most are seen every four weeks; some have slipped and are overdue
        last = today - D(days=rng.randint(1, 26) if rng.random() < 0.85 else rng.randint(35, 70))
        day = last
        for _ in range(6):
            rows.append(
                m.StaffSupervision(
                    staff=person, supervisor=supervisor, held_on=day, next_due=day + D(days=28)
                )
            )
            day -= D(days=rng.randint(26, 32))
    return rows


def _rota(service, volunteers, rng, today) -> int:
    """Panels for open referral orders over the next three weeks, two vetted members each, at
    slots that never put a member in two places at once."""
    orders = list(
        Intervention.objects.filter(
            child__service=service,
            kind=Intervention.Kind.REFERRAL_ORDER,
            end_date__isnull=True,
            start_date__lte=today,
        ).order_by("pk")[:8]
    )
    panels = []
    for i, order in enumerate(orders):
        day = today + D(days=2 + 2 * i)
        while day.weekday() >= 5:
            day += D(days=1)
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(16 + (i % 2) * 2, 0)))
        members = [v for v in volunteers if v.role == "PANEL_MEMBER" and v.vetted_for(day)]
        one, two = rng.sample(members, 2)
        panels.append(
            m.PanelMeeting(
                service=service,
                intervention=order,
                kind="INITIAL" if i % 3 else "REVIEW",
                starts_at=starts,
                venue=rng.choice(("Northshire youth justice office", "Eastmoor youth hub")),
                member_one=one,
                member_two=two,
            )
        )
    m.PanelMeeting.objects.bulk_create(panels)
    return len(panels)


def _reparation(service, rng, today) -> int:
    sessions = []
    for name, partner, kind in PROJECTS:
        project = m.ReparationProject.objects.create(
            service=service,
            name=name,
            partner=partner,
            kind=kind,
            started_on=today - D(days=800),
        )
        day = project.started_on + D(days=rng.randint(0, 10))
        while day < today:
            children = rng.randint(1, 5) if kind == "COMMUNITY" else 1
            sessions.append(
                m.ReparationSession(
                    project=project,
                    held_on=day,
                    children=children,
                    hours=Decimal(children * rng.choice((2, 3))),
                )
            )
            day += D(days=rng.randint(7, 21))
    m.ReparationSession.objects.bulk_create(sessions)
    return len(sessions)
