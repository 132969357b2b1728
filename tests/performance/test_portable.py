"""The KPI SQL stays portable: every file translates from DuckDB to Spark SQL.

``yjs.performance.portable`` expands the macros and rewrites DuckDB's table-valued forms;
anything else DuckDB-only fails here, before it can break the Spark path
(``test_spark.py`` runs the translations on Spark and compares the figures with DuckDB's).
"""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("sqlglot")

from yjs.performance.engine import KPIS, SQL_DIR  # noqa: E402
from yjs.performance.portable import NotPortable, Translator  # noqa: E402

VARIABLES = {"as_at": dt.date(2025, 9, 30), "period_start": dt.date(2025, 1, 1),
             "period_end": dt.date(2025, 3, 31), "population": 17_900}


@pytest.fixture(scope="module")
def translator() -> Translator:
    """A translator that has read the shared scope and health macros, as a run does."""
    t = Translator()
    for name in ("_scope.sql", "_health.sql"):
        t.translate((SQL_DIR / name).read_text(), VARIABLES)
    return t


def test_every_sql_file_is_a_kpi_or_shared():
    """A new file must be listed in the engine (and so in the translation test below)."""
    files = {p.name for p in SQL_DIR.glob("*.sql")}
    assert files == {k.sql for k in KPIS} | {"_scope.sql", "_health.sql"}


def test_shared_scope_translates(translator):
    """_scope.sql: four temp tables (three statements each: uncache, view, cache: child,
    quarter_outcome_offences, scope_candidates, scope_set) and five views (outcome_incl_variations;
    outcome_valid: new outcomes only; outcome_local, offence, population_used; breakdowns are
    columns of each file's rows, not dimension lists); macros yield no statement."""
    out = Translator().translate((SQL_DIR / "_scope.sql").read_text(), VARIABLES)
    assert len(out) == 4 * 3 + 5
    assert "CACHE TABLE scope_set" in out
    assert "CACHE TABLE quarter_outcome_offences" in out
    assert not any("MACRO" in s or "getvariable" in s.lower() for s in out)


@pytest.mark.parametrize("kpi", KPIS, ids=[k.id for k in KPIS])
def test_kpi_file_translates_to_spark(translator, kpi):
    (sql,) = translator.translate((SQL_DIR / kpi.sql).read_text(), VARIABLES)
    assert sql.lstrip().upper().startswith(("WITH", "SELECT", "/*"))
    for duckdb_only in ("GETVARIABLE", "MATERIALIZED", "RECURSIVE :=", "BY NAME", "BREAKDOWNS("):
        assert duckdb_only not in sql.upper()


def test_macro_call_is_inlined_with_its_arguments():
    """age_band(age_years(dob, d)): both macros expand, the arguments in place of the
    parameters, wrapped so precedence cannot change."""
    t = Translator()
    t.translate("CREATE MACRO double_it(a) AS a * 2; CREATE MACRO plus_one(b) AS b + 1")
    (sql,) = t.translate("SELECT double_it(plus_one(x)) AS y FROM t")
    assert sql == "SELECT (((x + 1)) * 2) AS y FROM t"


def test_variables_and_placeholders_become_literals():
    (sql,) = Translator().translate(
        "SELECT * FROM t WHERE d <= getvariable('as_at') AND n = ? AND k = getvariable('unset')",
        {"as_at": dt.date(2025, 9, 30)}, [5])
    assert sql == ("SELECT * FROM t WHERE d <= CAST('2025-09-30' AS DATE) AND n = 5 "
                   "AND k = NULL")


def test_lateral_values_over_outer_columns_become_inline_structs():
    """Spark's VALUES cannot read the outer row; an array of structs can."""
    (sql,) = Translator().translate(
        "SELECT m.measure FROM f, LATERAL (VALUES ('a', f.x), ('b', NOT f.x)) AS m(measure, n)")
    assert sql == ("SELECT m.measure FROM f, LATERAL (SELECT INLINE(ARRAY("
                   "STRUCT('a' AS measure, f.x AS n), STRUCT('b' AS measure, NOT f.x AS n)))) AS m")


def test_qualify_is_kept_for_spark():
    (sql,) = Translator().translate(
        "SELECT * FROM t QUALIFY row_number() OVER (PARTITION BY c ORDER BY d) = 1")
    assert "QUALIFY" in sql and "_w" not in sql


@pytest.mark.parametrize("sql, problem", [
    ("SELECT * FROM a UNION ALL BY NAME SELECT * FROM b", "UNION BY NAME"),
    ("SELECT list_reduce(xs, (a, b) -> a + b) FROM t", "list_reduce"),
    ("SELECT * FROM t, unnest(t.xs)", "unnest"),
    ("PRAGMA threads=2", "PRAGMA"),
    ("CREATE SEQUENCE s", "CREATE SEQUENCE"),
])
def test_duckdb_only_constructs_are_refused(sql, problem):
    with pytest.raises(NotPortable, match=problem):
        Translator().translate(sql)


def test_cli_drill_is_refused_on_spark(tmp_path):
    """Drill-down stays on DuckDB; the command says so before loading anything."""
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--drill runs on DuckDB"):
        call_command("kpi", "--drill", "fte", "--period", "2024-25Q4", "--data", str(tmp_path),
                     "--engine", "spark")
