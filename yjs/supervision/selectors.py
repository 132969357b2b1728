"""Reads of the order's supervision: the compliance summary on the child's record, the alerts
(one query per source for all the children of a page) and the timeline entries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce

from yjs import periods
from yjs.casework.models import Child, Outcome
from yjs.casework.selectors import Alert, TimelineEntry
from yjs.compiled import CompiledQuery, known_to_have_none
from yjs.reversing import reverse

from . import services
from .models import SUPERVISED_ORDERS, YRO, Appointment, Breach, Requirement, Warning


def warned_since(on: datetime.date) -> datetime.date:
    """Warnings given after this day are within the 12 months up to `on`."""
    return periods.add_months(on, -services.WARNED_PERIOD_MONTHS)


@dataclass
class OrderCompliance:
    """One order's compliance, as the child's record shows it."""

    order: Outcome
    end: datetime.date | None
    requirements: list[Requirement]
    kept: int = 0
    acceptable: int = 0
    unacceptable: int = 0
    warnings_12_months: int = 0
    latest_warning: datetime.date | None = None  # the latest of those 12 months' warnings
    breaches: int = 0
    breach_date: datetime.date | None = None  # the latest breach's
    breach_result: str = ""

    @property
    def appointments(self) -> int:
        return self.kept + self.acceptable + self.unacceptable

    @property
    def kept_percent(self) -> int | None:
        """Appointments kept as a share of those the child had to keep: an acceptable absence
        (the child was excused) is left out; None before any is due."""
        due = self.kept + self.unacceptable
        return round(100 * self.kept / due) if due else None

    @property
    def at_threshold(self) -> bool:
        """Two warnings in 12 months on a YRO, and the child not taken back to court since the
        latest (as the alert, `warning_threshold_alerts`)."""
        back_to_court = bool(
            self.breach_date and self.latest_warning and self.breach_date >= self.latest_warning
        )
        return (
            self.order.code == YRO
            and self.warnings_12_months >= services.WARNINGS_BEFORE_COURT
            and not back_to_court
        )

    @property
    def breach_state(self) -> str:
        if not self.breaches:
            return "No breach"
        if not self.breach_result:
            return f"Breach pending since {periods.long_date(self.breach_date)}"
        result = dict(Breach.Result.choices)[self.breach_result]
        return f"Breach of {periods.long_date(self.breach_date)}: {result.lower()}"


def _count(model, **filters):
    """How many live records of `model` the order has (a subquery of the order's row)."""
    rows = (
        model.objects.filter(order=OuterRef("pk"), **filters)
        .order_by()
        .values("order")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _latest_breach(column: str):
    return Subquery(
        Breach.objects.filter(order=OuterRef("pk"))
        .order_by("-breach_date", "-id")
        .values(column)[:1]
    )


def supervised_orders(on: datetime.date):
    """Supervised orders (never a variation) with what their compliance needs, one row each:
    `varied_months` (the latest variation's length), appointments by attendance, warnings in
    the 12 months to `on` (how many, the latest's date), and the breaches (how many, the
    latest's date and result)."""
    return _supervised_orders(on, warned_since(on))


def _supervised_orders(on: datetime.date, since: datetime.date):
    A = Appointment.Attendance
    in_period = Warning.objects.filter(
        order=OuterRef("pk"), warned_on__gt=since, warned_on__lte=on
    ).order_by("-warned_on")
    latest_variation = Outcome.objects.filter(varies=OuterRef("pk")).order_by(
        "-outcome_date", "-id"
    )
    return Outcome.objects.filter(code__in=SUPERVISED_ORDERS, varies__isnull=True).annotate(
        varied_months=Subquery(latest_variation.values("length_months")[:1]),
        kept=_count(Appointment, attendance=A.KEPT),
        acceptable=_count(Appointment, attendance=A.ACCEPTABLE),
        unacceptable=_count(Appointment, attendance=A.UNACCEPTABLE),
        warnings_12_months=_count(Warning, warned_on__gt=since, warned_on__lte=on),
        latest_warning=Subquery(in_period.values("warned_on")[:1]),
        breach_count=_count(Breach),
        breach_date=_latest_breach("breach_date"),
        breach_result=_latest_breach("result"),
    )


# The child's orders and requirements, compiled once per process (yjs.compiled).
_CHILD_ORDERS = CompiledQuery(
    lambda child_id, on, since: (
        _supervised_orders(on, since).filter(child_id=child_id).order_by("-outcome_date", "-id")
    ),
    int,
    datetime.date,
    datetime.date,
)
_CHILD_REQUIREMENTS = CompiledQuery(
    lambda child_id: Requirement.objects.filter(child_id=child_id).order_by("start_date", "id"),
    int,
)


def compliance(child: Child, on: datetime.date) -> list[OrderCompliance]:
    """Each supervised order of the child, newest first: its requirements (hours or days
    completed of those ordered), appointments kept, warnings in the 12 months to `on`, and
    its breach state. An order with nothing recorded against it is left out. Two queries: the
    orders with their counts, and the child's requirements."""
    if known_to_have_none(child, "outcomes"):
        return []
    orders = list(_CHILD_ORDERS(child.pk, on, warned_since(on)))
    if not orders:
        return []
    requirements = defaultdict(list)
    for r in _CHILD_REQUIREMENTS(child.pk):
        requirements[r.order_id].append(r)
    found = []
    for order in orders:
        row = OrderCompliance(
            order=order,
            end=services.order_end(order),
            requirements=requirements[order.pk],
            kept=order.kept,
            acceptable=order.acceptable,
            unacceptable=order.unacceptable,
            warnings_12_months=order.warnings_12_months,
            latest_warning=order.latest_warning,
            breaches=order.breach_count,
            breach_date=order.breach_date,
            breach_result=order.breach_result or "",
        )
        if row.requirements or row.appointments or row.warnings_12_months or row.breaches:
            found.append(row)
    return found


def compliance_section(child: Child, user, today: datetime.date) -> dict | None:
    """The record page's "Supervising the order" section (casework extensions.ChildSection):
    shown once the child has a youth rehabilitation order or referral order."""
    orders = compliance(child, today)
    has_order = bool(orders) or any(o.code in SUPERVISED_ORDERS for o in _read_outcomes(child))
    if not has_order:
        return None
    return {
        "orders": orders,
        "can_record": user.has_perm("casework.change_child", child) and not child.closed_on,
        "threshold": services.WARNINGS_BEFORE_COURT,
    }


def _read_outcomes(child: Child):
    """The child's outcomes as the record page already read them, else nothing: the section
    shows its link once anything is recorded against an order."""
    cache = getattr(child, "_prefetched_objects_cache", {})
    return cache.get("outcomes", [])


# Alerts: one query per source, for every child of the page ------------------------------


def _by_pk(children, accessor: str) -> dict[int, Child]:
    """The children by id, but those the page already found have no `accessor` records."""
    return {c.pk: c for c in children if not known_to_have_none(c, accessor)}


# Compiled once per process (yjs.compiled): every caseload and child's record asks them.
_BREACHES_PENDING = CompiledQuery(
    lambda child_ids: Breach.objects.filter(
        child_id__in=child_ids, result="", order__voided_at__isnull=True
    ).values_list("child_id", "breach_date", "proceedings"),
    list,
)
_WARNED_ORDERS = CompiledQuery(
    lambda child_ids, on, since: (
        _supervised_orders(on, since)
        .filter(
            child_id__in=child_ids, code=YRO, warnings_12_months__gte=services.WARNINGS_BEFORE_COURT
        )
        .values_list("child_id", "warnings_12_months", "latest_warning", "breach_date")
    ),
    list,
    datetime.date,
    datetime.date,
)
_REQUIREMENTS_ENDING = CompiledQuery(
    lambda child_ids, on, until: Requirement.objects.filter(
        child_id__in=child_ids,
        order__voided_at__isnull=True,
        planned_end_date__gte=on,
        planned_end_date__lte=until,
    ),
    list,
    datetime.date,
    datetime.date,
)


def breach_pending_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    """A breach recorded with no result yet."""
    kids = _by_pk(children, "breaches")
    if not kids:
        return []
    rows = _BREACHES_PENDING(list(kids))
    return [
        Alert(
            kids[child_id],
            "breach",
            f"Breach pending since {periods.long_date(began)} "
            f"({dict(Breach.Proceedings.choices)[how].lower()}): record the result",
            began,
        )
        for child_id, began, how in rows
    ]


def warning_threshold_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    """A youth rehabilitation order with WARNINGS_BEFORE_COURT warnings in the 12 months to
    `on`, not taken back to court since the latest: a further unacceptable failure must be."""
    kids = _by_pk(children, "outcomes")  # the orders
    if not kids:
        return []
    rows = _WARNED_ORDERS(list(kids), on, warned_since(on))
    return [
        Alert(
            kids[child_id],
            "warnings",
            f"{count} warnings in 12 months on the youth rehabilitation order: a further "
            "unacceptable absence must be taken back to court",
            latest,
        )
        for child_id, count, latest, breached in rows
        if not (breached and breached >= latest)  # back to court since the latest warning
    ]


def requirements_ending_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    """Requirements ending within ENDING_SOON_DAYS days, unless all the hours or days ordered
    are done."""
    kids = _by_pk(children, "requirements")
    if not kids:
        return []
    rows = _REQUIREMENTS_ENDING(
        list(kids), on, on + datetime.timedelta(days=services.ENDING_SOON_DAYS)
    )
    found = []
    for r in rows:
        if r.ordered is not None and r.completed >= r.ordered:
            continue
        left = (
            f": {r.completed} of {r.ordered} {r.get_unit_display().lower()} done"
            if r.ordered
            else ""
        )
        found.append(
            Alert(
                kids[r.child_id],
                "requirement",
                f"{r.get_kind_display()} ends on {periods.long_date(r.planned_end_date)}{left}",
                r.planned_end_date,
            )
        )
    return found


# Timeline ----------------------------------------------------------------------------------

TIMELINE_KINDS = ("requirement", "appointment", "warning", "breach")
# The child's records they come from (the record page asks whether the child has any).
TIMELINE_ACCESSORS = ("requirements", "appointments", "order_warnings", "breaches")


def _timeline_rows(child_id: int):
    def rows(model, slug, date, title, line):
        return (
            model.objects.filter(child_id=child_id)
            .order_by()
            .values_list(Value(slug), "pk", date, title, Cast(line, CharField()))
        )

    return rows(Requirement, "requirement", "start_date", "kind", "planned_end_date").union(
        rows(Appointment, "appointment", "appointment_date", "kind", "attendance").exclude(
            attendance=Appointment.Attendance.KEPT
        ),
        rows(Warning, "warning", "warned_on", "reason", "reason"),
        rows(Breach, "breach", "breach_date", "proceedings", "result"),
        all=True,
    )


_TIMELINE_ROWS = CompiledQuery(_timeline_rows, int)  # compiled once per process


def timeline_entries(child: Child) -> list[TimelineEntry]:
    """Requirements, missed appointments, warnings and breaches on the child's timeline (a kept
    appointment is routine: the compliance summary counts it), in one query."""

    if all(known_to_have_none(child, accessor) for accessor in TIMELINE_ACCESSORS):
        return []
    union = _TIMELINE_ROWS(child.pk)
    kinds = dict(Requirement.Kind.choices)
    appointment_kinds = dict(Appointment._meta.get_field("kind").choices)
    attendance = dict(Appointment.Attendance.choices)
    proceedings = dict(Breach.Proceedings.choices)
    results = dict(Breach.Result.choices)
    entries = []
    for slug, pk, date, title, line in union:
        if isinstance(date, str):
            date = datetime.date.fromisoformat(date)
        url = reverse("casework:record", args=[child.pk, RECORD_SLUGS[slug], pk])
        if slug == "requirement":
            until = datetime.date.fromisoformat(line)
            entry = (kinds.get(title, title), f"Until {periods.long_date(until)}")
        elif slug == "appointment":
            entry = (f"{appointment_kinds.get(title, title)} missed", attendance.get(line, line))
        elif slug == "warning":
            entry = ("Warning given", title)
        else:
            entry = (
                f"Breach: {proceedings.get(title, title).lower()}",
                results.get(line) or "Result pending",
            )
        entries.append(TimelineEntry(date, entry[0], slug, lines=(entry[1],), url=url))
    return entries


# The record pages' URL slugs (casework records.RECORD_TYPES), by timeline kind.
RECORD_SLUGS = {
    "requirement": "requirement",
    "appointment": "appointment",
    "warning": "order-warning",
    "breach": "breach",
}
