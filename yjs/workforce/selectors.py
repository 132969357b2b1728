"""Reads of the workforce, volunteers and resources: the figures the manager pages and the plan's
data blocks print. Every figure is computed here, once, with its counting rule in the docstring.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from yjs import codes
from yjs.casework.models import Intervention, Outcome, Referral, Remand
from yjs.organisation.models import Role, User
from yjs.periods import FinancialYear, Quarter, long_date, quarter_of, quarters_between

from . import models as m
from .services import EXPIRY_WARNING_DAYS

ONE_DAY = dt.timedelta(days=1)
STAFF_ROLES = (Role.PRACTITIONER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN)


def staff_of(service) -> list[User]:
    """The people who do the service's work (everyone with a casework role and an account)."""
    return list(
        User.objects.filter(service=service, role__in=STAFF_ROLES, is_active=True).order_by(
            "last_name", "first_name", "username"
        )
    )


# --------------------------------------------------------------------------- training


@dataclass(frozen=True)
class TrainingStatus:
    person: object
    course: m.Course
    attended_on: dt.date | None
    expires_on: dt.date | None
    state: str  # "current", "expiring", "expired", "missing"

    @property
    def label(self) -> str:
        return {
            "current": "In date",
            "expiring": f"Expires {long_date(self.expires_on)}" if self.expires_on else "",
            "expired": f"Expired {long_date(self.expires_on)}" if self.expires_on else "",
            "missing": "Not attended",
        }[self.state]


def training_state(expires_on: dt.date | None, attended: bool, today: dt.date) -> str:
    """Training counts up to and including its expiry date: expired the day after; "expiring"
    from `EXPIRY_WARNING_DAYS` days before the expiry date to the date itself."""
    if not attended:
        return "missing"
    if expires_on is None:
        return "current"
    if expires_on < today:
        return "expired"
    if expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "current"


def mandatory_training(service, today: dt.date, people=None) -> list[TrainingStatus]:
    """Each member of staff × each mandatory course: the latest attendance and its state."""
    people = staff_of(service) if people is None else people
    courses = list(m.Course.objects.filter(service=service, mandatory=True, retired=False))
    latest: dict[tuple[int, int], m.TrainingAttendance] = {}
    for a in m.TrainingAttendance.objects.filter(course__in=courses, person__in=people).order_by(
        "attended_on", "id"
    ):
        latest[(a.person_id, a.course_id)] = a
    out = []
    for p in people:
        for c in courses:
            a = latest.get((p.pk, c.pk))
            expires = a.expires_on if a else None
            out.append(
                TrainingStatus(
                    p,
                    c,
                    a.attended_on if a else None,
                    expires,
                    training_state(expires, bool(a), today),
                )
            )
    return out


def expiry_list(service, today: dt.date) -> list[TrainingStatus]:
    """Mandatory training expired, expiring within 60 days, or never attended: soonest first."""
    due = [s for s in mandatory_training(service, today) if s.state != "current"]
    return sorted(due, key=lambda s: (s.expires_on or dt.date.min, s.person.pk, s.course.name))


def training_compliance(service, today: dt.date) -> list[dict]:
    """By mandatory course: staff who need it, in date (including expiring), expiring, expired
    or not attended, and the share in date."""
    rows = []
    statuses = mandatory_training(service, today)
    for course in {s.course.pk: s.course for s in statuses}.values():
        mine = [s for s in statuses if s.course.pk == course.pk]
        counts = Counter(s.state for s in mine)
        valid = counts["current"] + counts["expiring"]
        rows.append(
            {
                "course": course.name,
                "staff": len(mine),
                "in_date": valid,
                "expiring": counts["expiring"],
                "out_of_date": counts["expired"] + counts["missing"],
                "percent": round(100 * valid / len(mine)) if mine else None,
            }
        )
    return rows


# --------------------------------------------------------------------------- supervision


def supervision_status(service, today: dt.date, people=None) -> list[dict]:
    """Each member of staff's latest supervision and whether the next one is overdue (its due
    date has passed without a later supervision)."""
    people = staff_of(service) if people is None else people
    latest = {}
    for s in m.StaffSupervision.objects.filter(staff__in=people).select_related("supervisor"):
        if s.staff_id not in latest or (s.held_on, s.pk) > (
            latest[s.staff_id].held_on,
            latest[s.staff_id].pk,
        ):
            latest[s.staff_id] = s
    rows = []
    for p in people:
        s = latest.get(p.pk)
        rows.append(
            {
                "person": p,
                "last": s,
                "next_due": s.next_due if s else None,
                "overdue": s is None or s.next_due < today,
            }
        )
    return rows


# --------------------------------------------------------------------------- vacancies


def vacancies_on(service, day: dt.date) -> list[m.Vacancy]:
    return list(
        m.Vacancy.objects.filter(service=service, vacant_since__lte=day).filter(
            Q(filled_on__isnull=True) | Q(filled_on__gt=day)
        )
    )


def vacant_posts(service, day: dt.date) -> Decimal:
    return sum((v.fte_posts for v in vacancies_on(service, day)), Decimal(0))


# --------------------------------------------------------------------------- caseload


def caseload_at(service, day: dt.date) -> dict:
    """Caseload at the end of ``day``: interventions started on or before it and not ended by
    it (an intervention ending on the day is closed by the end of it), by worker.

    A worker's caseload is the number of open interventions they hold; the average is over the
    workers holding at least one. Interventions without a worker are counted apart.
    """
    open_ = Intervention.objects.filter(
        child__service=service, start_date__lte=day, child__erased_at__isnull=True
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=day))
    by_worker: Counter = Counter()
    children: dict[int, set] = defaultdict(set)
    unallocated = 0
    for worker_id, child_id in open_.values_list("worker_id", "child_id"):
        if worker_id is None:
            unallocated += 1
            continue
        by_worker[worker_id] += 1
        children[worker_id].add(child_id)
    total = sum(by_worker.values())
    workers = len(by_worker)
    return {
        "day": day,
        "interventions": total,
        "children": len(set().union(*children.values())) if children else 0,
        "workers": workers,
        "average": round(Decimal(total) / workers, 1) if workers else None,
        "unallocated": unallocated,
        "by_worker": by_worker,
        "children_by_worker": {w: len(c) for w, c in children.items()},
    }


def caseload_by_quarter(service, quarters: list[Quarter]) -> list[dict]:
    return [{"quarter": q, **caseload_at(service, q.end)} for q in quarters]


def caseload_per_worker(service, quarters: list[Quarter], today: dt.date) -> list[dict]:
    """For the manager page: each worker's caseload at each quarter end, then today."""
    loads = caseload_by_quarter(service, quarters) + [caseload_at(service, today)]
    ids = set().union(*(set(c["by_worker"]) for c in loads)) if loads else set()
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)}
    rows = []
    for pk in sorted(ids, key=lambda i: (people[i].last_name, people[i].first_name, i)):
        rows.append({"person": people[pk], "counts": [c["by_worker"].get(pk, 0) for c in loads]})
    return rows


# --------------------------------------------------------------------------- volunteers


def vetting_state(v: m.Volunteer, today: dt.date) -> str:
    if v.vetting_expires_on is None or v.vetting_expires_on < today:
        return "expired"
    if v.vetting_expires_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "expiring"
    return "current"


def volunteers(service, today: dt.date) -> list[dict]:
    fy = FinancialYear.of(today)
    hours = defaultdict(Decimal)
    for h in m.VolunteerHours.objects.filter(
        volunteer__service=service, given_on__gte=fy.start, given_on__lte=fy.end
    ):
        hours[h.volunteer_id] += h.hours
    training = Counter(
        m.TrainingAttendance.objects.filter(volunteer__service=service).values_list(
            "volunteer_id", flat=True
        )
    )
    return [
        {
            "volunteer": v,
            "active": v.left_on is None or v.left_on > today,
            "vetting": vetting_state(v, today),
            "hours": hours[v.pk],
            "courses": training[v.pk],
        }
        for v in m.Volunteer.objects.filter(service=service)
    ]


def rota(service, today: dt.date):
    """Booked panel meetings from today on, then the last month's."""
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=31), dt.time()))
    return list(
        m.PanelMeeting.objects.filter(service=service, starts_at__gte=start)
        .select_related("intervention__child", "member_one", "member_two")
        .order_by("starts_at")
    )


# --------------------------------------------------------------------------- remand costs

REMANDS = [code for code, _ in codes.REMAND_CHOICES if "BAIL" not in code]
PLACEMENT_LABELS = dict(m.RemandNightlyCost.Placement.choices)


def nights_between(start: dt.date, end: dt.date | None, first: dt.date, last: dt.date, as_at):
    """Nights of a remand from ``start`` to release on ``end`` that fall in ``first``..``last``.

    A night belongs to the date it begins: the night of the remand's first day counts, the
    night of the release day does not (the child is home by then), so a remand from 30 March to
    4 April has five nights: 30 and 31 March in one quarter, 1, 2 and 3 April in the next. An
    open remand counts its nights up to (not including) ``as_at``.
    """
    stop = min(end or as_at, as_at, last + ONE_DAY)  # the first night not counted
    begin = max(start, first)
    return max(0, (stop - begin).days)


def _placement(r: Remand) -> str:
    if r.establishment:
        return r.establishment
    return "LA" if r.decision.startswith("REMAND_TO_LOCAL_AUTHORITY") else ""


def _rates(service) -> dict[tuple[int, str], m.RemandNightlyCost]:
    return {(c.year, c.placement): c for c in m.RemandNightlyCost.objects.filter(service=service)}


def remand_costs(service, quarters: list[Quarter], as_at: dt.date, scope=None) -> dict:
    """Remand nights and their cost by quarter: nights × the nightly cost, by placement.

    The nightly cost is the remand record's own, or else the service's figure for the placement
    in that financial year (`RemandNightlyCost`); nights with neither are counted as "no cost
    recorded". Bail decisions are not remands. ``scope`` (an OutputScope) adds each remand of a
    child it may name, for checking by hand.
    """
    if not quarters:
        return {"quarters": [], "nights": 0, "total": Decimal(0), "uncosted": 0, "remands": []}
    first, last = quarters[0].start, quarters[-1].end
    rates = _rates(service)
    remands = (
        Remand.objects.filter(child__service=service, decision__in=REMANDS, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=first))
        .select_related("child")
        .order_by("start_date", "id")
    )
    out = []
    detail = []
    for q in quarters:
        groups: dict[tuple[str, Decimal | None], int] = Counter()
        for r in remands:
            nights = nights_between(r.start_date, r.end_date, q.start, q.end, as_at)
            if not nights:
                continue
            place = _placement(r)
            cost = r.nightly_cost
            if cost is None and (rate := rates.get((q.fy_start, place))):
                cost = rate.nightly_cost
            groups[(place, cost)] += nights
            if scope is not None and scope.includes(r.child):
                detail.append(
                    {
                        "quarter": q.label,
                        "child": r.child,
                        "kind": r.get_decision_display(),
                        "start": r.start_date,
                        "end": r.end_date,
                        "nights": nights,
                        "cost": cost,
                        "total": cost * nights if cost is not None else None,
                    }
                )
        rows = []
        for (place, cost), nights in sorted(
            groups.items(), key=lambda g: (g[0][0], g[0][1] or Decimal(-1))
        ):
            rows.append(
                {
                    "placement": PLACEMENT_LABELS.get(place, "Placement not recorded"),
                    "nights": nights,
                    "cost": cost,
                    "total": cost * nights if cost is not None else None,
                }
            )
        out.append(
            {
                "quarter": q,
                "rows": rows,
                "nights": sum(r["nights"] for r in rows),
                "total": sum((r["total"] for r in rows if r["total"] is not None), Decimal(0)),
                "uncosted": sum(r["nights"] for r in rows if r["total"] is None),
            }
        )
    return {
        "quarters": out,
        "nights": sum(q["nights"] for q in out),
        "total": sum((q["total"] for q in out), Decimal(0)),
        "uncosted": sum(q["uncosted"] for q in out),
        "remands": detail,
    }


def money(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


# --------------------------------------------------------------------------- reparation


def reparation(service, quarters: list[Quarter]) -> dict:
    """Sessions, children's attendances and hours delivered by quarter, and the projects that
    ran in the period with their hours."""
    if not quarters:
        return {"quarters": [], "projects": [], "hours": Decimal(0)}
    first, last = quarters[0].start, quarters[-1].end
    sessions = list(
        m.ReparationSession.objects.filter(
            project__service=service, held_on__gte=first, held_on__lte=last
        ).select_related("project")
    )
    rows = []
    for q in quarters:
        mine = [s for s in sessions if s.held_on in q]
        rows.append(
            {
                "quarter": q,
                "sessions": len(mine),
                "children": sum(s.children for s in mine),
                "hours": sum((s.hours for s in mine), Decimal(0)),
            }
        )
    by_project = defaultdict(Decimal)
    for s in sessions:
        by_project[s.project_id] += s.hours
    projects = [
        {"project": p, "hours": by_project[p.pk]}
        for p in m.ReparationProject.objects.filter(service=service, started_on__lte=last).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=first)
        )
    ]
    return {
        "quarters": rows,
        "projects": projects,
        "hours": sum((r["hours"] for r in rows), Decimal(0)),
    }


# --------------------------------------------------------------------------- Turnaround

TA = Intervention.Kind.TURNAROUND
SUBSTANTIVE = [c.code for c in codes.OUTCOMES if c.substantive]
ROUTES = {
    "COMMUNITY_RESOLUTION": "Community resolution",
    "OUTCOME_22": "Outcome 22",
    "OUTCOME_22_DEFERRED": "Outcome 22",
    "OUTCOME_20_21": "Outcome 20 or 21",
    "NO_FURTHER_ACTION": "No further action",
}
NO_ROUTE = "Released under investigation, on bail or referred by a partner"


def turnaround(service, q: Quarter) -> dict:
    """The Turnaround programme's quarter for its funder (the Ministry of Justice).

    Referred: Turnaround referrals received in the quarter. Started / completed / ended early:
    Turnaround interventions starting / ending in the quarter (completed = completed
    successfully). Open: not ended by the quarter's last day. Eligibility: of the children who
    started, those with no caution or conviction before starting (Turnaround is for children
    not already in the formal system), and the route that brought them (their latest
    non-substantive outcome before starting). Outcome: of the children who ended, those given
    a caution or conviction between starting and the quarter's end.
    """
    ivs = list(
        Intervention.objects.filter(child__service=service, kind=TA, start_date__lte=q.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=q.start))
        .select_related("child")
    )
    child_ids = {i.child_id for i in ivs}
    outcomes = defaultdict(list)
    for o in (
        Outcome.objects.filter(child_id__in=child_ids, outcome_date__lte=q.end)
        .exclude(appeal_status="SUCCESSFUL")
        .order_by("outcome_date", "id")
    ):
        outcomes[o.child_id].append(o)
    started = [i for i in ivs if i.start_date in q]
    ended = [i for i in ivs if i.end_date and i.end_date in q]
    completed = [i for i in ended if i.completed_successfully]
    routes: Counter = Counter()
    eligible = 0
    for i in started:
        before = [o for o in outcomes[i.child_id] if o.outcome_date <= i.start_date]
        if (
            not any(o.code in SUBSTANTIVE for o in before)
            and not i.child.previous_substantive_outcome
        ):
            eligible += 1
        route = next((ROUTES[o.code] for o in reversed(before) if o.code in ROUTES), NO_ROUTE)
        routes[route] += 1
    went_on = sum(
        1
        for i in ended
        if any(
            o.code in SUBSTANTIVE and i.start_date < o.outcome_date <= q.end
            for o in outcomes[i.child_id]
        )
    )
    referred = Referral.objects.filter(
        child__service=service,
        pathway="TURNAROUND",
        received_on__gte=q.start,
        received_on__lte=q.end,
    ).count()
    return {
        "quarter": q,
        "referred": referred,
        "started": len(started),
        "eligible": eligible,
        "not_eligible": len(started) - eligible,
        "completed": len(completed),
        "ended_early": len(ended) - len(completed),
        "open": sum(1 for i in ivs if i.end_date is None or i.end_date > q.end),
        "substantive_after": went_on,
        "routes": sorted(routes.items(), key=lambda r: (-r[1], r[0])),
    }


# --------------------------------------------------------------------------- periods


def year_to_date(q: Quarter) -> list[Quarter]:
    """The financial year's quarters up to and including ``q``."""
    return list(quarters_between(Quarter(q.fy_start, 1), q))


def quarters_shown(today: dt.date, fy: FinancialYear | None = None) -> list[Quarter]:
    """A year's quarters that have begun by ``today`` (this financial year by default)."""
    fy = fy or FinancialYear.of(today)
    current = quarter_of(today)
    return [q for q in fy.quarters() if q <= current]
