"""The rules of the workforce, volunteer and resources records, and the one command that saves
them (a transaction, optimistic locking, an audit event).

Each `*_problems(record, today)` returns {field: message}; the forms show them on their fields
and `save` refuses the same records, so a script or the demo cannot save what a form would not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from yjs import periods, versioning
from yjs.audit import services as audit
from yjs.casework.models import Intervention

from . import models as m

# A DBS check is renewed every three years unless the service records another date.
VETTING_RENEWAL_YEARS = 3
# The mandatory-training list warns this many days ahead of an expiry.
EXPIRY_WARNING_DAYS = 60


def training_expiry(course: m.Course, attended_on: dt.date) -> dt.date | None:
    """The last day the training counts: the same date `renewal_months` later (clamped to the
    month end: 29 Feb 2024 + 12 months = 28 Feb 2025); None for a course never renewed."""
    if not course.renewal_months:
        return None
    return periods.add_months(attended_on, course.renewal_months)


def _future(d, label, today) -> str | None:
    return f"{label} must be today or in the past" if d and d > today else None


def course_problems(course: m.Course, today: dt.date) -> dict[str, str]:
    problems = {}
    if not (course.name or "").strip():
        problems["name"] = "Enter the course name"
    if course.renewal_months is not None and not 1 <= course.renewal_months <= 120:
        problems["renewal_months"] = "Renew every must be a number of months from 1 to 120"
    return problems


def attendance_problems(a: m.TrainingAttendance, today: dt.date) -> dict[str, str]:
    problems = {}
    if (a.person_id is None) == (a.volunteer_id is None):
        problems["person"] = "Select the member of staff or the volunteer who attended"
    course = a.course if a.course_id else None
    if course is not None:
        service_id = course.service_id
        if a.person_id and a.person.service_id != service_id:
            problems["person"] = "Select a member of staff of this service"
        if a.volunteer_id and a.volunteer.service_id != service_id:
            problems["volunteer"] = "Select a volunteer of this service"
        if a.volunteer_id and not course.for_volunteers:
            problems["course"] = "This course is not one for volunteers"
    if msg := _future(a.attended_on, "Date attended", today):
        problems["attended_on"] = msg
    return problems


def supervision_problems(s: m.StaffSupervision, today: dt.date) -> dict[str, str]:
    problems = {}
    if s.staff_id and s.supervisor_id:
        if s.staff_id == s.supervisor_id:
            problems["supervisor"] = "The supervisor must be someone other than the member of staff"
        elif s.staff.service_id != s.supervisor.service_id:
            problems["supervisor"] = "Select a supervisor of this service"
    if msg := _future(s.held_on, "Date of the supervision", today):
        problems["held_on"] = msg
    if s.held_on and s.next_due and s.next_due <= s.held_on:
        problems["next_due"] = "Date the next supervision is due must be after this supervision"
    return problems


def vacancy_problems(v: m.Vacancy, today: dt.date) -> dict[str, str]:
    problems = {}
    if msg := _future(v.vacant_since, "Vacant since", today):
        problems["vacant_since"] = msg
    if v.filled_on:
        if msg := _future(v.filled_on, "Date filled", today):
            problems["filled_on"] = msg
        elif v.vacant_since and v.filled_on < v.vacant_since:
            problems["filled_on"] = "Date filled must be the same as or after vacant since"
    return problems


def volunteer_problems(v: m.Volunteer, today: dt.date) -> dict[str, str]:
    problems = {}
    if msg := _future(v.vetted_on, "Date of the DBS check", today):
        problems["vetted_on"] = msg
    if v.vetted_on and v.vetting_expires_on and v.vetting_expires_on <= v.vetted_on:
        problems["vetting_expires_on"] = (
            "Date the DBS check must be renewed must be after the date of the check"
        )
    if v.left_on and v.started_on and v.left_on < v.started_on:
        problems["left_on"] = "Date stopped volunteering must be after the date started"
    return problems


def hours_problems(h: m.VolunteerHours, today: dt.date) -> dict[str, str]:
    problems = {}
    if msg := _future(h.given_on, "Date", today):
        problems["given_on"] = msg
    if h.hours is not None and h.hours > 24:
        problems["hours"] = "Hours must be 24 or fewer in one day"
    return problems


def panel_problems(p: m.PanelMeeting, today: dt.date) -> dict[str, str]:
    """A referral order panel needs a child on a referral order open on the day, and two
    different panel members, each vetted in date on the day and not sitting elsewhere then."""
    problems = {}
    day = timezone.localtime(p.starts_at).date() if p.starts_at else None
    if p.intervention_id:
        i = p.intervention
        if i.kind != Intervention.Kind.REFERRAL_ORDER or i.child.service_id != p.service_id:
            problems["intervention"] = "Select a referral order of this service"
        elif day and (i.start_date > day or (i.end_date and i.end_date < day)):
            problems["starts_at"] = (
                f"The referral order runs from {periods.long_date(i.start_date)}"
                + (f" to {periods.long_date(i.end_date)}" if i.end_date else "")
                + ": choose a date within it"
            )
    members = [("member_one", p.member_one_id), ("member_two", p.member_two_id)]
    if p.member_one_id and p.member_one_id == p.member_two_id:
        problems["member_two"] = "Select two different panel members"
        members = members[:1]
    for field, pk in members:
        if not pk or day is None:
            continue
        v = m.Volunteer.objects.get(pk=pk)
        if v.service_id != p.service_id:
            problems[field] = "Select a volunteer of this service"
        elif v.role != m.Volunteer.Role.PANEL_MEMBER:
            problems[field] = f"{v.name} is not a referral order panel member"
        elif v.left_on and v.left_on <= day:
            problems[field] = f"{v.name} stopped volunteering on {periods.long_date(v.left_on)}"
        elif not v.vetted_for(day):
            problems[field] = (
                f"{v.name}'s DBS check is not in date on {periods.long_date(day)}: it must be "
                "renewed before they sit on a panel"
            )
        elif clash := double_booking(p, pk):
            problems[field] = (
                f"{v.name} is already on the rota for a panel at "
                f"{timezone.localtime(clash.starts_at):%H:%M} on {periods.long_date(day)}"
            )
    return problems


def double_booking(p: m.PanelMeeting, volunteer_id: int) -> m.PanelMeeting | None:
    """Another booked or held panel of this volunteer whose time overlaps this one's."""
    if p.starts_at is None:
        return None
    ends = p.starts_at + dt.timedelta(minutes=p.minutes or 0)
    others = (
        m.PanelMeeting.objects.filter(
            Q(member_one_id=volunteer_id) | Q(member_two_id=volunteer_id),
            starts_at__lt=ends,
            starts_at__gt=p.starts_at - dt.timedelta(days=1),
        )
        .exclude(status=m.PanelMeeting.Status.CANCELLED)
        .exclude(pk=p.pk)
    )
    for other in others:
        if other.starts_at + dt.timedelta(minutes=other.minutes) > p.starts_at:
            return other
    return None


def nightly_cost_problems(c: m.RemandNightlyCost, today: dt.date) -> dict[str, str]:
    problems = {}
    if c.year is not None and not 2000 <= c.year <= today.year + 1:
        problems["year"] = f"Financial year must be from 2000 to {today.year + 1}"
    if not (c.source or "").strip():
        problems["source"] = "Enter where the figure comes from"
    return problems


def project_problems(p: m.ReparationProject, today: dt.date) -> dict[str, str]:
    problems = {}
    if p.ended_on and p.started_on and p.ended_on < p.started_on:
        problems["ended_on"] = "Date the project ended must be after the date it started"
    return problems


def session_problems(s: m.ReparationSession, today: dt.date) -> dict[str, str]:
    problems = {}
    if msg := _future(s.held_on, "Date of the session", today):
        problems["held_on"] = msg
    elif s.project_id and s.held_on and s.held_on < s.project.started_on:
        problems["held_on"] = "Date of the session must be on or after the project started"
    return problems


RULES = {
    m.Course: course_problems,
    m.TrainingAttendance: attendance_problems,
    m.StaffSupervision: supervision_problems,
    m.Vacancy: vacancy_problems,
    m.Volunteer: volunteer_problems,
    m.VolunteerHours: hours_problems,
    m.PanelMeeting: panel_problems,
    m.RemandNightlyCost: nightly_cost_problems,
    m.ReparationProject: project_problems,
    m.ReparationSession: session_problems,
}


def problems(instance, today: dt.date | None = None) -> dict[str, str]:
    return RULES[type(instance)](instance, today or timezone.localdate())


def _fill_computed(instance) -> None:
    if isinstance(instance, m.TrainingAttendance):
        instance.expires_on = training_expiry(instance.course, instance.attended_on)
    if isinstance(instance, m.Volunteer) and instance.vetting_expires_on is None:
        instance.vetting_expires_on = periods.add_months(
            instance.vetted_on, 12 * VETTING_RENEWAL_YEARS
        )


@transaction.atomic
def save(actor, instance, *, today: dt.date | None = None):
    """Save any record of this app after its rules pass; audited with its old and new values."""
    found = problems(instance, today)
    if found:
        raise ValidationError(found)
    _fill_computed(instance)
    created = instance.pk is None
    model = type(instance)
    before = {} if created else audit.field_values(model.objects.get(pk=instance.pk))
    versioning.claim(instance, actor)  # EditConflict if someone saved it since it was opened
    try:
        instance.save()
    except IntegrityError:
        raise ValidationError("A record with these details already exists") from None
    name = model._meta.verbose_name
    audit.record(
        actor,
        "create" if created else "update",
        instance,
        child=instance.child if isinstance(instance, m.PanelMeeting) else None,
        description=f"{'Added' if created else 'Changed'} {name}",
        changes=audit.diff(before, audit.field_values(instance)),
    )
    return instance


def cancel_panel(actor, panel: m.PanelMeeting) -> m.PanelMeeting:
    """Take a panel off the rota (its members are free again); kept, marked cancelled."""
    panel.status = m.PanelMeeting.Status.CANCELLED
    with transaction.atomic():
        before = audit.field_values(m.PanelMeeting.objects.get(pk=panel.pk))
        versioning.claim(panel, actor)
        panel.save()
        audit.record(
            actor,
            "update",
            panel,
            child=panel.child,
            description="Cancelled referral order panel meeting",
            changes=audit.diff(before, audit.field_values(panel)),
        )
    return panel


def hold_panel(actor, panel: m.PanelMeeting) -> m.PanelMeeting:
    """The panel met: marked held, and each panel member's time logged as hours given."""
    if panel.status != m.PanelMeeting.Status.BOOKED:
        raise ValidationError("Only a booked panel can be marked as held")
    if panel.starts_at > timezone.now():
        raise ValidationError("A panel can be marked as held once it has started")
    with transaction.atomic():
        before = audit.field_values(m.PanelMeeting.objects.get(pk=panel.pk))
        versioning.claim(panel, actor)
        panel.status = m.PanelMeeting.Status.HELD
        panel.save()
        audit.record(
            actor,
            "update",
            panel,
            child=panel.child,
            description="Referral order panel meeting held",
            changes=audit.diff(before, audit.field_values(panel)),
        )
        day = timezone.localtime(panel.starts_at).date()
        hours = (Decimal(panel.minutes) / 60).quantize(Decimal("0.01"))
        for member in (panel.member_one, panel.member_two):
            save(
                actor,
                m.VolunteerHours(
                    volunteer=member,
                    given_on=day,
                    hours=hours,
                    activity=m.VolunteerHours.Activity.PANEL,
                ),
            )
    return panel
