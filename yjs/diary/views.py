"""Diary pages: a worker's week, the team's week, planning and recording appointments, "My
work" (tasks, today's appointments and alerts) and the worker's calendar feed. Thin: permission
(the one scope rule), then `services` or `selectors`; every page that names children audits
the read (`record_view` / `record_list_view`)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yjs import periods
from yjs.casework import selectors as casework_selectors
from yjs.casework import services as casework
from yjs.casework.forms import case_workers
from yjs.casework.views import _apply, _apply_versioned, _child_form, _require, _with_child
from yjs.organisation.models import Role, User

from . import feed, forms, selectors, services
from .models import CalendarFeed, PlannedAppointment, Task


def _week(request, today: datetime.date) -> datetime.date:
    """The Monday of the week asked for (?week=YYYY-MM-DD, any day of it), else this week."""
    asked = request.GET.get("week", "")
    try:
        day = datetime.date.fromisoformat(asked) if asked else today
    except ValueError:
        day = today
    if not periods.EARLIEST_EVENT_DATE <= day <= periods.add_months(today, 120):
        day = today
    return selectors.week_of(day)


def _week_context(monday, today, days):
    return {
        "days": days,
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "previous_monday": monday - datetime.timedelta(days=7),
        "next_monday": monday + datetime.timedelta(days=7),
        "previous": (monday - datetime.timedelta(days=7)).isoformat(),
        "next": (monday + datetime.timedelta(days=7)).isoformat(),
        "this_week": selectors.week_of(today),
        "today": today,
        "count": sum(len(d.appointments) for d in days),
    }


def _children_of(days):
    return [a.child for d in days for a in d.appointments]


def my_diary(request):
    _require(request, "diary.view_diary")
    user = request.user
    today = casework.today()
    monday = _week(request, today)
    days = selectors.diary_week(user, monday, worker=user)
    caseload = list(
        casework_selectors.children_for(user).filter(allocated_worker=user, closed_on__isnull=True)
    )
    # the page names the week's children and, in "Plan an appointment with", the caseload's
    casework.record_list_view(user, [*_children_of(days), *caseload], "My diary")
    return render(
        request,
        "diary/week.html",
        {
            **_week_context(monday, today, days),
            "title": "My diary",
            "team_view": False,
            "caseload": caseload,
            "can_see_team": user.has_perm("diary.view_team_diary"),
        },
    )


def team_diary(request):
    _require(request, "diary.view_team_diary")
    user = request.user
    today = casework.today()
    monday = _week(request, today)
    teams = list(user.service.teams.order_by("name"))
    team = next((t for t in teams if t.pk == user.team_id), teams[0] if teams else None)
    asked = request.GET.get("team", "")
    if asked.isdigit():
        team = next((t for t in teams if t.pk == int(asked)), team)
    if team is None:
        raise Http404("No team")
    days = selectors.diary_week(user, monday, team_id=team.pk)
    casework.record_list_view(user, _children_of(days), "Team diary")
    return render(
        request,
        "diary/week.html",
        {
            **_week_context(monday, today, days),
            "title": f"Team diary: {team}",
            "team_view": True,
            "team": team,
            "teams": teams,
        },
    )


def plan_for(request):
    """The diary's "Plan an appointment" picks a child of the worker's caseload first."""
    _require(request, "diary.view_diary")
    pk = request.GET.get("child", "")
    if pk.isdigit():
        return redirect("diary:plan", int(pk))
    messages.error(request, "Select the child the appointment is with")
    return redirect("diary:my_diary")


def plan(request, pk):
    date = request.GET.get("date", "")
    initial = {}
    try:
        initial["date"] = datetime.date.fromisoformat(date) if date else None
    except ValueError:
        pass
    return _child_form(
        request,
        pk,
        forms.PlannedAppointmentForm,
        lambda child, form: services.plan_appointment(request.user, _with_child(form, child)),
        "Plan an appointment",
        form_kwargs=lambda child: {
            "initial": {"worker": request.user.pk, **{k: v for k, v in initial.items() if v}}
        },
        success="Appointment planned",
    )


def _appointment(request, pk) -> PlannedAppointment:
    """The appointment, if the user may change its child's record (404 if voided)."""
    appt = get_object_or_404(
        PlannedAppointment.objects.select_related("child", "worker", "order"), pk=pk
    )
    _require(request, "casework.change_child", appt.child)
    return appt


def _appointment_form(request, appt, form, title, save, success):
    if request.method == "POST" and form.is_valid():
        appt.revision = form.revision or appt.revision
        done, form = _apply_versioned(
            form,
            lambda: save(form.cleaned_data),
            lambda current: type(form)(revision=current.revision, **_extra(form)),
        )
        if done is not None:
            messages.success(request, success)
            return redirect(f"{reverse('diary:my_diary')}?week={appt.date.isoformat()}")
    casework.record_view(request.user, appt.child, what=title.lower())
    return render(
        request,
        "diary/appointment_form.html",
        {
            "form": form,
            "child": appt.child,
            "appointment": appt,
            "title": title,
            "cancel": f"{reverse('diary:my_diary')}?week={appt.date.isoformat()}",
        },
    )


def _extra(form):
    return {"supervised": True} if "absence" in form.fields else {}


def _not_planned(request, appt):
    messages.error(
        request,
        f"This appointment was already recorded as {appt.get_status_display().lower()}",
    )
    return redirect(f"{reverse('diary:my_diary')}?week={appt.date.isoformat()}")


def record_outcome(request, pk):
    appt = _appointment(request, pk)
    if not appt.planned:
        return _not_planned(request, appt)
    supervised = services.on_supervised_order(appt)
    form = forms.OutcomeForm(
        request.POST if request.method == "POST" else None,
        revision=appt.revision,
        supervised=supervised,
    )
    return _appointment_form(
        request,
        appt,
        form,
        "Record the outcome of the appointment",
        lambda d: services.record_attendance(
            request.user,
            appt,
            attended=d["attended"],
            notes=d.get("notes", ""),
            absence=d.get("absence", ""),
            warning_reason=d.get("warning_reason", ""),
        ),
        "Outcome recorded: the contact is on the child's record",
    )


def rearrange(request, pk):
    appt = _appointment(request, pk)
    if not appt.planned:
        return _not_planned(request, appt)
    form = forms.RearrangeForm(
        request.POST if request.method == "POST" else None,
        revision=appt.revision,
        initial={"start_time": appt.start_time, "end_time": appt.end_time},
    )
    return _appointment_form(
        request,
        appt,
        form,
        "Rearrange the appointment",
        lambda d: services.rearrange(
            request.user,
            appt,
            date=d["date"],
            start_time=d["start_time"],
            end_time=d["end_time"],
            reason=d.get("reason", ""),
        ),
        "Appointment rearranged",
    )


def cancel(request, pk):
    appt = _appointment(request, pk)
    if not appt.planned:
        return _not_planned(request, appt)
    form = forms.CancelForm(
        request.POST if request.method == "POST" else None, revision=appt.revision
    )
    return _appointment_form(
        request,
        appt,
        form,
        "Cancel the appointment",
        lambda d: services.cancel(request.user, appt, d["reason"]),
        "Appointment cancelled",
    )


def set_frequency(request, pk):
    return _child_form(
        request,
        pk,
        forms.ContactFrequencyForm,
        lambda child, form: services.set_contact_frequency(request.user, _with_child(form, child)),
        "Set how often the child is seen",
        form_kwargs=lambda child: {"initial": {"start_date": casework.today()}},
        success="Contact frequency recorded",
    )


# My work ----------------------------------------------------------------------------------


def my_work(request):
    _require(request, "diary.view_diary")
    user = request.user
    today = casework.today()
    overdue, this_week, later = selectors.my_tasks(user, today)
    appointments = selectors.todays_appointments(user, today)
    awaiting = [a for a in selectors.awaiting_outcome(user, today) if a.date < today]
    alerts = casework_selectors.alerts(casework_selectors.scoped_children(user, "mine"), today)
    team_overdue = []
    if user.has_perm("diary.view_team_diary"):
        team_id = casework_selectors.home_team_id(user)
        team_overdue = [
            t for t in selectors.team_overdue_tasks(user, today, team_id) if t.owner_id != user.pk
        ]
    named = [t.child for t in (*overdue, *this_week, *later, *team_overdue) if t.child_id]
    named += [a.child for a in (*appointments, *awaiting)] + [a.child for a in alerts]
    casework.record_list_view(user, named, "My work")
    return render(
        request,
        "diary/my_work.html",
        {
            "overdue": overdue,
            "this_week": this_week,
            "later": later,
            "appointments": appointments,
            "awaiting": awaiting,
            "alerts": alerts,
            "team_overdue": team_overdue,
            "is_manager": user.has_perm("diary.view_team_diary"),
            "today": today,
        },
    )


def _task_choices(user):
    """Who a task may be given to (the user, or for a manager the service's case workers) and
    which children it may be about (those in the user's reach and open)."""
    if user.has_perm("diary.view_team_diary"):
        owners = case_workers(user.service).filter(is_active=True)
    else:
        owners = User.objects.filter(pk=user.pk)
    children = casework_selectors.children_for(user).filter(closed_on__isnull=True)
    if user.role == Role.PRACTITIONER:
        children = children.filter(allocated_worker=user)
    return owners, children


def add_task(request):
    _require(request, "diary.view_diary")
    user = request.user
    owners, children = _task_choices(user)
    form = forms.TaskForm(
        request.POST if request.method == "POST" else None,
        user=user,
        owners=owners,
        children=children,
    )
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.add_task(user, form.save(commit=False))) is not None:
            messages.success(request, "Task added")
            return redirect("diary:my_work")
    casework.record_list_view(user, children, "Add a task")  # the child choices name them
    return render(
        request,
        "casework/form.html",
        {"form": form, "title": "Add a task", "cancel": reverse("diary:my_work")},
    )


@require_POST
def finish_task(request, pk, status):
    task = get_object_or_404(Task.objects.select_related("child", "owner"), pk=pk)
    _require(request, "diary.change_task", task)
    new = {"done": Task.Status.DONE, "cancel": Task.Status.CANCELLED}.get(status)
    if new is None:
        raise Http404("No such change")
    if request.POST.get("revision", "").isdigit():
        task.revision = int(request.POST["revision"])
    try:
        services.finish_task(request.user, task, new)
        messages.success(request, f"Task {task.get_status_display().lower()}: {task.title}")
    except ValidationError as e:  # an edit conflict, or a task already finished
        messages.error(request, " ".join(e.messages))
    return redirect("diary:my_work")


# Calendar feed ----------------------------------------------------------------------------


def calendar_feed(request):
    """The signed-in worker's own calendar address: made (the old one stops working) or
    revoked; the address is shown once, when made, because only its hash is kept."""
    _require(request, "diary.view_diary")
    user = request.user
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.revoke_calendar_feed(user):
                messages.success(request, "Calendar feed stopped: the old address no longer works")
            return redirect("diary:calendar_feed")
        token = services.new_calendar_feed(user)
        address = request.build_absolute_uri(reverse("diary:feed", args=[token]))
    return render(
        request,
        "diary/calendar_feed.html",
        {"address": address, "feed": CalendarFeed.objects.filter(worker=user).first()},
    )


def ics_feed(request, token):
    """The worker's diary as iCalendar, for calendar apps that cannot sign in: the secret
    address is the key. Unknown or revoked: 404, as for any address that does not exist."""
    worker = services.feed_worker(token)
    if worker is None:
        raise Http404("No such calendar")
    today = casework.today()
    appointments = selectors.feed_appointments(worker, today)
    services.feed_fetched(worker, appointments)
    response = HttpResponse(feed.calendar(worker, appointments), content_type="text/calendar")
    response["Content-Disposition"] = 'inline; filename="diary.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
