"""A quarter that has not ended is refused, or printed as provisional: never as final."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from yjs.governance import selectors
from yjs.governance.forms import SignOffForm
from yjs.periods import Quarter, last_ended_quarter, quarter_problem

TODAY = dt.date(2026, 12, 1)  # 2026-27 Q3 runs October to December 2026


def test_the_quarter_rule():
    assert last_ended_quarter(TODAY) == Quarter(2026, 2)
    assert quarter_problem(Quarter(2026, 2), TODAY) is None
    assert quarter_problem(Quarter(2026, 3), TODAY) == (
        "2026-27 Q3 has not ended: it ends on 31 December 2026, so its figures are provisional"
    )
    assert quarter_problem(Quarter(2026, 4), TODAY) == (
        "2026-27 Q4 has not begun: it starts on 1 January 2027"
    )
    # the last day of a quarter is still in it
    assert quarter_problem(Quarter(2026, 3), dt.date(2026, 12, 31)) is not None
    assert quarter_problem(Quarter(2026, 3), dt.date(2027, 1, 1)) is None


@pytest.fixture
def on_1_december_2026(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def test_the_cli_refuses_an_unfinished_or_future_quarter(on_1_december_2026, northshire, tmp_path):
    with pytest.raises(CommandError, match="has not begun"):
        call_command("board_pack", quarter="2027-28Q1", out=str(tmp_path / "x.html"))
    with pytest.raises(CommandError, match="has not ended.*add --provisional"):
        call_command("board_pack", quarter="2026-27Q3", out=str(tmp_path / "x.html"))
    assert not (tmp_path / "x.html").exists()


def test_a_provisional_pack_says_so(on_1_december_2026, northshire):
    context = selectors.board_pack_context(northshire, "2026-27Q3")
    assert context["provisional"].startswith("2026-27 Q3 has not ended")
    assert selectors.board_pack_context(northshire, "2026-27Q2")["provisional"] == ""


def test_an_annual_update_drafted_early_quotes_the_last_quarter_that_has_ended(
    on_1_december_2026, northshire
):
    from yjs.governance.models import Plan, PlanVersion

    plan = Plan.objects.create(service=northshire, start_year=2025, years=3)
    update = PlanVersion.objects.create(plan=plan, number=2, year=2027)  # 2027-28, due Q4 2026-27
    assert selectors.default_kpi_quarter(update) == Quarter(2026, 2)
    first = PlanVersion.objects.create(plan=plan, number=1, year=2025)
    assert selectors.default_kpi_quarter(first) == Quarter(2024, 4)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-27 Q3", "2026-27 Q3 has not ended"),
        ("2027-28 Q1", "2027-28 Q1 has not begun"),
        ("Q5", "Enter a quarter like 2024-25 Q4"),
    ],
)
def test_sign_off_refuses_a_quarter_that_has_not_ended(on_1_december_2026, typed, error):
    form = SignOffForm({"kpi_quarter": typed, "signed_off_role": "Chair of the board"})
    assert not form.is_valid()
    assert error in form.errors["kpi_quarter"][0]
    ok = SignOffForm({"kpi_quarter": "2026-27Q2", "signed_off_role": "Chair"})
    ok.is_valid()
    assert "kpi_quarter" not in ok.errors and ok.cleaned_data["kpi_quarter"] == "2026-27 Q2"
