"""Manager pages for the workforce, the volunteers and their rota, and resources; a practitioner's
own training and supervision. Thin: permissions (yjs.permissions), the one output scope, then
`services` or `selectors`; a page that names children audits the read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yjs.audit import services as audit
from yjs.forms import reopen_after_conflict
from yjs.periods import FinancialYear, quarter_of
from yjs.permissions import output_scope
from yjs.versioning import EditConflict

from . import forms, selectors, services
from . import models as m


def _form_page(request, form_class, title, back, *, instance=None, success="Saved", **kwargs):
    service = request.user.service
    form = form_class(request.POST or None, instance=instance, service=service, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.save(request.user, form.instance)
        except EditConflict as conflict:
            fresh = form_class(instance=conflict.current, service=service, **kwargs)
            form = reopen_after_conflict(form, conflict, fresh)
        except ValidationError as e:
            for field, errs in getattr(e, "error_dict", {None: e.error_list}).items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, "workforce/form.html", {"form": form, "title": title, "back": back})


def _fy(request, today) -> FinancialYear:
    try:
        return FinancialYear.parse(request.GET["year"])
    except (KeyError, ValueError):
        return FinancialYear.of(today)


# --------------------------------------------------------------------------- workforce


@permission_required("workforce.view_figures", raise_exception=True)
def index(request):
    """Training compliance, supervision, vacancies and caseload. Names of staff for managers;
    figures only for analysts and board members."""
    service = request.user.service
    today = timezone.localdate()
    manager = request.user.has_perm("workforce.manage")
    # The last four quarters that have ended, then today.
    quarters = [quarter_of(today).previous(n) for n in range(4, 0, -1)]
    loads = selectors.caseload_by_quarter(service, quarters) + [
        selectors.caseload_at(service, today)
    ]
    from yjs.governance.selectors import b8_table

    context = {
        "today": today,
        "manager": manager,
        "compliance": selectors.training_compliance(service, today),
        "loads": loads,
        "vacancies": selectors.vacancies_on(service, today),
        "vacant_posts": selectors.vacant_posts(service, today),
        "b8": b8_table(service),
        "warning_days": services.EXPIRY_WARNING_DAYS,
    }
    if manager:
        supervision = selectors.supervision_status(service, today)
        context.update(
            expiring=selectors.expiry_list(service, today),
            supervision=supervision,
            overdue=sum(1 for s in supervision if s["overdue"]),
            per_worker=selectors.caseload_per_worker(service, quarters, today),
            quarters=quarters,
            courses=m.Course.objects.filter(service=service),
        )
    return render(request, "workforce/index.html", context)


@permission_required("workforce.view_own", raise_exception=True)
def mine(request):
    """A member of staff's own training and supervision."""
    user = request.user
    today = timezone.localdate()
    return render(
        request,
        "workforce/mine.html",
        {
            "mandatory": selectors.mandatory_training(user.service, today, people=[user]),
            "attended": m.TrainingAttendance.objects.filter(person=user).select_related("course"),
            "supervision": selectors.supervision_status(user.service, today, people=[user])[0],
            "sessions": m.StaffSupervision.objects.filter(staff=user).select_related("supervisor"),
        },
    )


@permission_required("workforce.manage", raise_exception=True)
def add_course(request):
    return _form_page(
        request,
        forms.CourseForm,
        "Add a training course",
        reverse("workforce:index"),
        success="Course added",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_training(request):
    return _form_page(
        request,
        forms.AttendanceForm,
        "Record training attended",
        reverse("workforce:index"),
        success="Training recorded",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_supervision(request):
    return _form_page(
        request,
        forms.SupervisionForm,
        "Record a supervision",
        reverse("workforce:index"),
        success="Supervision recorded",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_vacancy(request):
    return _form_page(
        request,
        forms.VacancyForm,
        "Add a vacancy",
        reverse("workforce:index"),
        success="Vacancy added",
    )


@permission_required("workforce.manage", raise_exception=True)
def edit_vacancy(request, pk):
    vacancy = get_object_or_404(m.Vacancy, pk=pk, service=request.user.service)
    return _form_page(
        request,
        forms.VacancyForm,
        f"Change the vacancy: {vacancy.post}",
        reverse("workforce:index"),
        instance=vacancy,
        success="Vacancy changed",
    )


# --------------------------------------------------------------------------- volunteers


@permission_required("workforce.manage", raise_exception=True)
def volunteers(request):
    service = request.user.service
    today = timezone.localdate()
    scope = output_scope(request.user)
    panels = selectors.rota(service, today)
    shown = [p for p in panels if scope.includes(p.child)]
    audit.record_many(
        request.user, "VIEW", [p.child for p in shown], description="Referral order panel rota"
    )
    return render(
        request,
        "workforce/volunteers.html",
        {
            "today": today,
            "now": timezone.now(),
            "volunteers": selectors.volunteers(service, today),
            "panels": shown,
            "hidden": len(panels) - len(shown),
            "warning_days": services.EXPIRY_WARNING_DAYS,
        },
    )


@permission_required("workforce.manage", raise_exception=True)
def add_volunteer(request):
    return _form_page(
        request,
        forms.VolunteerForm,
        "Add a volunteer",
        reverse("workforce:volunteers"),
        success="Volunteer added",
    )


@permission_required("workforce.manage", raise_exception=True)
def edit_volunteer(request, pk):
    volunteer = get_object_or_404(m.Volunteer, pk=pk, service=request.user.service)
    return _form_page(
        request,
        forms.VolunteerForm,
        f"Change {volunteer.name}'s details",
        reverse("workforce:volunteers"),
        instance=volunteer,
        success="Volunteer changed",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_hours(request, pk):
    volunteer = get_object_or_404(m.Volunteer, pk=pk, service=request.user.service)
    return _form_page(
        request,
        forms.HoursForm,
        f"Record hours {volunteer.name} gave",
        reverse("workforce:volunteers"),
        instance=m.VolunteerHours(volunteer=volunteer),
        success="Hours recorded",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_panel(request):
    return _form_page(
        request,
        forms.PanelForm,
        "Book a referral order panel",
        reverse("workforce:volunteers"),
        success="Panel booked",
        scope=output_scope(request.user),
    )


@require_POST
@permission_required("workforce.manage", raise_exception=True)
def cancel_panel(request, pk):
    panel = get_object_or_404(m.PanelMeeting, pk=pk, service=request.user.service)
    if not output_scope(request.user).includes(panel.child):
        return render(request, "403.html", status=403)
    services.cancel_panel(request.user, panel)
    messages.success(request, "Panel cancelled")
    return redirect("workforce:volunteers")


@require_POST
@permission_required("workforce.manage", raise_exception=True)
def hold_panel(request, pk):
    panel = get_object_or_404(m.PanelMeeting, pk=pk, service=request.user.service)
    if not output_scope(request.user).includes(panel.child):
        return render(request, "403.html", status=403)
    try:
        services.hold_panel(request.user, panel)
    except (ValidationError, EditConflict) as e:
        messages.error(request, e.messages[0])
    else:
        messages.success(request, "Panel marked as held; the panel members' hours are recorded")
    return redirect("workforce:volunteers")


# --------------------------------------------------------------------------- resources


@permission_required("workforce.view_figures", raise_exception=True)
def resources(request):
    """Remand costs, reparation and Turnaround for a financial year (?year=2024-25)."""
    service = request.user.service
    today = timezone.localdate()
    fy = _fy(request, today)
    quarters = selectors.quarters_shown(today, fy) if fy.start <= today else []
    scope = output_scope(request.user)
    manager = request.user.has_perm("workforce.manage")
    costs = selectors.remand_costs(service, quarters, today, scope if manager else None)
    audit.record_many(
        request.user, "VIEW", [r["child"] for r in costs["remands"]], description="Remand costs"
    )
    return render(
        request,
        "workforce/resources.html",
        {
            "fy": fy,
            "years": [FinancialYear(FinancialYear.of(today).start_year - n) for n in range(4)],
            "manager": manager,
            "costs": costs,
            "rates": m.RemandNightlyCost.objects.filter(service=service),
            "reparation": selectors.reparation(service, quarters),
            "turnaround": [selectors.turnaround(service, q) for q in quarters],
            "exact": scope.child_level,
        },
    )


@permission_required("workforce.manage", raise_exception=True)
def add_nightly_cost(request):
    return _form_page(
        request,
        forms.NightlyCostForm,
        "Add a nightly cost of remand",
        reverse("workforce:resources"),
        success="Nightly cost added",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_project(request):
    return _form_page(
        request,
        forms.ProjectForm,
        "Add a reparation project",
        reverse("workforce:resources"),
        success="Project added",
    )


@permission_required("workforce.manage", raise_exception=True)
def add_session(request):
    return _form_page(
        request,
        forms.SessionForm,
        "Record a reparation session",
        reverse("workforce:resources"),
        success="Session recorded",
    )
