"""The rules of quality assurance and the commands that record it. Each command runs in one
transaction, claims the record it changes (optimistic locking) and is audited here.

Actions arising from an audit, a sub-standard or an HMIP recommendation are created as rows of
the current plan's action plan through governance's `save_record` (so they are audited and
numbered like any other action) and linked back by a `QualityAction`.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yjs import periods, versioning
from yjs.audit import services as audit
from yjs.governance import selectors as governance_selectors
from yjs.governance import services as governance
from yjs.governance.models import Action, Plan

from . import selectors
from .models import (
    NOTIFY_WITHIN,
    CaseAudit,
    QualityAction,
    Recommendation,
    SampledCase,
    SeriousIncident,
    SubStandardRating,
    ThemedAudit,
)

MAX_SAMPLE = 200
BELOW_GOOD = {"REQUIRES_IMPROVEMENT", "INADEQUATE"}


def today() -> datetime.date:
    return timezone.localdate()


# --------------------------------------------------------------------------- rules


def case_audit_problems(audit_: CaseAudit) -> dict[str, str]:
    problems: dict[str, str] = {}
    if audit_.audited_on and audit_.audited_on > today():
        problems["audited_on"] = "Date of the audit must be today or in the past"
    child = audit_.child
    if child is not None and audit_.service_id and child.service_id != audit_.service_id:
        problems["child"] = "The child is not a child of this service"
    ratings = [audit_.assessment, audit_.planning, audit_.delivery, audit_.review]
    if (
        any(r in BELOW_GOOD for r in ratings + [audit_.overall])
        and not (audit_.to_improve or "").strip()
    ):
        problems["to_improve"] = (
            "Enter the areas for improvement: an area is rated requires improvement or inadequate"
        )
    if audit_.overall == "OUTSTANDING" and "INADEQUATE" in ratings:
        problems["overall"] = "A case with an inadequate area cannot be outstanding overall"
    return problems


def incident_problems(incident: SeriousIncident) -> dict[str, str]:
    problems: dict[str, str] = {}
    now = timezone.now()
    if incident.incident_date and incident.incident_date > today():
        problems["incident_date"] = "Date of the incident must be today or in the past"
    if incident.known_at:
        if incident.known_at > now:
            problems["known_at"] = "When the service knew of it must be in the past"
        elif (
            incident.incident_date
            and timezone.localtime(incident.known_at).date() < incident.incident_date
        ):
            problems["known_at"] = "The service cannot have known of it before it happened"
    if incident.notified_at:
        if incident.notified_at > now:
            problems["notified_at"] = "When it was notified must be in the past"
        elif incident.known_at and incident.notified_at < incident.known_at:
            problems["notified_at"] = "It cannot have been notified before the service knew of it"
    S = SeriousIncident.Status
    if incident.status != S.NOTIFIED and not incident.notified_at:
        problems["notified_at"] = "Enter when it was notified to the YJB before reviewing it"
    if incident.status == S.CLOSED:
        if not incident.review_date:
            problems["review_date"] = "Enter the date of the review to close it"
        if not (incident.learning or "").strip():
            problems["learning"] = "Enter the learning to close the review"
    if incident.review_date:
        if incident.review_date > today():
            problems["review_date"] = "Date of the review must be today or in the past"
        elif incident.incident_date and incident.review_date < incident.incident_date:
            problems["review_date"] = "The review cannot be before the incident"
    return problems


def recommendation_problems(rec: Recommendation) -> dict[str, str]:
    problems: dict[str, str] = {}
    done = rec.status == Recommendation.Status.COMPLETED
    if done:
        if not rec.completed_on:
            problems["completed_on"] = "Enter the date it was completed"
        if not (rec.evidence or "").strip():
            problems["evidence"] = "Enter the evidence that it was completed"
    elif rec.completed_on:
        problems["completed_on"] = "Only a completed recommendation has a date completed"
    if rec.completed_on:
        if rec.completed_on > today():
            problems["completed_on"] = "Date completed must be today or in the past"
        elif rec.inspection_date and rec.completed_on < rec.inspection_date:
            problems["completed_on"] = "It cannot be completed before the inspection report"
    if rec.inspection_date and rec.inspection_date > today():
        problems["inspection_date"] = "Date of the inspection report must be in the past"
    return problems


def is_late(incident: SeriousIncident, now: datetime.datetime | None = None) -> bool:
    """Notified more than 24 clock hours after the service knew (exactly 24 h is in time), or
    not notified yet and 24 hours have passed. Clock hours, not working days: the YJB asks
    for the notification within 24 hours of the service knowing, weekends included."""
    if incident.notified_at is not None:
        return incident.notified_at - incident.known_at > NOTIFY_WITHIN
    return (now or timezone.now()) - incident.known_at > NOTIFY_WITHIN


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


def _save(actor, instance, problems, description: str, child=None):
    """Claim (optimistic locking), check, save and audit one record."""
    _raise(problems(instance))
    created = instance.pk is None
    before = {} if created else audit.field_values(type(instance).objects.get(pk=instance.pk))
    versioning.claim(instance, actor)
    instance.save()
    changes = audit.diff(before, audit.field_values(instance))
    for key in ("revision", "updated_at", "updated_by_id"):
        changes.pop(key, None)
    audit.record(
        actor,
        "CREATE" if created else "UPDATE",
        instance,
        child=child,
        description=f"{'Recorded' if created else 'Changed'} {description}",
        changes=changes,
    )
    return instance


# --------------------------------------------------------------------------- commands


@transaction.atomic
def save_case_audit(actor, case_audit: CaseAudit) -> CaseAudit:
    if case_audit.pk is None and case_audit.auditor_id is None:
        case_audit.auditor = actor if getattr(actor, "is_authenticated", False) else None
    return _save(actor, case_audit, case_audit_problems, "case audit", child=case_audit.child)


@transaction.atomic
def save_incident(actor, incident: SeriousIncident) -> SeriousIncident:
    return _save(actor, incident, incident_problems, "serious incident", child=incident.child)


@transaction.atomic
def save_recommendation(actor, rec: Recommendation) -> Recommendation:
    return _save(actor, rec, recommendation_problems, "inspection recommendation")


def _no_problems(_):
    return {}


@transaction.atomic
def save_sub_standard(actor, rating: SubStandardRating) -> SubStandardRating:
    def problems(r):
        if r.assessed_on and r.assessed_on > today():
            return {"assessed_on": "Date assessed must be today or in the past"}
        clash = SubStandardRating.objects.filter(plan=r.plan, code=r.code).exclude(pk=r.pk)
        if clash.exists():
            return {"code": f"{r.code} is already rated in this plan: change that rating"}
        return {}

    return _save(actor, rating, problems, f"self-assessment of {rating.code}")


# --------------------------------------------------------------------------- themed audits


def draw_sample(eligible_ids: list[int], size: int, seed: int) -> list[int]:
    """The same eligible children and seed always give the same sample, in the same order."""
    population = sorted(set(eligible_ids))
    return random.Random(seed).sample(population, min(size, len(population)))


@transaction.atomic
def start_themed_audit(actor, themed: ThemedAudit, seed: int | None = None) -> ThemedAudit:
    """Draw the sample of a themed audit from the casework and record it with its seed."""
    problems = {}
    if themed.period_start and themed.period_end and themed.period_end < themed.period_start:
        problems["period_end"] = "End of the period must be the same as or after its start"
    if themed.period_end and themed.period_end > today():
        problems["period_end"] = "End of the period must be today or in the past"
    if not themed.sample_size or not 1 <= themed.sample_size <= MAX_SAMPLE:
        problems["sample_size"] = f"Number of children to sample must be 1 to {MAX_SAMPLE}"
    _raise(problems)
    eligible = selectors.eligible_children(
        themed.service, themed.theme, themed.period_start, themed.period_end
    )
    if not eligible:
        raise ValidationError(
            {
                "period_start": "No child of the service had "
                f"{selectors.THEME_EVENTS[themed.theme]} in this period: choose another period"
            }
        )
    themed.seed = secrets.randbelow(2**31) if seed is None else seed
    themed.eligible_count = len(eligible)
    if not themed.title:
        themed.title = (
            f"{themed.get_theme_display()} audit, {periods.long_date(themed.period_start)} "
            f"to {periods.long_date(themed.period_end)}"
        )
    themed.created_by = actor if getattr(actor, "is_authenticated", False) else None
    versioning.claim(themed, actor)
    themed.save()
    chosen = draw_sample(eligible, themed.sample_size, themed.seed)
    SampledCase.objects.bulk_create(
        SampledCase(themed_audit=themed, child_id=pk, position=i + 1) for i, pk in enumerate(chosen)
    )
    audit.record(
        actor,
        "CREATE",
        themed,
        description=f"Drew a sample of {len(chosen)} of {len(eligible)} children for {themed}",
        changes={"seed": [None, themed.seed], "children": [None, chosen]},
    )
    return themed


# --------------------------------------------------------------------------- actions


def current_plan(service, on: datetime.date | None = None) -> Plan:
    plan = governance_selectors.current_plan(
        service, periods.FinancialYear.of(on or today()).start_year
    )
    if plan is None:
        raise ValidationError(
            "There is no Youth Justice Plan to add the action to: create the plan first"
        )
    return plan


def _next_ref(plan: Plan) -> str:
    taken = set(Action.objects.filter(plan=plan).values_list("ref", flat=True))
    n = 1
    while f"QA{n}" in taken:
        n += 1
    return f"QA{n}"


SOURCES = {
    "case_audit": ("SERVICE", lambda a: f"Case audit {a.pk}"),
    "sub_standard": ("NATIONAL_STANDARD", lambda s: f"{s.code} self-assessment"),
    "recommendation": ("HMIP", lambda r: f"HMIP recommendation {r.number}"),
}


@transaction.atomic
def add_action(
    actor,
    source,
    *,
    outcome: str,
    action: str,
    lead_owners: str,
    due_date: datetime.date,
    measure: str = "",
) -> Action:
    """A new row in the current plan's action plan, arising from `source` (a case audit, a
    sub-standard rating or a recommendation), numbered QA1, QA2... The action plan is
    published: what is written here must not name the child."""
    kind = {
        CaseAudit: "case_audit",
        SubStandardRating: "sub_standard",
        Recommendation: "recommendation",
    }[type(source)]
    service = source.plan.service if kind == "sub_standard" else source.service
    plan = source.plan if kind == "sub_standard" else current_plan(service)
    problems = {}
    if not (action or "").strip():
        problems["action"] = "Enter the action"
    if not (lead_owners or "").strip():
        problems["lead_owners"] = "Enter who owns the action"
    if due_date is None:
        problems["due_date"] = "Enter the date it is due by"
    elif due_date > plan.end + datetime.timedelta(days=366 * 3):
        problems["due_date"] = "Date it is due by must be within three years of the plan's end"
    _raise(problems)
    Plan.objects.select_for_update().get(pk=plan.pk)  # one QA number at a time
    source_code, detail = SOURCES[kind]
    row = governance.save_record(
        Action(
            plan=plan,
            ref=_next_ref(plan),
            outcome=(outcome or "Quality assurance")[:300],
            action=action,
            lead_owners=lead_owners,
            due_date=due_date,
            measure=measure,
            source=source_code,
            source_detail=detail(source)[:200],
        ),
        actor,
    )
    QualityAction.objects.create(action=row, **{kind: source})
    return row
