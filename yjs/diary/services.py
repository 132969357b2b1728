"""The rules of the diary and tasks, and the commands that change them (each one transaction,
audited through casework's `_save`).

- A planned appointment is in the future when planned; its outcome is recorded once it has
  begun: attended or not attended becomes a casework `Contact` (and on a supervised order the
  supervision `Appointment`, through `yjs.supervision.services`, so its warnings and breach
  rules see it), rearranged plans the new appointment linked to the old one.
- The journey's workflows start tasks (`start_order_tasks`, `report_task`, `victim_task`):
  casework calls them after a new record of their kind is saved (`register_after_create`).
- A worker's calendar feed is reached by a secret address; only its hash is kept.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yjs import periods
from yjs.audit import services as audit
from yjs.casework import services as casework
from yjs.casework.models import Child, Contact, Outcome
from yjs.organisation.models import Role
from yjs.supervision import services as supervision
from yjs.supervision.models import SUPERVISED_ORDERS
from yjs.supervision.models import Appointment as OrderAppointment
from yjs.supervision.models import Warning as OrderWarning

from .models import CalendarFeed, ContactFrequency, PlannedAppointment, Task

S = PlannedAppointment.Status
CASE_WORKER_ROLES = {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN}


def now() -> datetime.datetime:
    """The local time now (Europe/London): diary times are wall-clock times."""
    return timezone.localtime()


def starts_at(appt: PlannedAppointment) -> datetime.datetime | None:
    if appt.date is None or appt.start_time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(appt.date, appt.start_time))


def ends_at(appt: PlannedAppointment) -> datetime.datetime | None:
    if appt.date is None or appt.end_time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(appt.date, appt.end_time))


# Rules ------------------------------------------------------------------------------------


def _order_problem(order: Outcome | None, child: Child | None) -> str | None:
    if order is None:
        return None
    if child is not None and order.child_id != child.pk:
        return "Select an order of this child"
    if order.varies_id:
        return "Select the order itself, not a variation of it"
    return None


def planned_appointment_problems(
    appt: PlannedAppointment, *, child: Child | None = None, **_
) -> dict[str, str]:
    problems: dict[str, str] = {}
    child = child or (appt.child if appt.child_id else None)
    start = starts_at(appt)
    if appt.status == S.PLANNED and start is not None and start < now():
        problems["date"] = (
            "A planned appointment must be in the future: record an appointment that has "
            "happened as a contact"
        )
    if appt.start_time and appt.end_time and appt.end_time <= appt.start_time:
        problems["end_time"] = "End time must be after the start time"
    if appt.worker_id and child is not None:
        worker = appt.worker
        if worker.service_id != child.service_id or worker.role not in CASE_WORKER_ROLES:
            problems["worker"] = "Select a worker of the child's youth justice service"
    order = appt.order if appt.order_id else None
    problem = _order_problem(order, child)
    if problem:
        problems["order"] = problem
    return problems


def contact_frequency_problems(
    freq: ContactFrequency, *, child: Child | None = None, **_
) -> dict[str, str]:
    problems: dict[str, str] = {}
    child = child or (freq.child if freq.child_id else None)
    if freq.contacts is not None and not 1 <= freq.contacts <= 31:
        problems["contacts"] = "Number of times the child is seen must be from 1 to 31"
    if freq.per == ContactFrequency.Per.WEEK and (freq.contacts or 0) > 7:
        problems.setdefault("contacts", "A child can be seen at most 7 times a week")
    problem = _order_problem(freq.order if freq.order_id else None, child)
    if problem:
        problems["order"] = problem
    return problems


def task_problems(task: Task, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    child = child or (task.child if task.child_id else None)
    if task.owner_id:
        owner = task.owner
        if owner.role not in CASE_WORKER_ROLES:
            problems["owner"] = "Select a case worker"
        elif child is not None and owner.service_id != child.service_id:
            problems["owner"] = "Select a worker of the child's youth justice service"
    if task.status == Task.Status.DONE and task.done_at is None:
        problems["status"] = "A task done needs the time it was done"
    return problems


RULES = {
    PlannedAppointment: planned_appointment_problems,
    ContactFrequency: contact_frequency_problems,
    Task: task_problems,
}


# Appointments -----------------------------------------------------------------------------


@transaction.atomic
def plan_appointment(actor, appt: PlannedAppointment) -> PlannedAppointment:
    appt.status = S.PLANNED
    return casework._save(actor, appt, description=f"Planned {appt}")


def _still_planned(appt: PlannedAppointment) -> None:
    current = PlannedAppointment.all_objects.get(pk=appt.pk)
    if current.voided:
        raise ValidationError("This appointment was voided")
    if current.status != S.PLANNED:
        raise ValidationError(
            f"This appointment was already recorded as {current.get_status_display().lower()}"
        )


# The supervision appointment kinds (yjs.supervision) for each kind of contact.
ORDER_APPOINTMENT_KIND = {
    "SUPERVISION": "SUPERVISION",
    "HOME_VISIT": "HOME_VISIT",
    "INTERVENTION": "PROGRAMME",
    "REPARATION": "UNPAID_WORK",
    "HEALTH": "TREATMENT",
    "PANEL": "PANEL",
}


def on_supervised_order(appt: PlannedAppointment) -> bool:
    return bool(appt.order_id) and appt.order.code in SUPERVISED_ORDERS


@transaction.atomic
def record_attendance(
    actor,
    appt: PlannedAppointment,
    *,
    attended: bool,
    notes: str = "",
    absence: str = "",
    warning_reason: str = "",
) -> Contact:
    """The appointment happened (or the child did not come): the casework contact it becomes,
    and for an order supervised in `yjs.supervision` the appointment kept or missed (with
    `absence` ACCEPTABLE or UNACCEPTABLE) and any warning given, all in one transaction."""
    _still_planned(appt)
    start = starts_at(appt)
    if start is not None and start > now():
        raise ValidationError(
            {"attended": "This appointment has not started yet: record its outcome once it has"}
        )
    order_appointment = None
    if on_supervised_order(appt):
        if attended:
            absence = OrderAppointment.Attendance.KEPT
        elif absence not in (
            OrderAppointment.Attendance.ACCEPTABLE,
            OrderAppointment.Attendance.UNACCEPTABLE,
        ):
            raise ValidationError(
                {"absence": "Select whether the absence was acceptable or unacceptable"}
            )
        warning = None
        if warning_reason.strip():
            if absence != OrderAppointment.Attendance.UNACCEPTABLE:
                raise ValidationError(
                    {"warning_reason": "A warning is only given for an unacceptable absence"}
                )
            warning = OrderWarning(
                warned_on=min(appt.date, casework.today()),
                reason=warning_reason.strip(),
                given_by=actor,
            )
        order_appointment = supervision.record_appointment(
            actor,
            OrderAppointment(
                child=appt.child,
                order=appt.order,
                appointment_date=appt.date,
                kind=ORDER_APPOINTMENT_KIND.get(appt.kind, "OTHER"),
                attendance=absence,
                notes=notes,
            ),
            warning=warning,
        )
    contact = casework._save(
        actor,
        Contact(
            child=appt.child,
            contact_date=appt.date,
            contact_type=appt.kind,
            mode=appt.mode,
            attended=attended,
            worker=appt.worker,
            notes=notes,
        ),
        description="Recorded a contact from the diary",
    )
    appt.status = S.ATTENDED if attended else S.NOT_ATTENDED
    appt.contact = contact
    appt.supervision_appointment = order_appointment
    casework._save(actor, appt, description=f"Recorded as {appt.get_status_display().lower()}")
    return contact


@transaction.atomic
def rearrange(
    actor,
    appt: PlannedAppointment,
    *,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    reason: str = "",
) -> PlannedAppointment:
    """The appointment moves: it is marked rearranged and a new one (the same child, worker,
    place and kind) is planned for the new date and time, linked to it."""
    _still_planned(appt)
    new = PlannedAppointment(
        child=appt.child,
        worker=appt.worker,
        date=date,
        start_time=start_time,
        end_time=end_time,
        place=appt.place,
        with_whom=appt.with_whom,
        kind=appt.kind,
        mode=appt.mode,
        order=appt.order,
        rearranged_from=appt,
    )
    appt.status = S.REARRANGED
    appt.status_reason = reason.strip()
    casework._save(actor, appt, description="Rearranged")
    return plan_appointment(actor, new)


@transaction.atomic
def cancel(actor, appt: PlannedAppointment, reason: str) -> PlannedAppointment:
    _still_planned(appt)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Enter why the appointment is cancelled"})
    appt.status = S.CANCELLED
    appt.status_reason = reason.strip()
    return casework._save(actor, appt, description="Cancelled")


@transaction.atomic
def set_contact_frequency(actor, freq: ContactFrequency) -> ContactFrequency:
    return casework._save(actor, freq, description=f"Contact frequency: {freq}")


# Tasks ------------------------------------------------------------------------------------


@transaction.atomic
def add_task(actor, task: Task) -> Task:
    task.created_by = actor if getattr(actor, "is_authenticated", False) else None
    task.status = Task.Status.TO_DO
    return casework._save(actor, task, description=f"Added {task}")


@transaction.atomic
def finish_task(actor, task: Task, status: str) -> Task:
    """Mark a task done or cancelled (a task is never deleted)."""
    if status not in (Task.Status.DONE, Task.Status.CANCELLED):
        raise ValueError(status)
    if task.status != Task.Status.TO_DO:
        raise ValidationError(f"This task is already {task.get_status_display().lower()}")
    task.status = status
    task.done_at = timezone.now() if status == Task.Status.DONE else None
    return casework._save(actor, task, description=f"{task}: {task.get_status_display().lower()}")


# Workflows: tasks the journey starts -----------------------------------------------------
#
# Deadlines from the National Standards for Children in the Youth Justice System (2013 edition,
# section 8 "Community", kept by most services as local practice under the 2019 Standards, which
# leave the timescales to the service): the first appointment within 5 working days of the order,
# the initial assessment within 15 working days, the plan with the child within 15 working days
# (YRO) and the referral order's first panel (where the contract is agreed) within 20 working
# days (as casework's panel alert). A DTO's initial planning meeting in custody is within 10
# working days. Each is a setting here, not a law: a service may change it.
START_TASKS = {
    "YRO": (
        (Task.Kind.FIRST_APPOINTMENT, "First appointment of the youth rehabilitation order", 5),
        (Task.Kind.INITIAL_ASSESSMENT, "Initial assessment", 15),
        (Task.Kind.PLAN_AGREED, "Plan agreed with the child", 15),
    ),
    "REFERRAL_ORDER": (
        (Task.Kind.FIRST_APPOINTMENT, "First appointment of the referral order", 5),
        (Task.Kind.INITIAL_ASSESSMENT, "Assessment before the first panel", 15),
        (Task.Kind.PANEL_MEETING, "First panel meeting: contract agreed", 20),
    ),
    "REPARATION_ORDER": (
        (Task.Kind.FIRST_APPOINTMENT, "First appointment of the reparation order", 5),
        (Task.Kind.PLAN_AGREED, "Reparation plan agreed", 15),
    ),
    "DTO": ((Task.Kind.PLAN_AGREED, "Initial planning meeting in custody", 10),),
}
# An order recorded longer after its date than this is history being entered: its start tasks
# would all be overdue on arrival, so none are started.
START_TASKS_WITHIN_DAYS = 28
# A victim is offered contact promptly (Code of Practice for Victims of Crime, 2020: youth
# justice services offer victims the chance to take part in restorative justice): a local
# target of 10 working days from the victim being recorded.
VICTIM_CONTACT_WORKING_DAYS = 10


def _task_owner(actor, child: Child | None):
    """Workflow tasks go to the child's worker, else to whoever recorded what started them."""
    if child is not None and child.allocated_worker_id:
        return child.allocated_worker
    if getattr(actor, "is_authenticated", False) and actor.role in CASE_WORKER_ROLES:
        return actor
    return None


def _workflow_task(actor, child, *, origin, kind, title, due_date) -> Task | None:
    owner = _task_owner(actor, child)
    if owner is None or Task.objects.filter(origin=origin, kind=kind).exists():
        return None
    task = Task(
        owner=owner,
        child=child,
        title=title,
        kind=kind,
        due_date=due_date,
        source=Task.Source.WORKFLOW,
        origin=origin,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return casework._save(actor, task, description=f"Started {task}")


def start_order_tasks(actor, outcome: Outcome, child: Child | None = None) -> list[Task]:
    """A new court order's start tasks (START_TASKS), due in working days from its date."""
    steps = START_TASKS.get(outcome.code, ())
    if not steps or outcome.varies_id or outcome.is_variation:
        return []
    if (casework.today() - outcome.outcome_date).days > START_TASKS_WITHIN_DAYS:
        return []
    child = child or outcome.child
    made = []
    for kind, title, days in steps:
        task = _workflow_task(
            actor,
            child,
            origin=f"outcome:{outcome.pk}",
            kind=kind,
            title=title,
            due_date=periods.add_working_days(outcome.outcome_date, days),
        )
        if task is not None:
            made.append(task)
    return made


def report_task(actor, report, child: Child | None = None) -> Task | None:
    """A pre-sentence report requested (yjs.court): "PSR due" on the date the court set."""
    if report.submitted_on:
        return None
    return _workflow_task(
        actor,
        child or report.child,
        origin=f"psr:{report.pk}",
        kind=Task.Kind.PSR_DUE,
        title="Pre-sentence report due",
        due_date=report.due_on,
    )


def victim_task(actor, victim, child: Child | None = None) -> Task | None:
    """A victim recorded who has not said no to contact and is not contacted yet."""
    if victim.contacted_on or victim.consent_to_contact == "NO" or child is None:
        return None
    return _workflow_task(
        actor,
        child,
        origin=f"victim:{victim.pk}",
        kind=Task.Kind.VICTIM_CONTACT,
        title="Victim contact: offer information and restorative justice",
        due_date=periods.add_working_days(casework.today(), VICTIM_CONTACT_WORKING_DAYS),
    )


# Calendar feed ----------------------------------------------------------------------------


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_calendar_feed(actor) -> str:
    """A new secret address for the actor's own diary; the old one stops working. Returns the
    token, which is never stored (only its hash)."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(worker=actor).delete()
    feed = CalendarFeed.objects.create(worker=actor, token_hash=_hash(token))
    audit.record(actor, "CREATE", feed, description="New calendar feed address (old one revoked)")
    return token


@transaction.atomic
def revoke_calendar_feed(actor) -> bool:
    feed = CalendarFeed.objects.filter(worker=actor).first()
    if feed is None:
        return False
    audit.record(actor, "DELETE", feed, description="Calendar feed address revoked")
    feed.delete()
    return True


def feed_worker(token: str):
    """The worker whose feed this token opens, or None (unknown, revoked, or not a case worker
    any more)."""
    if not token or len(token) > 100:
        return None
    feed = CalendarFeed.objects.select_related("worker").filter(token_hash=_hash(token)).first()
    if feed is None or not feed.worker.is_active or not feed.worker.has_perm("diary.view_diary"):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=timezone.now())
    return feed.worker


def feed_fetched(worker, appointments) -> None:
    """Each fetch of a feed is audited: one export event, and a read of each child it names."""
    audit.record(
        worker,
        "EXPORT",
        description=f"Calendar feed fetched: {len(appointments)} appointments",
    )
    casework.record_list_view(worker, [a.child for a in appointments], "Calendar feed")
