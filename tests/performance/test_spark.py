"""The same KPI SQL on Spark (local mode) gives the same figures as on DuckDB.

One synthetic dataset (300 made-up children, ``yj synth`` seed 0), one quarter, every KPI:
every result row - measure, breakdown, numerator, denominator, value, suppression and the
children behind numerator and denominator - must be equal. DuckDB's figures are the reference
(the hand-worked tests of each KPI pin them); this test pins that Spark agrees. Skipped only
when pyspark is not installed (``pip install -e ".[spark]"``); one SparkSession per module.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytest.importorskip("pyspark")

from yjs.performance import engine  # noqa: E402
from yjs.performance.loader import load_dataset  # noqa: E402
from yjs.performance.spark import attach, local_session  # noqa: E402
from yjs.performance.synth import generate  # noqa: E402

pytestmark = pytest.mark.spark

PERIOD = "2024-25Q4"  # the synthetic snapshot is as at 2025-09-30: every window is filled
# Tiny data: interpreted expressions and one shuffle partition plan and run fastest.
TEST_CONF = {"spark.sql.shuffle.partitions": "1", "spark.sql.codegen.wholeStage": "false",
             "spark.sql.codegen.factoryMode": "NO_CODEGEN", "spark.sql.adaptive.enabled": "false"}


def _key(r: engine.KpiResult):
    return r.kpi, r.measure, r.dimension, r.category


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synth300")
    generate(300, folder, seed=0)
    return folder


@pytest.fixture(scope="module")
def spark():
    session = local_session(TEST_CONF)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def runs(snapshot, spark, tmp_path_factory):
    """(DuckDB run, Spark run) of every KPI over the same snapshot."""
    loaded = load_dataset(snapshot)
    duck = engine.run(loaded, PERIOD)
    dataset = attach(loaded, spark, tmp_path_factory.mktemp("spark"))
    try:
        on_spark = engine.run(dataset, PERIOD)
    finally:
        dataset.con.close()
        loaded.con.close()
    return duck, on_spark


def test_spark_and_duckdb_give_the_same_rows(runs):
    duck, on_spark = runs
    assert sorted(map(_key, on_spark.results)) == sorted(map(_key, duck.results))
    assert {r.kpi for r in duck.results} == {k.id for k in engine.KPIS}


@pytest.mark.parametrize("kpi", [k.id for k in engine.KPIS])
def test_spark_figures_equal_duckdb(runs, kpi):
    """Every measure and breakdown of the KPI, with its child lists, equal on both engines."""
    duck, on_spark = runs
    expected = {_key(r): r.as_dict(with_children=True) for r in duck.results if r.kpi == kpi}
    got = {_key(r): r.as_dict(with_children=True) for r in on_spark.results if r.kpi == kpi}
    assert expected, f"{kpi}: no DuckDB rows to compare"
    assert got == expected
    # the synthetic data gives every KPI some children or units, so equality is not 0 = 0
    assert any(r["numerator"] or r["denominator"] for r in expected.values())


def test_cli_engine_spark_prints_the_duckdb_figures(runs, snapshot):
    """`yj kpi --engine spark` (last: the command stops the module's session when done)."""
    duck, _ = runs
    out = io.StringIO()
    call_command("kpi", "--period", PERIOD, "--data", str(snapshot), "--engine", "spark",
                 "--kpi", "fte", "--kpi", "custody", "--format", "json", stdout=out)
    expected = [r.as_dict() for r in duck.results if r.kpi in ("fte", "custody")]
    assert json.loads(out.getvalue()) == json.loads(json.dumps(expected, default=str))
