"""Quality assurance in the Northshire demo (issue 14): a themed out-of-court audit of last
quarter's sample, a dozen case audits by the team managers with a few actions in the current
plan, the sub-standards self-assessed, an HMIP inspection's recommendations at various stages
and two serious incidents (one notified late).

Its own random stream, seeded by text, so no other demo figure moves; every record goes through
`services`, so the demo's audit trail shows them like any other.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.utils import timezone

from yjs import periods
from yjs.casework.models import Child
from yjs.organisation.models import Role, Service

from . import services, standards
from .models import (
    RATING_ORDER,
    CaseAudit,
    Recommendation,
    SeriousIncident,
    SubStandardRating,
    ThemedAudit,
)

D = dt.timedelta
OUT, GOOD, RI, INAD = "OUTSTANDING", "GOOD", "REQUIRES_IMPROVEMENT", "INADEQUATE"
WEIGHTS = {OUT: 1, GOOD: 5, RI: 3, INAD: 1}
AREAS = ("assessment", "planning", "delivery", "review")
WORKS_WELL = (
    "The worker knows the child well and the child says they are listened to.",
    "Assessment draws on education and health information and the child's own account.",
    "Contact is frequent and flexible around school; the family is engaged.",
    "Good joint work with children's social care; the plan is shared.",
)
TO_IMPROVE = (
    "The plan was not written with the child and does not use their words.",
    "Reviews were late and did not follow a change of circumstances.",
    "Risk to others not reassessed after new information from the police.",
    "Victim's views not recorded before the panel.",
)
RECOMMENDATIONS = (
    "Improve the quality of planning so that every plan is written with the child.",
    "Ensure management oversight of risk of harm is recorded and effective.",
    "Review out-of-court decision making so that it is timely and consistent.",
    "Strengthen the board's understanding of disproportionality in the service's work.",
    "Ensure children released from custody have suitable accommodation in good time.",
)


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _ratings(rng) -> dict:
    r = {a: _weighted(rng, WEIGHTS) for a in AREAS}
    order = RATING_ORDER
    # overall: the second best of the four areas, as auditors tend to judge it
    r["overall"] = sorted(r.values(), key=order.index)[1]
    return r


def add_quality(service: Service, today: dt.date, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(f"{seed}-quality")
    managers = list(
        service.staff.filter(role=Role.TEAM_MANAGER, is_active=True).order_by("username")
    )
    head = service.staff.filter(role=Role.HEAD_OF_SERVICE).order_by("username").first()
    if not managers or head is None:
        return {}
    counts = {"CaseAudit": 0, "QualityAction": 0}
    quarter = periods.quarter_of(today).previous()
    try:
        themed = services.start_themed_audit(
            head,
            ThemedAudit(
                service=service,
                theme=ThemedAudit.Theme.OOCD,
                period_start=quarter.start,
                period_end=quarter.end,
                sample_size=6,
            ),
            seed=rng.randrange(2**31),
        )
        sampled = [s.child for s in themed.sample.select_related("child")]
    except ValidationError:  # a small demo with no out-of-court outcome last quarter
        themed, sampled = None, []
    others = list(
        Child.objects.filter(service=service, closed_on__isnull=True, erased_at__isnull=True)
        .exclude(pk__in=[c.pk for c in sampled])
        .order_by("pk")
    )
    chosen = [(c, themed) for c in sampled] + [
        (c, None) for c in rng.sample(others, min(6, len(others)))
    ]
    actions = 0
    for i, (child, from_theme) in enumerate(chosen):
        r = _ratings(rng)
        below = any(v in services.BELOW_GOOD for v in r.values())
        audit = services.save_case_audit(
            managers[i % len(managers)],
            CaseAudit(
                service=service,
                child=child,
                themed_audit=from_theme,
                auditor=managers[i % len(managers)],
                audited_on=min(today, quarter.end + D(days=7 + 3 * i)),
                works_well=rng.choice(WORKS_WELL),
                to_improve=rng.choice(TO_IMPROVE) if below else "",
                **r,
            ),
        )
        counts["CaseAudit"] += 1
        if r["overall"] in services.BELOW_GOOD and actions < 3:
            services.add_action(
                managers[i % len(managers)],
                audit,
                outcome="Quality of casework",
                action="Share the audit's learning at the team meeting and re-audit in three "
                "months",
                lead_owners="Team managers",
                due_date=min(today + D(days=90), services.current_plan(service).end),
            )
            actions += 1
    counts["QualityAction"] = actions
    plan = services.current_plan(service)
    for sub in standards.SUB_STANDARDS:
        rating = _weighted(rng, {OUT: 1, GOOD: 6, RI: 3})
        saved = services.save_sub_standard(
            head,
            SubStandardRating(
                plan=plan,
                code=sub.code,
                rating=rating,
                evidence="Self-assessment workshop with partners; case audits; KPI results.",
                assessed_on=min(today, plan.start + D(days=60)),
            ),
        )
        if rating == RI:
            services.add_action(
                head,
                saved,
                outcome=f"{sub.code} rated requires improvement",
                action="Agree an improvement plan with partners and report to the board",
                lead_owners="Head of Service",
                due_date=plan.end,
            )
            counts["QualityAction"] += 1
    inspected = today - D(days=540)
    statuses = ("COMPLETED", "COMPLETED", "IN_PROGRESS", "IN_PROGRESS", "NOT_STARTED")
    for n, (text, status) in enumerate(zip(RECOMMENDATIONS, statuses, strict=True), start=1):
        done = status == "COMPLETED"
        services.save_recommendation(
            head,
            Recommendation(
                service=service,
                inspection="HMIP inspection of youth justice services",
                inspection_date=inspected,
                number=n,
                text=text,
                owner="Head of Service" if n % 2 else "Chair of the board",
                status=status,
                evidence="Re-audit of 20 cases: 17 plans written with the child." if done else "",
                completed_on=inspected + D(days=200 + 30 * n) if done else None,
            ),
        )
    counts["Recommendation"] = len(RECOMMENDATIONS)
    if others:
        known = timezone.make_aware(dt.datetime.combine(today - D(days=70), dt.time(16, 30)))
        for child, delay, status in (
            (others[0], D(hours=20), SeriousIncident.Status.CLOSED),
            (others[-1], D(hours=30), SeriousIncident.Status.UNDER_REVIEW),
        ):
            closed = status == SeriousIncident.Status.CLOSED
            services.save_incident(
                head,
                SeriousIncident(
                    service=service,
                    child=child,
                    kind=SeriousIncident.Kind.SERIOUS_HARM
                    if closed
                    else SeriousIncident.Kind.SERIOUS_OFFENCE,
                    incident_date=known.date(),
                    known_at=known,
                    notified_at=known + delay,
                    status=status,
                    review_date=known.date() + D(days=28) if closed else None,
                    findings="Risk was identified but the safety plan was not shared with "
                    "the school."
                    if closed
                    else "",
                    learning="Safety plans are now shared with education at every review."
                    if closed
                    else "",
                ),
            )
        counts["SeriousIncident"] = 2
    return counts
