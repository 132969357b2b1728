"""The demo's diaries (issue 11): for each practitioner, this week's and next week's appointments
with children of their caseload, and a few tasks (some overdue, some done).

Drawn from a random stream of its own (`random.Random(seed + 11)` in `yjs.interop.demo`), after
every other demo record is saved, so nothing else in the demo (nor any KPI figure) changes. The
appointments make no contacts: days already past this week hold appointments rearranged,
cancelled or still waiting for their outcome to be recorded, as a real diary would.
"""

from __future__ import annotations

import datetime as dt
import random

from yjs import periods
from yjs.casework.models import Child
from yjs.organisation.models import Role, Service

from .models import PlannedAppointment, Task

D = dt.timedelta
S = PlannedAppointment.Status

PLACES = {
    "SUPERVISION": ("Northshire youth justice office", "Eastmoor youth hub"),
    "HOME_VISIT": ("Home visit",),
    "INTERVENTION": ("Northshire youth justice office", "Eastmoor youth hub"),
    "REPARATION": ("Northtown community garden", "Eastmoor food bank"),
    "EDUCATION": ("Northtown Academy", "Eastmoor College"),
    "HEALTH": ("Northshire CAMHS clinic",),
}
KINDS = {"SUPERVISION": 6, "HOME_VISIT": 3, "INTERVENTION": 3, "REPARATION": 1, "EDUCATION": 1}
WITH = ("{name}", "{name} and their parent", "{name} and their carer", "{name} and a teacher")
TASKS = (
    (Task.Kind.REVIEW_ASSESSMENT, "Review the assessment"),
    (Task.Kind.PSR_DUE, "Pre-sentence report due"),
    (Task.Kind.VICTIM_CONTACT, "Victim contact: offer information and restorative justice"),
    (Task.Kind.OTHER, "Book a reparation placement"),
    (Task.Kind.OTHER, "Send the school a progress update"),
)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def add_diaries(service: Service, rng: random.Random, today: dt.date) -> dict[str, int]:
    monday = today - D(days=today.weekday())
    days = [monday + D(days=i) for i in range(12) if (monday + D(days=i)).weekday() < 5]
    workers = service.staff.filter(role=Role.PRACTITIONER, is_active=True).order_by("username")
    appointments: list[PlannedAppointment] = []
    tasks: list[Task] = []
    for worker in workers:
        caseload = list(
            Child.objects.filter(allocated_worker=worker, closed_on__isnull=True).order_by("pk")
        )
        if not caseload:
            continue
        for child in rng.sample(caseload, min(len(caseload), 6)):
            day = rng.choice(days)
            hour = rng.choice((9, 10, 11, 13, 14, 15, 16))
            kind = _weighted(rng, KINDS)
            status = S.PLANNED
            if day < today:
                status = _weighted(rng, {S.PLANNED: 2, S.CANCELLED: 1, S.REARRANGED: 1})
            appointments.append(
                PlannedAppointment(
                    child=child,
                    worker=worker,
                    date=day,
                    start_time=dt.time(hour, rng.choice((0, 30))),
                    end_time=dt.time(hour + 1, 0),
                    place=rng.choice(PLACES[kind]),
                    with_whom=rng.choice(WITH).format(
                        name=child.preferred_name or child.first_name
                    ),
                    kind=kind,
                    status=status,
                    status_reason="The child was unwell" if status == S.CANCELLED else "",
                )
            )
        for kind, title in rng.sample(TASKS, 3):
            due = periods.add_working_days(today, rng.randint(-8, 12))
            done = rng.random() < 0.2
            tasks.append(
                Task(
                    owner=worker,
                    child=rng.choice(caseload),
                    title=title,
                    kind=kind,
                    due_date=due,
                    status=Task.Status.DONE if done else Task.Status.TO_DO,
                    done_at=None,
                    source=Task.Source.HAND,
                )
            )
    PlannedAppointment.objects.bulk_create(appointments)
    # A rearranged appointment's new time: the same hour, a week later (in the future).
    moved = [
        PlannedAppointment(
            child=a.child,
            worker=a.worker,
            date=a.date + D(days=7),
            start_time=a.start_time,
            end_time=a.end_time,
            place=a.place,
            with_whom=a.with_whom,
            kind=a.kind,
            rearranged_from=a,
        )
        for a in appointments
        if a.status == S.REARRANGED
    ]
    PlannedAppointment.objects.bulk_create(moved)
    for task in tasks:
        if task.status == Task.Status.DONE:
            task.done_at = dt.datetime.combine(min(task.due_date, today), dt.time(12), dt.UTC)
    Task.objects.bulk_create(tasks)
    return {"PlannedAppointment": len(appointments) + len(moved), "Task": len(tasks)}
