"""Quality assurance pages. Thin: the permission (rules.py, every object checked for the user's
own service), then `services` or `selectors`. Every page that names a child audits the read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yjs import periods
from yjs.casework import services as casework
from yjs.casework.models import Child
from yjs.casework.views import _apply, _apply_versioned, _require
from yjs.governance.models import StandardsAssessment
from yjs.permissions import output_scope

from . import forms, selectors, services, standards
from .models import CaseAudit, Recommendation, SeriousIncident, SubStandardRating, ThemedAudit


def _own(request, model, pk, perm="quality.change_record"):
    """The record, if it is of the user's own service; another service's is not found."""
    obj = get_object_or_404(model, pk=pk)
    service_id = getattr(obj, "service_id", None) or getattr(
        getattr(obj, "plan", None), "service_id", None
    )
    if service_id != request.user.service_id:
        raise Http404
    _require(request, perm, obj)
    return obj


def _period(request):
    """The financial year asked for (?year=2025), else the current one."""
    today = services.today()
    year = periods.FinancialYear.of(today)
    asked = request.GET.get("year", "")
    if asked.isdigit() and 2000 <= int(asked) <= year.start_year:
        year = periods.FinancialYear(int(asked))
    return year


def _form_page(request, form, title, cancel, caption="", hint=""):
    return render(
        request,
        "governance/form.html",
        {"form": form, "title": title, "cancel": cancel, "caption": caption, "hint": hint},
    )


# --------------------------------------------------------------------------- dashboard


def index(request):
    """Managers: the QA dashboard, naming children (audited). Analysts and board members: the
    same figures as counts only."""
    _require(request, "quality.view_summary")
    user = request.user
    year = _period(request)
    dash = selectors.dashboard(user.service, year.start, min(year.end, services.today()))
    manager = user.has_perm("quality.audit")
    if manager:
        casework.record_list_view(user, selectors.children_named(dash), "Quality assurance")
    else:
        dash = {k: dash[k] for k in ("summary", "summary_headers", "summary_rows")} | {
            "recommendation_progress": dash["recommendation_progress"],
            "open_action_count": len(dash["open_actions"]),
            "audit_count": len(dash["audits"]),
        }
    return render(
        request,
        "quality/index.html",
        {
            **dash,
            "manager": manager,
            "year": year,
            "previous_year": periods.FinancialYear(year.start_year - 1),
            "to_date": year.end > services.today(),
            "scope": output_scope(user),
        },
    )


# --------------------------------------------------------------------------- case audits


def audit_new(request, pk):
    _require(request, "quality.audit")
    child = get_object_or_404(Child, pk=pk)
    _require(request, "casework.view_child", child)
    themed = None
    asked = request.GET.get("themed") or request.POST.get("themed_audit", "")
    if str(asked).isdigit():
        themed = ThemedAudit.objects.filter(
            pk=int(asked), service=child.service, sample__child=child
        ).first()
    instance = CaseAudit(service=child.service, child=child, themed_audit=themed)
    form = forms.CaseAuditForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form, lambda: services.save_case_audit(request.user, form.save(commit=False))
        )
        if saved is not None:
            messages.success(request, "Case audit recorded")
            return redirect("quality:audit", saved.pk)
    casework.record_view(request.user, child, "new case audit")
    return _form_page(
        request,
        form,
        "Audit this child's case",
        reverse("casework:child", args=[child.pk]),
        caption=f"{child}" + (f" – {themed}" if themed else ""),
    )


def audit_detail(request, audit_pk):
    _require(request, "quality.audit")
    case_audit = _own(request, CaseAudit, audit_pk)
    casework.record_view(request.user, case_audit.child, "case audit")
    return render(
        request,
        "quality/audit.html",
        {
            "audit": case_audit,
            "areas": [
                (label, getattr(case_audit, f"get_{key}_display")(), getattr(case_audit, key))
                for key, label in selectors.AUDIT_AREAS
            ],
            "actions": [qa.action for qa in case_audit.actions.select_related("action__plan")],
        },
    )


def audit_edit(request, audit_pk):
    _require(request, "quality.audit")
    case_audit = _own(request, CaseAudit, audit_pk)
    form = forms.CaseAuditForm(request.POST or None, instance=case_audit)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_case_audit(request.user, form.save(commit=False)),
            lambda current: forms.CaseAuditForm(instance=current),
        )
        if saved is not None:
            messages.success(request, "Case audit changed")
            return redirect("quality:audit", saved.pk)
    casework.record_view(request.user, case_audit.child, "case audit")
    return _form_page(
        request,
        form,
        "Change the case audit",
        reverse("quality:audit", args=[case_audit.pk]),
        caption=str(case_audit.child),
    )


def _action_page(request, source, cancel, caption):
    form = forms.ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = _apply(form, lambda: services.add_action(request.user, source, **form.cleaned_data))
        if row is not None:
            messages.success(request, f"Action {row.ref} added to the plan's action plan")
            return redirect(cancel)
    return _form_page(
        request,
        form,
        "Add an action to the plan's action plan",
        cancel,
        caption=caption,
        hint="The action becomes a row of the current Youth Justice Plan's action plan, where "
        "its progress and RAG status are tracked.",
    )


def audit_action_new(request, audit_pk):
    _require(request, "quality.audit")
    case_audit = _own(request, CaseAudit, audit_pk)
    casework.record_view(request.user, case_audit.child, "case audit")
    return _action_page(
        request,
        case_audit,
        reverse("quality:audit", args=[case_audit.pk]),
        f"Case audit {case_audit.pk}",
    )


# --------------------------------------------------------------------------- themed audits


def themed_new(request):
    _require(request, "quality.audit")
    instance = ThemedAudit(service=request.user.service)
    form = forms.ThemedAuditForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        seed = form.cleaned_data.get("seed")
        saved = _apply(
            form,
            lambda: services.start_themed_audit(request.user, form.save(commit=False), seed),
        )
        if saved is not None:
            messages.success(request, f"Sample drawn: {saved.sample.count()} children")
            return redirect("quality:themed", saved.pk)
    return _form_page(
        request,
        form,
        "Start a themed audit",
        reverse("quality:index"),
        hint="A random sample of the children whose cases had the theme's event in the period "
        "is drawn and recorded with its seed, so the same sample can be drawn again.",
    )


def themed_detail(request, themed_pk):
    _require(request, "quality.audit")
    themed = _own(request, ThemedAudit, themed_pk)
    sample = list(themed.sample.select_related("child"))
    audited = {a.child_id: a for a in CaseAudit.objects.filter(themed_audit=themed).order_by("id")}
    casework.record_list_view(request.user, [s.child for s in sample], "Themed audit sample")
    rows = [(s, audited.get(s.child_id)) for s in sample]
    summary = selectors.rating_summary(audited.values())
    return render(
        request,
        "quality/themed.html",
        {
            "themed": themed,
            "rows": rows,
            "done": len(audited),
            "summary_rows": selectors.summary_table(summary)[1] if audited else [],
            "summary_headers": selectors.summary_table(summary)[0],
            "event": selectors.THEME_EVENTS[themed.theme],
        },
    )


# --------------------------------------------------------------------------- standards


def standards_page(request):
    _require(request, "quality.audit")
    plan = _current_plan(request)
    ratings = {}
    overall = {}
    if plan is not None:
        ratings = {r.code: r for r in SubStandardRating.objects.filter(plan=plan)}
        overall = {s.standard: s for s in StandardsAssessment.objects.filter(plan=plan)}
    groups = []
    for code, title in standards.STANDARD_TITLES.items():
        subs = [(s, ratings.get(s.code)) for s in standards.SUB_STANDARDS if s.standard == code]
        groups.append({"code": code, "title": title, "overall": overall.get(code), "subs": subs})
    return render(request, "quality/standards.html", {"plan": plan, "groups": groups})


def _current_plan(request):
    try:
        return services.current_plan(request.user.service)
    except services.ValidationError:
        return None


def sub_standard_edit(request, code):
    _require(request, "quality.audit")
    sub = standards.SUB_STANDARD_BY_CODE.get(code)
    plan = _current_plan(request)
    if sub is None or plan is None:
        if plan is None:
            messages.error(request, "Create the Youth Justice Plan first")
        return redirect("quality:standards")
    instance = SubStandardRating.objects.filter(plan=plan, code=code).first()
    instance = instance or SubStandardRating(plan=plan, code=code)
    form = forms.SubStandardForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_sub_standard(request.user, form.save(commit=False)),
            lambda current: forms.SubStandardForm(instance=current),
        )
        if saved is not None:
            messages.success(request, f"{code} rated")
            return redirect("quality:standards")
    return _form_page(
        request,
        form,
        f"{sub.code} {sub.kind}: {standards.STANDARD_TITLES[sub.standard]}",
        reverse("quality:standards"),
        caption=str(plan),
        hint=sub.summary,
    )


def sub_standard_action_new(request, code):
    _require(request, "quality.audit")
    plan = _current_plan(request)
    rating = get_object_or_404(SubStandardRating, plan=plan, code=code) if plan else None
    if rating is None:
        return redirect("quality:standards")
    return _action_page(request, rating, reverse("quality:standards"), f"{code} self-assessment")


# --------------------------------------------------------------------------- recommendations


def recommendations(request):
    _require(request, "quality.audit")
    recs = Recommendation.objects.filter(service=request.user.service).prefetch_related(
        "actions__action"
    )
    return render(
        request,
        "quality/recommendations.html",
        {
            "recommendations": recs,
            "progress": selectors.recommendation_progress(request.user.service),
        },
    )


def recommendation_edit(request, rec_pk=None):
    _require(request, "quality.audit")
    instance = (
        _own(request, Recommendation, rec_pk)
        if rec_pk
        else Recommendation(service=request.user.service)
    )
    form = forms.RecommendationForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_recommendation(request.user, form.save(commit=False)),
            lambda current: forms.RecommendationForm(instance=current),
        )
        if saved is not None:
            messages.success(request, "Recommendation saved")
            return redirect("quality:recommendations")
    return _form_page(
        request,
        form,
        "Change the recommendation" if rec_pk else "Add an inspection recommendation",
        reverse("quality:recommendations"),
    )


def recommendation_action_new(request, rec_pk):
    _require(request, "quality.audit")
    rec = _own(request, Recommendation, rec_pk)
    return _action_page(request, rec, reverse("quality:recommendations"), str(rec))


# --------------------------------------------------------------------------- incidents


def incidents(request):
    _require(request, "quality.view_incidents")
    rows = selectors.incidents_for(request.user.service)
    casework.record_list_view(request.user, [i.child for i in rows], "Serious incidents")
    return render(request, "quality/incidents.html", {"incidents": rows})


def incident_new(request, pk):
    _require(request, "quality.view_incidents")
    child = get_object_or_404(Child, pk=pk)
    _require(request, "casework.view_child", child)
    instance = SeriousIncident(service=child.service, child=child)
    form = forms.IncidentForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = _apply(form, lambda: services.save_incident(request.user, form.save(commit=False)))
        if saved is not None:
            messages.success(request, "Serious incident recorded")
            return redirect("quality:incidents")
    casework.record_view(request.user, child, "new serious incident")
    return _form_page(
        request,
        form,
        "Record a serious incident (CSPPI)",
        reverse("casework:child", args=[child.pk]),
        caption=str(child),
        hint="Notify the YJB within 24 hours of the service knowing of the incident.",
    )


def incident_edit(request, incident_pk):
    _require(request, "quality.view_incidents")
    incident = _own(request, SeriousIncident, incident_pk)
    form = forms.IncidentForm(request.POST or None, instance=incident)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.save_incident(request.user, form.save(commit=False)),
            lambda current: forms.IncidentForm(instance=current),
        )
        if saved is not None:
            messages.success(request, "Serious incident saved")
            return redirect("quality:incidents")
    casework.record_view(request.user, incident.child, "serious incident")
    late = services.is_late(incident)
    return _form_page(
        request,
        form,
        "Serious incident and its review",
        reverse("quality:incidents"),
        caption=str(incident.child),
        hint="The YJB was notified late (more than 24 hours after the service knew)."
        if late
        else "",
    )
