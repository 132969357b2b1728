"""Children: search, the child's record, the journey's records (read, and new offences,
contacts, interventions and assessments through the pages' own forms and services), caseloads.

Each endpoint asks the one permissions module and writes the same audit events as its page.
A child of another service is "not found"; a child of one's own service out of one's reach is
"forbidden", as on the pages.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.http import Http404
from ninja import Query, Router, Status

from yjs.casework import forms, records, selectors, services
from yjs.casework.models import Child

from .common import bound, page, raise_form_errors, require, user_of
from .schemas import (
    MAX_ID,
    AssessmentIn,
    CaseloadChild,
    CaseRecordOut,
    ChildRecord,
    ContactIn,
    Id,
    InterventionIn,
    Limit,
    OffenceIn,
    Offset,
    Page,
    Problem,
    SearchResult,
    SearchText,
)

router = Router(tags=["children"])
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}
WRITE_ERRORS = {**ERRORS, 409: Problem}


def _child(request, child_id: int, perm: str = "casework.view_child") -> Child:
    child = (
        Child.objects.select_related("team", "service", "allocated_worker", "home_local_authority")
        .filter(pk=child_id, service_id=user_of(request).service_id)
        .first()
    )
    if child is None or user_of(request).service_id is None:
        raise Http404
    require(request, perm, child)
    return child


def _summary(child: Child) -> dict:
    return {
        "id": child.pk,
        "reference": child.reference,
        "first_name": child.first_name,
        "last_name": child.last_name,
        "preferred_name": child.preferred_name,
        "date_of_birth": child.date_of_birth,
        "team": str(child.team),
        "allocated_worker": str(child.allocated_worker) if child.allocated_worker else None,
        "closed_on": child.closed_on,
    }


def _interventions(items) -> list[dict]:
    return [
        {
            "id": i.pk,
            "kind": i.kind,
            "kind_label": i.get_kind_display(),
            "start_date": i.start_date,
            "planned_end_date": i.planned_end_date,
        }
        for i in items
    ]


@router.get("/children/search", response={200: SearchResult, **ERRORS}, summary="Find children")
def search_children(request, q: SearchText = ""):
    """Children of the service matching every word (name, date of birth, YJS reference, PNC
    number), as the search page finds them: any part of a name for children in reach; the
    service's other children only by a whole name and only as a count by team."""
    require(request, "casework.view_caseload")
    user = user_of(request)
    results = selectors.search(user, q)
    services.record_list_view(user, results, f"API search: {len(results)} results")
    services.record_list_view(
        user, results.out_of_reach, "API search: known to the service, not shown"
    )
    return {
        "query": results.query,
        "count": len(results),
        "more": results.more,
        "shortened": results.shortened,
        "items": [_summary(c) for c in results],
        "known_elsewhere": [{"team": k.team, "count": k.count} for k in results.known_elsewhere],
    }


@router.get("/caseload", response={200: Page[CaseloadChild], **ERRORS}, summary="A caseload")
def caseload(
    request,
    limit: Limit = 50,
    offset: Offset = 0,
    mine: bool = False,
    team: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    include_closed: bool = False,
):
    """The open cases the user may see (``mine``: allocated to the user; ``team``: one team
    of the service), with the caseload page's columns."""
    require(request, "casework.view_caseload")
    user = user_of(request)
    children = selectors.caseload(
        user, mine=mine, team_id=team, include_closed=include_closed
    ).order_by("last_name", "first_name", "pk")
    items, count = page(children, limit, offset)
    services.record_list_view(user, items, "API caseload")
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [
            {
                **_summary(c),
                "last_contact": c.last_contact,
                "risk_of_serious_harm": c.rosh or None,
                "likelihood_of_reoffending": c.likelihood or None,
                "review_due": c.review_due,
                "open_interventions": _interventions(c.open_interventions),
            }
            for c in items
        ],
    }


@router.get(
    "/children/{child_id}", response={200: ChildRecord, **ERRORS}, summary="A child's record"
)
def child_record(request, child_id: Id):
    """The child's details, open interventions and how many records of each kind they have."""
    child = _child(request, child_id)
    services.record_view(user_of(request), child, what="child record (API)")
    erased = child.erased_at is not None
    ethnicity = None if erased else child.ethnicity_history.first()
    return {
        **_summary(child),
        "sex": child.sex,
        "gender": child.gender,
        "ethnicity": ethnicity.ethnicity if ethnicity else None,
        "home_local_authority": str(child.home_local_authority)
        if child.home_local_authority
        else None,
        "residence": child.residence,
        "pnc_number": child.pnc_number,
        "closure_reason": child.closure_reason,
        "erased": erased,
        "merged_into": child.merged_into_id,
        "open_interventions": []
        if erased
        else _interventions(
            child.interventions.filter(end_date__isnull=True).order_by("start_date")
        ),
        "record_counts": dict(selectors.record_counts(child)) if not erased else {},
        "record_types": sorted(records.RECORD_TYPES),
    }


def _record_out(rt, record) -> dict:
    fields = {}
    for f in record._meta.concrete_fields:
        if f.name in ("id", "revision", "updated_by", "voided_by"):
            continue
        fields[f.attname] = getattr(record, f.attname)
    if rt.links_offences:
        fields["offences"] = list(record.offences.values_list("pk", flat=True))
    from .common import jsonable

    return {
        "id": record.pk,
        "record_type": rt.slug,
        "title": str(record),
        "voided": record.voided_at is not None,
        "revision": getattr(record, "revision", None),
        "fields": jsonable(fields),
    }


def _record_type(record_type: str):
    rt = records.RECORD_TYPES.get(record_type)
    if rt is None:
        raise Http404
    return rt


@router.get(
    "/children/{child_id}/records/{record_type}",
    response={200: Page[CaseRecordOut], **ERRORS},
    summary="The child's records of one kind",
)
def child_records(request, child_id: Id, record_type: str, limit: Limit = 50, offset: Offset = 0):
    """Every record of one kind (``offence``, ``outcome``, ``intervention``, ``contact``…;
    the kinds are listed in the child's record), voided ones included and marked."""
    rt = _record_type(record_type)
    child = _child(request, child_id)
    items, count = page(rt.of_child(child).order_by("pk"), limit, offset)
    services.record_view(user_of(request), child, what=f"{rt.title.lower()} records (API)")
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": [_record_out(rt, r) for r in items],
    }


@router.get(
    "/children/{child_id}/records/{record_type}/{record_id}",
    response={200: CaseRecordOut, **ERRORS},
    summary="One record of the child's journey",
)
def child_record_one(request, child_id: Id, record_type: str, record_id: Id):
    rt = _record_type(record_type)
    child = _child(request, child_id)
    record = rt.of_child(child).filter(pk=record_id).first()
    if record is None:
        raise Http404
    services.record_view(user_of(request), child, what=f"{rt.title.lower()} record (API)")
    return _record_out(rt, record)


# Recording: the page's form checks the answers, the page's service saves and audits. ------


def _new(request, child_id: int, form_class, payload, save, *, form_kwargs=None):
    child = _child(request, child_id, "casework.change_child")
    if child.closed_on:
        raise_closed(child)
    form = bound(form_class, payload.dict(), child=child, **(form_kwargs or {}))
    if not form.is_valid():
        raise_form_errors(form)
    with transaction.atomic():
        record = save(child, form)
    rt = records.BY_MODEL[type(record)]
    return Status(201, _record_out(rt, record))


def raise_closed(child) -> None:
    from django.core.exceptions import ValidationError

    raise ValidationError(services.closed_case_message(child))


def _with_child(form, child, **extra):
    obj = form.save(commit=False)
    obj.child = child
    for k, v in extra.items():
        setattr(obj, k, v)
    return obj


@router.post(
    "/children/{child_id}/offences",
    response={201: CaseRecordOut, **WRITE_ERRORS},
    summary="Record an offence",
)
def add_offence(request, child_id: Id, payload: OffenceIn):
    user = user_of(request)
    return _new(
        request,
        child_id,
        forms.OffenceForm,
        payload,
        lambda c, f: services.record_offence(user, _with_child(f, c)),
    )


@router.post(
    "/children/{child_id}/contacts",
    response={201: CaseRecordOut, **WRITE_ERRORS},
    summary="Record a contact",
)
def add_contact(request, child_id: Id, payload: ContactIn):
    user = user_of(request)
    return _new(
        request,
        child_id,
        forms.ContactForm,
        payload,
        lambda c, f: services.save_record(user, _with_child(f, c, worker=user)),
    )


@router.post(
    "/children/{child_id}/assessments",
    response={201: CaseRecordOut, **WRITE_ERRORS},
    summary="Record an assessment",
)
def add_assessment(request, child_id: Id, payload: AssessmentIn):
    user = user_of(request)
    return _new(
        request,
        child_id,
        forms.AssessmentForm,
        payload,
        lambda c, f: services.save_record(user, _with_child(f, c, assessor=user)),
    )


@router.post(
    "/children/{child_id}/interventions",
    response={201: CaseRecordOut, **WRITE_ERRORS},
    summary="Open an intervention",
)
def add_intervention(request, child_id: Id, payload: InterventionIn):
    """Opened as the page opens one; the child's situation at the start is not taken here."""
    user = user_of(request)
    answers = payload.dict()
    child = _child(request, child_id, "casework.change_child")
    answers["team"] = answers.get("team") or child.team_id
    answers["worker"] = answers.get("worker") or child.allocated_worker_id
    payload = InterventionIn(**answers)
    return _new(
        request,
        child_id,
        forms.InterventionForm,
        payload,
        lambda c, f: services.open_intervention(user, _with_child(f, c), status=None),
    )
