"""Offence to outcome timeliness (local indicator `court_timeliness`), worked by hand.

2024-25 Q1 (April-June 2024), all children local:
- A: offence 1 Mar, arrest 4 Mar, first hearing 2 Apr, YRO 3 Jun 2024 (offences of 1 Mar and
  10 Mar: the earliest counts) -> offence to outcome 94, to arrest 3, arrest to hearing 29,
  hearing to outcome 62.
- B: offence 1 Apr, no arrest date, youth caution 21 Apr -> 20 days; no court steps.
- C: offence 1 Jan, arrest 2 Jan, DTO 31 May, no first hearing recorded -> 151 days, to
  arrest 1; no hearing steps (the outcome date is not taken for the hearing).
- D: referral order 1 Jul 2024 (next quarter) and E: YRO changed on appeal: not counted.
Offence to outcome: (94 + 20 + 151) / 3 = 88.3 days; by tier COMMUNITY 94.0, PRE_COURT 20.0,
CUSTODY 151.0. Offence to arrest (3 + 1) / 2 = 2.0; arrest to first hearing 29 / 1 = 29.0;
first hearing to outcome 62 / 1 = 62.0.
"""

from __future__ import annotations

import pytest

from tests.performance.builders import Data, child, link, offence, outcome
from yjs.performance import engine

PERIOD = "2024-25Q1"


def _dataset():
    d = Data()
    d.add("children", *(child(c) for c in "ABCDE"))
    d.add(
        "offences",
        {**offence("A", "FA1", "2024-03-01"), "arrest_date": "2024-03-04"},
        {**offence("A", "FA2", "2024-03-10"), "arrest_date": "2024-03-12"},
        offence("B", "FB1", "2024-04-01"),
        {**offence("C", "FC1", "2024-01-01"), "arrest_date": "2024-01-02"},
        offence("D", "FD1", "2024-05-01"),
        offence("E", "FE1", "2024-03-01"),
    )
    d.add(
        "outcomes",
        outcome("A", "OA", "YRO", "2024-06-03", first_hearing_date="2024-04-02"),
        outcome("B", "OB", "YOUTH_CAUTION", "2024-04-21"),
        outcome("C", "OC", "DTO", "2024-05-31"),
        outcome("D", "OD", "REFERRAL_ORDER", "2024-07-01"),
        outcome("E", "OE", "YRO", "2024-05-01", appeal="SUCCESSFUL"),
    )
    d.add(
        "outcome_offences",
        link("OA", "FA1"), link("OA", "FA2"), link("OB", "FB1"), link("OC", "FC1"),
        link("OD", "FD1"), link("OE", "FE1"),
    )  # fmt: skip
    return d


@pytest.fixture
def run(dataset_dir):
    folder = dataset_dir(**_dataset())
    return engine.run(folder, PERIOD, kpis=["court_timeliness"]), folder


def test_average_days_by_hand(run):
    result, _ = run
    head = result.headline("court_timeliness")
    assert (head.numerator, head.denominator, head.value, head.unit) == (265, 3, 88.3, "days")
    by_tier = {
        r.category: r.value
        for r in result.results
        if r.measure == "offence_to_outcome" and r.dimension == "outcome_tier"
    }
    assert by_tier == {"COMMUNITY": 94.0, "PRE_COURT": 20.0, "CUSTODY": 151.0}
    steps = {}
    for m in ("offence_to_arrest", "arrest_to_first_hearing", "first_hearing_to_outcome"):
        r = result.get("court_timeliness", m)
        steps[m] = (r.numerator, r.denominator, r.value)
    assert steps == {
        "offence_to_arrest": (4, 2, 2.0),
        "arrest_to_first_hearing": (29, 1, 29.0),
        "first_hearing_to_outcome": (62, 1, 62.0),
    }


def test_drill_down_names_each_outcome_and_its_days(run):
    _, folder = run
    rows = engine.drill(folder, "court_timeliness", PERIOD)
    assert [(r["child_id"], r["in_denominator"]) for r in rows] == [
        ("A", True), ("B", True), ("C", True)
    ]
    assert rows[0]["why"] == (
        "offence 2024-03-01, arrest 2024-03-04, first hearing 2024-04-02, outcome 2024-06-03 "
        "(COMMUNITY): 94 days"
    )
