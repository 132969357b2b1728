"""A made-up plan with every part filled in: what an uploaded Word template must print.

An uploaded template is checked by rendering this plan's context (services.set_template), so a
table or chart that only appears when there are rows is checked too. Everything here is
created inside the caller's transaction, which rolls it back; nothing names a real child.
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.utils import timezone

from yjs.organisation.models import Service
from yjs.periods import FinancialYear

from . import selectors, structure
from .kpis import REPORTED_KPIS, StaticSource
from .models import (
    Action,
    ApprovalStep,
    BoardAttendance,
    BoardMeeting,
    BoardMember,
    BudgetLine,
    FundingStream,
    Plan,
    PlanSection,
    PlanVersion,
    Priority,
    Risk,
    StaffRecord,
    StandardsAssessment,
    TargetBand,
)

NARRATIVE = "Sample text for {title}."


def _results(last, quarters: int = 5) -> StaticSource:
    """A result for each reported KPI in each of the last quarters (engine row shape)."""
    from yjs.performance.engine import KPI_BY_ID

    rows = []
    for qi in range(quarters):
        q = last.previous(quarters - 1 - qi)
        for ki, kpi in enumerate(REPORTED_KPIS, start=1):
            m = KPI_BY_ID[kpi].headline
            rows.append(
                {
                    "kpi": kpi,
                    "measure": m.id,
                    "period": q.label,
                    "dimension": "all",
                    "category": "all",
                    "numerator": 20 + qi,
                    "denominator": 100,
                    "value": float(10 * ki + qi),
                    "suppressed": False,
                    "unit": m.unit,
                    "label": m.label,
                    "window": q.label,
                }
            )
    return StaticSource(rows, snapshot_ref="sample")


def plan_context(service_name: str) -> dict:
    """Call inside a transaction that is rolled back."""
    service = Service.objects.create(name=service_name, code=f"sample-{uuid.uuid4().hex[:12]}")
    year = FinancialYear.of(timezone.localdate()).start_year
    start = FinancialYear(year).start
    previous = Plan.objects.create(service=service, start_year=year - 1, years=1)
    Action.objects.create(
        plan=previous, ref="0.1", outcome="Sample outcome", action="Sample", due_date=start
    )
    plan = Plan.objects.create(
        service=service,
        start_year=year,
        years=3,
        previous=previous,
        service_lead="Sample service lead",
        board_chair="Sample chair",
    )
    version = PlanVersion.objects.create(
        plan=plan, number=1, year=year, signed_off_by="Sample chair", signed_off_on=start
    )
    PlanSection.objects.bulk_create(
        PlanSection(version=version, key=p.key, narrative=NARRATIVE.format(title=p.title))
        for p in structure.PARTS
    )
    sectors = ["LA_CHILDRENS_SOCIAL_CARE", "LA_EDUCATION", "POLICE", "PROBATION", "HEALTH"]
    meeting = BoardMeeting.objects.create(service=service, meeting_date=start)
    for sector in sectors:
        member = BoardMember.objects.create(
            service=service,
            name=f"Sample member {sector.lower()}",
            position="Sample position",
            organisation="Sample organisation",
            sector=sector,
            board_role="CHAIR" if sector == sectors[0] else "MEMBER",
        )
        BoardAttendance.objects.create(
            meeting=meeting, sector=sector, member=member, attendance="SENIOR"
        )
    BudgetLine.objects.create(
        service=service, year=year, agency="YJB", other_delegated_funds=Decimal(1000)
    )
    FundingStream.objects.create(
        service=service, year=year, name="Sample grant", funder="Sample funder", amount=1000
    )
    StaffRecord.objects.create(
        service=service, role_category="PRACTITIONER", sex="FEMALE", ethnicity_group="WHITE"
    )
    Priority.objects.create(plan=plan, area="PREVENTION", title="Sample priority", narrative="x")
    Action.objects.create(
        plan=plan,
        ref="1.1",
        outcome="Sample outcome",
        action="Sample action",
        due_date=start + datetime.timedelta(days=180),
        rag="OFF_TRACK",
    )
    Risk.objects.create(
        plan=plan,
        description="Sample risk",
        likelihood=2,
        impact=3,
        owner="Sample owner",
        review_date=start,
    )
    TargetBand.objects.create(
        plan=plan, kpi="fte", measure="fte_rate", rag="GREEN", lower=None, upper=Decimal(100)
    )
    StandardsAssessment.objects.create(plan=plan, standard="NS1", rating="GOOD", assessed_on=start)
    ApprovalStep.objects.create(version=version, body="BOARD", decided_on=start)
    return selectors.plan_context(version, _results(selectors.default_kpi_quarter(version)))
