"""Load a snapshot (Parquet) or a folder of CSV files of the canonical dataset into DuckDB.

Everything is validated before anything is handed over: a bad file raises ``DatasetError``
naming the file, row, column and reason, and the half-built connection is thrown away, so a
caller either gets the whole dataset or nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb

from yjs import codes, periods
from yjs.performance.dataset import (
    BOOLEAN,
    DATE,
    SNAPSHOT_MANIFEST,
    TABLE_BY_NAME,
    TABLES,
    Column,
    Table,
)

MAX_REPORTED_ERRORS = 20
CALENDAR_FIRST_YEAR, CALENDAR_LAST_YEAR = 1995, 2045

# Re-map NOT_KNOWN/OTHER outcomes from the case system's text (KPIS.md §2.1), first match wins.
OUTCOME_TEXT_REMAP: tuple[tuple[str, str], ...] = (
    (r"outcome\s*22.*defer|defer.*prosecution", "OUTCOME_22_DEFERRED"),
    (r"outcome\s*22", "OUTCOME_22"),
    (r"outcome\s*2[01]", "OUTCOME_20_21"),
    (r"community\s+resolution", "COMMUNITY_RESOLUTION"),
    (r"youth\s+conditional\s+caution|\bycc\b", "YOUTH_CONDITIONAL_CAUTION"),
    (r"youth\s+caution", "YOUTH_CAUTION"),
    (r"referral\s+order", "REFERRAL_ORDER"),
    (r"youth\s+rehabilitation\s+order|\byro\b", "YRO"),
    (r"detention\s+and\s+training|\bdto\b", "DTO"),
)


class DatasetError(ValueError):
    """Bad input: the message names the file, row, column and reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


@dataclass
class LoadedDataset:
    """A validated dataset: an in-memory DuckDB connection with the validated tables (schema
    ``raw`` and the ``ref_*`` code lists) attached read-only from a DuckDB file."""

    con: duckdb.DuckDBPyConnection
    path: Path
    files: dict[str, Path]
    row_counts: dict[str, int]
    manifest: dict = field(default_factory=dict)

    @property
    def taken_at(self) -> str | None:
        return self.manifest.get("taken_at")

    @property
    def as_at(self) -> dt.date | None:
        """The snapshot's as-at date (manifest ``as_at``, else the date of ``taken_at``)."""
        value = self.manifest.get("as_at") or self.manifest.get("taken_at")
        if not value:
            return None
        return dt.date.fromisoformat(str(value)[:10])

    @cached_property
    def file_hashes(self) -> dict[str, str]:
        """SHA-256 of every file read, so a return can be reproduced from the same snapshot."""
        return {path.name: file_sha256(path) for _name, path in sorted(self.files.items())}


def file_sha256(path: Path) -> str:
    """A file's SHA-256, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _find_file(folder: Path, table: Table) -> Path | None:
    for ext in (".parquet", ".csv"):
        p = folder / f"{table.name}{ext}"
        if p.exists():
            return p
    return None


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _ident(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def _typed_expr(col: Column, present: bool, source_type: str | None) -> tuple[str, str | None]:
    """SQL for the typed value of ``col`` and for 'this raw value is invalid' (or None)."""
    if not present:
        return (f"CAST({col.default or 'NULL'} AS {col.type})", None)
    raw = _ident(col.name)
    is_text = source_type is not None and source_type.upper() in ("VARCHAR", "TEXT", "STRING")
    native = source_type is not None and col.codes is None and (
        source_type.upper() == col.type
        or (col.type == "INTEGER" and source_type.upper() in ("TINYINT", "SMALLINT", "BIGINT"))
        or (col.type == "DOUBLE" and source_type.upper() in ("FLOAT", "INTEGER", "BIGINT")))
    if native:  # a Parquet column of the right type cannot hold a bad value
        typed = f"CAST({_ident(col.name)} AS {col.type})"
        if col.type == DATE:
            typed = f"CASE WHEN {typed} < DATE '1901-01-01' THEN NULL ELSE {typed} END"
        if col.default is not None:
            typed = f"coalesce({typed}, {col.default})"
        return typed, None
    text = f"NULLIF(trim(CAST({raw} AS VARCHAR)), '')"
    if col.type == DATE:
        if is_text:
            parsed = (f"coalesce(TRY_CAST({text} AS DATE), "
                      f"CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE), "
                      f"CAST(try_strptime({text}, '%d/%m/%Y') AS DATE))")
        else:
            parsed = f"TRY_CAST({raw} AS DATE)"
        typed = f"CASE WHEN {parsed} < DATE '1901-01-01' THEN NULL ELSE {parsed} END"
        # a two-digit year ('31/08/23' parses as the year 23) is an error, not "no date"
        invalid = (f"{raw} IS NOT NULL AND {text} IS NOT NULL "
                   f"AND ({parsed} IS NULL OR year({parsed}) < 1000)")
    elif col.type == BOOLEAN:
        if is_text:
            low = f"lower({text})"
            typed = (f"CASE WHEN {low} IN ('true','t','1','yes','y') THEN TRUE "
                     f"WHEN {low} IN ('false','f','0','no','n') THEN FALSE END")
        else:
            typed = f"TRY_CAST({raw} AS BOOLEAN)"
        invalid = f"{text} IS NOT NULL AND ({typed}) IS NULL"
    elif col.codes is not None:
        typed = f"upper({text})"
        if col.name == "sex" or col.name == "gender":  # a Parquet integer 1 must read as '1'
            typed = (f"CASE WHEN upper({text}) IN ('M', 'MALE') THEN '1' "
                     f"WHEN upper({text}) IN ('F', 'FEMALE') THEN '2' "
                     f"ELSE regexp_replace(upper({text}), '\\.0+$', '') END")
        allowed = ", ".join(_q(v) for v in col.codes)
        invalid = f"({typed}) IS NOT NULL AND ({typed}) NOT IN ({allowed})"
    elif col.type == "VARCHAR":
        typed, invalid = text, None
    else:
        typed = f"TRY_CAST({text if is_text else raw} AS {col.type})"
        if col.type == "INTEGER":  # '5.0' is 5, but '5.5' is an error, never rounded to 6
            num = f"TRY_CAST({text if is_text else raw} AS DOUBLE)"
            typed = f"CASE WHEN {num} = floor({num}) THEN {typed} END"
        invalid = f"{raw} IS NOT NULL AND {text} IS NOT NULL AND ({typed}) IS NULL"
    if col.default is not None:
        typed = f"coalesce({typed}, {col.default})"
    return typed, invalid


def _reason(col: Column) -> str:
    if col.codes is not None:
        shown = ", ".join(col.codes[:12]) + (", ..." if len(col.codes) > 12 else "")
        return f"not one of the allowed codes ({shown})"
    return {DATE: "not a date (YYYY-MM-DD or DD/MM/YYYY, four-digit year)",
            BOOLEAN: "not true/false",
            "INTEGER": "not a whole number", "DOUBLE": "not a number"}.get(col.type, "invalid")


def _row_label(path: Path, row: int) -> str:
    if path.suffix == ".csv":
        return f"{path.name} row {row} (line {row + 1})"
    return f"{path.name} row {row}"


def _csv_header(path: Path) -> tuple[str, list[str]] | None:
    """The delimiter and column names of a CSV file's header row (None: the file is empty).

    Read here rather than left to DuckDB's sniffer, which can take a ragged last row for the
    header and silently drop every row above it.
    """
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        first = fh.readline()
    if not first.strip():
        return None
    delim = max(",;\t|", key=first.count)
    names = next(csv.reader([first], delimiter=delim, skipinitialspace=True))
    return delim, [n.strip().strip('"').strip() for n in names]


def _ragged_row(path: Path, header: tuple[str, list[str]]) -> str | None:
    """The first row whose number of values differs from the header's, as a problem line."""
    delim, names = header
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as fh:
        for row, values in enumerate(csv.reader(fh, delimiter=delim)):
            if row and values and len(values) != len(names):
                return (f"{_row_label(path, row)}: {len(values)} values, but the header has "
                        f"{len(names)} columns")
    return None


def _duckdb_reason(exc: Exception) -> str:
    """DuckDB's multi-line error as one line: the first line and the reason below it."""
    lines = [x.strip() for x in str(exc).splitlines() if x.strip()]
    reason = next((x for x in lines[1:] if not x.startswith(("Original Line", "Possible"))
                   and " = " not in x), "")
    return lines[0] + (f": {reason}" if reason else "") if lines else str(exc)


def _columns_sql(table: Table) -> str:
    """The table's columns for CREATE TABLE. Identifiers and free text are stored uncompressed:
    compressing millions of distinct strings (DuckDB's FSST) cost more CPU than the rest of
    the validation, for a file that lives as long as one run (the code columns, dates and
    numbers still compress, cheaply)."""
    return "__row BIGINT, " + ", ".join(
        f"{_ident(c.name)} {c.type}"
        + (" USING COMPRESSION uncompressed" if c.type == "VARCHAR" and c.codes is None else "")
        for c in table.columns)


def _load_table(con, table: Table, path: Path | None, problems: list[str]) -> None:
    if path is None:
        con.execute(f"CREATE TABLE raw.{table.name} ({_columns_sql(table)})")
        return
    stg = f"stg_{table.name}"
    header = _csv_header(path) if path.suffix == ".csv" else None
    if path.suffix == ".csv" and header is None:  # an empty file is an empty table
        _load_table(con, table, None, problems)
        return
    try:
        if header:  # CSV: the header read here, not guessed; row numbers in file order
            delim, names = header
            columns = "{" + ", ".join(f"{_q(n)}: 'VARCHAR'" for n in names) + "}"
            con.execute(f"CREATE TEMP TABLE {stg} AS SELECT row_number() OVER () AS __row, * "
                        f"FROM read_csv({_q(str(path))}, header=true, auto_detect=false, "
                        f"delim={_q(delim)}, quote='\"', escape='\"', columns={columns}, "
                        f"strict_mode=true)")
        else:  # Parquet: typed already, read in place with the file's own row numbers
            con.execute(f"CREATE TEMP VIEW {stg} AS SELECT file_row_number + 1 AS __row, "
                        f"* EXCLUDE (file_row_number) "
                        f"FROM read_parquet({_q(str(path))}, file_row_number=true)")
    except duckdb.Error as exc:
        ragged = _ragged_row(path, header) if header else None
        problems.append(ragged or f"{path.name}: cannot be read: {_duckdb_reason(exc)}")
        return
    source_types = {r[0].lower(): r[1] for r in con.execute(f"DESCRIBE {stg}").fetchall()}
    exprs, checks = [], []
    for col in table.columns:
        present = col.name.lower() in source_types
        if col.required and not present:
            problems.append(f"{path.name}: required column '{col.name}' is missing")
            continue
        typed, invalid = _typed_expr(col, present, source_types.get(col.name.lower()))
        exprs.append(f"{typed} AS {_ident(col.name)}")
        if invalid:
            checks.append((col, invalid, _reason(col)))
        if col.required:
            valid = f" AND NOT coalesce({invalid}, FALSE)" if invalid else ""
            checks.append((col, f"({typed}) IS NULL{valid}", "required value is empty"))
    if any(p.startswith(f"{path.name}: required column") for p in problems):
        return
    # The load itself marks which checks a row fails (bit i: check i), so the file is read once
    # more only for the checks that fail, to list their first rows. At most two checks a column.
    flags = " + ".join(f"CASE WHEN {cond} THEN {1 << i} ELSE 0 END"
                       for i, (_, cond, _) in enumerate(checks)) or "0"
    con.execute(f"CREATE TABLE raw.{table.name} ({_columns_sql(table)}, __failed BIGINT)")
    con.execute(f"INSERT INTO raw.{table.name} "
                f"SELECT __row, {', '.join(exprs)}, {flags} FROM {stg}")
    failed = con.execute(f"SELECT bit_or(__failed) FROM raw.{table.name}").fetchone()[0] or 0
    con.execute(f"ALTER TABLE raw.{table.name} DROP COLUMN __failed")
    checks = [c for i, c in enumerate(checks) if failed >> i & 1]
    found: list[tuple[int, str]] = []
    for col, cond, reason in checks:
        rows = con.execute(
            f"SELECT __row, CAST({_ident(col.name)} AS VARCHAR) FROM {stg} "
            f"WHERE {cond} ORDER BY __row LIMIT 3").fetchall()
        for row, value in rows:
            shown = "" if value is None else f" ({value!r})"
            found.append((row, f"{_row_label(path, row)}, column '{col.name}': {reason}{shown}"))
    problems.extend(msg for _, msg in sorted(found))
    con.execute(f"DROP {'TABLE' if path.suffix == '.csv' else 'VIEW'} {stg}")


def _keys_ascending(con, table: Table) -> bool:
    """True when every row's key is greater than the key of the row stored before it, so no two
    keys are equal: one cheap pass (a snapshot writes its rows in key order) instead of
    grouping millions of keys. Any order proves it; a NULL key or a key out of order proves
    nothing, and the caller groups by the key as before."""
    keys = [_ident(k) for k in table.key]

    def greater(i: int) -> str:  # lexicographic, over the key's columns
        this = f"{keys[i]} > p.k{i}"
        return this if i == len(keys) - 1 else (
            f"({this} OR ({keys[i]} = p.k{i} AND {greater(i + 1)}))")

    if len(keys) == 1:
        before, compare = f"lag({keys[0]}) OVER ()", f"{keys[0]} > p"
    else:  # the whole key of the row before, so every column is compared with the same row
        before = ("lag(struct_pack(" + ", ".join(f"k{i} := {k}" for i, k in enumerate(keys))
                  + ")) OVER ()")
        compare = greater(0)
    return con.execute(
        f"SELECT count(*) FILTER (WHERE coalesce({compare}, FALSE)) = count(*) - 1 "
        f"FROM (SELECT {', '.join(keys)}, {before} AS p FROM raw.{table.name})").fetchone()[0]


# End dates a case system may hold ahead of time (the planned end of an order, a release date).
PLANNED_DATE_COLUMNS = frozenset({"end_date", "release_date"})


def _first_failures(con, table: Table, today: dt.date) -> dict[tuple[str, str], int]:
    """The first row failing each reference and date check of a loaded table, found in one pass:
    one join per table referred to, shared by every check that needs it (the child's row serves
    the reference to it and the dates against the child's birth). Keys ``("ref", column)`` and
    ``("date", column)``, only for checks some row fails. The rows to report are then listed by
    ``_check_keys`` and ``_check_dates``, for the failing checks only."""
    joins: list[str] = []
    conds: list[tuple[tuple[str, str], str]] = []
    child = None  # the alias of the join to the children, for the dates
    for col in table.columns:
        if not col.references:
            continue
        ref_table, ref_col = col.references.split(".")
        alias = f"r{len(joins)}"
        source = f"raw.{ref_table}"
        if ref_table == "children" and col.name == "child_id" and ref_col == "child_id":
            child = alias
            source = _children_with_last_day()
        joins.append(f"LEFT JOIN {source} {alias} "
                     f"ON {alias}.{_ident(ref_col)} = t.{_ident(col.name)}")
        conds.append((("ref", col.name), f"t.{_ident(col.name)} IS NOT NULL AND "
                                          f"{alias}.{_ident(ref_col)} IS NULL"))
    if child is None and table.name != "children" and "child_id" in table.column_names:
        child = f"r{len(joins)}"
        joins.append(f"LEFT JOIN {_children_with_last_day()} {child} "
                     f"ON {child}.child_id = t.child_id")
    for col, whens in _date_conditions(table, today, child):
        conds.append((("date", col.name), " OR ".join(whens)))
    if not conds:
        return {}
    firsts = con.execute("SELECT " + ", ".join(
        f"min(t.__row) FILTER (WHERE {cond})" for _, cond in conds)
        + f" FROM raw.{table.name} t {' '.join(joins)}").fetchone()
    return {check: first for (check, _), first in zip(conds, firsts, strict=True)
            if first is not None}


def _children_with_last_day() -> str:
    """The children with their date of birth and the day they turn LATEST_EVENT_AGE, for the
    joins of ``_first_failures``: made once by ``_create_children_dates``."""
    return "scratch.children_dates"


def _create_children_dates(con) -> None:
    """``scratch.children_dates``, in a database held in memory (not written to the file) that
    every cursor of the connection sees."""
    age = periods.LATEST_EVENT_AGE
    con.execute("ATTACH IF NOT EXISTS ':memory:' AS scratch")
    con.execute(f"CREATE OR REPLACE TABLE scratch.children_dates AS SELECT child_id, "
                f"date_of_birth, CAST(date_of_birth + INTERVAL {age} YEAR AS DATE) AS last_day "
                f"FROM raw.children")


def _date_conditions(table: Table, today: dt.date, child: str | None):
    """(column, its conditions) for every date column: a row fails when any holds. The same
    bounds as the reasons ``_check_dates`` reports, as plain comparisons."""
    for col in table.columns:
        if col.type != DATE:
            continue
        c = f"t.{_ident(col.name)}"
        if table.name == "children":
            latest_dob = periods.add_months(today, -12 * periods.PREVENTION_MIN_AGE)
            whens = [f"{c} > DATE '{today}'",
                     f"{c} < DATE '{periods.EARLIEST_DATE_OF_BIRTH}'",
                     f"{c} > DATE '{latest_dob}'"]
        else:
            whens = [f"{c} < DATE '{periods.EARLIEST_EVENT_DATE}'"]
            if child:
                whens.append(f"{c} <= {child}.date_of_birth")
            if col.name not in PLANNED_DATE_COLUMNS:
                whens.append(f"{c} > DATE '{today}'")
            if child:
                whens.append(f"{c} >= {child}.last_day")
        yield col, whens


def _check_keys(con, table: Table, path: Path | None, problems: list[str],
                firsts: dict[tuple[str, str], int]) -> None:
    if path is None:
        return
    if not _keys_ascending(con, table):
        key = ", ".join(_ident(k) for k in table.key)
        rows = con.execute(
            f"SELECT min(__row), max(__row), CAST(({key}) AS VARCHAR) FROM raw.{table.name} "
            f"GROUP BY ALL HAVING count(*) > 1 LIMIT 3").fetchall()
        for _first, second, value in rows:
            problems.append(f"{_row_label(path, second)}, column '{table.key[0]}': duplicate "
                            f"key {value}")
    for col in table.columns:
        if not col.references or ("ref", col.name) not in firsts:
            continue
        ref_table, ref_col = col.references.split(".")
        rows = con.execute(
            f"SELECT t.__row, t.{_ident(col.name)} FROM raw.{table.name} t "
            f"ANTI JOIN raw.{ref_table} r ON t.{_ident(col.name)} = r.{_ident(ref_col)} "
            f"WHERE t.{_ident(col.name)} IS NOT NULL ORDER BY t.__row LIMIT 3").fetchall()
        for row, value in rows:
            problems.append(f"{_row_label(path, row)}, column '{col.name}': {value!r} is not "
                            f"in {ref_table}.{ref_col}")


def _check_dates(con, table: Table, path: Path | None, problems: list[str],
                 today: dt.date, firsts: dict[tuple[str, str], int]) -> None:
    """Dates inside the bounds of ``yjs.periods``: a child at least 8 today (under 10 only for
    prevention work, which no KPI counts) and born after 1982; nothing before 2000, after today
    (planned end dates excepted), on or before the child's birth or on or after their 25th
    birthday. ``firsts`` (``_first_failures``) says which columns hold a bad date."""
    if path is None:
        return
    earliest = periods.EARLIEST_EVENT_DATE.isoformat()
    for col in table.columns:
        if col.type != DATE or ("date", col.name) not in firsts:
            continue
        c = f"t.{_ident(col.name)}"
        if table.name == "children":
            latest_dob = periods.add_months(today, -12 * periods.PREVENTION_MIN_AGE)
            whens = [
                (f"{c} > DATE '{today}'", "in the future"),
                (f"{c} < DATE '{periods.EARLIEST_DATE_OF_BIRTH}'",
                 f"before {periods.long_date(periods.EARLIEST_DATE_OF_BIRTH)}"),
                (f"{c} > DATE '{latest_dob}'",
                 f"after {periods.long_date(latest_dob)}: the child would be under "
                 f"{periods.PREVENTION_MIN_AGE} today"),
            ]
            join = ""
        else:
            whens = [(f"{c} < DATE '{earliest}'",
                      f"before {periods.long_date(periods.EARLIEST_EVENT_DATE)}")]
            join = ""
            if "child_id" in table.column_names:
                join = "LEFT JOIN raw.children ch ON ch.child_id = t.child_id"
                whens.append((f"{c} <= ch.date_of_birth",
                              "'on or before the child''s date of birth (' || "
                              "CAST(ch.date_of_birth AS VARCHAR) || ')'"))
            if col.name not in PLANNED_DATE_COLUMNS:
                whens.append((f"{c} > DATE '{today}'", "in the future"))
            if join:
                age = periods.LATEST_EVENT_AGE
                whens.append((f"{c} >= ch.date_of_birth + INTERVAL {age} YEAR",
                              f"'on or after the child''s {age}th birthday (' || CAST(CAST("
                              f"ch.date_of_birth + INTERVAL {age} YEAR AS DATE) AS VARCHAR) "
                              f"|| ')'"))
        reason = "CASE " + " ".join(
            f"WHEN {cond} THEN {text if text.startswith(chr(39)) else _q(text)}"
            for cond, text in whens) + " END"
        rows = con.execute(
            f"SELECT t.__row, CAST({c} AS VARCHAR), {reason} AS reason FROM raw.{table.name} t "
            f"{join} WHERE {c} IS NOT NULL AND ({reason}) IS NOT NULL ORDER BY t.__row LIMIT 3"
        ).fetchall()
        for row, value, why in rows:
            problems.append(f"{_row_label(path, row)}, column '{col.name}': {why} ({value!r})")


# Rows that rest on another table's row: they go when it is voided (outcome → its
# interventions, custody and panels; offence or victim → their links).
RESTS_ON = (
    ("interventions", "outcome_id", "outcomes"),
    ("custody_episodes", "outcome_id", "outcomes"),
    ("referral_order_panels", "outcome_id", "outcomes"),
    ("outcome_offences", "outcome_id", "outcomes"),
    ("outcome_offences", "offence_id", "offences"),
    ("victim_offences", "victim_id", "victims"),
    ("victim_offences", "offence_id", "offences"),
)


def drop_voided(con) -> dict[str, int]:
    """Remove the rows the case system voided (entered in error), and the rows that rest on
    them, so no KPI, drill-down or data-quality count ever reads one: excluded everywhere,
    in one place, as if never entered. Runs after validation (a voided row is still checked;
    every reference has been found, so a row can only lose its parent here, when the parent
    was voided). Returns the rows dropped per table."""
    dropped: dict[str, int] = {}
    for table in TABLES:
        if "voided" in table.column_names:
            n = con.execute(f"DELETE FROM raw.{table.name} WHERE voided").fetchone()[0]
            if n:
                dropped[table.name] = n
    for name, column, parent in RESTS_ON:
        if not dropped.get(parent):  # nothing voided there: every row still finds its parent
            continue
        key = TABLE_BY_NAME[parent].key[0]
        n = con.execute(
            f"DELETE FROM raw.{name} WHERE {_ident(column)} IS NOT NULL AND {_ident(column)} "
            f"NOT IN (SELECT {_ident(key)} FROM raw.{parent})").fetchone()[0]
        if n:
            dropped[name] = dropped.get(name, 0) + n
    return dropped


def _remap_outcomes(con) -> None:
    whens = " ".join(f"WHEN regexp_matches(lower(outcome_text), {_q(rx)}) THEN {_q(code)}"
                     for rx, code in OUTCOME_TEXT_REMAP)
    con.execute(f"""
        UPDATE raw.outcomes SET outcome_code = CASE {whens} ELSE outcome_code END
        WHERE outcome_code IN ('NOT_KNOWN', 'OTHER') AND outcome_text IS NOT NULL""")


def create_reference_tables(con) -> None:
    """The code lists of ``yjs.codes`` as DuckDB tables, so SQL never repeats a code."""
    con.execute("CREATE OR REPLACE TABLE ref_outcome (code VARCHAR, label VARCHAR, "
                "outcome_group VARCHAR, type_of_order VARCHAR, substantive BOOLEAN, "
                "oocd BOOLEAN, rank INTEGER, court BOOLEAN, custodial BOOLEAN)")
    con.executemany("INSERT INTO ref_outcome VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
        (o.code, o.label, o.group, o.type_of_order, o.substantive, o.oocd, o.rank,
         o.group in ("FIRST_TIER", "COMMUNITY", "CUSTODY"), o.group == "CUSTODY")
        for o in codes.OUTCOMES])
    con.execute("CREATE OR REPLACE TABLE ref_type_of_order (code VARCHAR, label VARCHAR)")
    con.executemany("INSERT INTO ref_type_of_order VALUES (?, ?)",
                    list(codes.TYPE_OF_ORDER_LABELS.items()))
    con.execute("CREATE OR REPLACE TABLE ref_ethnicity (code VARCHAR, label VARCHAR, "
                "ethnicity_group VARCHAR)")
    con.executemany("INSERT INTO ref_ethnicity VALUES (?, ?, ?)", [
        *codes.ETHNICITY, *((g, label, g) for g, label in codes.ETHNICITY_GROUP_LABELS.items())])
    con.execute("CREATE OR REPLACE TABLE ref_accommodation (code VARCHAR, label VARCHAR, "
                "accommodation_group VARCHAR, always_unsuitable BOOLEAN)")
    con.executemany("INSERT INTO ref_accommodation VALUES (?, ?, ?, ?)", [
        (c, label, g, c in codes.ALWAYS_UNSUITABLE_ACCOMMODATION)
        for c, label, g in codes.ACCOMMODATION])
    con.execute("CREATE OR REPLACE TABLE ref_ete_provision (code VARCHAR, label VARCHAR, "
                "provision_group VARCHAR)")
    con.executemany("INSERT INTO ref_ete_provision VALUES (?, ?, ?)", list(codes.ETE_PROVISION))
    con.execute("CREATE OR REPLACE TABLE ref_remand (code VARCHAR, label VARCHAR, "
                "secure BOOLEAN, bail BOOLEAN)")
    con.executemany("INSERT INTO ref_remand VALUES (?, ?, ?, ?)", [
        (c, label, c in codes.SECURE_REMANDS, "BAIL" in c) for c, label in codes.REMAND_CHOICES])
    con.execute("CREATE OR REPLACE TABLE ref_offence_category (code VARCHAR, label VARCHAR, "
                "serious_violence BOOLEAN, breach BOOLEAN)")
    con.executemany("INSERT INTO ref_offence_category VALUES (?, ?, ?, ?)", [
        (c, label, c in codes.SERIOUS_VIOLENCE_CATEGORIES, c in codes.BREACH_CATEGORIES)
        for c, label in codes.OFFENCE_CATEGORIES])
    con.execute("CREATE OR REPLACE TABLE ref_board_sector (code VARCHAR, label VARCHAR, "
                "statutory BOOLEAN)")
    con.executemany("INSERT INTO ref_board_sector VALUES (?, ?, ?)", [
        (c, label, c in codes.STATUTORY_BOARD_SECTORS) for c, label in codes.BOARD_SECTORS])
    con.execute("CREATE OR REPLACE TABLE ref_care_status (code VARCHAR, label VARCHAR)")
    con.executemany("INSERT INTO ref_care_status VALUES (?, ?)", codes.CARE_STATUS_CHOICES)
    _create_calendar(con)


def _create_calendar(con) -> None:
    """Working-day calendar: ``wd_index`` counts working days so a difference is a count."""
    from yjs.periods import bank_holidays

    hols = bank_holidays(dt.date(CALENDAR_FIRST_YEAR, 1, 1), dt.date(CALENDAR_LAST_YEAR, 12, 31))
    con.execute("CREATE OR REPLACE TABLE ref_bank_holiday AS SELECT unnest(?) AS d",
                [list(hols)])
    con.execute(f"""
        CREATE OR REPLACE TABLE ref_calendar AS
        WITH days AS (
            SELECT CAST(d AS DATE) AS d FROM generate_series(
                DATE '{CALENDAR_FIRST_YEAR}-01-01', DATE '{CALENDAR_LAST_YEAR}-12-31',
                INTERVAL 1 DAY) g(d))
        SELECT d, isodow(d) <= 5 AND d NOT IN (SELECT d FROM ref_bank_holiday) AS working,
               sum(CASE WHEN isodow(d) <= 5 AND d NOT IN (SELECT d FROM ref_bank_holiday)
                   THEN 1 ELSE 0 END) OVER (ORDER BY d) AS wd_index
        FROM days""")


# What validation depends on besides the files: a change to any of these modules makes every
# kept validated copy stale.
_RULE_MODULES = ("loader.py", "dataset.py", "../codes.py", "../periods.py")
KEEP_VALIDATED = 3


def validation_key(files: dict[str, Path]) -> str:
    """Names the validated copy of exactly these files under exactly these rules."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for module in _RULE_MODULES:
        h.update((here / module).read_bytes())
    for name, path in sorted(files.items()):
        h.update(f"{name}:{path.suffix}:{file_sha256(path)};".encode())
    return h.hexdigest()[:32]


def save_validated(dataset: LoadedDataset, target: Path) -> None:
    """Keep the validated tables in a DuckDB file (owner-only), written whole or not at all, with
    their row counts beside it (``<name>.json``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    dataset.con.execute("ATTACH ? AS saved", [str(tmp)])
    try:  # from memory, or from the kept copy a restored dataset reads in place
        source = dataset.con.execute(
            "SELECT database_name FROM duckdb_tables() WHERE schema_name = 'raw' LIMIT 1"
        ).fetchone()[0]
        dataset.con.execute(f"COPY FROM DATABASE {source} TO saved")
    finally:
        dataset.con.execute("DETACH saved")
    tmp.chmod(0o600)
    counts = target.with_suffix(".json")
    counts.write_text(json.dumps({"row_counts": dataset.row_counts}))
    counts.chmod(0o600)
    os.replace(tmp, target)


def restore_validated(saved: Path, folder: Path,
                      connect: dict | None = None) -> LoadedDataset | None:
    """The dataset ``save_validated`` kept, read in place (None: none kept).

    The kept file is attached read-only and found by name (``raw.children``, ``ref_outcome``)
    through the search path, not copied into memory: its tables stay compressed on disk and
    DuckDB reads the columns a query needs. At a million children the copy was 1.7 GB of
    memory, most of a run's peak, and a second or two of loading. A new connection's own
    objects (macros, temp tables and views) are still created in memory.
    """
    counts = saved.with_suffix(".json")
    if not (saved.exists() and counts.exists()):
        return None
    con = _attach(saved, connect)
    try:
        manifest = _manifest(folder)
    except BaseException:
        con.close()
        raise
    return LoadedDataset(con=con, path=folder, files={},
                         row_counts=json.loads(counts.read_text())["row_counts"],
                         manifest=manifest)


def _attach(saved: Path, connect: dict | None = None):
    """A new in-memory connection with the validated file attached read-only as ``validated``
    and found by name (``raw.children``, ``ref_outcome``) through the search path."""
    con = _connect(**(connect or {}))
    try:
        con.execute("ATTACH ? AS validated (READ_ONLY)", [str(saved)])
        con.execute("SET search_path = 'memory.main,validated.main,validated.raw'")
    except BaseException:
        con.close()
        raise
    return con


MEMORY_LIMIT = re.compile(r"^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", re.IGNORECASE)


def _connect(threads: int | None = None, memory_limit: str | None = None,
             spill_to: Path | None = None, database: Path | None = None):
    """A DuckDB connection (in memory, or to ``database``). Under ``memory_limit`` (e.g. "2GB")
    DuckDB moves what does not fit to files in ``spill_to`` (a private folder: they hold
    child-level data) and runs slower rather than taking more memory."""
    if memory_limit and not MEMORY_LIMIT.match(memory_limit.strip()):
        raise ValueError(f"memory limit {memory_limit!r}: give a size such as 2GB or 1500MB")
    # no progress bar: it would write into the CLI's JSON/CSV output on long queries
    con = duckdb.connect(":memory:" if database is None else str(database))
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if spill_to is not None:
        spill_to.mkdir(mode=0o700, parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{str(spill_to).replace(chr(39), '')}'")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit.strip()}'")
    return con


def _var_dir() -> Path:
    """The configured VAR_DIR (``yjs.settings``), also where Django is not set up (the
    benchmarks): ``YJS_VAR_DIR``, else ``var/`` in the checkout."""
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        from django.conf import settings

        return Path(settings.VAR_DIR)
    return Path(os.environ.get("YJS_VAR_DIR") or Path(__file__).resolve().parents[2] / "var")


def _manifest(folder: Path) -> dict:
    if not (folder / SNAPSHOT_MANIFEST).exists():
        return {}
    try:
        return json.loads((folder / SNAPSHOT_MANIFEST).read_text())
    except ValueError as exc:
        raise DatasetError([f"{SNAPSHOT_MANIFEST}: not valid JSON ({exc})"]) from exc


def load_dataset(folder: str | Path, *, threads: int | None = None,
                 keep_in: Path | None = None, memory_limit: str | None = None,
                 spill_to: Path | None = None) -> LoadedDataset:
    """Validate and load every table of the dataset in ``folder``; raise ``DatasetError``.

    With ``keep_in`` (a folder) the validated tables are kept there, named by the files' content
    and the validation rules (``validation_key``), and a later load of the same files reads them
    back instead of validating again: a national run reads and checks its Parquet once.
    ``memory_limit`` and ``spill_to``: see ``_connect``.
    """
    folder = Path(folder)
    connect = {"threads": threads, "memory_limit": memory_limit, "spill_to": spill_to}
    if keep_in is not None:
        found = {t.name: p for t in TABLES if (p := _find_file(folder, t)) is not None}
        if found.get("children") is not None:
            saved = Path(keep_in) / f"{validation_key(found)}.duckdb"
            dataset = restore_validated(saved, folder, connect)
            if dataset is not None:
                saved.touch()
                dataset.files = found
                return dataset
            dataset = _validate_and_load(folder, connect, saved)
            _prune_kept(Path(keep_in))
            return dataset
    return _validate_and_load(folder, connect)


def _prune_kept(keep_in: Path) -> None:
    """Only the most recently used validated copies stay (each is about the Parquet's size x3)."""
    kept = sorted(keep_in.glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP_VALIDATED:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)


# What the validating connection may hold in memory before DuckDB writes the tables it has
# validated out to their file (and spills hash tables): at a million children the tables alone
# are 1.5 GB in memory, and validating them in memory peaked at 2.1 GB.
VALIDATING_MEMORY_LIMIT = "1GB"


def _validate_and_load(folder: Path, connect: dict | None = None,
                       keep_as: Path | None = None) -> LoadedDataset:
    """Validate into a DuckDB file in a private folder under VAR_DIR/tmp (or ``spill_to``), not
    in memory, so DuckDB can leave on disk what it is not reading; then hand over a connection
    that reads the file in place (``restore_validated``). The folder is removed whatever
    happens: the file (unlinked while attached) is freed when the connection closes. With
    ``keep_as`` the file is kept there instead (``load_dataset(keep_in=...)``)."""
    if not folder.is_dir():
        raise DatasetError([f"{folder}: no such folder"])
    found = {t.name: _find_file(folder, t) for t in TABLES}
    if not any(found.values()):
        raise DatasetError([f"{folder}: no dataset files (expected e.g. children.csv or "
                            f"children.parquet)"])
    if found["children"] is None:
        raise DatasetError([f"{folder}: children.csv / children.parquet is missing"])
    connect = connect or {}
    scratch = Path(connect.get("spill_to") or _var_dir() / "tmp")
    scratch.mkdir(mode=0o700, parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="validating-", dir=scratch))
    try:
        database = work / "dataset.duckdb"
        row_counts = _validate_into(database, folder, found, {
            **connect, "spill_to": work,
            "memory_limit": connect.get("memory_limit") or VALIDATING_MEMORY_LIMIT})
        manifest = _manifest(folder)
        if keep_as is not None:
            database = _keep(database, keep_as, row_counts)
        con = _attach(database, connect)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    files = {name: p for name, p in found.items() if p is not None}
    return LoadedDataset(con=con, path=folder, files=files, row_counts=row_counts,
                         manifest=manifest)


def _validate_into(database: Path, folder: Path, found: dict[str, Path | None],
                   connect: dict) -> dict[str, int]:
    """Every table read, checked and written to ``database``; the row counts."""
    con = _connect(**connect, database=database)
    try:
        con.execute("CREATE SCHEMA raw")
        today = dt.date.today()
        firsts: dict[str, dict] = {}

        def load(cur, table, path) -> list[str]:
            _load_table(cur, table, path, problems := [])
            return problems

        def check(cur, table, path) -> list[str]:
            firsts[table.name] = _first_failures(cur, table, today) if path else {}
            _check_keys(cur, table, path, problems := [], firsts[table.name])
            return problems

        problems = [p for found_here in _each_table(con, found, load) for p in found_here]
        if not problems:
            _create_children_dates(con)
            problems = [p for found_here in _each_table(con, found, check) for p in found_here]
            con.execute("DETACH scratch")
        if not problems:
            for table in TABLES:
                _check_dates(con, table, found[table.name], problems, today,
                             firsts.get(table.name, {}))
        if problems:
            raise DatasetError(problems[:MAX_REPORTED_ERRORS])
        drop_voided(con)
        _remap_outcomes(con)
        for table in TABLES:  # file row numbers serve the problems above only: 8 bytes a row
            con.execute(f"ALTER TABLE raw.{table.name} DROP COLUMN __row")
        create_reference_tables(con)
        row_counts = {t.name: con.execute(f"SELECT count(*) FROM raw.{t.name}").fetchone()[0]
                      for t in TABLES}
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return row_counts


# Tables read and checked at once: most files hold one Parquet row group, which DuckDB reads on
# one thread, so two tables at a time keep both cores of a small machine busy.
TABLES_AT_ONCE = 2


def _each_table(con, found: dict[str, Path | None], work) -> list:
    """``work(cursor, table, path)`` for every table, ``TABLES_AT_ONCE`` tables at a time on
    cursors of their own (the largest files first); the results in the order of ``TABLES``."""
    def run(table):
        cur = con.cursor()
        try:
            cur.execute("SET enable_progress_bar = false")
            return work(cur, table, found[table.name])
        finally:
            cur.close()

    size = {t.name: found[t.name].stat().st_size if found[t.name] else 0 for t in TABLES}
    with ThreadPoolExecutor(max_workers=TABLES_AT_ONCE) as pool:
        futures = {t.name: pool.submit(run, t)
                   for t in sorted(TABLES, key=lambda t: -size[t.name])}
        return [futures[t.name].result() for t in TABLES]


def _keep(database: Path, target: Path, row_counts: dict[str, int]) -> Path:
    """Move the validated file to ``target`` (owner-only, whole or not at all), with its row
    counts beside it (``<name>.json``), as ``save_validated`` writes it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        shutil.move(database, tmp)
        tmp.chmod(0o600)
        counts = target.with_suffix(".json")
        counts.write_text(json.dumps({"row_counts": row_counts}))
        counts.chmod(0o600)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
