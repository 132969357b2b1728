"""Programme pages. Thin: permission (the one scope rule), then `services` or `selectors`.
Every object is looked up within the user's own service (another service's is a 404); pages
that name children audit the read (`record_list_view`); report pages name nobody."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yjs import periods
from yjs.audit import services as audit
from yjs.casework import selectors as casework_selectors
from yjs.casework import services as casework
from yjs.casework.views import _apply, _apply_versioned, _posted, _require

from . import forms, offending, selectors, services
from .models import Cohort, Enrolment, Programme, Session


def _programme(request, pk) -> Programme:
    return get_object_or_404(selectors.programmes_for(request.user), pk=pk)


def _cohort(request, pk) -> Cohort:
    return get_object_or_404(selectors.cohorts_for(request.user), pk=pk)


def _form_page(request, form, title, cancel, **extra):
    return render(
        request, "casework/form.html", {"form": form, "title": title, "cancel": cancel, **extra}
    )


def _as_at(request) -> dt.date:
    """The report's as-at date (?as_at=YYYY-MM-DD, never after today), else today."""
    today = casework.today()
    try:
        asked = dt.date.fromisoformat(request.GET.get("as_at", ""))
    except ValueError:
        return today
    return min(max(asked, periods.EARLIEST_EVENT_DATE), today)


def index(request):
    _require(request, "programmes.view_programmes")
    today = casework.today()
    return render(
        request,
        "programmes/index.html",
        {
            "catalogue": selectors.catalogue(request.user, today),
            "can_configure": request.user.has_perm("programmes.change_catalogue"),
            "can_run": request.user.has_perm("programmes.run_cohorts"),
        },
    )


def edit_programme(request, programme_pk=None):
    _require(request, "programmes.change_catalogue")
    programme = _programme(request, programme_pk) if programme_pk else Programme()
    title = f"Change {programme}" if programme.pk else "Add a programme"
    form = forms.ProgrammeForm(_posted(request), instance=programme)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_programme(request.user, form.save(commit=False)),
            lambda current: forms.ProgrammeForm(instance=current),
        )
        if saved is not None:
            messages.success(request, f"{saved} saved")
            return redirect("programmes:index")
    return _form_page(request, form, title, reverse("programmes:index"))


def edit_cohort(request, programme_pk=None, cohort_pk=None):
    _require(request, "programmes.run_cohorts")
    if cohort_pk:
        cohort = _cohort(request, cohort_pk)
        programme = cohort.programme
        cancel = reverse("programmes:cohort", args=[cohort.pk])
    else:
        programme = _programme(request, programme_pk)
        cohort = Cohort(programme=programme)
        cancel = reverse("programmes:index")
    service = request.user.service

    def fresh(current):
        return forms.CohortForm(instance=current, service=service)

    form = forms.CohortForm(_posted(request), instance=cohort, service=service)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_cohort(
                request.user, form.save(commit=False), form.cleaned_data["facilitators"]
            ),
            fresh,
        )
        if saved is not None:
            messages.success(request, f"{saved} saved")
            return redirect("programmes:cohort", saved.pk)
    title = f"Change {cohort}" if cohort.pk else f"Start a cohort of {programme}"
    return _form_page(request, form, title, cancel)


def cohort(request, cohort_pk):
    _require(request, "programmes.run_cohorts")
    cohort = _cohort(request, cohort_pk)
    today = casework.today()
    register = selectors.register(cohort, request.user, today)
    casework.record_list_view(
        request.user, [p.enrolment.child for p in register["places"]], f"Programme: {cohort}"
    )
    return render(
        request,
        "programmes/cohort.html",
        {
            "cohort": cohort,
            "programme": cohort.programme,
            "sessions": list(cohort.sessions.all()),
            "facilitators": list(cohort.facilitators.all()),
            **register,
        },
    )


def add_session(request, cohort_pk):
    _require(request, "programmes.run_cohorts")
    cohort = _cohort(request, cohort_pk)
    number = cohort.sessions.count() + 1
    form = forms.SessionForm(
        _posted(request), instance=Session(cohort=cohort), initial={"number": number}
    )
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: services.save_session(request.user, form.save(commit=False))):
            messages.success(request, "Session added")
            return redirect("programmes:cohort", cohort.pk)
    return _form_page(
        request, form, f"Add a session to {cohort}", reverse("programmes:cohort", args=[cohort.pk])
    )


def enrol(request, cohort_pk):
    _require(request, "programmes.run_cohorts")
    cohort = _cohort(request, cohort_pk)
    children = casework_selectors.children_for(request.user).filter(closed_on__isnull=True)
    form = forms.EnrolForm(
        _posted(request),
        instance=Enrolment(cohort=cohort),
        children=children,
        cohort=cohort,
        initial={"enrolled_on": casework.today()},
    )
    if request.method == "POST" and form.is_valid():
        child = form.cleaned_data["child_choice"]
        _require(request, "casework.change_child", child)
        enrolment = form.save(commit=False)
        enrolment.child, enrolment.cohort = child, cohort
        if _apply(form, lambda: services.enrol(request.user, enrolment)):
            messages.success(request, f"{child.display_name} enrolled")
            return redirect("programmes:cohort", cohort.pk)
    return _form_page(
        request, form, f"Enrol a child on {cohort}", reverse("programmes:cohort", args=[cohort.pk])
    )


def take_register(request, session_pk):
    _require(request, "programmes.run_cohorts")
    session = get_object_or_404(selectors.sessions_for(request.user), pk=session_pk)
    cohort = session.cohort
    shown = selectors.register(cohort, request.user, casework.today())["places"]

    def make(data, current):
        return forms.RegisterForm(data, places=shown, session=current, revision=current.revision)

    form = make(_posted(request), session)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_register(request.user, session, form.revision, form.answers()),
            lambda current: make(None, current),
        )
        if saved is not None:
            messages.success(request, f"Register saved: {saved} present")
            return redirect("programmes:cohort", cohort.pk)
    casework.record_list_view(
        request.user, [p.enrolment.child for p in shown], f"Programme register: {cohort}"
    )
    return render(
        request,
        "programmes/register.html",
        {"form": form, "session": session, "cohort": cohort, "kind": "register"},
    )


def programme_scores(request, cohort_pk):
    _require(request, "programmes.run_cohorts")
    cohort = _cohort(request, cohort_pk)
    today = casework.today()
    shown = selectors.register(cohort, request.user, today)["places"]

    def make(data, current):
        return forms.ScoresForm(data, places=shown, revision=current.revision)

    form = make(_posted(request), cohort)
    if request.method == "POST" and form.is_valid():
        result, form = _apply_versioned(
            form,
            lambda: (
                services.save_programme_scores(request.user, cohort, form.revision, form.answers())
                or True
            ),
            lambda current: make(None, current),
        )
        if result is not None:
            messages.success(request, "Self-scores saved")
            return redirect("programmes:cohort", cohort.pk)
    casework.record_list_view(
        request.user, [p.enrolment.child for p in shown], f"Programme self-scores: {cohort}"
    )
    return render(
        request,
        "programmes/register.html",
        {"form": form, "cohort": cohort, "kind": "scores"},
    )


def _report_context(report):
    rows = []
    for key, label in (("before", "In the 12 months before"), ("during", "During the programme")):
        rows.append((label, report.offending[key]))
    for months in offending.CHECKPOINTS:
        rows.append((f"{months} months after", report.offending[str(months)]))
    return {"report": report, "offending_rows": rows}


def cohort_report(request, cohort_pk):
    """The cohort report (seed 000's tables): figures only, for everyone of the service."""
    _require(request, "programmes.view_programmes")
    cohort = _cohort(request, cohort_pk)
    as_at = _as_at(request)
    report = selectors.cohort_report([cohort], as_at)
    audit.record(request.user, "VIEW", cohort, description=f"Cohort report {cohort}")
    return render(
        request,
        "programmes/report.html",
        {
            "title": f"{cohort}: report",
            "cohort": cohort,
            "programme": cohort.programme,
            "as_at": as_at,
            "can_run": request.user.has_perm("programmes.run_cohorts"),
            **_report_context(report),
        },
    )


def programme_report(request, programme_pk):
    """Every cohort of one programme together (seed 000: cohorts of a year side by side)."""
    _require(request, "programmes.view_programmes")
    programme = _programme(request, programme_pk)
    as_at = _as_at(request)
    cohorts = [c for c in programme.cohorts.all() if c.start_date <= as_at]
    report = selectors.cohort_report(cohorts, as_at)
    by_cohort = [(c, selectors.cohort_report([c], as_at)) for c in cohorts]
    audit.record(request.user, "VIEW", programme, description=f"Programme report {programme}")
    return render(
        request,
        "programmes/report.html",
        {
            "title": f"{programme}: all cohorts",
            "programme": programme,
            "cohorts": cohorts,
            "by_cohort": by_cohort,
            "checkpoints": [str(m) for m in offending.CHECKPOINTS],
            "as_at": as_at,
            **_report_context(report),
        },
    )
