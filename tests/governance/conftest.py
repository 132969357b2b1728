"""Northshire's Youth Justice Plan 2024-2026, its board and its (constructed) KPI results.

The KPI rows are built here in the engine's result shape, so the tests know every figure the
documents must print; the real export reads the engine instead.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from yjs.governance import services
from yjs.governance.kpis import REPORTED_KPIS, StaticSource
from yjs.governance.models import (
    Action,
    ApprovalStep,
    BoardAttendance,
    BoardMeeting,
    BoardMember,
    BudgetLine,
    FinancePosition,
    FundingStream,
    Priority,
    Risk,
    StaffRecord,
    StandardsAssessment,
    TargetBand,
)
from yjs.governance.structure import SECTIONS
from yjs.performance.engine import KPI_BY_ID
from yjs.periods import Quarter

D = datetime.date


LAST_QUARTER = Quarter(2024, 4)


def kpi_rows(last=LAST_QUARTER, quarters=8):
    """Headline rows for each reported KPI: value = 10 × KPI position + quarter index."""
    rows = []
    for qi in range(quarters):
        q = last.previous(quarters - 1 - qi)
        for ki, kpi in enumerate(REPORTED_KPIS, start=1):
            m = KPI_BY_ID[kpi].headline
            value = float(10 * ki + qi)
            rows.append(
                {
                    "kpi": kpi,
                    "measure": m.id,
                    "period": q.label,
                    "dimension": "all",
                    "category": "all",
                    "numerator": 20 + qi,
                    "denominator": 100,
                    "value": value,
                    "suppressed": False,
                    "unit": m.unit,
                    "label": m.label,
                    "window": q.label,
                }
            )
        rows.append(
            {
                "kpi": "disproportionality",
                "measure": "rri_fte",
                "period": q.label,
                "dimension": "ethnicity_group",
                "category": "BLACK",
                "numerator": 6,
                "denominator": 40,
                "value": 2.4,
                "suppressed": False,
                "unit": "rri",
                "label": "RRI: first time entrants",
                "window": q.label,
            }
        )
    return rows


def comparator_rows(q=LAST_QUARTER):
    return [
        {
            "kpi": "fte",
            "measure": "fte_rate",
            "period": q.label,
            "group": "NATIONAL",
            "value": 148.0,
        },
        {
            "kpi": "fte",
            "measure": "fte_rate",
            "period": q.label,
            "group": "FAMILY_GROUP",
            "value": 183.0,
            "rank": "7 of 7",
        },
    ]


@pytest.fixture
def source():
    return StaticSource(kpi_rows(), comparator_rows(), snapshot_ref="snapshots/2025-05-01")


@pytest.fixture
def board(northshire):
    members = [
        BoardMember.objects.create(
            service=northshire,
            name="Dana Dale",
            position="Director of Children's Services",
            organisation="Northshire Council",
            sector="LA_CHILDRENS_SOCIAL_CARE",
            board_role="CHAIR",
        ),
        BoardMember.objects.create(
            service=northshire,
            name="Eli Ede",
            position="Head of Inclusion",
            organisation="Northshire Council",
            sector="LA_EDUCATION",
        ),
        BoardMember.objects.create(
            service=northshire,
            name="Fay Fox",
            position="Superintendent",
            organisation="Northshire Police",
            sector="POLICE",
            board_role="DEPUTY_CHAIR",
            named_deputy="Chief Inspector Gil",
        ),
        BoardMember.objects.create(
            service=northshire,
            name="Hal Hay",
            position="Head of PDU",
            organisation="Probation Service",
            sector="PROBATION",
        ),
        BoardMember.objects.create(
            service=northshire,
            name="Ivy Ings",
            position="Designated Nurse",
            organisation="Northshire ICB",
            sector="HEALTH",
        ),
    ]
    meeting = BoardMeeting.objects.create(service=northshire, meeting_date=D(2024, 6, 12))
    for m in members:
        BoardAttendance.objects.create(
            meeting=meeting,
            sector=m.sector,
            member=m,
            attendance="DELEGATED" if m.sector == "HEALTH" else "SENIOR",
            disproportionality_data=True,
        )
    return members


@pytest.fixture
def plan(northshire, people, board):
    """A two-year plan, 2024-2026, with every section written and every table filled."""
    plan = services.create_plan(
        northshire,
        start_year=2024,
        years=2,
        actor=people["hana"],
        service_lead="Hana Hale, Head of Service",
        board_chair="Dana Dale, Director of Children's Services",
    )
    version = plan.versions.get()
    for part in SECTIONS:
        if part.needs_narrative:
            services.save_section(
                version,
                part.key,
                f"Text for **{part.title}**.\n\n- first point\n- second point",
                people["hana"],
            )
    for agency, staffing, kind, other in (
        ("YJB", 0, 0, 511281),
        ("LOCAL_AUTHORITY", 400000, 0, 90800),
        ("POLICE", 0, 106400, 0),
        ("PROBATION", 5000, 24400, 0),
        ("HEALTH", 31000, 77000, 0),
    ):
        BudgetLine.objects.create(
            service=northshire,
            year=2024,
            agency=agency,
            staffing_costs=Decimal(staffing),
            payments_in_kind=Decimal(kind),
            other_delegated_funds=Decimal(other),
        )
    FundingStream.objects.create(
        service=northshire,
        year=2024,
        name="Turnaround",
        funder="Ministry of Justice",
        amount=Decimal(120000),
        end_date=D(2025, 3, 31),
    )
    staff = [
        ("MANAGER_STRATEGIC", "FEMALE", "WHITE", "1.0"),
        ("MANAGER_OPERATIONAL", "MALE", "BLACK", "1.0"),
        ("PRACTITIONER", "FEMALE", "WHITE", "1.0"),
        ("PRACTITIONER", "FEMALE", "ASIAN", "0.5"),
        ("PRACTITIONER", "MALE", "MIXED", "1.0"),
        ("ADMINISTRATIVE", "FEMALE", "NOT_KNOWN", "0.6"),
        ("REFERRAL_ORDER_PANEL_VOLUNTEER", "MALE", "WHITE", "0.1"),
    ]
    for role, sex, group, posts in staff:
        StaffRecord.objects.create(
            service=northshire,
            role_category=role,
            sex=sex,
            ethnicity_group=group,
            fte_posts=Decimal(posts),
        )
    Priority.objects.create(
        plan=plan,
        area="PREVENTION",
        title="Prevention",
        narrative="Prevention text; FTE rate [[kpi:fte]].",
    )
    Priority.objects.create(
        plan=plan, area="REMANDS", title="Remands", narrative="Remand text.", order=1
    )
    Action.objects.create(
        plan=plan,
        ref="1.1",
        outcome="Fewer first time entrants",
        action="Run the diversion panel weekly",
        lead_owners="Police; YJS",
        due_date=D(2025, 3, 31),
        rag="ON_TRACK",
        source="HMIP",
        source_detail="recommendation 2",
        measure="FTE rate falls",
    )
    Action.objects.create(
        plan=plan,
        ref="1.2",
        outcome="Board knows disproportionality",
        action="Partners bring data",
        lead_owners="Board members",
        recurrence="Quarterly until March 2026",
        rag="OFF_TRACK",
        source="BOARD",
    )
    Risk.objects.create(
        plan=plan,
        description="Short-term funding",
        likelihood=4,
        impact=3,
        mitigations="Seek grants",
        owner="Head of Service",
        review_date=D(2024, 9, 30),
    )
    for low, high, rag in (
        (None, Decimal(224), "GREEN"),
        (Decimal(224), Decimal(340), "AMBER"),
        (Decimal(340), None, "RED"),
    ):
        TargetBand.objects.create(
            plan=plan, kpi="fte", measure="fte_rate", rag=rag, lower=low, upper=high
        )
    StandardsAssessment.objects.create(
        plan=plan,
        standard="NS1",
        rating="GOOD",
        assessed_on=D(2024, 3, 1),
        summary="Timely panels.",
    )
    version.signed_off_by = "Dana Dale"
    version.signed_off_on = D(2024, 6, 20)
    version.kpi_quarter = "2024-25 Q4"
    version.save()
    ApprovalStep.objects.create(version=version, body="BOARD", decided_on=D(2024, 6, 12))
    ApprovalStep.objects.create(version=version, body="CABINET", decided_on=D(2024, 6, 25))
    FinancePosition.objects.create(
        service=northshire,
        quarter="2024-25 Q1",
        budget=Decimal(1245881),
        spend_to_date=Decimal(300000),
        forecast_outturn=Decimal(1260000),
    )
    return plan
