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

NARRATIVE = {
    "introduction": "This plan sets out how the Northshire and Eastmoor partnership will "
    "deliver youth justice services from April {start} to March {end}. It was agreed by the "
    "management board and will be updated each year with performance, finance and the action "
    "plan.\n\n## Our vision\n\nEvery child in Northshire and Eastmoor is safe, supported and "
    "given the chance to thrive, and fewer children enter the youth justice system.\n\n"
    "## Our strategy\n\n- Prevent offending through early help and diversion\n"
    "- Work with children as children, building on their strengths\n"
    "- Reduce reoffending and the use of custody\n- Tackle disproportionality",
    "child_first": "Practitioners see children as children. Assessments and plans are written "
    "with the child, in words the child understands, and every intervention builds a "
    "pro-social identity. Diversion is the default for a first offence where it is safe.",
    "voice": "Children's views are gathered at the end of every intervention and twice a year "
    "through a participation group. In the last year children asked for appointments outside "
    "school hours and for more help with education; both now happen.",
    "governance": "The management board meets quarterly and is chaired by the Director of "
    "Children's Services. It receives a performance report each quarter, reviews every remand "
    "and custody episode and holds partners to account for the action plan.",
    "board_development": "The board held a development session on disproportionality and "
    "agreed that each partner will bring its own data on ethnicity to the board twice a year.",
    "previous_plan": "The previous plan focused on reducing first time entrants, reducing "
    "reoffending and improving education outcomes. Progress on each action is shown below; "
    "unfinished actions carry into this plan.",
    "resources": "The service is funded by the Youth Justice Board grant and contributions from "
    "the partners, set out in table B5. Seconded staff come from the police, probation and "
    "health.",
    "performance": "The board monitors national and local indicators each quarter. Local "
    "targets use three bands; each band includes its lower bound and excludes its upper bound.",
    "kpis": "The first time entrant rate is [[kpi:fte]] per 100,000 children aged 10 to 17. "
    "The tables below come from the performance engine's results for the latest quarter, with "
    "published comparators where they have been imported.",
    "priorities": "The partnership's priorities follow the areas the YJB asks every plan to "
    "address.",
    "standards": "The service completed its National Standards self-assessment in spring. "
    "The board validated the ratings and the actions that follow are in [[appendix:action_plan]].",
    "workforce": "Every practitioner has a training plan. This year's programme covers "
    "trauma-informed practice, AssetPlus quality and working with children who are exploited.",
    "evidence": "The service evaluates its diversion programme with the local university and "
    "uses the findings to refine the offer.",
    "service_development": "The service development plan responds to the last HMIP "
    "inspection, the National Standards self-assessment and the board's priorities.",
    "risks": "Challenges, risks and issues are reviewed at every board meeting.",
}

PRIORITIES = (
    (
        "OVER_REPRESENTED",
        "Black and mixed heritage boys are over-represented among first time "
        "entrants; every decision for these children is reviewed at the out-of-court panel.",
    ),
    (
        "PREVENTION",
        "Early help and the prevention team work with children referred by schools "
        "and the police before any offence.",
    ),
    ("DIVERSION", "Turnaround and Outcome 22 are offered to every eligible child."),
    (
        "EDUCATION",
        "The education worker tracks every child of school age who is not in full-time education.",
    ),
    ("RESTORATIVE", "Every identified victim is contacted and offered restorative justice."),
    (
        "SERIOUS_VIOLENCE",
        "The service works with the violence reduction partnership on a "
        "contextual safeguarding approach.",
    ),
    ("POLICE_CUSTODY", "Appropriate adults attend within two hours of a request."),
    ("REMANDS", "Bail support packages are offered at first appearance to avoid remands."),
    ("CUSTODY", "Every pre-sentence report proposes a robust community alternative."),
    ("RESETTLEMENT", "Resettlement planning starts on the day a child enters custody."),
)


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
                version, part.key, NARRATIVE[part.key].format(start=current, end=current + 2)
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
