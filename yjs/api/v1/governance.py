"""The Youth Justice Plan and the quarterly board pack, read as data: metadata and the context
the documents are made from (the same context the pages and Word exports render)."""

from __future__ import annotations

from typing import Annotated

from django.http import Http404
from ninja import Query, Router

from yjs.governance import selectors, services
from yjs.governance.models import Plan

from .common import jsonable, page, require, user_of
from .performance import Period, _period
from .schemas import BoardPackOut, Id, Limit, Offset, Page, PlanOut, PlanSummary, Problem

router = Router(tags=["governance"])
ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


def _summary(plan: Plan) -> dict:
    latest = selectors.latest_version(plan)
    return {
        "id": plan.pk,
        "title": plan.title,
        "start_year": plan.start_year,
        "years": plan.years,
        "latest_version": latest.number if latest else None,
        "status": latest.status if latest else None,
    }


@router.get("/plans", response={200: Page[PlanSummary], **ERRORS}, summary="Youth Justice Plans")
def plans(request, limit: Limit = 50, offset: Offset = 0):
    require(request, "governance.view_plans")
    items, count = page(selectors.plans_for(user_of(request).service), limit, offset)
    return {"count": count, "limit": limit, "offset": offset, "items": list(map(_summary, items))}


@router.get("/plans/{plan_id}", response={200: PlanOut, **ERRORS}, summary="A plan and its data")
def plan(
    request,
    plan_id: Id,
    version: Annotated[int | None, Query(ge=1, le=32767)] = None,
):
    """A plan version's document context (the latest version unless ``version`` is given):
    an approved version's is the one frozen at approval."""
    require(request, "governance.view_plans")
    found = Plan.objects.filter(pk=plan_id, service_id=user_of(request).service_id).first()
    if found is None:
        raise Http404
    versions = found.versions.order_by("-number")
    chosen = versions.filter(number=version).first() if version else versions.first()
    if chosen is None:
        raise Http404
    return {
        **_summary(found),
        "versions": [{"number": v.number, "year": v.year, "status": v.status} for v in versions],
        "version": chosen.number,
        "context": jsonable(services.context_for(chosen)),
    }


@router.get(
    "/board-packs/{quarter}",
    response={200: BoardPackOut, **ERRORS},
    summary="The board pack for a quarter",
)
def board_pack(request, quarter: str, named: bool = False):
    """The quarterly board pack's data. Children appear only as the pages would show them:
    never for board members or analysts, by name only for casework roles who ask (``named``)."""
    require(request, "governance.view_plans")
    user = user_of(request)
    q = _period(quarter[:20])
    named = named and user.has_perm("performance.view_named_children")
    context = services.board_pack_for(user, q, "json", named=named)
    return {"quarter": q.label, "named": context["named"], "context": jsonable(context)}


__all__ = ["Period", "router"]
