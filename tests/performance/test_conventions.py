"""Rounding, zero denominators, suppression and unknown values (KPIS.md §1.6, §2.5-2.6)."""

import pytest

from tests.performance.builders import Data, status
from yjs.performance.engine import is_suppressed, round_half_away, run


@pytest.mark.parametrize("num,den,scale,places,expected", [
    (2, 3, 100, 1, 66.7),
    (1, 8, 100, 1, 12.5),
    (1, 1600, 1000, 2, 0.63),      # 0.625 rounds half away from zero (Python's round gives 0.62)
    (667, 2000, 100, 1, 33.4),     # 33.35 exactly
    (41, 17_900, 100_000, 0, 229.0),
    (3, 17_900, 1000, 2, 0.17),
])
def test_round_half_away_from_zero_exactly(num, den, scale, places, expected):
    assert round_half_away(num, den, scale, places) == expected


@pytest.mark.parametrize("counts,expected", [((0, 0), False), ((0, 3), True), ((5, 10), False),
                                             ((4, 100), True), ((1, None), True)])
def test_suppression_flags_counts_of_one_to_four(counts, expected):
    assert is_suppressed(*counts) is expected


def test_unknown_sex_and_ethnicity_fall_into_unknown_groups(dataset_dir):
    d = Data()
    d.order("NOSEX", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", sex="", ethnicity="")
    d.order("GENDER", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", sex="9",
            ethnicity="NOT_STATED")
    d["children"][1]["gender"] = "2"  # sex not specified: the gender field decides (§2.6)
    d.add("accommodation", status("accommodation", "GENDER", "2022-01-01", None,
                                  accommodation_type="AT_HOME", suitability="SUITABLE"))
    r = run(dataset_dir(**d), "2023-24 Q2", kpis=["kpi1"])
    assert r.get("kpi1", "suitable_end", "sex", "Unknown").denominator_child_ids == ["NOSEX"]
    assert r.get("kpi1", "suitable_end", "sex", "Female").value == 100.0
    assert r.get("kpi1", "suitable_end", "ethnicity_group", "NOT_KNOWN").denominator == 2


def test_a_file_that_counts_a_unit_twice_is_refused(dataset_dir, monkeypatch):
    """The engine counts rows, not distinct units; a KPI file returning one unit twice for one
    result would be double counted, so every test run checks the contract (tests/conftest.py)."""
    from yjs.performance import engine

    d = Data()
    d.order("C1", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    folder = dataset_dir(**d)
    kpi1 = engine.KPI_BY_ID["kpi1"]
    honest = engine._membership_sql(kpi1)
    monkeypatch.setattr(engine, "_membership_sql",
                        lambda kpi: f"SELECT * FROM ({honest}) UNION ALL SELECT * FROM ({honest})")
    with pytest.raises(engine.EngineContractError, match="kpi01_accommodation.sql counts a unit "
                                                           "twice"):
        run(folder, "2023-24 Q2", kpis=["kpi1"])
    monkeypatch.setenv("YJS_ENGINE_VERIFY", "0")  # unchecked, the double count shows
    doubled = run(folder, "2023-24 Q2", kpis=["kpi1"]).headline("kpi1")
    monkeypatch.undo()
    assert (doubled.denominator, run(folder, "2023-24 Q2", kpis=["kpi1"]).headline(
        "kpi1").denominator) == (2, 1)


def test_breakdown_columns_give_the_same_children_as_the_drill_down(dataset_dir):
    """A file with breakdown columns (by_sex, ...) is counted with GROUPING SETS and drilled
    through the membership form derived from the same rows: both must name the same children
    for every breakdown, and a row without a breakdown value (suitable_release) has none."""
    from yjs.performance import engine
    from yjs.performance.loader import load_dataset

    d = Data()
    d.order("B1", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01", sex="1")
    d.order("B2", 2, "YRO", "2023-01-01", "2023-01-01", "2023-08-15", sex="2",
            ethnicity="NOT_STATED")
    d.add("accommodation", status("accommodation", "B1", "2022-01-01", None,
                                  accommodation_type="AT_HOME", suitability="SUITABLE"))
    loaded = load_dataset(dataset_dir(**d))
    r = engine.run(loaded, "2023-24 Q2", kpis=["kpi1"])
    rows = [x for x in r.results if x.measure == "suitable_end"]
    assert {x.dimension for x in rows} == {"all", "type_of_order", "sex", "ethnicity_group",
                                          "age_band"}
    assert r.get("kpi1", "suitable_end", "sex", "Male").numerator_child_ids == ["B1"]
    assert r.get("kpi1", "suitable_end", "sex", "Female").denominator_child_ids == ["B2"]
    for x in rows:
        drilled = engine.drill(loaded, "kpi1", "2023-24 Q2", x.measure, x.dimension, x.category)
        assert [c["child_id"] for c in drilled if c["in_denominator"]] == x.denominator_child_ids
        assert [c["child_id"] for c in drilled if c["in_numerator"]] == x.numerator_child_ids
    assert not [x for x in r.results
                if x.measure == "suitable_release" and x.dimension != "all"]
