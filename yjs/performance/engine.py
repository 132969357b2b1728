"""The KPI engine: runs the per-KPI SQL files over a loaded dataset for one quarter.

Each ``sql/<kpi>.sql`` returns *membership* rows - one per (measure, breakdown, unit counted)
with flags saying whether the unit is in the numerator and/or denominator and which child it
belongs to. The engine aggregates them the same way for every KPI, so every result keeps the
children behind its numerator and denominator, and rounding, zero denominators and suppression
(KPIS.md §1.6) are applied in one place.

Every file keeps one contract unless its ``Kpi`` says ``shared_units``: a unit is in a (measure,
dimension, category)'s numerator on at most one row, and in its denominator on at most one row.
The engine can then count rows, not distinct units (a distinct count over millions of text ids
was most of the national run). ``YJS_ENGINE_VERIFY=1`` (set for the test suite) checks the
contract on every run.

Breakdown columns: most files give a unit's total row its categories as ``by_<dimension>``
columns (NULL: not broken down that way) instead of one row per breakdown. The engine counts
those rows once per grouping set (``GROUP BY GROUPING SETS``), and ``membership_sql`` derives
the one-row-per-breakdown membership form from the same rows for the drill-down, the stored
membership and the contract check (docs/kpis.md, "Result grain").

Child lists (``with_children``): at national scale a run's lists hold tens of millions of
entries. Sorting and de-duplicating them as text inside the database, then making one Python
string per entry, cost more than the KPIs themselves; so on DuckDB every child is numbered once
per run in ``child_id`` order (``ChildIndex``), the database only gathers each result's numbers,
numpy sorts them and drops repeats, and a result keeps them as ``ChildIds``: an array of
numbers over the run's one shared array of ids, which reads as the sorted list of ids.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from yjs.performance.loader import LoadedDataset, load_dataset
from yjs.periods import (
    Quarter,
    fte_window,
    parse_quarter,
    population_year,
    reoffending_cohort_complete,
    rolling_12_months,
)

SQL_DIR = Path(__file__).parent / "sql"
KPI_START = dt.date(2023, 4, 1)

# unit -> (multiplier, decimal places). "count" reports the numerator itself.
UNITS = {
    "percent": (100, 1),
    "rate_per_100000": (100_000, 0),
    "rate_per_10000": (10_000, 2),
    "rate_per_1000": (1_000, 2),
    "ratio": (1, 2),
    "count": (1, 0),
    "rri": (1, 2),
    "days": (1, 1),  # a mean number of days: the numerator sums each unit's days
}


@dataclass(frozen=True)
class Measure:
    id: str
    label: str
    unit: str = "percent"


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str
    sql: str
    measures: tuple[Measure, ...]
    window: str = "quarter"  # quarter | rolling_12 | fte | reoffending
    alias: str = ""  # the YJB code's name where it differs
    # a unit may belong to several children and its rows repeat once per child, so this file's
    # units are counted distinct (slow at scale; no file needs it now: KPI 10 gives a victim's
    # unit_id on its first child's row only, docs/kpis.md "Result grain")
    shared_units: bool = False

    @property
    def headline(self) -> Measure:
        return self.measures[0]

    def measure(self, measure_id: str) -> Measure:
        for m in self.measures:
            if m.id == measure_id:
                return m
        raise KeyError(measure_id)


def _m(*specs) -> tuple[Measure, ...]:
    return tuple(Measure(*s) for s in specs)


_MH = ("in_treatment_or_offered", "need_identified", "in_treatment_at_start", "offered",
       "attended", "attended_of_offered", "offered_not_attended")

KPIS: tuple[Kpi, ...] = (
    Kpi("fte", "First time entrants", "fte.sql", _m(
        ("fte_rate", "First time entrants per 100,000 children aged 10-17", "rate_per_100000"),
        ("fte_count", "First time entrants", "count")), window="fte"),
    Kpi("reoffending", "Proven reoffending", "reoffending.sql", _m(
        ("binary_3m", "Reoffenders, 3-month cohort (%)"),
        ("frequency_3m", "Reoffences per child, 3-month cohort", "ratio"),
        ("per_reoffender_3m", "Reoffences per reoffender, 3-month cohort", "ratio"),
        ("binary_12m", "Reoffenders, aggregated 12-month cohort (%)"),
        ("frequency_12m", "Reoffences per child, aggregated 12-month cohort", "ratio"),
        ("per_reoffender_12m", "Reoffences per reoffender, aggregated 12-month cohort", "ratio"),
        ("cohort_3m", "Children in the 3-month cohort", "count"),
        ("cohort_12m", "Children in the aggregated 12-month cohort", "count")),
        window="reoffending"),
    Kpi("custody", "Use of custody", "custody.sql", _m(
        ("custody_rate", "Custodial sentences per 1,000 children aged 10-17", "rate_per_1000"),
        ("custody_count", "Custodial sentences", "count")), window="rolling_12"),
    Kpi("kpi1", "KPI 1 Suitable accommodation", "kpi01_accommodation.sql", _m(
        ("suitable_end", "Children in suitable accommodation at the end of their order"),
        ("suitable_start", "Suitable accommodation at the start of the order"),
        ("unsuitable_end", "Not in suitable accommodation at the end (incl. no record)"),
        ("became_suitable", "Not suitable at start, suitable at end"),
        ("became_unsuitable", "Suitable at start, not suitable at end"),
        ("suitable_release", "Suitable accommodation on release from custody"),
        ("accommodation_type_end", "Suitable at end, by accommodation type at end"),
        ("suitable_after_remand", "Remanded 4+ weeks then a non-custodial outcome: suitable on "
         "release from remand"))),
    Kpi("kpi2", "KPI 2 Education, training and employment", "kpi02_ete.sql", _m(
        ("suitable_end", "Children in suitable ETE at the end of their order"),
        ("suitable_start", "Suitable ETE at the start of the order"),
        ("suitable_release", "Suitable ETE on release from custody"),
        ("full_time_offered_end", "Full-time hours offered at end (25 school age / 16 above)"),
        ("full_time_attended_end", "Full-time hours attended at end"),
        ("hours_offered_band_end", "Hours offered at end, by band"),
        ("hours_attended_band_end", "Hours attended at end, by band"),
        ("provision_type_end", "Suitable at end, by provision type at end"),
        ("no_ete_end", "No ETE (a NONE record) at end"),
        ("none_recorded_suitable", "Data quality: NONE record marked suitable", "count"))),
    Kpi("kpi3", "KPI 3 SEND/ALN", "kpi03_send.sql", _m(
        ("formal_plan", "Children with identified SEND/ALN who have a formal plan"),
        ("identified", "Children with identified SEND/ALN (3a, 3c, 3d)"),
        ("identified_suitable_ete", "Identified SEND/ALN children in suitable ETE at end (3b)"))),
    Kpi("kpi4", "KPI 4 Mental health and emotional wellbeing", "kpi04_mental_health.sql", _m(
        *((m, lbl) for m, lbl in zip(_MH, (
            "Children with a mental health need in treatment at start or offered an intervention",
            "Children with an identified mental health need (4a, 4d)",
            "In treatment at the start of the order (4b)",
            "Offered an intervention within the order, by type (4c)",
            "Attended an intervention (4c)",
            "Attended of those offered (4c)",
            "Offered but not attended (4c)"), strict=True)))),
    Kpi("kpi5", "KPI 5 Substance misuse", "kpi05_substance_misuse.sql", _m(
        *((m, lbl) for m, lbl in zip(_MH, (
            "Children with a substance misuse need in treatment at start or offered "
            "an intervention",
            "Children with an identified substance misuse need (5a, 5d)",
            "In treatment at the start of the order (5b)",
            "Offered an intervention within the order, by type (5c)",
            "Attended an intervention (5c)",
            "Attended of those offered (5c)",
            "Offered but not attended (5c)"), strict=True)))),
    Kpi("kpi6", "KPI 6 Out-of-court disposals", "kpi06_oocd.sql", _m(
        ("completed", "Out-of-court disposal interventions completed successfully"),
        ("completion_unknown", "Completion not recorded"))),
    Kpi("kpi7", "KPI 7 Management board attendance", "kpi07_board.sql", _m(
        ("senior_sectors", "Statutory sectors represented by a senior partner (of 5)"),
        ("senior_every_meeting", "Sectors with a senior partner at every meeting (of 5)"),
        ("senior_per_meeting", "Mean senior sectors per meeting", "ratio"),
        ("senior_attendance", "Meetings attended by a senior partner, by sector (7a)"),
        ("delegated_sectors", "Sectors represented by a delegate (of 5) (7b)"),
        ("delegated_attendance", "Meetings attended by a delegate, by sector (7c)"),
        ("new_partner", "Meetings with a new partner representative, by sector", "count"),
        ("disproportionality_data", "Sectors contributing disproportionality data", "count")),
        alias="YJB code kpi8"),
    Kpi("kpi8", "KPI 8 Wider services", "kpi08_wider_services.sql", _m(
        ("supported_during", "Children supported by children's services during the order"),
        ("status_at_start", "Status at the start of the order (8a)"),
        ("status_during", "Status during the order (8b)"),
        ("early_help_referral", "Early Help referral: already open vs during the order (8c)")),
        alias="YJB code kpi7"),
    Kpi("kpi9", "KPI 9 Serious violence", "kpi09_serious_violence.sql", _m(
        ("sv_rate", "Serious violence offences per 10,000 children aged 10-17", "rate_per_10000"),
        ("sv_offences_share", "Serious violence offences of all offences (9a, 9e)"),
        ("sv_children_share", "Children with a serious violence offence (9b, 9f)"),
        ("sv_by_category", "Serious violence offences by category (9c)"),
        ("sv_by_gravity", "Serious violence offences by gravity score (9d)"),
        ("sv_count", "Serious violence offences", "count"),
        ("missing_gravity", "Data quality: offences without a gravity score", "count"))),
    Kpi("kpi10", "KPI 10 Victims", "kpi10_victims.sql", _m(
        ("rj_engaged", "Consenting victims engaged about restorative justice"),
        ("victims", "Victims (10a)", "count"),
        ("children_with_victim", "Children with an identified victim (10b)"),
        ("rj_processes", "Victims engaged in restorative justice (10c)", "count"),
        ("view_sought", "Consenting victims whose view was sought (10d)"),
        ("progress_provided", "Progress information provided when requested (10e)"),
        ("support_provided", "Additional support provided when requested (10f)"),
        ("contacted", "Consenting victims contacted (10g)"))),
    Kpi("children_in_care", "Children in care who offend", "local_children_in_care.sql", _m(
        ("cla_offending", "Looked-after children (12+ months) convicted or cautioned"),),
        window="rolling_12"),
    Kpi("secure_remands", "Secure remand rate", "local_secure_remands.sql", _m(
        ("secure_share", "Secure remands of all remand and bail decisions"),)),
    Kpi("custody_share", "Custody as a share of court sentences", "local_custody_share.sql", _m(
        ("custody_share", "Custodial sentences of all court sentences"),), window="rolling_12"),
    Kpi("ro_panels", "Referral order panel timeliness", "local_referral_order_panels.sql", _m(
        ("within_20_working_days", "Initial panels held within 20 working days of the order"),)),
    Kpi("court_timeliness", "Offence to outcome timeliness", "local_court_timeliness.sql", _m(
        ("offence_to_outcome", "Average days from offence to outcome, outcomes in the quarter",
         "days"),
        ("offence_to_arrest", "Average days from offence to arrest", "days"),
        ("arrest_to_first_hearing", "Average days from arrest to first court hearing", "days"),
        ("first_hearing_to_outcome", "Average days from first court hearing to the sentence",
         "days"))),
    Kpi("parenting", "Parenting work", "local_parenting.sql", _m(
        ("orders_commenced", "Parenting orders of all parenting work started in the quarter"),
        ("completed", "Parenting work ended in the quarter and completed successfully"))),
    Kpi("closed_cohort", "Closed-cohort reoffending tracking", "local_closed_cohort.sql", _m(
        ("offended_any", "Children offending at any checkpoint after closure"),
        ("offended", "Children offending in the interval, of those reached, by checkpoint"),
        ("reached", "Children reached, by checkpoint", "count"),
        ("offences", "Offences in the interval, by checkpoint", "count"),
        ("pre_intervention", "Children who offended before the intervention"),
        ("during_intervention", "Children who offended during the intervention")),
        window="rolling_12"),
    Kpi("disproportionality", "Disproportionality (relative rate index)",
        "disproportionality.sql", _m(
            ("rri_fte", "RRI: first time entrants", "rri"),
            ("rri_oocd", "RRI: out-of-court disposals", "rri"),
            ("rri_court", "RRI: court sentences", "rri"),
            ("rri_custody", "RRI: custodial sentences", "rri"),
            ("rri_remand", "RRI: remands", "rri")), window="rolling_12"),
)
KPI_BY_ID = {k.id: k for k in KPIS}

# RRI reference group per dimension (to confirm: White as in KPIS.md §5; others by convention).
RRI_REFERENCE = {"ethnicity_group": "WHITE", "sex": "Female", "age_band": "10-14",
                 "care_status": "NOT_LOOKED_AFTER"}
RRI_MIN_COUNT = 5


@dataclass
class KpiResult:
    kpi: str
    measure: str
    period: str
    dimension: str
    category: str
    numerator: int | None
    denominator: float | None
    value: float | None
    suppressed: bool
    unit: str
    label: str
    window: str
    population_year: int | None = None
    extra: dict = field(default_factory=dict)
    # sorted, distinct; a ``ChildIds`` from ``run`` on DuckDB, which equals the list of ids
    numerator_child_ids: Sequence[str] = field(default_factory=list)
    denominator_child_ids: Sequence[str] = field(default_factory=list)

    def as_dict(self, with_children: bool = False) -> dict:
        """The result as plain data (lists of ids only when asked for: at national scale
        copying them is most of the cost)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["extra"] = copy.deepcopy(self.extra)
        for name in ("numerator_child_ids", "denominator_child_ids"):
            if with_children:
                d[name] = list(d[name])
            else:
                d.pop(name)
        if isinstance(d["denominator"], float) and d["denominator"].is_integer():
            d["denominator"] = int(d["denominator"])
        return d


@dataclass
class RunResult:
    period: str
    as_at: dt.date
    data_path: str
    taken_at: str | None
    results: list[KpiResult]

    def headline(self, kpi: str, measure: str | None = None) -> KpiResult:
        measure = measure or KPI_BY_ID[kpi].headline.id
        return self.get(kpi, measure)

    def get(self, kpi: str, measure: str, dimension: str = "all",
            category: str = "all") -> KpiResult:
        for r in self.results:
            if (r.kpi, r.measure, r.dimension, r.category) == (kpi, measure, dimension, category):
                return r
        raise KeyError((kpi, measure, dimension, category))


def round_half_away(numerator: float, denominator: float, scale: int, places: int) -> float:
    """numerator / denominator x scale rounded half away from zero, computed exactly."""
    exact = Decimal(numerator) * scale / Decimal(denominator)
    q = Decimal(1).scaleb(-places)
    return float(exact.quantize(q, rounding=ROUND_HALF_UP))


def is_suppressed(*counts) -> bool:
    """Counts of 1-4 are flagged for suppression (§1.6); zero is not (to confirm)."""
    return any(c is not None and 1 <= c <= 4 for c in counts)


@cache
def sql_text(name: str) -> str:
    return (SQL_DIR / name).read_text()


def _query(name: str) -> str:
    """A KPI file's SELECT without trailing semicolon, so it can be wrapped."""
    return sql_text(name).strip().rstrip(";")


def _window(kpi: Kpi, q: Quarter) -> tuple[dt.date, dt.date, str]:
    if kpi.window == "fte":
        w = fte_window(q)
    elif kpi.window == "rolling_12":
        w = rolling_12_months(q)
    elif kpi.window == "reoffending":
        first, last = q.previous(9), q.previous(6)
        return first.start, last.end, (f"3-month cohort {last.label} ({last.months_label}); "
                                        f"12-month cohort {first.start:%b %Y}–{last.end:%b %Y}")
    else:
        return q.start, q.end, q.label
    return w.start, w.end, str(w)


def _pick_population_year(con, wanted: int) -> int | None:
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM raw.population").fetchall()]
    if not years:
        return None
    if wanted in years:
        return wanted
    earlier = [y for y in years if y < wanted]
    return max(earlier) if earlier else min(years)


def _set_variables(con, q: Quarter, as_at: dt.date, params: dict) -> int | None:
    fte = fte_window(q)
    r12 = rolling_12_months(q)
    pop_year = _pick_population_year(con, population_year(q))
    values = {
        "period_start": q.start, "period_end": q.end, "as_at": as_at, "kpi_start": KPI_START,
        "r12_start": r12.start, "r12_end": r12.end, "fte_start": fte.start, "fte_end": fte.end,
        "cohort_start": q.previous(6).start, "cohort_end": q.previous(6).end,
        "cohort12_start": q.previous(9).start, "population_year": pop_year or 0,
    }
    for name, value in values.items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    pop = con.execute("SELECT sum(population) FROM raw.population WHERE year = ? "
                      "AND age BETWEEN 10 AND 17", [pop_year or 0]).fetchone()[0]
    con.execute("SET VARIABLE population = ?", [int(pop or 0)])
    for name, value in (params or {}).items():
        con.execute(f"SET VARIABLE {name} = ?", [value])
    return pop_year


def prepare(dataset: LoadedDataset, period: str | Quarter, as_at: dt.date | None = None,
            params: dict | None = None) -> tuple[Quarter, dt.date, int | None]:
    """Set the period's variables and build the shared scope views (``_scope.sql``)."""
    q = parse_quarter(period)
    as_at = as_at or dataset.as_at or dt.date.today()
    pop_year = _set_variables(dataset.con, q, as_at, params or {})
    dataset.con.execute(sql_text("_scope.sql"))
    dataset.con.execute(sql_text("_health.sql"))  # KPIs 4 and 5 share one query
    return q, as_at, pop_year


AGGREGATE = """
SELECT measure, dimension, coalesce(CAST(category AS VARCHAR), 'Unknown') AS category,
       count({distinct}unit_id) FILTER (WHERE in_num) AS numerator,
       coalesce(max(den_fixed), count({distinct}unit_id) FILTER (WHERE in_den)) AS denominator,
       {children}
FROM (SELECT *, CAST(NULL AS DOUBLE) AS den_fixed FROM ({query})) m
GROUP BY ALL
ORDER BY measure, dimension, category
"""

# A file's breakdowns as columns (module docstring, "breakdown columns"): each row's units
# are counted once per grouping set - the row's own (measure, dimension, category) and one
# per ``by_`` column - instead of being crossed with the dimensions first and grouped after
# (five times the rows, each with a category string built for it). A grouping set of a
# ``by_`` column keeps only the groups whose value is set: NULL means "not broken down so"
# (filtered outside the aggregate, not in HAVING: Spark's HAVING cannot see a grouping column
# that is not selected).
AGGREGATE_BY = """
SELECT measure, dimension, category, numerator, denominator, num_ids, den_ids
FROM (
    SELECT measure,
           CASE {dimension_case} ELSE dimension END AS dimension,
           CASE {category_case} ELSE coalesce(CAST(category AS VARCHAR), 'Unknown') END AS category,
           count({distinct}unit_id) FILTER (WHERE in_num) AS numerator,
           coalesce(max(den_fixed), count({distinct}unit_id) FILTER (WHERE in_den)) AS denominator,
           {num_ids} AS num_ids, {den_ids} AS den_ids,
           grouping(dimension) = 0 OR coalesce({by_columns}) IS NOT NULL AS kept
    FROM ({query}) m
    GROUP BY GROUPING SETS ((measure, dimension, category), {sets})
) g
WHERE kept
"""

# Without child lists: a file's rows are counted once per (measure, dimension, category and every
# breakdown column) - one pass over the rows, a few thousand groups - and the grouping sets add up
# those counts, instead of each grouping set reading every row again. The same figures: a count
# is the sum of its parts' counts (the lists need the rows themselves, so they take AGGREGATE_BY).
AGGREGATE_BY_COUNTS = """
SELECT measure, dimension, category, numerator, denominator, NULL AS num_ids, NULL AS den_ids
FROM (
    SELECT measure,
           CASE {dimension_case} ELSE dimension END AS dimension,
           CASE {category_case} ELSE coalesce(CAST(category AS VARCHAR), 'Unknown') END AS category,
           coalesce(sum(numerator), 0) AS numerator,
           coalesce(max(den_fixed), sum(denominator)) AS denominator,
           grouping(dimension) = 0 OR coalesce({by_columns}) IS NOT NULL AS kept
    FROM (
        SELECT measure, dimension, category, {by_list},
               count({distinct}unit_id) FILTER (WHERE in_num) AS numerator,
               count({distinct}unit_id) FILTER (WHERE in_den) AS denominator,
               {den_fixed} AS den_fixed
        FROM ({query}) m
        GROUP BY measure, dimension, category, {by_list}
    ) p
    GROUP BY GROUPING SETS ((measure, dimension, category), {sets})
) g
WHERE kept
"""

# The same rows in the membership form (one per measure, dimension, category and unit), for the
# drill-down, the stored membership and the contract check.
LONG_BY = """
SELECT m.measure, CASE WHEN d.dimension = 'all' THEN m.dimension ELSE d.dimension END AS dimension,
       CASE d.dimension {long_case} ELSE CAST(m.category AS VARCHAR) END AS category,
       m.unit_id, m.child_id, m.in_num, m.in_den, {extra}m.detail
FROM ({query}) m
JOIN (VALUES ('all'), {values}) d(dimension)
  ON d.dimension = 'all' OR {on}
"""

# A unit counted twice in one result: the file breaks the contract in the module docstring.
DOUBLE_COUNTED = """
SELECT measure, dimension, category, unit_id
FROM ({query}) m
WHERE unit_id IS NOT NULL
GROUP BY ALL
HAVING count(*) FILTER (WHERE in_num) > 1 OR count(*) FILTER (WHERE in_den) > 1
LIMIT 3
"""


class EngineContractError(AssertionError):
    """A KPI file returned a unit twice for one result (see the module docstring)."""


def _verify(con, kpi: Kpi, query: str) -> None:
    rows = con.execute(DOUBLE_COUNTED.format(query=query)).fetchall()
    if rows:
        raise EngineContractError(f"{kpi.sql} counts a unit twice in one result: {rows}")


def _membership_sql(kpi: Kpi) -> str:
    """The file's own rows: the membership form, or with breakdown columns (``by_*``)."""
    return _query(kpi.sql)


def _by_columns(cols) -> list[str]:
    """The breakdown columns of a file's rows (``by_sex`` -> dimension ``sex``), in order."""
    return [c for c in cols if c.startswith("by_")]


def membership_sql(con, kpi: Kpi) -> str:
    """One row per (measure, dimension, category, unit): what ``drill`` and the stored
    membership read. A file with breakdown columns is crossed with its dimensions here."""
    query = _membership_sql(kpi)
    cols = _membership_columns(con, query)
    by = _by_columns(cols)
    if not by:
        return query
    extra = "".join(f"m.{c}, " for c in ("den_fixed", "num_weight") if c in cols)
    return LONG_BY.format(
        query=query, extra=extra,
        long_case=" ".join(f"WHEN '{c[3:]}' THEN m.{c}" for c in by),
        values=", ".join(f"('{c[3:]}')" for c in by),
        on=" OR ".join(f"(d.dimension = '{c[3:]}' AND m.{c} IS NOT NULL)" for c in by))


# Each result's children, sorted, once each, as text: for connections without Arrow results
# (Spark). list_distinct over a plain list, not list(DISTINCT ...): a DISTINCT aggregate keeps a
# hash table per group and grouping set.
NUM_IDS = "list_sort(list_distinct(list(child_id) FILTER (WHERE in_num AND child_id IS NOT NULL)))"
DEN_IDS = "list_sort(list_distinct(list(child_id) FILTER (WHERE in_den AND child_id IS NOT NULL)))"
# On DuckDB: each result's child numbers as they come (``ChildIndex.lists`` sorts them).
NUM_INDEXES = "list(child_index) FILTER (WHERE in_num AND child_index IS NOT NULL)"
DEN_INDEXES = "list(child_index) FILTER (WHERE in_den AND child_index IS NOT NULL)"
# A file's rows with each child's number (the loader checks that every child_id is a child).
WITH_CHILD_INDEX = """
SELECT m.*, i.child_index
FROM ({query}) m LEFT JOIN child_index i ON i.child_id = m.child_id
"""
# A child in a file's rows that is not in the children table would be missing from the lists.
UNKNOWN_CHILDREN = """
SELECT DISTINCT child_id FROM ({query}) m
WHERE child_id IS NOT NULL AND child_id NOT IN (SELECT child_id FROM raw.children)
LIMIT 3
"""


class ChildIds(Sequence[str]):
    """A result's children: positions in the run's sorted array of child ids.

    Reads, compares and serialises as the sorted list of ids (``== ["A", "B"]``, ``list()``,
    pickling and copying give a list) while holding 4 bytes per entry and one shared Python
    string per child.
    """

    __slots__ = ("_ids", "_at")

    def __init__(self, ids: np.ndarray, at: np.ndarray):
        self._ids = ids
        self._at = at

    def __len__(self) -> int:
        return len(self._at)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return self._ids[self._at[i]].tolist()
        return self._ids[self._at[i]]

    def __iter__(self):
        return iter(self.tolist())

    def tolist(self) -> list[str]:
        return self._ids[self._at].tolist()

    def __eq__(self, other) -> bool:
        if isinstance(other, ChildIds):
            if self._ids is other._ids:
                return np.array_equal(self._at, other._at)
            return self.tolist() == other.tolist()
        if isinstance(other, list):
            return self.tolist() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # compares like a list

    def __repr__(self) -> str:
        return repr(self.tolist())

    def __reduce__(self):
        return list, (self.tolist(),)


class ChildIndex:
    """Every child of a DuckDB dataset numbered in ``child_id`` order (table ``child_index``),
    so the database gathers numbers rather than text, and the ids as one array of strings."""

    # past this share of all children a list is de-duplicated by marking, not sorting
    DENSE = 1 / 1024

    def __init__(self, con):
        con.execute("""
            CREATE OR REPLACE TEMP TABLE child_index AS
            SELECT child_id, CAST(row_number() OVER (ORDER BY child_id) - 1 AS INTEGER)
                   AS child_index
            FROM raw.children""")
        ids = con.sql("SELECT child_id FROM child_index ORDER BY child_index").to_arrow_table()
        self.ids = ids.column(0).to_numpy(zero_copy_only=False)

    def lists(self, column: pa.ChunkedArray) -> list[ChildIds]:
        """A list column of child numbers as each row's sorted, distinct ``ChildIds``."""
        ends = np.cumsum(pc.fill_null(pc.list_value_length(column), 0).to_numpy())
        numbers = pc.list_flatten(column).to_numpy()
        out, start, n = [], 0, len(self.ids)
        for end in ends.tolist():
            rows = numbers[start:end]
            start = end
            if len(rows) > n * self.DENSE:
                marked = np.zeros(n, dtype=bool)
                marked[rows] = True
                at = np.flatnonzero(marked).astype(np.int32)
            else:
                at = np.unique(rows)
            out.append(ChildIds(self.ids, at))
        return out


def child_index(con) -> ChildIndex | None:
    """The child index for a run's lists; None where the connection gives no Arrow results
    (Spark), which then builds sorted lists of text."""
    return ChildIndex(con) if isinstance(con, duckdb.DuckDBPyConnection) else None


_columns: dict[str, list[str]] = {}


def _membership_columns(con, query: str) -> list[str]:
    """The columns a membership query gives: fixed by its SQL (every dataset has the loader's
    schema), so planning it for DESCRIBE once per process is enough (a fifth of a small
    service's engine time went on describing the same queries every quarter)."""
    if query not in _columns:
        _columns[query] = [r[0] for r in con.execute(f"DESCRIBE ({query})").fetchall()]
    return _columns[query]


def _aggregate(con, kpi: Kpi, with_children: bool = True,
               children: ChildIndex | None = None) -> list[tuple]:
    """(measure, dimension, category, numerator, denominator, numerator's children,
    denominator's children) per result; the children are ``ChildIds`` given an index."""
    query = _membership_sql(kpi)
    cols = _membership_columns(con, query)
    by = _by_columns(cols)
    if by:
        # counted in parts where no list is wanted and a unit is counted once per row
        counts = children is None and not with_children and not kpi.shared_units
        sql = (AGGREGATE_BY_COUNTS if counts else AGGREGATE_BY).replace(
            "{by_list}", ", ".join(by)).replace(
            "{den_fixed}", "max(den_fixed)" if "den_fixed" in cols else "NULL").replace(
            "{dimension_case}", " ".join(
            f"WHEN grouping({c}) = 0 THEN '{c[3:]}'" for c in by)).replace(
            "{category_case}", " ".join(f"WHEN grouping({c}) = 0 THEN CAST({c} AS VARCHAR)"
                                        for c in by)).replace(
            "{sets}", ", ".join(f"(measure, {c})" for c in by)).replace(
            "{by_columns}", ", ".join(f"CAST({c} AS VARCHAR)" for c in by))
        if "den_fixed" not in cols:
            sql = sql.replace("coalesce(max(den_fixed), ", "(")
    elif "den_fixed" in cols:  # files with a population denominator carry it themselves
        sql = AGGREGATE.replace("SELECT *, CAST(NULL AS DOUBLE) AS den_fixed FROM ({query})",
                                "({query})")
    else:
        sql = AGGREGATE
    if "num_weight" in cols:  # a sum (days): each unit adds its own weight to the numerator
        sql = sql.replace("count({distinct}unit_id) FILTER (WHERE in_num) AS numerator",
                          "coalesce(sum(num_weight) FILTER (WHERE in_num), 0) AS numerator")
    num_ids, den_ids = ((NUM_INDEXES, DEN_INDEXES) if children is not None else
                        (NUM_IDS, DEN_IDS) if with_children else ("NULL", "NULL"))
    # the lists are named columns of the inner query with breakdown columns
    sql = sql.replace("{num_ids}", num_ids).replace("{den_ids}", den_ids).replace(
        "{children}", f"{num_ids},\n       {den_ids}")
    if os.environ.get("YJS_ENGINE_VERIFY") == "1":
        if not kpi.shared_units:
            _verify(con, kpi, membership_sql(con, kpi))
        if children is not None and (
                unknown := con.execute(UNKNOWN_CHILDREN.format(query=query)).fetchall()):
            raise EngineContractError(f"{kpi.sql} gives child ids that are not children: "
                                      f"{unknown}")
    if children is not None:
        query = WITH_CHILD_INDEX.format(query=query)
    sql = sql.format(query=query, distinct="DISTINCT " if kpi.shared_units else "")
    if children is None:
        return [(*row[:5], list(row[5] or []), list(row[6] or []))
                for row in con.execute(sql).fetchall()]
    table = con.sql(sql).to_arrow_table()
    # a sum of integers is a HUGEINT, a decimal in Arrow: an int as fetchall gives it
    figures = [[int(v) if isinstance(v, Decimal) else v for v in table.column(i).to_pylist()]
               for i in range(5)]
    return list(zip(*figures, children.lists(table.column(5)), children.lists(table.column(6)),
                    strict=True))


def _result(kpi: Kpi, measure: Measure, q: Quarter, window: str, pop_year, dimension, category,
            numerator, denominator, num_ids, den_ids) -> KpiResult:
    unit = measure.unit
    scale, places = UNITS[unit]
    if unit == "count":
        value = float(numerator)
        denominator = None
        suppressed = is_suppressed(numerator)
    else:
        value = (round_half_away(numerator, denominator, scale, places)
                 if denominator else None)
        suppressed = is_suppressed(numerator, denominator)
    uses_population = unit.startswith("rate_per") or unit == "rri"
    return KpiResult(
        kpi=kpi.id, measure=measure.id, period=q.label, dimension=dimension, category=category,
        numerator=int(numerator), denominator=denominator, value=value, suppressed=suppressed,
        unit=unit, label=measure.label, window=window,
        population_year=pop_year if uses_population else None,
        numerator_child_ids=num_ids, denominator_child_ids=den_ids)


def run_kpi(dataset: LoadedDataset, kpi: Kpi | str, q: Quarter, pop_year: int | None,
            with_children: bool = True, as_at: dt.date | None = None,
            children: ChildIndex | None = None) -> list[KpiResult]:
    """One KPI for a prepared period (see ``prepare``); ``children``: the run's
    ``child_index`` (built here if the lists are wanted and none is given)."""
    kpi = KPI_BY_ID[kpi] if isinstance(kpi, str) else kpi
    _start, _end, window = _window(kpi, q)
    if with_children and children is None:
        children = child_index(dataset.con)
    rows = _aggregate(dataset.con, kpi, with_children, children)
    out: list[KpiResult] = []
    seen = set()
    for measure_id, dimension, category, num, den, num_ids, den_ids in rows:
        measure = kpi.measure(measure_id)
        out.append(_result(kpi, measure, q, window, pop_year, dimension, category, num, den,
                           num_ids, den_ids))
        seen.add((measure_id, dimension))
    for measure in kpi.measures:  # every headline row exists, 0/0 -> NULL
        if measure.unit != "rri" and not any(m == measure.id for m, _ in seen):
            out.append(_result(kpi, measure, q, window, pop_year, "all", "all", 0, 0, [], []))
    if kpi.id == "disproportionality":
        from yjs.performance.disproportionality import relative_rate_index

        out = relative_rate_index(out, RRI_REFERENCE, RRI_MIN_COUNT)
    if kpi.id == "reoffending" and as_at is not None:
        # a cohort is final only 18 months after it ends; before that the figure is provisional
        complete = reoffending_cohort_complete(q.previous(6), as_at)
        for r in out:
            r.extra["cohort_complete"] = complete
    order = {m.id: i for i, m in enumerate(kpi.measures)}
    out.sort(key=lambda r: (order[r.measure], r.dimension != "all", r.dimension, r.category))
    return out


def run(data: str | Path | LoadedDataset, period: str | Quarter, as_at: dt.date | None = None,
        kpis: list[str] | None = None, params: dict | None = None,
        with_children: bool = True) -> RunResult:
    """Every KPI (or those named) for one quarter.

    ``with_children=False`` skips the child-id lists (``drill`` still finds the children);
    at national scale the lists are a large share of the work.
    """
    dataset = data if isinstance(data, LoadedDataset) else load_dataset(data)
    q, as_at, pop_year = prepare(dataset, period, as_at, params)
    children = child_index(dataset.con) if with_children else None
    results: list[KpiResult] = []
    for kpi in KPIS:
        if kpis and kpi.id not in kpis:
            continue
        results.extend(run_kpi(dataset, kpi, q, pop_year, with_children, as_at, children))
    return RunResult(period=q.label, as_at=as_at, data_path=str(dataset.path),
                     taken_at=dataset.taken_at, results=results)


def drill(data: str | Path | LoadedDataset, kpi: str, period: str | Quarter,
          measure: str | None = None, dimension: str = "all", category: str = "all",
          as_at: dt.date | None = None, params: dict | None = None) -> list[dict]:
    """The children behind one result: in numerator? in denominator? and why."""
    if kpi not in KPI_BY_ID:
        raise KeyError(f"unknown KPI {kpi!r} (one of {', '.join(KPI_BY_ID)})")
    k = KPI_BY_ID[kpi]
    measure = measure or k.headline.id
    k.measure(measure)
    dataset = data if isinstance(data, LoadedDataset) else load_dataset(data)
    prepare(dataset, period, as_at, params)
    query = membership_sql(dataset.con, k)
    rows = dataset.con.execute(f"""
        SELECT child_id, bool_or(in_num), bool_or(in_den),
               string_agg(DISTINCT detail, '; ' ORDER BY detail)
        FROM ({query}) m
        WHERE measure = ? AND dimension = ? AND coalesce(CAST(category AS VARCHAR), 'Unknown') = ?
          AND child_id IS NOT NULL
        GROUP BY child_id ORDER BY child_id""", [measure, dimension, category]).fetchall()
    return [{"child_id": c, "in_numerator": bool(n), "in_denominator": bool(d), "why": w or ""}
            for c, n, d, w in rows]
