"""Casework pages. Thin: check permission, hand the form to `services`, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from yjs import page_cache
from yjs.compiled import CompiledQuery
from yjs.forms import reopen_after_conflict
from yjs.organisation.models import Role
from yjs.versioning import EditConflict

from . import extensions, forms, records, selectors, services
from .models import Child, ChildMerge, Intervention, Referral, Transfer, Victim


def home(request):
    user = request.user
    if user.has_perm("casework.view_caseload"):
        return redirect("casework:caseload")
    if user.has_perm("performance.view_dashboard"):
        return redirect("performance:dashboard")
    return render(request, "casework/home.html")


def _require(request, perm, obj=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


# Every page of a child reads it so: compiled once per process (yjs.compiled).
_THE_CHILD = CompiledQuery(
    lambda pk: Child.objects.select_related(
        "team", "service", "allocated_worker", "home_local_authority"
    ).filter(pk=pk),
    int,
)


def _child(request, pk, perm="casework.change_child") -> Child:
    found = list(_THE_CHILD(pk))
    if not found:
        raise Http404("No Child matches the given query.")  # as get_object_or_404 says
    child = found[0]
    _require(request, perm, child)
    return child


def _posted(request):
    """The posted data, or None for a GET (an empty POST must still show its errors)."""
    return request.POST if request.method == "POST" else None


def _apply(form, fn):
    """Run a service command; its ValidationErrors become form errors (GOV.UK summary)."""
    try:
        return fn()
    except EditConflict:
        raise  # the view shows the record as it is now (reopen_after_conflict)
    except ValidationError as e:
        if hasattr(e, "error_dict"):
            for field, errs in e.error_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            form.add_error(None, e)
        return None


def _apply_versioned(form, fn, fresh):
    """`_apply` for a versioned record: if someone saved it since the form was opened, nothing
    is saved and the form returned is `fresh(current record)` with the conflict and the user's
    unsaved answers (`reopen_after_conflict`). Returns (result or None, form to show)."""
    try:
        return _apply(form, fn), form
    except EditConflict as conflict:
        return None, reopen_after_conflict(form, conflict, fresh(conflict.current))


def caseload(request):
    _require(request, "casework.view_caseload")
    user = request.user
    mine = request.GET.get("view", "mine" if user.role == Role.PRACTITIONER else "team") == "mine"
    params = request.GET.copy()
    if not mine and "team" not in params and user.role == Role.TEAM_MANAGER and user.team_id:
        params["team"] = user.team_id  # a team manager's team caseload is their own team's
    today = services.today()

    def build():
        context = _caseload_context(user, params, mine, today)
        context["can_see_queue"] = user.has_perm("casework.view_queue")
        html = render_to_string("casework/_caseload_content.html", context, request)
        return html, [child.pk for child in context["children"]]

    content, shown = page_cache.cached(request, today, build)
    services.record_list_view(user, [Child(pk=pk) for pk in shown], "Caseload")
    return render(request, "casework/caseload.html", {"content": content, "mine": mine})


def _caseload_context(user, params, mine: bool, today) -> dict:
    """The caseload's rows, filters and alert count: what `page_cache` keeps."""
    filters = forms.CaseloadFilter(params or None, user=user)
    data = filters.cleaned_data if filters.is_valid() else {}
    team = data.get("team")
    children = selectors.caseload_rows(
        user,
        today,
        mine=mine,
        team_id=getattr(team, "pk", None),
        worker_id=getattr(data.get("worker"), "pk", None),
        kind=data.get("kind", ""),
    )
    # The alert count covers the same children as the caseload's scope (mine, a team, the
    # service) and links to the alerts page showing exactly those.
    if mine:
        scope, alert_query = "mine", "scope=mine"
    elif team or user.role == Role.PRACTITIONER:
        team = team or user.team
        scope, alert_query = "team", f"scope=team&team={team.pk}"
    else:
        scope, alert_query = "service", "scope=service"
    if data.get("worker") or data.get("kind") or (scope == "team" and not team):
        alert_count = len(
            selectors.alerts(
                selectors.scoped_children(user, scope, getattr(team, "pk", None)), today
            )
        )
    else:  # the caseload's rows are the scope's open children: no second pass
        alert_count = len(selectors.alerts_of(children, today))
    return {
        "children": children,
        "mine": mine,
        "filters": filters,
        "scope_label": "your cases"
        if mine
        else (f"team {team}" if scope == "team" else "the service"),
        "alert_count": alert_count,
        "alert_query": alert_query,
        "today": today,
    }


def search(request):
    _require(request, "casework.view_caseload")
    query = request.GET.get("q", "")
    results = selectors.search(request.user, query)
    partial = bool(request.headers.get("HX-Request"))
    services.record_list_view(request.user, results, f"Search: {len(results)} results")
    services.record_list_view(
        request.user, results.out_of_reach, "Search: known to the service, not shown"
    )
    template = "casework/_search_results.html" if partial else "casework/search.html"
    return render(request, template, {"query": query, "results": results})


def alerts(request):
    _require(request, "casework.view_alerts")
    user = request.user
    scopes = selectors.alert_scopes(user)
    scope = request.GET.get("scope", "")
    scope = scope if scope in scopes else selectors.default_alert_scope(user)
    team = None
    if scope == "team":
        team = user.team
        asked = request.GET.get("team", "")
        if asked.isdigit() and user.has_perm("casework.view_queue"):
            team = user.service.teams.filter(pk=int(asked)).first() or team
    found = selectors.alerts(
        selectors.scoped_children(user, scope, getattr(team, "pk", None)), services.today()
    )
    services.record_list_view(user, [a.child for a in found], "Alerts")
    labels = dict(selectors.ALERT_SCOPES)
    if team and team.pk != user.team_id:
        labels["team"] = f"Team {team}"
    return render(
        request,
        "casework/alerts.html",
        {
            "alerts": found,
            "scope": scope,
            "scopes": [(key, labels[key]) for key in scopes],
            "team": team,
        },
    )


_VICTIMS = CompiledQuery(
    lambda child_id: Victim.objects.filter(offences__child_id=child_id).distinct(), int
)


def child_detail(request, pk):
    child = _child(request, pk, "casework.view_child")
    services.record_view(request.user, child)
    if child.erased_at:
        return render(request, "casework/child_erased.html", {"child": child})
    if child.merged_into_id:
        return render(
            request,
            "casework/child_merged.html",
            {
                "child": child,
                "merge": ChildMerge.objects.filter(duplicate=child, unmerged_at__isnull=True)
                .select_related("survivor")
                .first(),
            },
        )
    today = services.today()

    def build():
        context = _record_context(request, child, today)
        return render_to_string("casework/_record_content.html", context, request), [child.pk]

    content, _ = page_cache.cached(request, today, build)
    return render(request, "casework/child.html", {"child": child, "content": content})


def _record_context(request, child, today) -> dict:
    """Everything the child's record shows: what `page_cache` keeps."""
    view = request.GET.get("show", "key")
    view = view if view in selectors.TIMELINE_VIEWS else "key"
    selectors.read_for_record_page(child, view)
    alerts = selectors.child_alerts(child, today)
    return {
        "child": child,
        "timeline": selectors.timeline(child, view),
        "sections": extensions.sections_for(child, request.user, today),
        "extra_links": extensions.links_by_group(),
        "voided": records.voided_records(child),
        "timeline_view": view,
        "timeline_views": [(k, label) for k, (label, _) in selectors.TIMELINE_VIEWS.items()],
        "warnings": selectors.child_warnings(child, today, alerts),
        "situation": selectors.current_situation(child, today),
        "transfers": child.transfers.all(),
        "can_allocate": request.user.has_perm("casework.allocate_child", child),
        "ethnicity": child.ethnicity_history.first(),
        "open_interventions": child.open_interventions,
        "victims": _VICTIMS(child.pk),
        "can_oversee": request.user.has_perm("casework.add_oversight", child),
        "can_export": request.user.has_perm("casework.export_subject_access", child),
        "can_erase": request.user.has_perm("casework.erase_child", child),
        "can_merge": request.user.has_perm("casework.merge_children", child),
        "merges": ChildMerge.objects.filter(
            survivor=child, unmerged_at__isnull=True
        ).select_related("duplicate"),
        "age": services.periods.age_on(child.date_of_birth, today),
    }


def add_child(request):
    """A new child and their referral, after a check for a child the service already knows
    (selectors.likely_matches): the user records the referral for that child instead, or
    says this is a different child."""
    _require(request, "casework.add_child")
    service = request.user.service
    form = forms.ChildReferralForm(
        _posted(request),
        service=service,
        initial={"team": request.user.team, "allocated_worker": request.user},
    )
    matches = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if request.POST.get("existing"):
            return _referral_for_known_child(request, form, request.POST["existing"])
        matches = selectors.likely_matches(
            service, d["first_name"], d["last_name"], d["date_of_birth"], d["pnc_number"]
        )
        if not matches or d["different_child"]:
            response = _new_child(request, form, not_a_match_of=len(matches))
            if response:
                return response
    return _referral_page(request, form, matches)


def _referral_page(request, form, matches):
    offered = [m for m in matches if request.user.has_perm("casework.change_child", m.child)]
    elsewhere = [m for m in matches if m not in offered]
    services.record_list_view(
        request.user, [m.child for m in offered], "Duplicate check: likely match shown"
    )
    services.record_list_view(
        request.user,
        [m.child for m in elsewhere],
        "Duplicate check: known to the service, not shown",
    )
    return render(
        request,
        "casework/add_child.html",
        {
            "form": form,
            "title": "Add a referral",
            "cancel": reverse("casework:caseload"),
            "offered": offered,
            "elsewhere": sorted({str(m.child.team) for m in elsewhere}),
            "has_matches": bool(matches),
        },
    )


def _new_child(request, form, *, not_a_match_of: int):
    child = form.save(commit=False)
    child.service = request.user.service
    referral = Referral(
        received_on=form.cleaned_data["received_on"],
        source=form.cleaned_data["source"],
        pathway=form.cleaned_data["pathway"],
        reason=form.cleaned_data["reason"],
    )
    result = _apply(
        form,
        lambda: services.add_child_with_referral(
            request.user,
            child=child,
            ethnicity=form.cleaned_data["ethnicity"],
            referral=referral,
            not_a_match_of=not_a_match_of,
        ),
    )
    if not result:
        return None
    if not request.user.has_perm("casework.view_child", result):
        messages.success(request, f"Referral recorded for {result} in {result.team}")
        return redirect("casework:caseload")
    messages.success(request, f"Referral recorded for {result}")
    return redirect(result)


def _referral_for_known_child(request, form, pk):
    """The referral posted on the new-child form, recorded for a child already known."""
    child = get_object_or_404(selectors.live_children(), pk=pk if str(pk).isdigit() else 0)
    _require(request, "casework.change_child", child)
    was_closed = bool(child.closed_on)
    referral = Referral(
        child=child,
        received_on=form.cleaned_data["received_on"],
        source=form.cleaned_data["source"],
        pathway=form.cleaned_data["pathway"],
        reason=form.cleaned_data["reason"],
    )
    if _apply(form, lambda: services.record_referral(request.user, referral)):
        messages.success(request, _referral_message(child, was_closed))
        return redirect(child)
    d = form.cleaned_data
    matches = selectors.likely_matches(
        child.service, d["first_name"], d["last_name"], d["date_of_birth"], d["pnc_number"]
    )
    return _referral_page(request, form, matches)


def _referral_message(child, was_closed: bool) -> str:
    if was_closed:
        return (
            f"Referral recorded for {child}. The case is reopened and waits for a worker "
            "in the team's referral queue"
        )
    return f"Referral recorded for {child}"


def _child_form(
    request,
    pk,
    form_class,
    save,
    title,
    *,
    perm="casework.change_child",
    form_kwargs=None,
    success="Saved",
    open_case_only=True,
):
    """Show a form about one child; on a valid post, run `save(child, form)` and go back.

    A closed case takes nothing new (`services.ALLOWED_ON_CLOSED_CASE`): the page says so and
    links to reopening it, unless `open_case_only` is False.
    """
    child = _child(request, pk, perm)
    if open_case_only and child.closed_on:
        return case_closed(request, child, title)
    kwargs = {"child": child, **(form_kwargs(child) if form_kwargs else {})}
    form = form_class(_posted(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        if _apply(form, lambda: save(child, form)) is not None:
            messages.success(request, success)
            return redirect(child)
    services.record_view(request.user, child, what=title.lower())
    return render(
        request,
        "casework/form.html",
        {"form": form, "child": child, "title": title, "cancel": child.get_absolute_url()},
    )


def case_closed(request, child, title):
    """Instead of a form: this case is closed, reopen it first."""
    services.record_view(request.user, child, what=title.lower())
    return render(
        request,
        "casework/case_closed.html",
        {
            "child": child,
            "title": title,
            "message": services.closed_case_message(child),
            "can_reopen": request.user.has_perm("casework.change_child", child),
        },
    )


def reopen_case(request, pk):
    child = _child(request, pk)
    if not child.closed_on:
        messages.success(request, "This case is open")
        return redirect(child)
    form = forms.ReopenCaseForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.reopen_case(
                request.user, child, reopened_on=d["reopened_on"], reason=d["reason"]
            ),
        ):
            messages.success(request, "Case reopened")
            return redirect(child)
    services.record_view(request.user, child, what="reopen the case")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": child,
            "title": "Reopen the case",
            "cancel": child.get_absolute_url(),
        },
    )


def _with_child(form, child, **extra):
    obj = form.save(commit=False)
    obj.child = child
    for k, v in extra.items():
        setattr(obj, k, v)
    return obj


def add_offence(request, pk):
    return _child_form(
        request,
        pk,
        forms.OffenceForm,
        lambda c, f: services.record_offence(request.user, _with_child(f, c)),
        "Record an offence",
        success="Offence recorded",
    )


def add_outcome(request, pk):
    return _child_form(
        request,
        pk,
        forms.OutcomeForm,
        lambda c, f: services.record_outcome(
            request.user, _with_child(f, c), f.cleaned_data["offences"]
        ),
        "Record an outcome",
        form_kwargs=lambda c: {"child": c},
        success="Outcome recorded",
    )


def add_intervention(request, pk):
    child = _child(request, pk)
    if child.closed_on:
        return case_closed(request, child, "Open an intervention")
    form = forms.InterventionForm(
        _posted(request),
        child=child,
        initial={"team": child.team, "worker": child.allocated_worker},
    )
    status = forms.StatusFields(_posted(request), prefix="start")
    if request.method == "POST" and form.is_valid() and status.is_valid():
        intervention = _with_child(form, child)
        if _apply(
            form,
            lambda: services.open_intervention(request.user, intervention, status=status.status()),
        ):
            messages.success(request, f"{intervention.get_kind_display()} opened")
            return redirect(child)
    services.record_view(request.user, child, what="open an intervention")
    return render(
        request,
        "casework/intervention_form.html",
        {
            "form": form,
            "status": status,
            "child": child,
            "title": "Open an intervention",
            "status_title": "The child's situation at the start",
            "cancel": child.get_absolute_url(),
        },
    )


def close_intervention(request, pk):
    intervention = get_object_or_404(Intervention.objects.select_related("child"), pk=pk)
    child = intervention.child
    _require(request, "casework.change_child", child)
    form = forms.CloseInterventionForm(_posted(request), intervention=intervention)
    status = forms.StatusFields(_posted(request), prefix="end")
    if request.method == "POST" and form.is_valid() and status.is_valid():
        d = form.cleaned_data
        if _apply(
            form,
            lambda: services.close_intervention(
                request.user,
                intervention,
                end_date=d["end_date"],
                end_reason=d["end_reason"],
                completed_successfully=d["completed_successfully"],
                status=status.status(),
            ),
        ):
            messages.success(request, f"{intervention.get_kind_display()} closed")
            return redirect(child)
    services.record_view(request.user, child, what="close an intervention")
    return render(
        request,
        "casework/intervention_form.html",
        {
            "form": form,
            "status": status,
            "child": child,
            "title": f"Close {intervention.get_kind_display().lower()}",
            "status_title": "The child's situation at the end",
            "cancel": child.get_absolute_url(),
        },
    )


def add_panel(request, pk):
    intervention = get_object_or_404(Intervention.objects.select_related("child"), pk=pk)
    return _child_form(
        request,
        intervention.child_id,
        forms.PanelForm,
        lambda c, f: services.save_record(request.user, _with_panel(f, intervention)),
        "Record a referral order panel",
        success="Panel recorded",
    )


def _with_panel(form, intervention):
    panel = form.save(commit=False)
    panel.intervention = intervention
    return panel


def add_assessment(request, pk):
    return _child_form(
        request,
        pk,
        forms.AssessmentForm,
        _saved(request, assessor=request.user),
        "Record an assessment",
        success="Assessment recorded",
    )


def add_contact(request, pk):
    return _child_form(
        request,
        pk,
        forms.ContactForm,
        _saved(request, worker=request.user),
        "Record a contact",
        success="Contact recorded",
    )


def add_victim(request, pk):
    return _child_form(
        request,
        pk,
        forms.VictimForm,
        lambda c, f: services.record_victim(
            request.user, _with_service(f, c), f.cleaned_data["offences"]
        ),
        "Record a victim's contact and restorative justice",
        form_kwargs=lambda c: {"child": c},
        success="Victim's details recorded",
    )


def _with_service(form, child):
    victim = form.save(commit=False)
    victim.service = child.service
    return victim


def edit_victim(request, pk, victim_pk):
    child = _child(request, pk)
    victim = get_object_or_404(
        Victim.objects.filter(offences__child=child).distinct(), pk=victim_pk
    )

    def victim_form(data, instance):
        return forms.VictimForm(
            data, instance=instance, child=child, initial={"offences": instance.offences.all()}
        )

    form = victim_form(_posted(request), victim)
    if request.method == "POST" and form.is_valid():
        saved, form = _apply_versioned(
            form,
            lambda: services.record_victim(
                request.user, form.save(commit=False), form.cleaned_data["offences"]
            ),
            lambda current: victim_form(None, current),
        )
        if saved:
            messages.success(request, "Victim's details updated")
            return redirect(child)
    services.record_view(request.user, child, what="update a victim's details")
    return render(
        request,
        "casework/form.html",
        {
            "form": form,
            "child": child,
            "title": f"Update {victim}",
            "cancel": child.get_absolute_url(),
        },
    )


def add_oversight(request, pk):
    return _child_form(
        request,
        pk,
        forms.OversightForm,
        _saved(request, manager=request.user),
        "Record management oversight",
        perm="casework.add_oversight",
        success="Management oversight recorded",
        open_case_only=False,  # a manager may sign off a closure
    )


def add_plan(request, pk):
    return _child_form(
        request,
        pk,
        forms.ChildPlanForm,
        _saved(request),
        "Record the plan agreed with the child",
        success="Plan recorded",
    )


def add_transition(request, pk):
    return _child_form(
        request,
        pk,
        forms.TransitionForm,
        _saved(request),
        "Record the transition decision",
        success="Transition decision recorded",
    )


def add_remand(request, pk):
    return _child_form(
        request,
        pk,
        forms.RemandForm,
        _saved(request),
        "Record a remand or bail decision",
        success="Remand recorded",
    )


def add_care_status(request, pk):
    return _child_form(
        request,
        pk,
        forms.CareStatusForm,
        _saved(request),
        "Record a care status",
        success="Care status recorded",
    )


def close_case(request, pk):
    return _child_form(
        request,
        pk,
        forms.CloseCaseForm,
        lambda c, f: services.close_case(request.user, c, **f.cleaned_data),
        "Close the case",
        success="Case closed",
    )


def _saved(request, **extra):
    """Save a child's record from its form; `services` checks every date on it."""
    return lambda child, form: services.save_record(request.user, _with_child(form, child, **extra))


def add_send(request, pk):
    return _child_form(
        request,
        pk,
        forms.SendForm,
        _saved(request),
        "Record special educational needs (SEND)",
        success="SEND recorded",
    )


def add_mental_health(request, pk):
    return _child_form(
        request,
        pk,
        forms.MentalHealthForm,
        _saved(request),
        "Record mental health and emotional wellbeing",
        success="Mental health record saved",
    )


def add_substance_misuse(request, pk):
    return _child_form(
        request,
        pk,
        forms.SubstanceMisuseForm,
        _saved(request),
        "Record substance misuse",
        success="Substance misuse record saved",
    )


def add_exploitation(request, pk):
    return _child_form(
        request,
        pk,
        forms.ExploitationForm,
        _saved(request),
        "Record an exploitation concern",
        success="Exploitation concern recorded",
    )


def add_custody(request, pk):
    return _child_form(
        request,
        pk,
        forms.CustodyForm,
        _saved(request),
        "Record custody and release",
        form_kwargs=lambda c: {"child": c},
        success="Custody recorded",
    )


def add_referral(request, pk):
    """A new referral of a known child; a closed case is reopened by it
    (`services.record_referral`)."""
    child = _child(request, pk)
    was_closed = bool(child.closed_on)
    return _child_form(
        request,
        pk,
        forms.ReferralForm,
        lambda c, f: services.record_referral(request.user, _with_child(f, c)),
        "Record a referral",
        form_kwargs=lambda c: {"child": c},
        success=_referral_message(child, was_closed),
        open_case_only=False,
    )


# Allocation, transfers, the referral queue and caseload counts ------------------------------


def allocate(request, pk):
    """Allocate or reallocate the child's team and worker (team managers and above)."""
    child = _child(request, pk, "casework.allocate_child")
    from_queue = request.GET.get("from") == "queue"
    form = forms.AllocationForm(
        _posted(request),
        child=child,
        initial={
            "team": child.team,
            "worker": child.allocated_worker,
            "allocated_on": services.today(),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        allocation = _apply(
            form,
            lambda: services.allocate(
                request.user, child, d["team"], d["worker"], d["allocated_on"], d["reason"]
            ),
        )
        if allocation:
            messages.success(request, f"{child.display_name}: {allocation}")
            return redirect("casework:queue" if from_queue else child.get_absolute_url())
    services.record_view(request.user, child, what="allocate the case")
    cancel = reverse("casework:queue") if from_queue else child.get_absolute_url()
    return render(
        request,
        "casework/allocate.html",
        {
            "form": form,
            "child": child,
            "title": "Allocate the case",
            "cancel": cancel,
            "history": selectors.allocation_history(child),
        },
    )


def add_transfer(request, pk):
    def save(child, form):
        transfer = form.save(commit=False)
        if transfer.direction == Transfer.Direction.OUT:
            return services.transfer_out(request.user, child, transfer)
        return services.transfer_in(request.user, child, transfer)

    return _child_form(
        request,
        pk,
        forms.TransferForm,
        save,
        "Record a transfer between youth justice services",
        success="Transfer recorded",
    )


def queue(request):
    """Open referrals with no worker yet, oldest first (the team manager's allocation list)."""
    _require(request, "casework.view_queue")
    children = selectors.referral_queue(request.user)
    services.record_list_view(request.user, children, "Referral queue")
    return render(
        request,
        "casework/queue.html",
        {"children": children, "team": _home_team(request.user)},
    )


def workers(request):
    """How many open cases and court orders each case worker holds (no child is named)."""
    _require(request, "casework.view_queue")
    staff, unallocated = selectors.worker_caseloads(request.user)
    by_worker, by_team = selectors.alert_counts(request.user, services.today())
    for w in staff:
        w.open_alerts = by_worker.get(w.pk, 0)
    teams = [(t, by_team.get(t.pk, 0)) for t in request.user.service.teams.order_by("name")]
    home = _home_team(request.user)
    return render(
        request,
        "casework/workers.html",
        {
            "workers": staff,
            "unallocated": unallocated,
            "unallocated_alerts": by_worker.get(None, 0),
            "team_alerts": [(t, n) for t, n in teams if home is None or t == home],
            "team": home,
        },
    )


def _home_team(user):
    return user.team if selectors.home_team_id(user) else None
