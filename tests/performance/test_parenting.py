"""Parenting work (local indicator `parenting`), worked by hand.

2024-25 Q1 (1 April - 30 June 2024). Children born 15 Jan 2007 (aged 17, band 15-17), boys of
White British ethnicity unless said; residence LOCAL unless said.

| row | kind     | start      | end        | completed | notes                                |
|-----|----------|------------|------------|-----------|--------------------------------------|
| A   | ORDER    | 2024-04-01 | open       |           | starts on the first day: counted     |
| B   | VOLUNTARY| 2024-06-30 | open       |           | starts on the last day: counted      |
| C   | CONTRACT | 2024-03-31 | 2024-05-15 | TRUE      | started the day before: ended only   |
| D   | ORDER    | 2024-07-01 | open       |           | starts the day after: not counted    |
| E   | ORDER    | 2024-05-01 | 2024-06-01 | TRUE      | voided: not counted anywhere         |
| F   | ORDER    | 2024-05-02 | 2024-06-01 | TRUE      | child lives elsewhere (OTHER): no    |
| G   | VOLUNTARY| 2024-01-10 | 2024-06-30 | NULL      | ends on the last day, not recorded   |
| H   | VOLUNTARY| 2024-02-01 | 2024-04-01 | FALSE     | ends on the first day                |
| I   | ORDER    | 2024-05-20 | 2024-06-10 | TRUE      | a girl: started and ended            |
| J   | VOLUNTARY| 2024-04-15 | open       |           | residence NOT_KNOWN (kept), aged 11  |
| L   | VOLUNTARY| 2023-11-01 | open       |           | open, started before: in neither     |

orders_commenced: started in the quarter A, B, I, J = 4; orders A, I = 2 -> 50.0%.
  by sex Male A, B, J: 1/3 = 33.3; Female I: 1/1 = 100.0.
  by age band 15-17 A, B, I: 2/3 = 66.7; 10-14 J: 0/1 = 0.0.
  Without NOT_KNOWN residence (keep_not_known_residence FALSE): A, B, I -> 2/3 = 66.7.
completed: ended in the quarter C, G, H, I = 4; completed C, I = 2 -> 50.0%.
  by sex Male C, G, H: 1/3 = 33.3; Female I: 1/1 = 100.0.
  by kind PARENTING_CONTRACT 1/1, VOLUNTARY 0/2 (G not recorded, H not completed),
  PARENTING_ORDER 1/1.
"""

from __future__ import annotations

import pytest

from tests.performance.builders import Data, child
from yjs.performance import engine

PERIOD = "2024-25Q1"
ORDER, CONTRACT, VOLUNTARY = "PARENTING_ORDER", "PARENTING_CONTRACT", "VOLUNTARY"


def _work(cid, kind, start, end=None, completed=None, **extra):
    return {
        "parenting_id": f"P{cid}",
        "child_id": cid,
        "kind": kind,
        "start_date": start,
        "end_date": end,
        "completed": completed,
        "residence": "LOCAL",
        **extra,
    }


def _dataset():
    d = Data()
    d.add(
        "children",
        *(child(c) for c in "ABCDEFGHL"),
        child("I", sex="2"),
        child("J", dob="2012-06-01"),
    )
    d.add(
        "parenting",
        _work("A", ORDER, "2024-04-01"),
        _work("B", VOLUNTARY, "2024-06-30"),
        _work("C", CONTRACT, "2024-03-31", "2024-05-15", True),
        _work("D", ORDER, "2024-07-01"),
        _work("E", ORDER, "2024-05-01", "2024-06-01", True, voided=True),
        _work("F", ORDER, "2024-05-02", "2024-06-01", True, residence="OTHER"),
        _work("G", VOLUNTARY, "2024-01-10", "2024-06-30", None),
        _work("H", VOLUNTARY, "2024-02-01", "2024-04-01", False),
        _work("I", ORDER, "2024-05-20", "2024-06-10", True),
        _work("J", VOLUNTARY, "2024-04-15", residence="NOT_KNOWN"),
        _work("L", VOLUNTARY, "2023-11-01"),
    )
    return d


@pytest.fixture
def folder(dataset_dir):
    return dataset_dir(**_dataset())


def _figures(result, measure, dimension="all"):
    return {
        r.category: (r.numerator, r.denominator, r.value)
        for r in result.results
        if r.measure == measure and r.dimension == dimension
    }


def test_orders_commenced_by_hand(folder):
    result = engine.run(folder, PERIOD, kpis=["parenting"])
    head = result.headline("parenting")
    assert head.measure == "orders_commenced"
    assert (head.numerator, head.denominator, head.value, head.unit) == (2, 4, 50.0, "percent")
    assert head.numerator_child_ids == ["A", "I"]
    assert head.denominator_child_ids == ["A", "B", "I", "J"]
    assert _figures(result, "orders_commenced", "sex") == {
        "Male": (1, 3, 33.3),
        "Female": (1, 1, 100.0),
    }
    assert _figures(result, "orders_commenced", "age_band") == {
        "15-17": (2, 3, 66.7),
        "10-14": (0, 1, 0.0),
    }


def test_completed_by_hand(folder):
    result = engine.run(folder, PERIOD, kpis=["parenting"])
    done = result.get("parenting", "completed")
    assert (done.numerator, done.denominator, done.value) == (2, 4, 50.0)
    assert done.numerator_child_ids == ["C", "I"]
    assert done.denominator_child_ids == ["C", "G", "H", "I"]
    assert _figures(result, "completed", "sex") == {"Male": (1, 3, 33.3), "Female": (1, 1, 100.0)}
    assert _figures(result, "completed", "parenting_kind") == {
        CONTRACT: (1, 1, 100.0),
        VOLUNTARY: (0, 2, 0.0),
        ORDER: (1, 1, 100.0),
    }


def test_not_known_residence_can_be_left_out(folder):
    result = engine.run(
        folder, PERIOD, kpis=["parenting"], params={"keep_not_known_residence": False}
    )
    head = result.headline("parenting")
    assert (head.numerator, head.denominator, head.value) == (2, 3, 66.7)


def test_drill_down_names_each_intervention_without_free_text(folder):
    rows = engine.drill(folder, "parenting", PERIOD, "completed")
    assert [(r["child_id"], r["in_numerator"]) for r in rows] == [
        ("C", True),
        ("G", False),
        ("H", False),
        ("I", True),
    ]
    assert rows[1]["why"] == "VOLUNTARY 2024-01-10 to 2024-06-30: completion not recorded"
    started = engine.drill(folder, "parenting", PERIOD)
    assert [r["why"] for r in started if r["child_id"] == "A"] == [
        "PARENTING_ORDER started 2024-04-01"
    ]


def test_a_quarter_with_no_parenting_work_shows_no_figure(folder):
    head = engine.run(folder, "2023-24Q1", kpis=["parenting"]).headline("parenting")
    assert (head.numerator, head.denominator, head.value) == (0, 0, None)
