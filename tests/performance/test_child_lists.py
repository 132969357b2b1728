"""The children behind every result, as the engine builds them on DuckDB: each child numbered
once per run in ``child_id`` order, each result's numbers sorted and de-duplicated outside the
database, kept as ``ChildIds`` - which must read exactly as the sorted list of ids that the
database builds from the text (the way Spark still builds them)."""

from __future__ import annotations

import copy
import io
import json
import pickle

import numpy as np
import pytest
from django.core.management import call_command

from tests.performance.builders import Data
from yjs.performance import engine
from yjs.performance.loader import load_dataset
from yjs.performance.synth import generate

IDS = np.array(["A", "B", "C10", "C9"], dtype=object)


def _ids(*at: int) -> engine.ChildIds:
    return engine.ChildIds(IDS, np.array(at, dtype=np.int32))


def test_child_ids_read_compare_and_serialise_as_the_list_of_ids():
    three = _ids(0, 2, 3)
    assert three == ["A", "C10", "C9"] and ["A", "C10", "C9"] == three
    assert three != ["A", "C9", "C10"] and three != ("A", "C10", "C9")
    assert three == _ids(0, 2, 3) and three != _ids(0, 2)
    assert (len(three), three[1], three[-1], three[:2]) == (3, "C10", "C9", ["A", "C10"])
    assert list(three) == sorted(three) == ["A", "C10", "C9"] and "C9" in three
    assert not _ids() and _ids() == []
    assert repr(three) == "['A', 'C10', 'C9']"
    # a copy or a pickle is a plain list (it does not drag the run's ids array along)
    for copied in (pickle.loads(pickle.dumps(three)), copy.deepcopy(three)):
        assert type(copied) is list and copied == ["A", "C10", "C9"]
    result = engine.KpiResult(
        kpi="kpi1",
        measure="suitable_end",
        period="2023-24 Q2",
        dimension="all",
        category="all",
        numerator=1,
        denominator=3.0,
        value=33.3,
        suppressed=True,
        unit="percent",
        label="",
        window="",
        numerator_child_ids=_ids(1),
        denominator_child_ids=three,
    )
    d = result.as_dict(with_children=True)
    assert (d["numerator_child_ids"], d["denominator_child_ids"]) == (["B"], ["A", "C10", "C9"])
    assert type(d["denominator_child_ids"]) is list and d["denominator"] == 3
    assert json.loads(json.dumps(d))["denominator_child_ids"] == ["A", "C10", "C9"]
    assert "numerator_child_ids" not in result.as_dict()


def _both_ways(dataset, period):
    """Every KPI's aggregate rows with the lists built as text in the database and through
    the child index."""
    con = dataset.con
    engine.prepare(dataset, period)
    index = engine.child_index(con)
    assert index is not None
    for kpi in engine.KPIS:  # rows in the same order (a grouping-set aggregate has none)
        yield (
            kpi.id,
            sorted(engine._aggregate(con, kpi, True, None), key=_key),
            sorted(engine._aggregate(con, kpi, True, index), key=_key),
        )


def _key(row):
    return row[:3]


def test_numbered_lists_equal_the_text_lists_for_every_kpi(tmp_path):
    generate(300, tmp_path, seed=0)
    dataset = load_dataset(tmp_path)
    entries = 0
    for kpi, text, numbered in _both_ways(dataset, "2024-25Q4"):
        assert len(text) == len(numbered), kpi
        for t, n in zip(text, numbered, strict=True):
            assert t[:5] == n[:5] and type(t[3]) is type(n[3]), (kpi, t[:5], n[:5])
            assert isinstance(n[5], engine.ChildIds) and n[5] == t[5] and n[6] == t[6], t[:3]
            entries += len(t[5]) + len(t[6])
    assert entries > 5_000  # not equal because empty: the synthetic data fills every KPI


def test_figures_without_lists_equal_the_figures_with_lists_for_every_kpi(tmp_path):
    """Without lists a file's rows are counted per breakdown first and the grouping sets add up
    the counts (``AGGREGATE_BY_COUNTS``): every figure as the rows counted with their lists."""
    generate(300, tmp_path, seed=0)
    dataset = load_dataset(tmp_path)
    con = dataset.con
    engine.prepare(dataset, "2024-25Q4")
    index = engine.child_index(con)
    counted = 0
    for kpi in engine.KPIS:
        with_lists = sorted(engine._aggregate(con, kpi, True, index), key=_key)
        without = sorted(engine._aggregate(con, kpi, False, None), key=_key)
        assert [r[:5] for r in without] == [r[:5] for r in with_lists], kpi.id
        assert [type(v) for r in without for v in r[3:5]] == [
            type(v) for r in with_lists for v in r[3:5]], kpi.id
        counted += sum(r[3] for r in without)
    assert counted > 5_000  # not equal because empty


@pytest.mark.parametrize("dense", [False, True])
def test_ids_keep_the_text_order_however_they_are_spelt(dataset_dir, monkeypatch, dense):
    """Mixed case, digits and accents sort as the database sorts text (by bytes), whether a
    list is sorted or marked off (a list holding most children)."""
    if dense:
        monkeypatch.setattr(engine.ChildIndex, "DENSE", 0)
    d = Data()
    spellings = ["b", "B", "a10", "a9", "é", "Z", "e", "10", "9", "Ä"]
    for i, cid in enumerate(spellings):
        d.order(cid, 1, "YRO", "2023-07-01", "2023-07-01", "2023-08-01" if i % 2 else None)
    folder = dataset_dir(**d)
    head = engine.run(folder, "2023-24 Q2", kpis=["kpi1"]).headline("kpi1")
    assert head.denominator_child_ids == sorted(spellings[1::2], key=lambda s: s.encode())
    for _kpi, text, numbered in _both_ways(load_dataset(folder), "2023-24 Q2"):
        assert numbered == text


def test_a_file_with_a_child_who_is_not_a_child_is_refused(dataset_dir, monkeypatch):
    """The lists number the children of the children table; a file's child missing from it
    would silently drop out of the lists, so every test run checks (tests/conftest.py)."""
    d = Data()
    d.order("C1", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    d.order("C2", 1, "YRO", "2023-01-01", "2023-01-01", "2023-08-01")
    folder = dataset_dir(**d)
    honest = engine._membership_sql(engine.KPI_BY_ID["kpi1"])
    monkeypatch.setattr(
        engine,
        "_membership_sql",
        lambda kpi: (
            "SELECT * REPLACE (CASE WHEN child_id = 'C2' THEN 'STRANGER' ELSE child_id END AS "
            f"child_id) FROM ({honest})"
        ),
    )
    with pytest.raises(engine.EngineContractError, match="'STRANGER'"):
        engine.run(folder, "2023-24 Q2", kpis=["kpi1"])
    assert (
        engine.run(folder, "2023-24 Q2", kpis=["kpi1"], with_children=False)
        .headline("kpi1")
        .denominator
        == 2
    )


def test_cli_json_with_children_writes_the_lists(dataset_dir):
    d = Data()
    for cid in ("C2", "C1", "C3"):
        d.order(cid, 1, "YRO", "2023-07-01", "2023-07-01", "2023-08-01")
    out = io.StringIO()
    call_command(
        "kpi",
        "--period",
        "2023-24Q2",
        "--data",
        str(dataset_dir(**d)),
        "--kpi",
        "kpi1",
        "--format",
        "json",
        "--with-children",
        stdout=out,
    )
    head = next(
        r
        for r in json.loads(out.getvalue())
        if r["measure"] == "suitable_end" and r["dimension"] == "all"
    )
    assert (head["denominator"], head["denominator_child_ids"]) == (3, ["C1", "C2", "C3"])
