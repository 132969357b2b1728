"""Synthetic governance records for the Northshire demo service: plans, budget, staff, actions.

Invented text and numbers only (never a real service's). `yj plan demo` calls this after
`yj demo` has loaded the service and its board.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from yjs.organisation.models import Service

from . import services
from .demo_text import NARRATIVE, PRIORITIES
from .models import (
    Action,
    ApprovalStep,
    BoardMeeting,
    BudgetLine,
    FinancePosition,
    FundingStream,
    Plan,
    PlanVersion,
    Priority,
    Risk,
    StaffRecord,
    StandardsAssessment,
    TargetBand,
)
from .structure import SECTIONS

D = dt.date


def _actions(plan: Plan, start: int, rng: random.Random, finished: bool) -> None:
    rows = (
        (
            "1.1",
            "Fewer first time entrants",
            "Run a joint decision-making panel every week",
            "Police; Head of Service",
            "HMIP",
            "recommendation 1",
            None,
        ),
        (
            "1.2",
            "Fewer first time entrants",
            "Offer Turnaround to every eligible child",
            "Prevention team manager",
            "YJB",
            "Turnaround grant",
            None,
        ),
        (
            "2.1",
            "Less reoffending",
            "Review every child's plan with them at three months",
            "Team managers",
            "NATIONAL_STANDARD",
            "NS3",
            "Quarterly until March {end}",
        ),
        (
            "2.2",
            "Less reoffending",
            "Introduce a reoffending tracker for open cases",
            "Performance analyst",
            "SERVICE",
            "",
            None,
        ),
        (
            "3.1",
            "Better education outcomes",
            "Agree a protocol for school-age children not in full-time education",
            "Head of Inclusion",
            "BOARD",
            "",
            None,
        ),
        (
            "4.1",
            "Disproportionality understood",
            "Each partner brings ethnicity data to the board",
            "Board members",
            "BOARD",
            "",
            "Twice a year until March {end}",
        ),
        (
            "4.2",
            "Disproportionality understood",
            "Audit decisions for Black and mixed heritage boys at the panel",
            "Quality assurance lead",
            "HMIP",
            "recommendation 3",
            None,
        ),
        (
            "5.1",
            "Fewer remands",
            "Offer a bail support package at first appearance",
            "Court team manager",
            "NATIONAL_STANDARD",
            "NS2",
            None,
        ),
        (
            "6.1",
            "Good resettlement",
            "Use the constructive resettlement checklist for every child in custody",
            "Team managers",
            "NATIONAL_STANDARD",
            "NS4",
            None,
        ),
    )
    rags = ["COMPLETED", "ON_TRACK", "NOT_STARTED", "OFF_TRACK"]
    for i, (ref, outcome, action, lead, source, detail, recur) in enumerate(rows):
        due = D(start + 1, 3, 31) if i % 2 else D(start, 12, 31)
        rag = "COMPLETED" if finished and i % 3 else rags[i % 4] if not finished else "OFF_TRACK"
        Action.objects.create(
            plan=plan,
            ref=ref,
            outcome=outcome,
            action=action,
            lead_owners=lead,
            due_date=None if recur else due,
            recurrence=recur.format(end=plan.last_year.start_year + 1) if recur else "",
            measure="Reported to the board each quarter",
            rag=rag,
            source=source,
            source_detail=detail,
            impact="Children get the right help at the right time",
            progress=rng.choice(
                [
                    "Started as planned.",
                    "Agreed at the board; work under way.",
                    "Delayed by vacancies; recovery plan agreed.",
                    "Completed and embedded.",
                ]
            )
            if rag != "NOT_STARTED"
            else "",
        )


def _board_date(service: Service, year: int) -> dt.date:
    """The board approves the plan at its first-quarter meeting (one is arranged for 10 June
    when the demo's records hold none yet)."""
    meeting = (
        BoardMeeting.objects.filter(
            service=service, meeting_date__range=(D(year, 4, 1), D(year, 6, 17))
        )
        .order_by("meeting_date")
        .first()
    )
    if meeting is None:
        meeting = BoardMeeting.objects.create(service=service, meeting_date=D(year, 6, 10))
    return meeting.meeting_date


@transaction.atomic
def create_demo_plans(service: Service, today: dt.date | None = None, seed: int = 2026) -> Plan:
    """A previous plan (approved) and the current two-year plan (draft) with every block."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    from yjs.periods import FinancialYear, quarter_of

    current = FinancialYear.of(today).start_year
    lead = "Sam Patel, Head of Youth Justice"
    chair = "Priya Nandra, Director of Children's Services"  # as the board's records name her
    previous = services.create_plan(
        service, start_year=current - 2, years=2, service_lead=lead, board_chair=chair
    )
    _actions(previous, current - 2, rng, finished=True)
    previous.versions.update(status=PlanVersion.Status.SUPERSEDED)
    plan = services.create_plan(
        service,
        start_year=current,
        years=2,
        service_lead=lead,
        board_chair=chair,
        previous=previous,
    )
    version = plan.versions.get()
    version.kpi_quarter = quarter_of(D(current, 3, 31)).label
    version.signed_off_by = "Priya Nandra"
    version.signed_off_role = "Chair of the board"
    version.signed_off_on = D(current, 6, 19)  # after scrutiny, before cabinet
    version.save()
    for part in SECTIONS:
        if part.needs_narrative:
            services.save_section(
                version,
                part.key,
                NARRATIVE[part.key].format(
                    start=current, end=current + 2, previous_start=current - 2
                ),
            )
    for order, (area, text) in enumerate(PRIORITIES):
        Priority.objects.create(
            plan=plan,
            area=area,
            order=order,
            narrative=text,
            title=dict(Priority._meta.get_field("area").choices)[area],
        )
    _actions(plan, current, rng, finished=False)
    for desc, likelihood, impact, owner in (
        ("Short-term grants (Turnaround) end and services stop", 4, 4, "Head of Youth Justice"),
        ("Vacancies among seconded police and probation staff", 3, 4, "Board chair"),
        ("Rising serious violence among older children", 3, 5, "Community safety lead"),
        ("Case management system upgrade disrupts KPI reporting", 2, 3, "Performance analyst"),
    ):
        Risk.objects.create(
            plan=plan,
            description=desc,
            likelihood=likelihood,
            impact=impact,
            owner=owner,
            review_date=D(current, 9, 30),
            mitigations="Reviewed at each board; mitigation plan agreed.",
        )
    Risk.objects.create(
        plan=plan,
        kind="CHALLENGE",
        description="Finding suitable accommodation for children leaving custody",
        likelihood=4,
        impact=3,
        owner="Head of Children's Social Care",
        review_date=D(current, 12, 31),
        mitigations="Joint protocol with housing; weekly placement meeting.",
    )
    for kpi, measure, bands in (
        ("fte", "fte_rate", ((None, 200, "GREEN"), (200, 300, "AMBER"), (300, None, "RED"))),
        ("kpi1", "suitable_end", ((None, 80, "RED"), (80, 90, "AMBER"), (90, None, "GREEN"))),
        ("kpi2", "suitable_end", ((None, 60, "RED"), (60, 75, "AMBER"), (75, None, "GREEN"))),
    ):
        for low, high, rag in bands:
            TargetBand.objects.create(
                plan=plan,
                kpi=kpi,
                measure=measure,
                rag=rag,
                lower=None if low is None else Decimal(low),
                upper=None if high is None else Decimal(high),
            )
    for std, rating in (
        ("NS1", "GOOD"),
        ("NS2", "REQUIRES_IMPROVEMENT"),
        ("NS3", "GOOD"),
        ("NS4", "GOOD"),
        ("NS5", "REQUIRES_IMPROVEMENT"),
    ):
        StandardsAssessment.objects.create(
            plan=plan,
            standard=std,
            rating=rating,
            assessed_on=D(current, 3, 15),
            summary="Validated by the board.",
        )
    ApprovalStep.objects.create(
        version=version, body="BOARD", decided_on=_board_date(service, current)
    )
    ApprovalStep.objects.create(version=version, body="SCRUTINY", decided_on=D(current, 6, 18))
    ApprovalStep.objects.create(version=version, body="CABINET", decided_on=D(current, 6, 24))
    for year in range(current - 2, current + 1):
        for agency, staffing, kind, other in (
            ("YJB", 0, 0, 498000),
            ("LOCAL_AUTHORITY", 612000, 0, 88500),
            ("POLICE", 0, 104000, 0),
            ("PCC", 45000, 0, 12000),
            ("PROBATION", 5000, 26000, 0),
            ("HEALTH", 38000, 52000, 0),
            ("OTHER", 0, 0, 15000),
        ):
            grow = Decimal(1 + 0.03 * (year - current + 2))
            BudgetLine.objects.create(
                service=service,
                year=year,
                agency=agency,
                staffing_costs=(Decimal(staffing) * grow).quantize(Decimal(1)),
                payments_in_kind=(Decimal(kind) * grow).quantize(Decimal(1)),
                other_delegated_funds=(Decimal(other) * grow).quantize(Decimal(1)),
            )
        FundingStream.objects.create(
            service=service,
            year=year,
            name="Turnaround",
            funder="Ministry of Justice",
            amount=Decimal(118000),
            end_date=D(year + 1, 3, 31),  # granted a year at a time
            purpose="Early intervention",
        )
        FundingStream.objects.create(
            service=service,
            year=year,
            name="Serious violence duty",
            funder="Home Office",
            amount=Decimal(42000),
            end_date=D(year + 1, 3, 31),
            purpose="Contextual safeguarding worker",
        )
    staff = []
    mix = (
        ("MANAGER_STRATEGIC", 1),
        ("MANAGER_OPERATIONAL", 4),
        ("PRACTITIONER", 24),
        ("ADMINISTRATIVE", 4),
        ("SESSIONAL", 3),
        ("STUDENT", 2),
        ("REFERRAL_ORDER_PANEL_VOLUNTEER", 14),
        ("OTHER_VOLUNTEER", 5),
    )
    groups = ["WHITE"] * 14 + ["BLACK"] * 2 + ["ASIAN"] * 2 + ["MIXED"] * 2 + ["OTHER", "NOT_KNOWN"]
    for role, n in mix:
        for _ in range(n):
            staff.append(
                StaffRecord(
                    service=service,
                    role_category=role,
                    sex=rng.choice(["FEMALE"] * 2 + ["MALE"]),
                    ethnicity_group=rng.choice(groups),
                    fte_posts=Decimal("0.1")
                    if "VOLUNTEER" in role
                    else rng.choice(
                        [Decimal("1.0"), Decimal("1.0"), Decimal("0.8"), Decimal("0.5")]
                    ),
                )
            )
    StaffRecord.objects.bulk_create(staff)
    q = quarter_of(D(current - 2, 4, 1))
    while q.end <= today:
        budget = sum(
            (b.total for b in BudgetLine.objects.filter(service=service, year=q.fy_start)),
            Decimal(0),
        )
        spent = (budget * q.q / 4 * Decimal(rng.uniform(0.95, 1.04))).quantize(Decimal(1))
        FinancePosition.objects.create(
            service=service,
            quarter=q.label,
            budget=budget,
            spend_to_date=spent,
            forecast_outturn=(spent * 4 / q.q).quantize(Decimal(1)),
            commentary="Staffing vacancies offset by agency cover."
            if q.q > 1
            else "Early in the year: forecast equals budget.",
        )
        q = q.next()
    return plan
