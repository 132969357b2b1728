"""Reads of the diary: a worker's (or a team's) week, the tasks of "My work", the contact
frequency shortfalls (and their alert), what the calendar feed and the letters may show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, DateField, IntegerField, Q, QuerySet, Value

from yjs import periods
from yjs.casework.models import Child, Contact
from yjs.casework.selectors import Alert
from yjs.compiled import CompiledQuery, known_to_have_none
from yjs.permissions import output_scope

from . import services
from .models import ContactFrequency, PlannedAppointment, Task

D = datetime.timedelta
S = PlannedAppointment.Status


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week (a diary week runs Monday to Sunday)."""
    return day - D(days=day.weekday())


def scoped_appointments(user) -> QuerySet[PlannedAppointment]:
    """Live appointments of the children the user may see (the one scope rule)."""
    return output_scope(user).children(
        PlannedAppointment.objects.select_related("child", "worker", "order"), "child"
    )


@dataclass
class DiaryDay:
    day: datetime.date
    appointments: list = field(default_factory=list)

    @property
    def is_weekend(self) -> bool:
        return self.day.weekday() >= 5


def diary_week(user, monday: datetime.date, *, worker=None, team_id=None) -> list[DiaryDay]:
    """The seven days from `monday`, each with its appointments in time order: the worker's
    own (`worker`) or those of every worker of a team (`team_id`). Rearranged and cancelled
    ones stay, marked, so the week shows what changed. One query."""
    qs = scoped_appointments(user).filter(date__gte=monday, date__lt=monday + D(days=7))
    if worker is not None:
        qs = qs.filter(worker=worker)
    if team_id is not None:
        qs = qs.filter(worker__team_id=team_id)
    days = {monday + D(days=i): DiaryDay(monday + D(days=i)) for i in range(7)}
    for appt in qs.order_by("date", "start_time", "worker__first_name", "id"):
        days[appt.date].appointments.append(appt)
    return list(days.values())


def todays_appointments(user, on: datetime.date) -> list[PlannedAppointment]:
    return list(
        scoped_appointments(user)
        .filter(worker=user, date=on)
        .exclude(status__in=[S.CANCELLED, S.REARRANGED])
        .order_by("start_time", "id")
    )


def awaiting_outcome(user, on: datetime.date) -> list[PlannedAppointment]:
    """The user's appointments that have begun and still have no outcome recorded."""
    now = services.now()
    return [
        a
        for a in scoped_appointments(user).filter(worker=user, status=S.PLANNED, date__lte=on)
        if services.starts_at(a) <= now
    ]


# Tasks ------------------------------------------------------------------------------------


def scoped_tasks(user) -> QuerySet[Task]:
    """Tasks of the user's service whose child (if any) the user may see."""
    scope = output_scope(user)
    if scope.empty or not scope.named:
        return Task.objects.none()
    children = scope.children(Child.objects.all())
    return (
        Task.objects.filter(owner__service_id=scope.service_id)
        .filter(Q(child__isnull=True) | Q(child__in=children))
        .select_related("child", "owner")
    )


def overdue_first(tasks) -> list[Task]:
    return sorted(tasks, key=lambda t: (t.due_date, t.pk))


def my_tasks(user, on: datetime.date) -> tuple[list[Task], list[Task], list[Task]]:
    """The user's tasks to do: (overdue, due this week, later), each by due date. "This week"
    is today to Sunday."""
    tasks = list(scoped_tasks(user).filter(owner=user, status=Task.Status.TO_DO))
    sunday = week_of(on) + D(days=6)
    overdue = [t for t in tasks if t.due_date < on]
    this_week = [t for t in tasks if on <= t.due_date <= sunday]
    later = [t for t in tasks if t.due_date > sunday]
    return overdue_first(overdue), overdue_first(this_week), overdue_first(later)


def team_overdue_tasks(user, on: datetime.date, team_id=None) -> list[Task]:
    """Overdue tasks of every worker of a team (or of the service, for None)."""
    qs = scoped_tasks(user).filter(status=Task.Status.TO_DO, due_date__lt=on)
    if team_id is not None:
        qs = qs.filter(owner__team_id=team_id)
    return list(qs.order_by("due_date", "owner__first_name", "id"))


def child_tasks(child: Child) -> list[Task]:
    if known_to_have_none(child, "tasks"):  # the record page found none at all
        return []
    return list(_CHILD_TASKS(child.pk))


# Read on every child's record: compiled once per process (yjs.compiled).
_CHILD_TASKS = CompiledQuery(
    lambda child_id: Task.objects.filter(
        child_id=child_id, status=Task.Status.TO_DO
    ).select_related("owner"),
    int,
)


# Contact frequency ------------------------------------------------------------------------

# Contacts that see the child: in person or by video; a phone call does not.
SEEN_MODES = ("FACE_TO_FACE", "VIRTUAL")


@dataclass(frozen=True)
class Shortfall:
    start: datetime.date
    end: datetime.date
    seen: int
    required: int
    per: str

    @property
    def message(self) -> str:
        times = "once" if self.seen == 1 else f"{self.seen} times"
        per = "week" if self.per == ContactFrequency.Per.WEEK else "month"
        return (
            f"Seen less often than the plan sets: {times} from {periods.long_date(self.start)} "
            f"to {periods.long_date(self.end)}, where the plan sets {self.required} a {per}"
        )


def _complete_periods(freqs: list, on: datetime.date):
    """Each completed period of each frequency, oldest first, as (frequency, start, end): the
    periods run from its start date (weeks of 7 days, or calendar months from that day) until
    the next frequency starts, its end date or `on`; a period not over by the day before `on`
    (or cut short) is not judged."""
    freqs = sorted(freqs, key=lambda f: (f.start_date, f.pk or 0))
    for i, freq in enumerate(freqs):
        stop = on - D(days=1)
        if i + 1 < len(freqs):
            stop = min(stop, freqs[i + 1].start_date - D(days=1))
        if freq.planned_end_date:
            stop = min(stop, freq.planned_end_date)
        k = 0
        while True:
            if freq.per == ContactFrequency.Per.WEEK:
                start = freq.start_date + D(days=7 * k)
                end = start + D(days=6)
            else:
                start = periods.add_months(freq.start_date, k)
                end = periods.add_months(freq.start_date, k + 1) - D(days=1)
            if end > stop:
                break
            yield freq, start, end
            k += 1


def shortfalls_of(freqs: list, seen_on: list[datetime.date], on: datetime.date) -> list[Shortfall]:
    """The completed periods in which the child was seen fewer times than the plan set."""
    found = []
    for freq, start, end in _complete_periods(freqs, on):
        seen = sum(1 for d in seen_on if start <= d <= end)
        if seen < freq.contacts:
            found.append(Shortfall(start, end, seen, freq.contacts, freq.per))
    return found


def _seen_contacts(child_ids, since: datetime.date | None = None) -> QuerySet[Contact]:
    qs = Contact.objects.filter(child_id__in=child_ids, attended=True, mode__in=SEEN_MODES)
    return qs.filter(contact_date__gte=since) if since else qs


def child_shortfalls(child: Child, on: datetime.date) -> list[Shortfall]:
    """Every completed week or month since the child's first contact frequency in which the
    child was seen less often than the plan set. Two queries."""
    freqs = list(child.contact_frequencies.all())
    if not freqs:
        return []
    since = min(f.start_date for f in freqs)
    dates = list(_seen_contacts([child.pk], since).values_list("contact_date", flat=True))
    return shortfalls_of(freqs, dates, on)


# A month is at most 31 days: the latest completed period started less than 62 days before.
ALERT_LOOKBACK_DAYS = 62


def _alert_rows(child_ids: list[int], since: datetime.date, on: datetime.date) -> QuerySet:
    """The frequencies of the children, and their contacts seeing them from `since` to the
    day before `on`, as one union (`seen_less_often_alerts`)."""
    with_frequency = ContactFrequency.objects.filter(child_id__in=child_ids).values("child_id")
    freq_rows = (
        ContactFrequency.objects.filter(child_id__in=child_ids)
        .order_by()
        .values_list(
            Value("f", output_field=CharField()),
            "pk",
            "child_id",
            "start_date",
            "planned_end_date",
            "contacts",
            "per",
        )
    )
    contact_rows = (
        _seen_contacts(with_frequency, since)
        .filter(contact_date__lt=on)
        .order_by()
        .values_list(
            Value("c", output_field=CharField()),
            "pk",
            "child_id",
            "contact_date",
            Value(None, output_field=DateField()),
            Value(0, output_field=IntegerField()),
            Value("", output_field=CharField()),
        )
    )
    return freq_rows.union(contact_rows, all=True)


# Compiled once per process (yjs.compiled): every caseload and child's record asks it.
_ALERT_ROWS = CompiledQuery(_alert_rows, list, datetime.date, datetime.date)


def seen_less_often_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    """ "Seen less often than the plan sets": the latest completed week or month of a child's
    contact frequency had fewer contacts seeing the child than it sets (an earlier shortfall is
    history, on the child's record). One query: the frequencies and the recent contacts of the
    page's children, as one union."""
    kids = {c.pk: c for c in children if not known_to_have_none(c, "contact_frequencies")}
    if not kids:
        return []
    since = on - D(days=ALERT_LOOKBACK_DAYS)
    freqs: dict[int, list[ContactFrequency]] = defaultdict(list)
    seen: dict[int, list[datetime.date]] = defaultdict(list)
    for row_kind, pk, child_id, day, end, contacts, per in _ALERT_ROWS(list(kids), since, on):
        day = _as_date(day)
        if row_kind == "f":
            freqs[child_id].append(
                ContactFrequency(
                    pk=pk,
                    child_id=child_id,
                    start_date=day,
                    planned_end_date=_as_date(end),
                    contacts=contacts,
                    per=per,
                )
            )
        else:
            seen[child_id].append(day)
    alerts = []
    for child_id, child_freqs in freqs.items():
        latest = list(_complete_periods(child_freqs, on))
        if not latest:
            continue
        freq, start, end = latest[-1]
        if end < since:
            continue
        count = sum(1 for d in seen[child_id] if start <= d <= end)
        if count < freq.contacts:
            short = Shortfall(start, end, count, freq.contacts, freq.per)
            alerts.append(Alert(kids[child_id], "seen", short.message, end))
    return alerts


def _as_date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


# What leaves: letters and the calendar feed -------------------------------------------------


def appointment_letter_context(appointment: PlannedAppointment) -> dict:
    """What a letter about the appointment says (for the letters helper): when, where, with
    whom and the worker's name."""
    worker = appointment.worker
    return {
        "date": periods.long_date(appointment.date),
        "day": f"{appointment.date:%A}",
        "time": f"{appointment.start_time:%H:%M}",
        "end_time": f"{appointment.end_time:%H:%M}",
        "place": appointment.place,
        "with_whom": appointment.with_whom,
        "worker_name": worker.get_full_name() or worker.get_username(),
        "kind": appointment.get_kind_display(),
    }


def letter_appointments(child) -> list[PlannedAppointment]:
    """The appointments an appointment letter can be written for: the child's planned ones."""
    return list(
        PlannedAppointment.objects.filter(
            child=child, status=PlannedAppointment.Status.PLANNED
        ).order_by("date", "start_time")
    )


def appointment_letter(child, appointment: PlannedAppointment) -> dict:
    """The appointment as the letter template names it (documents.letters.APPOINTMENT_FIELDS):
    "Tuesday 10 June 2025", "16:00", the place, "a supervision session", the worker."""
    found = appointment_letter_context(appointment)
    return {
        "appointment": {
            "date": f"{found['day']} {found['date']}",
            "time": found["time"],
            "place": found["place"],
            "purpose": f"a {found['kind'][:1].lower()}{found['kind'][1:]}",
            "with": found["worker_name"],
        }
    }


# How far back a calendar feed reaches (the worker's recent days stay in their calendar).
FEED_DAYS_BACK = 30


def feed_appointments(worker, on: datetime.date) -> list[PlannedAppointment]:
    """The worker's appointments for the feed: from FEED_DAYS_BACK days ago on, neither
    cancelled nor rearranged (the new one is there), of children the worker may see."""
    return list(
        scoped_appointments(worker)
        .filter(worker=worker, date__gte=on - D(days=FEED_DAYS_BACK))
        .exclude(status__in=[S.CANCELLED, S.REARRANGED])
        .order_by("date", "start_time", "id")
    )


def initials(child: Child) -> str:
    """The child's initials as a calendar event may show them ("J.S.")."""
    first = (child.preferred_name or child.first_name or "?")[:1]
    return f"{first.upper()}.{(child.last_name or '?')[:1].upper()}."


# The child's diary section ------------------------------------------------------------------


_UPCOMING = CompiledQuery(  # compiled once per process (yjs.compiled)
    lambda child_id, today: PlannedAppointment.objects.filter(
        child_id=child_id, status=S.PLANNED, date__gte=today
    ).select_related("worker")[:10],
    int,
    datetime.date,
)


def diary_section(child: Child, user, today: datetime.date) -> dict | None:
    """The record page's "Diary" section (casework extensions.ChildSection): the child's
    planned appointments to come, the contact frequency, its shortfalls and the open tasks."""
    none_planned = known_to_have_none(child, "planned_appointments")
    upcoming = [] if none_planned else list(_UPCOMING(child.pk, today))
    freqs = list(child.contact_frequencies.all())
    if not (upcoming or freqs) and child.closed_on:
        return None
    return {
        "upcoming": upcoming,
        "frequency": freqs[0] if freqs else None,
        "shortfalls": child_shortfalls(child, today)[-5:] if freqs else [],
        "tasks": child_tasks(child),
        "today": today,
        "can_record": user.has_perm("casework.change_child", child) and not child.closed_on,
    }
