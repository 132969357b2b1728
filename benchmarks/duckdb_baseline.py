"""The hand-written baseline: each headline figure as one short DuckDB query over the Parquet.

Issue 9 asks every engine headline to be within 2x of the same figure written by hand in
DuckDB. This is that hand-written version: one direct query per figure, reading
``<folder>/<table>.parquet`` in place, with none of the engine's machinery (no validation, no
shared scope tables, no membership rows, no breakdowns, no child lists). The rules are the SQL
files' (``yjs/performance/sql``); ``tests/performance/test_duckdb_baseline.py`` proves that
every numerator and denominator here equals the engine's.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/duckdb_baseline.py --data /tmp/syn1m \\
        --period 2024-25Q1 --as-at 2025-09-30

The input is a snapshot the loader accepts; what the loader does to such a file besides
checking it is done here too, in ``_tables``: the documented defaults of missing columns and
empty values, dates before 1901 as "no date", NOT_KNOWN/OTHER outcomes re-mapped from their
text, and voided rows dropped with the rows that rest on them (``loader.drop_voided``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path

import duckdb

from yjs import codes
from yjs.performance.dataset import DATE, TABLE_BY_NAME
from yjs.performance.engine import KPI_START
from yjs.performance.loader import OUTCOME_TEXT_REMAP, RESTS_ON
from yjs.periods import fte_window, parse_quarter, population_year, rolling_12_months

HEADLINES = ("fte.fte_rate", "reoffending.binary_3m", "custody.custody_rate",
             "kpi1.suitable_end", "kpi2.suitable_end", "kpi3.formal_plan", "kpi6.completed",
             "kpi9.sv_rate", "kpi10.rj_engaged")


def _lit(value) -> str:
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    return "'" + str(value).replace("'", "''") + "'"


def _in(values) -> str:
    return "(" + ", ".join(_lit(v) for v in values) + ")"


def _age(dob: str, on: str) -> str:
    """Completed years (``periods.age_on``): a 29 February birthday falls on 1 March."""
    return (f"(year({on}) - year({dob}) - CASE WHEN month({on}) * 100 + day({on}) "
            f"< month({dob}) * 100 + day({dob}) THEN 1 ELSE 0 END)")


def _columns(con, path: Path) -> set[str]:
    return {r[0].lower() for r in con.execute(
        f"DESCRIBE SELECT * FROM read_parquet({_lit(path)})").fetchall()}


def _tables(con, folder: Path) -> dict[str, str]:
    """Each table as a subquery over its Parquet file, read as the loader leaves it."""
    present = {name: _columns(con, folder / f"{name}.parquet")
               for name in TABLE_BY_NAME if (folder / f"{name}.parquet").exists()}
    out: dict[str, str] = {}
    for name, table in TABLE_BY_NAME.items():
        cols = present.get(name)
        exprs = []
        for c in table.columns:
            if cols is None or c.name not in cols:
                exprs.append(f"CAST({c.default or 'NULL'} AS {c.type}) AS {c.name}")
                continue
            e = c.name
            if c.type == DATE and not c.required:  # the loader rejects a required one
                e = f"CASE WHEN {e} >= DATE '1901-01-01' THEN {e} END"
            if c.default is not None:
                e = f"coalesce({e}, {c.default})"
            if name == "outcomes" and c.name == "outcome_code" and "outcome_text" in cols:
                whens = " ".join(f"WHEN regexp_matches(lower(outcome_text), {_lit(rx)}) "
                                 f"THEN {_lit(code)}" for rx, code in OUTCOME_TEXT_REMAP)
                e = (f"CASE WHEN outcome_code IN ('NOT_KNOWN', 'OTHER') AND outcome_text IS NOT "
                     f"NULL THEN CASE {whens} ELSE outcome_code END ELSE outcome_code END")
            exprs.append(f"{e} AS {c.name}" if e != c.name else e)
        if cols is None:
            out[name] = f"(SELECT {', '.join(exprs)} WHERE FALSE)"
            continue
        where = ["NOT coalesce(voided, FALSE)"] if "voided" in cols else []
        for child, column, parent in RESTS_ON:  # rows resting on a voided row go with it
            if child == name and "voided" in present.get(parent, ()):
                key = TABLE_BY_NAME[parent].key[0]
                where.append(f"({column} IS NULL OR {column} NOT IN (SELECT {key} FROM "
                             f"read_parquet({_lit(folder / f'{parent}.parquet')}) WHERE voided))")
        out[name] = (f"(SELECT {', '.join(exprs)} FROM read_parquet("
                     f"{_lit(folder / f'{name}.parquet')})"
                     + (f" WHERE {' AND '.join(where)}" if where else "") + ")")
    return out


_REF_OUTCOME = "ref_outcome(code, outcome_group, type_of_order, substantive, rank) AS (VALUES " + \
    ", ".join(f"({_lit(o.code)}, {_lit(o.group) if o.group else 'NULL'}, "
              f"{_lit(o.type_of_order) if o.type_of_order else 'NULL'}, {o.substantive}, "
              f"{o.rank if o.rank is not None else 'NULL'})" for o in codes.OUTCOMES) + ")"

# Children not deleted; outcomes known at the as-at date and not quashed or changed on appeal,
# variations flagged (a variation is never a new outcome), residence OTHER not local.
_COMMON = f"""{_REF_OUTCOME},
child AS (SELECT child_id, date_of_birth AS dob, previous_substantive_outcome
          FROM {{children}} WHERE NOT deleted),
outcome AS (
    SELECT o.outcome_id, o.child_id, o.outcome_date, o.outcome_code, o.is_variation,
           o.residence IN ('LOCAL', 'NOT_KNOWN') AS local,
           coalesce(o.first_hearing_date, o.outcome_date) AS first_hearing_date,
           r.outcome_group, r.type_of_order, r.substantive, r.rank, c.dob
    FROM {{outcomes}} o
    JOIN ref_outcome r ON r.code = o.outcome_code
    JOIN child c ON c.child_id = o.child_id
    WHERE o.outcome_date <= {{as_at}}
      AND o.appeal_status NOT IN ('CHANGED_ON_APPEAL', 'SUCCESSFUL'))"""

# The 10-17 population of the year the engine picks: the wanted year, else the latest before
# it, else the earliest there is.
_POPULATION = """(SELECT coalesce(sum(population), 0) FROM {population}
    WHERE age BETWEEN 10 AND 17 AND year = (
        SELECT coalesce(max(year) FILTER (WHERE year = {pop_year}),
                        max(year) FILTER (WHERE year < {pop_year}), min(year))
        FROM {population}))"""

# KPIs 1-8 and 10: a programme of a local child's order ending in the quarter (from 2023-04-01,
# by the as-at date), aged 10-17 at its start (a DTO licence: the sentence date). Variations
# stay in: their programme carries out the varied order.
_CANDIDATE = f"""candidate AS (
    SELECT i.intervention_id, i.child_id, o.outcome_id, o.type_of_order, o.rank,
           o.outcome_date, i.end_date AS order_end, i.kpi6_completed,
           CASE WHEN i.is_licence THEN o.outcome_date - 1
                WHEN o.type_of_order = 'CUST' THEN i.start_date - 1
                ELSE i.start_date END AS order_start
    FROM {{interventions}} i
    JOIN outcome o ON o.outcome_id = i.outcome_id AND o.child_id = i.child_id
    WHERE o.type_of_order IS NOT NULL AND o.local
      AND i.start_date <= {{as_at}}
      AND i.end_date BETWEEN {{scope_from}} AND {{scope_to}}
      AND {_age('o.dob', 'CASE WHEN i.is_licence THEN o.outcome_date ELSE i.start_date END')}
          BETWEEN 10 AND 17)"""

# One row per child: most serious order, then latest outcome, latest end, smallest id.
_ONE_PER_CHILD = ("QUALIFY row_number() OVER (PARTITION BY child_id ORDER BY rank, "
                  "outcome_date DESC, order_end DESC, intervention_id) = 1")
_SCOPE = f"""{_CANDIDATE},
scope AS (SELECT * FROM candidate {_ONE_PER_CHILD})"""

# A record in force at the order end (it overlaps the order and is open at its end).
_AT_END = ("{r}.start_date <= s.order_end AND ({r}.start_date <= {{as_at}}) "
           "AND ({r}.end_date IS NULL OR {r}.end_date >= greatest(s.order_start, s.order_end))")

QUERIES: dict[str, str] = {
    # First ever substantive record (a variation included, sorting after an order that day) is
    # a new local outcome in the FTE window, aged 10-17, and the PNC knows of none earlier.
    "fte.fte_rate": f"""
WITH {_COMMON},
firsts AS (
    SELECT * FROM outcome WHERE substantive
    QUALIFY row_number() OVER (PARTITION BY child_id ORDER BY outcome_date, is_variation,
                               rank NULLS LAST, outcome_id) = 1)
SELECT count(*), {_POPULATION}
FROM firsts f JOIN child c ON c.child_id = f.child_id
WHERE NOT f.is_variation AND f.local
  AND f.outcome_date BETWEEN {{fte_start}} AND {{fte_end}}
  AND {_age('f.dob', 'f.outcome_date')} BETWEEN 10 AND 17
  AND NOT c.previous_substantive_outcome""",

    # Cohort Q-6: each child's first caution, non-custodial conviction or release from a
    # custodial sentence in the quarter (new, local, aged 10-17); a reoffender committed an
    # offence (not a breach) within 12 months after it, proven by a new substantive outcome
    # within 18 months.
    "reoffending.binary_3m": f"""
WITH {_COMMON},
event AS (
    SELECT child_id, outcome_date AS index_date FROM outcome
    WHERE NOT is_variation AND local
      AND (outcome_code IN ('YOUTH_CAUTION', 'YOUTH_CONDITIONAL_CAUTION', 'REPRIMAND',
                            'FINAL_WARNING')
           OR outcome_group IN ('FIRST_TIER', 'COMMUNITY'))
    UNION ALL
    SELECT ce.child_id, ce.release_date
    FROM {{custody_episodes}} ce JOIN outcome o ON o.outcome_id = ce.outcome_id
    WHERE NOT o.is_variation AND o.local AND ce.release_date <= {{as_at}}),
cohort AS (
    SELECT e.child_id, min(e.index_date) AS index_date
    FROM event e JOIN child c ON c.child_id = e.child_id
    WHERE e.index_date BETWEEN {{cohort_start}} AND {{cohort_end}}
      AND {_age('c.dob', 'e.index_date')} BETWEEN 10 AND 17
    GROUP BY e.child_id)
SELECT count(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM {{offences}} f
           JOIN {{outcome_offences}} oo ON oo.offence_id = f.offence_id
           JOIN outcome p ON p.outcome_id = oo.outcome_id
           WHERE f.child_id = c.child_id AND f.offence_date <= {{as_at}}
             AND f.offence_date > c.index_date
             AND f.offence_date <= c.index_date + INTERVAL 12 MONTH
             AND f.category NOT IN {_in(codes.BREACH_CATEGORIES)}
             AND p.substantive AND NOT p.is_variation
             AND p.outcome_date <= c.index_date + INTERVAL 18 MONTH)),
       count(*)
FROM cohort c""",

    # New local custodial sentences in the 12 months, aged 10-17 at first hearing; the same
    # code for the same child on the same day counts once.
    "custody.custody_rate": f"""
WITH {_COMMON}
SELECT count(DISTINCT (child_id, outcome_date, outcome_code)), {_POPULATION}
FROM outcome
WHERE outcome_group = 'CUSTODY' AND NOT is_variation AND local
  AND outcome_date BETWEEN {{r12_start}} AND {{period_end}}
  AND {_age('dob', 'first_hearing_date')} BETWEEN 10 AND 17""",

    # Every accommodation record at the order end suitable (and of a suitable type); none: no.
    "kpi1.suitable_end": f"""
WITH {_COMMON}, {_SCOPE},
per_child AS (
    SELECT s.child_id,
           coalesce(bool_and(a.suitability = 'SUITABLE' AND a.accommodation_type NOT IN
                             {_in(codes.ALWAYS_UNSUITABLE_ACCOMMODATION)}), FALSE) AS suitable
    FROM scope s
    LEFT JOIN {{accommodation}} a ON a.child_id = s.child_id AND {_AT_END.format(r='a')}
    GROUP BY s.child_id)
SELECT count(*) FILTER (WHERE suitable), count(*) FROM per_child""",

    "kpi2.suitable_end": f"""
WITH {_COMMON}, {_SCOPE},
per_child AS (
    SELECT s.child_id, coalesce(bool_and(e.suitability = 'SUITABLE'), FALSE) AS suitable
    FROM scope s
    LEFT JOIN {{ete}} e ON e.child_id = s.child_id AND {_AT_END.format(r='e')}
    GROUP BY s.child_id)
SELECT count(*) FILTER (WHERE suitable), count(*) FROM per_child""",

    # Of children with identified SEND open at the order end, those with a formal plan.
    "kpi3.formal_plan": f"""
WITH {_COMMON}, {_SCOPE},
identified AS (
    SELECT s.child_id, bool_or(d.formal_plan = 'YES') AS has_plan
    FROM scope s JOIN {{send}} d ON d.child_id = s.child_id
    WHERE d.identified = 'YES' AND d.start_date <= s.order_end AND d.start_date <= {{as_at}}
      AND (d.end_date IS NULL OR d.end_date >= s.order_end)
    GROUP BY s.child_id)
SELECT count(*) FILTER (WHERE has_plan), count(*) FROM identified""",

    # One OOCD programme per child, chosen among OOCDs only; completed if recorded so.
    "kpi6.completed": f"""
WITH {_COMMON}, {_CANDIDATE},
oocd AS (SELECT * FROM candidate WHERE type_of_order IN ('NS_OOCD', 'YC', 'YCC')
         {_ONE_PER_CHILD})
SELECT count(*) FILTER (WHERE kpi6_completed), count(*) FROM oocd""",

    # Offences disposed of by a new local outcome in the quarter with a type of order (not
    # NS_OOCD), one row per (child, offence) by the most serious then latest outcome, aged
    # 10-17 (court: at first hearing; else on the offence date); SV: category and gravity 5-8.
    "kpi9.sv_rate": f"""
WITH {_COMMON},
disposed AS (
    SELECT o.child_id, f.offence_id, f.category, f.gravity_score,
           {_age('o.dob', "CASE WHEN o.outcome_group IN ('FIRST_TIER', 'COMMUNITY', 'CUSTODY') "
                 "THEN o.first_hearing_date ELSE f.offence_date END")} AS age
    FROM outcome o
    JOIN {{outcome_offences}} oo ON oo.outcome_id = o.outcome_id
    JOIN {{offences}} f ON f.offence_id = oo.offence_id AND f.child_id = o.child_id
    WHERE NOT o.is_variation AND o.local AND f.offence_date <= {{as_at}}
      AND o.outcome_date BETWEEN {{scope_from}} AND {{period_end}}
      AND o.type_of_order IS NOT NULL AND o.type_of_order <> 'NS_OOCD'
    QUALIFY row_number() OVER (PARTITION BY o.child_id, f.offence_id
                               ORDER BY o.rank, o.outcome_date DESC, o.outcome_id) = 1)
SELECT count(*) FILTER (WHERE category IN {_in(codes.SERIOUS_VIOLENCE_CATEGORIES)}
                          AND gravity_score BETWEEN 5 AND 8),
       {_POPULATION}
FROM disposed WHERE age BETWEEN 10 AND 17""",

    # Distinct victims of the offences behind every programme ending (before one-per-child):
    # consenting ones engaged about restorative justice, of the consenting.
    "kpi10.rj_engaged": f"""
WITH {_COMMON}, {_CANDIDATE}
SELECT count(DISTINCT v.victim_id) FILTER (WHERE v.consent_to_contact = 'YES'
                                             AND v.rj_engaged = 'YES'),
       count(DISTINCT v.victim_id) FILTER (WHERE v.consent_to_contact = 'YES')
FROM candidate c
JOIN {{outcome_offences}} oo ON oo.outcome_id = c.outcome_id
JOIN {{victim_offences}} vo ON vo.offence_id = oo.offence_id
JOIN {{victims}} v ON v.victim_id = vo.victim_id""",
}


def _variables(period: str, as_at: dt.date) -> dict[str, str]:
    """The engine's date variables (``engine._set_variables``) as SQL literals."""
    q = parse_quarter(period)
    fte, r12, cohort = fte_window(q), rolling_12_months(q), q.previous(6)
    values = {
        "as_at": as_at, "period_end": q.end, "r12_start": r12.start,
        "fte_start": fte.start, "fte_end": fte.end,
        "cohort_start": cohort.start, "cohort_end": cohort.end,
        "scope_from": max(q.start, KPI_START), "scope_to": min(q.end, as_at),
    }
    out = {k: _lit(v) for k, v in values.items()}
    out["pop_year"] = str(population_year(q))
    return out


def _run(folder: str | Path, period: str, as_at: dt.date,
         threads: int | None = None) -> dict[str, tuple[int, float, float]]:
    """Every headline: (numerator, denominator, wall seconds), one query at a time."""
    folder = Path(folder)
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    names = {**_tables(con, folder), **_variables(period, as_at)}
    out = {}
    for headline in HEADLINES:
        sql = QUERIES[headline].format(**names)
        started = time.perf_counter()
        numerator, denominator = con.execute(sql).fetchone()
        out[headline] = (int(numerator), float(denominator or 0),
                         time.perf_counter() - started)
    con.close()
    return out


def headlines(folder: str | Path, period: str, as_at: dt.date) -> dict[str, tuple[int, float]]:
    """Each headline's (numerator, denominator), as the engine's ``headline(kpi, measure)``."""
    return {k: (n, d) for k, (n, d, _s) in _run(folder, period, as_at).items()}


def timed(folder: str | Path, period: str, as_at: dt.date) -> dict[str, float]:
    """Each headline's wall seconds: its own query, in one connection, files read in place."""
    return {k: s for k, (_n, _d, s) in _run(folder, period, as_at).items()}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--period", default="2024-25Q1")
    p.add_argument("--as-at", default="2025-09-30", type=dt.date.fromisoformat)
    p.add_argument("--threads", type=int)
    args = p.parse_args()
    results = _run(args.data, args.period, args.as_at, args.threads)
    print(f"\nData: {args.data}  period {args.period}  as at {args.as_at}\n")
    print("| headline | numerator | denominator | seconds |\n|---|---|---|---|")
    for k, (n, d, s) in results.items():
        print(f"| {k} | {n:,} | {d:,.0f} | {s:.2f} |")
    print(f"| total | | | {sum(s for *_x, s in results.values()):.2f} |")


if __name__ == "__main__":
    main()
