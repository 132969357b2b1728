"""Consistency checks: what the seeds got wrong is reported to the author before export."""

from __future__ import annotations

import datetime
from decimal import Decimal

from yjs.governance import services
from yjs.governance.checks import check_bands, check_figures
from yjs.governance.models import Action, BudgetLine, Risk, TargetBand


def _messages(plan, source):
    _context, problems = services.review(plan.versions.get(), source)
    return [str(p) for p in problems if p.level == "error"]


def test_a_complete_plan_passes(plan, source):
    assert _messages(plan, source) == []


def test_overlapping_bands_are_reported(plan, source):
    """Seed 003's FTE bands: <224, 223-340, >341 – Amber starts below where Green ends."""
    TargetBand.objects.filter(plan=plan, rag="AMBER").update(lower=Decimal(223))
    assert any("Green and Amber bands overlap" in m for m in _messages(plan, source))


def test_a_gap_between_bands_is_reported(plan, source):
    TargetBand.objects.filter(plan=plan, rag="RED").update(lower=Decimal(341))
    messages = _messages(plan, source)
    assert any("gap between 340 and 341" in m for m in messages)


def test_two_open_ended_bands_overlap():
    bands = [
        TargetBand(kpi="kpi1", measure="suitable_end", rag="RED", lower=None, upper=Decimal(80)),
        TargetBand(kpi="kpi1", measure="suitable_end", rag="GREEN", lower=None, upper=None),
    ]
    assert [p.message for p in check_bands(bands)] == ["the Red and Green bands overlap"]


def test_an_empty_required_section_is_reported(plan, source, people):
    services.save_section(plan.versions.get(), "child_first", "   ", people["hana"])
    assert "2. Child First: The section is empty: write its text" in _messages(plan, source)


def test_dates_outside_the_plan_period_are_reported(plan, source):
    Action.objects.filter(ref="1.1").update(due_date=datetime.date(2026, 4, 1))
    Risk.objects.update(review_date=datetime.date(2023, 1, 1))
    messages = _messages(plan, source)
    assert any("Action 1.1 is due outside the plan period" in m for m in messages)
    assert any("Short-term funding" in m and "outside the plan period" in m for m in messages)


def test_no_budget_for_the_year_is_reported(plan, source):
    BudgetLine.objects.all().delete()
    assert "Table B5: No budget has been entered for 2024-25" in _messages(plan, source)


def test_one_figure_with_two_values_is_reported():
    context = {
        "parts": [],
        "kpi_quarter": "2024-25 Q4",
        "quoted": [
            {"ref": "fte/fte_rate/2024-25 Q4/all/all", "value": 229.0},
            {"ref": "fte/fte_rate/2024-25 Q4/all/all", "value": 269.0},
            {"ref": "", "value": 12.0},
        ],
    }
    messages = [p.message for p in check_figures(context)]
    assert "fte/fte_rate/2024-25 Q4/all/all is quoted with two values: 229.0 and 269.0" in messages
    assert "A figure does not come from a KPI result" in messages


def test_an_unknown_placeholder_is_reported(plan, source, people):
    services.save_section(plan.versions.get(), "kpis", "We quote [[kpi:nonsense]].", people["hana"])
    assert any("[[kpi:nonsense]] does not match" in m for m in _messages(plan, source))


def test_no_kpi_results_is_reported(plan):
    from yjs.governance.kpis import StaticSource

    messages = _messages(plan, StaticSource([]))
    assert any("No KPI results for 2024-25 Q4" in m for m in messages)


def test_one_fact_one_value_across_the_plan_and_the_board_records(plan, source):
    """The seeds' mistakes, made one by one on a plan that passes; each is reported once."""
    from yjs.governance.models import ApprovalStep, FundingStream

    version = plan.versions.get()
    assert _messages(plan, source) == []

    plan.board_chair = "Dan Dale, Director of Children's Services"  # Appendix 1: Dana Dale
    plan.save()
    assert _messages(plan, source) == [
        "Chair of the board: The plan names Dan Dale, Director of Children's Services as "
        "chair; the board's membership names Dana Dale",
        "Sign-off: Signed off by Dana Dale as Chair of the board, but the chair is Dan Dale, "
        "Director of Children's Services",
    ]
    plan.board_chair = "Dana Dale, Director of Children's Services"
    plan.save()

    ApprovalStep.objects.filter(version=version, body="BOARD").update(
        decided_on=datetime.date(2024, 6, 13)  # the board met on the 12th
    )
    assert _messages(plan, source) == [
        "Approval chain: Approved by the management board on 13 June 2024, but the board's "
        "records hold no meeting on that date"
    ]
    ApprovalStep.objects.filter(version=version, body="BOARD").update(
        decided_on=datetime.date(2024, 6, 12)
    )

    ApprovalStep.objects.create(
        version=version, body="SCRUTINY", decided_on=datetime.date(2024, 6, 26)
    )
    assert _messages(plan, source) == [
        "Approval chain: Cabinet (25 June 2024) is dated before scrutiny committee "
        "(26 June 2024), which comes first",
        "Sign-off: Signed off on 20 June 2024, before scrutiny committee (26 June 2024)",
    ]
    ApprovalStep.objects.filter(version=version, body="SCRUTINY").delete()

    FundingStream.objects.create(
        service=plan.service,
        year=version.year,
        name="Turnaround",
        funder="Ministry of Justice",
        amount=Decimal(1000),
        end_date=datetime.date(2024, 3, 31),
    )
    assert _messages(plan, source) == [
        "Funding streams: Turnaround ends on 31 March 2024, before 2024-25 which it funds"
    ]
