"""The hand-written DuckDB baseline (benchmarks/duckdb_baseline.py) counts what the engine counts.

Issue 9 measures the engine against it, so its figures must be the engine's: every headline's
numerator and denominator, on a synthetic service and on a copy of it edited to hit the rules
synthetic data rarely reaches (voided rows, licences, defaults, appeals, re-mapped outcomes, a
missing population year).
"""

import datetime as dt
import io
import itertools
import re
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command

from tests.performance.conftest import northshire_population
from yjs.performance import engine

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import duckdb_baseline  # noqa: E402

# Each table's edits: column -> SQL over the synthetic row; each ``pick(n)`` is its own stable
# n% of the rows.
EDITS = {
    "children": {"previous_substantive_outcome": "pick(4)",
                 "deleted": "CASE WHEN pick(2) THEN NULL ELSE deleted END"},
    "outcomes": {"voided": "pick(3)",
                 "is_variation": "is_variation OR pick(3)",
                 "appeal_status": "CASE WHEN pick(2) THEN 'CHANGED_ON_APPEAL' "
                                  "WHEN pick(2) THEN NULL ELSE appeal_status END",
                 "residence": "CASE WHEN pick(3) THEN NULL ELSE residence END",
                 "outcome_code": "CASE WHEN outcome_code = 'NO_FURTHER_ACTION' AND pick(40) "
                                 "THEN 'NOT_KNOWN' ELSE outcome_code END",
                 "outcome_text": "CASE WHEN outcome_code = 'NO_FURTHER_ACTION' THEN "
                                 "'Youth caution given at the station' END"},
    "offences": {"voided": "pick(3)",
                 "category": "CASE WHEN pick(3) THEN NULL ELSE category END",
                 "gravity_score": "CASE WHEN pick(3) THEN NULL ELSE gravity_score END"},
    "interventions": {"voided": "CASE WHEN pick(2) THEN NULL ELSE pick(3) END",
                      "is_licence": "pick(20)",
                      "kpi6_completed": "CASE WHEN pick(5) THEN NULL ELSE kpi6_completed END"},
    "accommodation": {"voided": "pick(3)",
                      "suitability": "CASE WHEN pick(5) THEN NULL ELSE suitability END",
                      "end_date": "CASE WHEN pick(3) THEN DATE '1900-01-01' ELSE end_date END"},
    "ete": {"voided": "pick(3)",
            "suitability": "CASE WHEN pick(5) THEN NULL ELSE suitability END"},
    "send": {"voided": "pick(3)",
             "formal_plan": "CASE WHEN pick(5) THEN NULL ELSE formal_plan END"},
    "custody_episodes": {"voided": "pick(5)"},
    "victims": {"voided": "pick(3)"},
}


def _picks(sql: str, key: str, salt) -> str:
    return re.sub(r"pick\((\d+)\)", lambda m: (
        f"(abs(hash({key} || '/{next(salt)}')) % 100 < {m.group(1)})"), sql)


def _edit(source: Path, out: Path) -> Path:
    """A copy of ``source`` with ``EDITS`` applied, and no population for 2023 (2024-25 wants
    it: the engine falls back to 2022, given a different total)."""
    shutil.copytree(source, out)
    con = duckdb.connect()
    for table, columns in EDITS.items():
        path = out / f"{table}.parquet"
        key = duckdb_baseline.TABLE_BY_NAME[table].key[0]
        salt = itertools.count()
        columns = {c: _picks(sql, key, salt) for c, sql in columns.items()}
        present = {r[0] for r in con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()}
        replaced = ", ".join(f"{sql} AS {c}" for c, sql in columns.items() if c in present)
        added = "".join(f", {sql} AS {c}" for c, sql in columns.items() if c not in present)
        select = f"* REPLACE ({replaced})" if replaced else "*"
        con.execute(f"COPY (SELECT {select}{added} FROM read_parquet('{path}')) "
                    f"TO '{path}.new' (FORMAT parquet)")
        Path(f"{path}.new").replace(path)
    path = out / "population.parquet"
    con.execute(f"COPY (SELECT * REPLACE (population + year - 2000 AS population) "
                f"FROM read_parquet('{path}') WHERE year <> 2023) TO '{path}.new' "
                f"(FORMAT parquet)")
    Path(f"{path}.new").replace(path)
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    out = tmp_path_factory.mktemp("baseline") / "synth"
    call_command("synth", "--children", "3000", "--out", str(out), "--seed", "3",
                 stdout=io.StringIO())
    return out


@pytest.fixture(scope="module")
def edited(synthetic):
    return _edit(synthetic, synthetic.parent / "edited")


def _engine_headlines(folder, period, as_at):
    result = engine.run(folder, period, as_at=as_at, with_children=False)
    out = {}
    for name in duckdb_baseline.HEADLINES:
        r = result.headline(*name.split("."))
        out[name] = (r.numerator, float(r.denominator or 0))
    return out


CASES = [("synthetic", "2024-25Q1", dt.date(2025, 9, 30)),
         ("synthetic", "2023-24Q3", dt.date(2025, 9, 30)),
         ("edited", "2024-25Q1", dt.date(2025, 9, 30)),
         ("edited", "2023-24Q3", dt.date(2023, 11, 15))]  # as at the middle of the quarter


@pytest.mark.parametrize("dataset,period,as_at", CASES)
def test_every_baseline_headline_equals_the_engines(request, dataset, period, as_at):
    folder = request.getfixturevalue(dataset)
    base = duckdb_baseline.headlines(folder, period, as_at)
    assert base == _engine_headlines(folder, period, as_at)
    assert all(numerator > 0 for numerator, _ in base.values()), base


def test_the_edits_change_every_child_level_headline(synthetic, edited):
    """The edited copy is a test of the rules only if they change the figures."""
    as_at = dt.date(2025, 9, 30)
    before = duckdb_baseline.headlines(synthetic, "2024-25Q1", as_at)
    after = duckdb_baseline.headlines(edited, "2024-25Q1", as_at)
    assert [k for k in before if before[k] == after[k]] == []
    # 2023 was taken out: the population is 2022's (24,000 + 8 ages x 2 sexes x 22)
    assert after["fte.fte_rate"][1] == 24_000 + 16 * 22


def test_timed_gives_seconds_for_every_headline(synthetic):
    seconds = duckdb_baseline.timed(synthetic, "2024-25Q1", dt.date(2025, 9, 30))
    assert set(seconds) == set(duckdb_baseline.HEADLINES)
    assert all(0 < s < 60 for s in seconds.values())


def _as_parquet(folder: Path) -> Path:
    """Each ``<table>.csv`` of ``folder`` as a typed ``<table>.parquet`` (the baseline reads
    Parquet only), the CSV removed so the engine reads the same file."""
    con = duckdb.connect()
    for path in folder.glob("*.csv"):
        table = duckdb_baseline.TABLE_BY_NAME[path.stem]
        header = path.read_text().splitlines()[0].split(",")
        types = "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in table.columns
                                if c.name in header) + "}"
        con.execute(f"COPY (SELECT * FROM read_csv('{path}', header=true, types={types})) "
                    f"TO '{path.with_suffix('.parquet')}' (FORMAT parquet)")
        path.unlink()
    return folder


def test_a_licence_counts_the_age_at_sentence_and_a_leap_day_birthday_waits(dataset_dir):
    """C1 and C2 were 17 when sentenced to a DTO and 18 when their programme started: only
    C1's, a licence, is in KPI 1 (age at the sentence date). C3 and C4 were born on 29 February
    2012 and cautioned on 28 February and 1 March 2022: C3 was 9, C4 10 and a first time
    entrant (2022-23 Q1 covers April 2021 to March 2022)."""
    children = [{"child_id": c, "date_of_birth": dob} for c, dob in (
        ("C1", "2006-05-10"), ("C2", "2006-05-10"), ("C3", "2012-02-29"),
        ("C4", "2012-02-29"))]
    outcomes = [
        {"outcome_id": "O1", "child_id": "C1", "outcome_date": "2024-04-20",
         "outcome_code": "DTO", "residence": "LOCAL"},
        {"outcome_id": "O2", "child_id": "C2", "outcome_date": "2024-04-20",
         "outcome_code": "DTO", "residence": "LOCAL"},
        {"outcome_id": "O3", "child_id": "C3", "outcome_date": "2022-02-28",
         "outcome_code": "YOUTH_CAUTION", "residence": "LOCAL"},
        {"outcome_id": "O4", "child_id": "C4", "outcome_date": "2022-03-01",
         "outcome_code": "YOUTH_CAUTION", "residence": "LOCAL"}]
    interventions = [
        {"intervention_id": f"I{n}", "child_id": f"C{n}", "outcome_id": f"O{n}",
         "start_date": "2024-05-15", "end_date": "2024-06-20", "is_licence": licence}
        for n, licence in ((1, "true"), (2, "false"))]
    accommodation = [
        {"accommodation_id": f"A{n}", "child_id": f"C{n}",
         "accommodation_type": "LIVING_WITH_PARENTS", "suitability": "SUITABLE",
         "start_date": "2023-01-01"} for n in (1, 2)]
    folder = _as_parquet(dataset_dir(
        children=children, outcomes=outcomes, interventions=interventions,
        accommodation=accommodation,
        population=northshire_population(year=2021) + northshire_population(year=2023)))
    as_at = dt.date(2025, 9, 30)
    q1_2024 = duckdb_baseline.headlines(folder, "2024-25Q1", as_at)
    q1_2022 = duckdb_baseline.headlines(folder, "2022-23Q1", as_at)
    assert q1_2024["kpi1.suitable_end"] == (1, 1)
    assert q1_2022["fte.fte_rate"] == (1, 17_900)
    assert q1_2024 == _engine_headlines(folder, "2024-25Q1", as_at)
    assert q1_2022 == _engine_headlines(folder, "2022-23Q1", as_at)
