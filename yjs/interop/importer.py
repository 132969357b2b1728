"""`yj import`: bring another system's children and their records into the casework.

The source is a folder of CSV files or an XLSX workbook, in the canonical dataset's layout
(docs/dataset.md, plus the identifying columns of ``EXTRA``) or in its own layout read through a
TOML mapping (docs/import.md). The import runs in two passes:

1. **Read and validate** every row: types, code lists, references between files, then the
   services-layer rules the forms use (`casework.services.record_problems`: dates, ages 10-17 at
   the offence, an outcome on or after its offences...). Every problem is collected, with its
   file, row, column and value; nothing is written while there is one.
2. **Write** in one transaction: new records in bulk (`bulk.Copier`: COPY on PostgreSQL, from a
   thread of its own so the database takes in one batch while the next is prepared; one
   prepared INSERT per batch on SQLite), changed records through `services._save` (audited
   with old and new values), and each source row's id and hash in `SourceRecord`, so importing
   the same rows again changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gc
import hashlib
import io
import json
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import CharField, Field
from django.utils import timezone

from yjs import codes, outputs
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.casework import models as cw
from yjs.casework import selectors, services
from yjs.organisation.models import Service, Team
from yjs.performance import dataset
from yjs.performance.dataset import BOOLEAN, DATE, DOUBLE, INTEGER, VARCHAR, Column

from . import bulk
from .models import SourceRecord

# A cell starting with one of these is a spreadsheet formula (or would run as one when the
# data is opened in a spreadsheet again): refused, never evaluated or stored.
FORMULA_START = outputs.FORMULA_START
DEFAULT_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
EARLIEST = dt.date(1901, 1, 1)  # before it: the source's "no date" (docs/dataset.md)
PROGRESS_FROM = 5000  # rows in a file before a progress bar is worth drawing

TRUE = {"true", "1", "yes", "y", "t"}
FALSE = {"false", "0", "no", "n", "f"}
SEX_WORDS = {"M": "1", "MALE": "1", "F": "2", "FEMALE": "2"}

# Tables the import writes, in the order they are written (what a row refers to comes first).
TABLES = (
    "children",
    "offences",
    "outcomes",
    "outcome_offences",
    "interventions",
    "care_status",
    "send",
    "accommodation",
    "ete",
    "mental_health",
    "substance_misuse",
    "remands",
)
NOT_IMPORTED = tuple(t.name for t in dataset.TABLES if t.name not in TABLES)
# The casework model each table's rows become (a ``SourceRecord`` names the table and the id).
RECORD_MODELS = {
    "children": cw.Child,
    "offences": cw.Offence,
    "outcomes": cw.Outcome,
    "interventions": cw.Intervention,
    "care_status": cw.CareStatus,
    "send": cw.SendRecord,
    "accommodation": cw.AccommodationRecord,
    "ete": cw.EteRecord,
    "mental_health": cw.MentalHealthRecord,
    "substance_misuse": cw.SubstanceMisuseRecord,
    "remands": cw.Remand,
}

KIND = cw.Intervention.Kind
# Identifying and casework columns the KPI dataset leaves out, read when present.
EXTRA: dict[str, tuple[Column, ...]] = {
    "children": (
        Column("first_name", VARCHAR, "First name (for matching people and the record)."),
        Column("last_name", VARCHAR, "Last name."),
        Column("preferred_name", VARCHAR, "Name the child prefers."),
        Column("pnc_number", VARCHAR, "Police National Computer ID, e.g. 12/123456A."),
        Column(
            "reference",
            VARCHAR,
            "The child's YJS reference here (YJ000123): links the row "
            "to that child, for a possible duplicate the import reported.",
        ),
        Column(
            "new_child",
            BOOLEAN,
            "TRUE: a possible duplicate reported was checked and is another child.",
        ),
        Column("team", VARCHAR, "Team name (default: --team, or the service's first team)."),
        Column(
            "residence",
            VARCHAR,
            "Lives in the service's area.",
            codes=dataset._c(codes.RESIDENCE_CHOICES),
        ),
    ),
    "offences": (Column("description", VARCHAR, "What happened (default: the category)."),),
    "outcomes": (
        Column("length_months", INTEGER, "Length of a referral order, YRO or DTO in months."),
        Column("court", VARCHAR, "Court name."),
        Column(
            "varies_outcome_id",
            VARCHAR,
            "For a variation: the order it varies.",
            references="outcomes.outcome_id",
        ),
    ),
    "interventions": (
        Column(
            "kind",
            VARCHAR,
            "Kind of programme (default: from the outcome).",
            codes=tuple(KIND.values),
        ),
        Column("planned_end_date", DATE, "Planned end."),
    ),
    "send": (
        Column(
            "support",
            VARCHAR,
            "EHCP, SEN_SUPPORT, IDP or NONE (default: from formal_plan).",
            codes=("EHCP", "SEN_SUPPORT", "IDP", "NONE"),
        ),
    ),
}

# Model field -> canonical column, where the names differ: a rule's problem is reported
# against the column the value came from.
FIELD_COLUMN = {
    "children": {},
    "offences": {},
    "outcomes": {"code": "outcome_code", "varies": "varies_outcome_id", "offences": "outcome_id"},
    "interventions": {"outcome": "outcome_id"},
    "remands": {"start_date": "decision_date"},
    "mental_health": {
        "need_identified_on": "need_identified_date",
        "referred_on": "referred_date",
        "offered_on": "offered_date",
        "attended_start": "attended_start_date",
        "attended_end": "attended_end_date",
    },
    "accommodation": {"accommodation_suitability": "suitability"},
    "ete": {"ete_suitability": "suitability"},
}
FIELD_COLUMN["substance_misuse"] = FIELD_COLUMN["mental_health"]
KEYS = {t.name: t.key for t in dataset.TABLES}
SOURCE_FIELDS = ("service", "system", "table", "source_id", "object_id", "row_hash", "imported_at")


# What a row's hash covers: its values as `json.dumps(values, default=str, sort_keys=True)`
# (one encoder for every row: the same text).
_DIGEST_JSON = json.JSONEncoder(default=str, sort_keys=True)


class ImportFailed(Exception):
    """The source cannot be read at all (no such folder, a broken mapping): one line."""


@dataclass
class Problem:
    file: str
    row: int | str
    column: str
    value: str
    reason: str
    severity: str = "error"

    def line(self) -> str:
        where = f"{self.file} row {self.row}" if self.row != "" else self.file
        col = f", column {self.column}" if self.column else ""
        val = f" ({self.value!r})" if self.value not in ("", None) else ""
        return f"{self.severity.upper()}: {where}{col}{val}: {self.reason}"


@dataclass
class Row:
    table: str
    file: str
    number: int
    values: dict  # canonical column -> typed value (None: empty)
    raw: dict  # canonical column -> the source's text
    columns: dict  # canonical column -> the source's column name

    @functools.cached_property
    def key(self) -> str:
        return "|".join(str(self.values[k]) for k in KEYS[self.table])

    def digest(self) -> str:
        return hashlib.sha1(_DIGEST_JSON.encode(self.values).encode()).hexdigest()


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    written: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def summary(self) -> list[str]:
        lines = []
        for table in TABLES:
            c = self.counts.get(table, {})
            parts = [
                f"{c[k]} {k}" for k in ("created", "updated", "unchanged", "skipped") if c.get(k)
            ]
            if parts:
                lines.append(f"{table}: {', '.join(parts)}")
        return lines

    def write_csv(self, path: Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            out = outputs.csv_writer(fh)  # never a formula when opened in a spreadsheet
            out.writerow(["file", "row", "column", "value", "severity", "reason"])
            for p in self.problems:
                out.writerow(
                    [p.file, p.row, p.column, outputs.safe_text(p.value), p.severity, p.reason]
                )


# Mapping -----------------------------------------------------------------------------------


@dataclass
class TableMap:
    table: str
    file: str
    columns: dict[str, str]  # canonical -> source column ("" = use the canonical name)
    codes: dict[str, dict[str, str]]  # canonical column -> {source value: our code}
    defaults: dict[str, str]
    date_formats: dict[str, list[str]]
    split: dict[str, str]


@dataclass
class Mapping:
    system: str = "dataset"
    encoding: str = "utf-8-sig"
    date_formats: list[str] = field(default_factory=lambda: list(DEFAULT_DATE_FORMATS))
    tables: dict[str, TableMap] = field(default_factory=dict)
    explicit: bool = False  # a mapping file named its tables (others are not read)

    def table(self, name: str) -> TableMap | None:
        if name in self.tables:
            return self.tables[name]
        if self.explicit:
            return None
        return TableMap(name, name, {}, {}, {}, {}, {})


def _list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def load_mapping(path: str | Path | None) -> Mapping:
    """The mapping file (TOML), or the canonical layout when there is none."""
    if path is None:
        return Mapping()
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFailed(f"cannot read the mapping {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"the mapping {path} is not valid TOML: {exc}") from None
    source = data.get("source", {})
    mapping = Mapping(
        system=str(source.get("system", "dataset")),
        encoding=str(source.get("encoding", "utf-8-sig")),
        date_formats=_list(source.get("date_format", list(DEFAULT_DATE_FORMATS))),
        explicit=bool(data.get("tables")),
    )
    for name, spec in data.get("tables", {}).items():
        if name not in TABLES:
            raise ImportFailed(
                f"the mapping names a table the import does not know: [tables.{name}] "
                f"(known: {', '.join(TABLES)})"
            )
        known = {c.name for c in columns_of(name)}
        for section in ("columns", "codes", "defaults", "date_format", "split"):
            for col in spec.get(section, {}):
                if col not in known:
                    raise ImportFailed(
                        f"the mapping's [tables.{name}.{section}] names {col!r}, not a column "
                        f"of {name} (known: {', '.join(sorted(known))})"
                    )
        mapping.tables[name] = TableMap(
            table=name,
            file=str(spec.get("file", name)),
            columns={k: str(v) for k, v in spec.get("columns", {}).items()},
            codes={
                k: {str(a): str(b) for a, b in v.items()} for k, v in spec.get("codes", {}).items()
            },
            defaults={k: str(v) for k, v in spec.get("defaults", {}).items()},
            date_formats={k: _list(v) for k, v in spec.get("date_format", {}).items()},
            split={k: str(v) for k, v in spec.get("split", {}).items()},
        )
    return mapping


def columns_of(table: str) -> tuple[Column, ...]:
    return (*dataset.TABLE_BY_NAME[table].columns, *EXTRA.get(table, ()))


# Reading the source ------------------------------------------------------------------------


class Source:
    """The files (or sheets) of the source, read as text rows with their row numbers."""

    def __init__(self, path: str | Path, encoding: str = "utf-8-sig"):
        self.path = Path(path)
        self.encoding = encoding
        if not self.path.exists():
            raise ImportFailed(f"no such file or folder: {self.path}")
        self.workbook = None
        if self.path.is_file():
            if self.path.suffix.lower() != ".xlsx":
                raise ImportFailed(f"{self.path}: give a folder of CSV files or an .xlsx workbook")
            import openpyxl

            try:
                self.workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
            except Exception as exc:  # a damaged or mislabelled workbook: one readable line
                raise ImportFailed(f"{self.path}: not a readable XLSX workbook ({exc})") from None

    def names(self) -> list[str]:
        if self.workbook is not None:
            return list(self.workbook.sheetnames)
        return sorted(p.stem for p in self.path.glob("*.csv"))

    def find(self, name: str) -> str | None:
        """The file or sheet called `name` (with or without .csv, any case)."""
        stem = name[:-4] if name.lower().endswith(".csv") else name
        for candidate in self.names():
            if candidate.lower() == stem.lower():
                return candidate
        return None

    def read(self, name: str, problems: list[Problem]) -> tuple[str, list[str], list]:
        """(label, header, [(row number, [values])]); undecodable text is a problem."""
        if self.workbook is not None:
            return self._sheet(name)
        path = self.path / f"{name}.csv"
        label = path.name
        raw = path.read_bytes()
        try:
            text = raw.decode(self.encoding)
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problems.append(
                Problem(
                    label,
                    line,
                    "",
                    repr(raw[exc.start : exc.start + 4])[2:-1],
                    f"not {self.encoding.replace('-sig', '').upper()} text (byte {exc.start}): "
                    "save the file as UTF-8, or name its encoding in the mapping "
                    "([source] encoding)",
                )
            )
            return label, [], []
        text = text.lstrip("\ufeff")
        first = text.split("\n", 1)[0]
        if not first.strip():
            return label, [], []
        delim = max(",;\t|", key=first.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        try:
            header = [h.strip() for h in next(reader)]
            rows = [(i, values) for i, values in enumerate(reader, start=2) if any(values)]
        except csv.Error as exc:
            problems.append(Problem(label, reader.line_num, "", "", f"not readable CSV: {exc}"))
            return label, [], []
        return label, header, rows

    def _sheet(self, name: str):
        sheet = self.workbook[name]
        it = sheet.iter_rows(values_only=True)
        header = [("" if v is None else str(v)).strip() for v in next(it, ())]
        while header and not header[-1]:
            header.pop()
        rows = []
        for i, values in enumerate(it, start=2):
            cells = [_cell(v) for v in values]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if any(cells):
                rows.append((i, cells))
        return f"{self.path.name}[{name}]", header, rows


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _day_month_year(text: str) -> dt.date:
    day, month, year = text.split("/")
    if len(year) != 4:
        raise ValueError(text)
    return dt.date(int(year), int(month), int(day))


def _iso(text: str) -> dt.date:
    if len(text) != 10:
        raise ValueError(text)
    return dt.date.fromisoformat(text)


_FAST_DATES = {"%Y-%m-%d": _iso, "%d/%m/%Y": _day_month_year}


def _typed(col: Column, text: str, formats: list[str]):
    """(value, reason): the text as the column's type, or why it is not one."""
    if col.type == DATE:
        for fmt in formats:
            if fmt in _FAST_DATES:  # the common layouts without strptime (most of the time)
                try:
                    value = _FAST_DATES[fmt](text)
                except ValueError:
                    continue
                return (None if value < EARLIEST else value), None
            try:
                value = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
            return (None if value < EARLIEST else value), None
        return None, f"not a date ({' or '.join(formats)})"
    if col.type == BOOLEAN:
        low = text.lower()
        if low in TRUE or low in FALSE:
            return low in TRUE, None
        return None, "not true/false"
    if col.type == INTEGER:
        try:
            number = float(text)
        except ValueError:
            return None, "not a whole number"
        return (int(number), None) if number.is_integer() else (None, "not a whole number")
    if col.type == DOUBLE:
        try:
            return float(text), None
        except ValueError:
            return None, "not a number"
    if col.codes is not None:
        code = text.strip().upper()
        if col.name == "sex":
            code = SEX_WORDS.get(code, code)
        if code not in col.codes:
            shown = ", ".join(col.codes[:10]) + (", ..." if len(col.codes) > 10 else "")
            return None, f"not one of the allowed codes ({shown}); translate it in the mapping"
        return code, None
    return text, None


def read_table(
    source: Source, mapping: Mapping, table: str, problems: list[Problem], progress=None
) -> list[Row]:
    """The table's rows as canonical values; every problem of a single value is collected."""
    spec = mapping.table(table)
    if spec is None:
        return []
    found = source.find(spec.file)
    if found is None:
        if table in mapping.tables:  # the mapping asked for it
            problems.append(
                Problem(
                    spec.file,
                    "",
                    "",
                    "",
                    f"no file or sheet {spec.file!r} in {source.path.name} (mapped as {table})",
                )
            )
        return []
    label, header, rows = source.read(found, problems)
    if not header:
        return []
    position = {h.lower(): i for i, h in enumerate(header)}
    cols = columns_of(table)
    where: dict[str, int] = {}
    names: dict[str, str] = {}
    headline = len(problems)
    for col in cols:
        name = spec.columns.get(col.name, col.name)
        names[col.name] = name
        if spec.columns and col.name not in spec.columns:
            # a mapped table reads only the columns its mapping names
            if col.required and col.name not in spec.defaults:
                problems.append(
                    Problem(
                        label,
                        1,
                        col.name,
                        "",
                        f"the mapping gives no column for "
                        f"the required {table}.{col.name} (add it to "
                        f"[tables.{table}.columns], or give a default)",
                    )
                )
            continue
        if name.lower() in position:
            where[col.name] = position[name.lower()]
        elif col.name in spec.columns:
            problems.append(
                Problem(
                    label,
                    1,
                    name,
                    "",
                    f"the mapping's column {name!r} (for "
                    f"{table}.{col.name}) is not in the file's header",
                )
            )
        elif col.required and col.name not in spec.defaults:
            problems.append(
                Problem(
                    label,
                    1,
                    name,
                    "",
                    f"required column {col.name!r} is "
                    "missing (map it in the mapping's [tables."
                    f"{table}.columns], or give a default)",
                )
            )
    absent = {p.column for p in problems[headline:]}  # reported once, not on every row
    # each column's reading worked out once, not again for every cell
    plan = [
        (
            col,
            col.name,
            where.get(col.name),
            names[col.name],
            spec.codes.get(col.name),
            spec.defaults.get(col.name, ""),
            spec.split.get(col.name),
            spec.date_formats.get(col.name, mapping.date_formats),
            col.required and names[col.name] not in absent,
        )
        for col in cols
    ]
    formula = FORMULA_START[:4]
    out: list[Row] = []
    seen: dict[str, int] = {}
    for number, values in _tick(rows, progress, f"Reading {label}"):
        if len(values) != len(header):
            problems.append(
                Problem(
                    label,
                    number,
                    "",
                    "",
                    f"{len(values)} values, but the header has {len(header)} columns",
                )
            )
            continue
        typed, raw, bad = {}, {}, False
        for col, name, at, shown, table_codes, default, split, formats, required in plan:
            text = values[at].strip() if at is not None else ""
            raw[name] = text
            if text.startswith(formula) and not _negative_number(col, text):
                problems.append(
                    Problem(
                        label,
                        number,
                        shown,
                        text,
                        "a formula (starts with =, +, - or @): refused; enter the value",
                    )
                )
                bad = True
                continue
            if text and table_codes is not None:
                text = table_codes.get(text, _any_case(table_codes, text))
            if not text:
                text = default
            if not text:
                if required:
                    problems.append(Problem(label, number, shown, "", "a value is required"))
                    bad = True
                typed[name] = None
                continue
            parts = text.split(split) if split is not None else None
            value, reason = _typed(col, text if parts is None else parts[0].strip(), formats)
            if reason:
                problems.append(Problem(label, number, shown, raw[name], reason))
                bad = True
            typed[name] = value
            if parts is not None:
                typed[name] = [p.strip() for p in parts if p.strip()]
        if bad:
            continue
        for split_rows in _expand(typed, spec.split):
            row = Row(table, label, number, split_rows, raw, names)
            key = row.key
            if key in seen:
                problems.append(
                    Problem(
                        label,
                        number,
                        names[KEYS[table][0]],
                        key,
                        f"duplicate id: also on row {seen[key]}",
                    )
                )
                continue
            seen[key] = number
            out.append(row)
    return out


def _negative_number(col: Column, text: str) -> bool:
    return col.type in (INTEGER, DOUBLE) and text[:1] == "-" and text[1:].replace(".", "").isdigit()


def _any_case(table_codes: dict[str, str], text: str) -> str:
    low = text.lower()
    return next((v for k, v in table_codes.items() if k.lower() == low), text)


def _expand(values: dict, split: dict[str, str]) -> Iterable[dict]:
    """A cell holding several ids ("O1;O2", a mapping's `split`) gives one row per id."""
    lists = [k for k in split if isinstance(values.get(k), list)]
    if not lists:
        yield values
        return
    name = lists[0]
    for item in values[name]:
        yield {**values, name: item}


def _tick(items, progress, label):
    if progress is None or len(items) < PROGRESS_FROM:
        return items
    return progress(items, label)


# Building and validating records ------------------------------------------------------------


@dataclass
class Planned:
    """One row's record: new (to be created) or existing (unchanged or to be updated)."""

    row: Row
    obj: object
    state: str  # created, updated, unchanged
    source: SourceRecord | None = None
    before: dict | None = None


def _kind(code: str, licence: bool) -> str:
    if licence:
        return KIND.LICENCE
    info = codes.OUTCOME_BY_CODE[code]
    if info.group == "CUSTODY":
        return KIND.CUSTODY
    if code in ("REFERRAL_ORDER", "YRO"):
        return code
    return KIND.OOCD if info.oocd or info.group == "PRE_COURT" else KIND.DIVERSION


class Importer:
    def __init__(
        self,
        service: Service,
        mapping: Mapping,
        *,
        actor=None,
        team: Team | None = None,
        progress=None,
        today: dt.date | None = None,
    ):
        self.service = service
        self.mapping = mapping
        self.actor = actor
        self.team = team or Team.objects.filter(service=service).order_by("name").first()
        self.progress = progress
        self.today = today or timezone.localdate()
        self.result = Result()
        self.problems = self.result.problems
        self.plans: dict[str, list[Planned]] = {t: [] for t in TABLES}
        self.by_id: dict[str, dict[str, object]] = {t: {} for t in TABLES}
        self.known: dict[tuple[str, str], SourceRecord] = {}
        self.links: list[tuple[object, object, Row]] = []
        self.variations: list[tuple[object, object]] = []
        self.ethnicities: list[tuple[object, str]] = []
        self.new_children: set[int] = set()
        self.refused: set[tuple[str, str]] = set()
        self._stamp = None

    # -- reading

    def run(self, source_path, *, dry_run: bool = False) -> Result:
        source = Source(source_path, self.mapping.encoding)
        if self.team is None:
            raise ImportFailed(f"the service {self.service.code} has no team to hold the children")
        for name in source.names():
            if name.lower() in NOT_IMPORTED and not self.mapping.explicit:
                self.problems.append(
                    Problem(
                        f"{name}",
                        "",
                        "",
                        "",
                        "not imported (the import reads " + ", ".join(TABLES) + ")",
                        "warning",
                    )
                )
        rows = {
            t: read_table(source, self.mapping, t, self.problems, self.progress) for t in TABLES
        }
        if not any(rows.values()) and not self.result.errors:
            self.problems.append(
                Problem(
                    source.path.name,
                    "",
                    "",
                    "",
                    "nothing to import: no file or sheet named as a table (docs/import.md)",
                )
            )
        self.known = {
            (r.table, r.source_id): r
            for r in SourceRecord.objects.filter(service=self.service, system=self.mapping.system)
        }
        if not self.result.errors:
            self.plan(rows)
        if self.result.errors or dry_run:
            return self.result
        self.write()
        self.result.written = True
        return self.result

    # -- planning: every record built and judged, nothing saved

    def problem(self, row: Row, column: str, reason: str, severity: str = "error"):
        if severity == "error":  # rows resting on this one are not reported again
            self.refused.add((row.table, row.values.get(KEYS[row.table][0])))
        self.problems.append(
            Problem(
                row.file,
                row.number,
                row.columns.get(column, column),
                row.raw.get(column, ""),
                reason,
                severity,
            )
        )

    def existing(self, table: str, source_id: str, model):
        record = self.known.get((table, source_id))
        if record is None:
            return None, None
        obj = model._base_manager.filter(pk=record.object_id).first()
        return obj, record

    def _existing_many(self, table: str, model, ids: Iterable[str]) -> dict[str, tuple]:
        """Records earlier imports made for these source ids, in one query."""
        records = {i: self.known[(table, i)] for i in ids if (table, i) in self.known}
        objs = model._base_manager.in_bulk([r.object_id for r in records.values()])
        return {i: (objs.get(r.object_id), r) for i, r in records.items()}

    def resolve(self, row: Row, table: str, column: str, model):
        """The record a row's reference names: from this import, or from an earlier one."""
        source_id = row.values[column]
        if source_id in self.by_id[table]:
            return self.by_id[table][source_id]
        if (table, source_id) in self.refused:
            return None  # its own problem is reported
        obj, _ = self.existing(table, source_id, model)
        if obj is None:
            self.problem(
                row, column, f"no {table} row with this id in this import or an earlier one"
            )
        elif getattr(obj, "merged_into_id", None):
            obj = obj.merged_into
        self.by_id[table][source_id] = obj
        return obj

    def plan(self, rows: dict[str, list[Row]]) -> None:
        self.as_of = services.today()  # the day every date is judged against, asked once
        self._children(rows["children"])
        self._records(rows["offences"], "offences", cw.Offence, self._offence)
        self._outcomes(rows["outcomes"], rows["outcome_offences"])
        self._records(rows["interventions"], "interventions", cw.Intervention, self._intervention)
        for table, build in (
            ("care_status", self._care_status),
            ("send", self._send),
            ("accommodation", self._accommodation),
            ("ete", self._ete),
            ("mental_health", self._health(cw.MentalHealthRecord)),
            ("substance_misuse", self._health(cw.SubstanceMisuseRecord)),
            ("remands", self._remand),
        ):
            self._records(rows[table], table, RECORD_MODELS[table], build)

    def _state(self, table: str, row: Row, obj, existing, record, plans) -> None:
        """Judge the record (new, or an existing one with the row's values) and plan it."""
        if existing is None:
            plans.append(Planned(row, obj, "created"))
            return
        if record.row_hash == row.digest():
            self.result.counts[table]["unchanged"] += 1
            return
        plans.append(Planned(row, existing, "updated", record))

    def _judge(
        self, row: Row, obj, child, *, offences=None, before=None, extra=None, lenient=()
    ) -> bool:
        table = row.table
        unchanged = set()
        if before:
            after = audit.field_values(obj)
            unchanged = {k for k, v in before.items() if after.get(k) == v}
        varied = getattr(obj, "_import_varied", None)
        if varied is not None:  # judged as if both were saved: the rule compares their ids
            varied.pk = -1
            obj.varies = varied
        try:
            if isinstance(obj, cw.Child):
                problems = services.date_problems(obj, unchanged=unchanged, as_of=self.as_of)
            else:
                problems = services.record_problems(
                    obj,
                    child=child,
                    unchanged=unchanged,
                    as_of=self.as_of,
                    offences=getattr(obj, "_import_offences", offences),
                )
        finally:
            if varied is not None:
                varied.pk = None
                obj.varies = None
        problems.update(extra or {})
        try:
            failing = _failing_text(obj)
            if failing:  # Django's own check of those fields, for its messages
                obj.clean_fields(
                    exclude=_not_checked(type(obj)) | _text_fields(type(obj)) - failing
                )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                problems.setdefault(name, " ".join(messages))
        ok = True
        mapping = FIELD_COLUMN.get(table, {})
        for name, message in problems.items():
            column = mapping.get(name, name)
            if name in lenient:
                self.problem(
                    row,
                    column,
                    f"{message} (not in the source: imported without "
                    "it, record it on the child's record)",
                    "warning",
                )
                continue
            self.problem(row, column, message)
            ok = False
        return ok

    def _children(self, rows: list[Row]) -> None:
        existing = self._existing_many("children", cw.Child, [r.values["child_id"] for r in rows])
        refs = {r.values["reference"] for r in rows if r.values.get("reference")}
        by_ref = {
            c.reference: c
            for c in cw.Child.objects.filter(service=self.service, reference__in=refs)
        }
        dobs = set(
            cw.Child.objects.filter(service=self.service).values_list("date_of_birth", flat=True)
        )
        teams = {t.name.lower(): t for t in Team.objects.filter(service=self.service)}
        for row in _tick(rows, self.progress, "Checking children"):
            v = row.values
            if v.get("deleted"):
                self.result.counts["children"]["skipped"] += 1
                self.refused.add(("children", v["child_id"]))  # and the rows resting on it
                self.problem(row, "deleted", "a deleted person record: not imported", "warning")
                continue
            child, record = existing.get(v["child_id"], (None, None))
            if record is not None and record.row_hash == row.digest() and child is not None:
                self.by_id["children"][v["child_id"]] = child
                self.result.counts["children"]["unchanged"] += 1
                continue
            if child is None and v.get("reference"):
                child = by_ref.get(v["reference"])
                if child is None:
                    self.problem(row, "reference", "no child of this service has this reference")
                    continue
            team = self.team
            if v.get("team"):
                team = teams.get(v["team"].lower())
                if team is None:
                    self.problem(row, "team", "no team of this service has this name")
                    continue
            before = audit.field_values(child) if child is not None else None
            obj = child if child is not None else _new(cw.Child, service=self.service, team=team)
            if child is not None and (child.erased_at or child.merged_into_id):
                self.problem(
                    row, "child_id", "this child's record here was erased or merged: not updated"
                )
                continue
            names = (v.get("first_name") or "", v.get("last_name") or "")
            obj.date_of_birth = v["date_of_birth"]
            obj.sex = v.get("sex") or "0"
            obj.gender = v.get("gender") or ""
            obj.first_name = names[0] or (obj.first_name if child else "Not known")
            obj.last_name = names[1] or (obj.last_name if child else f"Imported {v['child_id']}")
            obj.preferred_name = v.get("preferred_name") or obj.preferred_name
            obj.pnc_number = cw.normalise_pnc(v.get("pnc_number") or obj.pnc_number)
            obj.residence = v.get("residence") or obj.residence or "NOT_KNOWN"
            obj.previous_substantive_outcome = bool(v.get("previous_substantive_outcome"))
            if child is None and all(names) and not v.get("new_child"):
                dob = v["date_of_birth"]
                if dob in dobs or selectors._swapped(dob) in dobs or obj.pnc_number:
                    matches = selectors.likely_matches(self.service, *names, dob, obj.pnc_number)
                    if matches:
                        which = "; ".join(
                            f"{m.child.reference} ({m.reason.lower()})" for m in matches
                        )
                        self.problem(
                            row,
                            "child_id",
                            f"possibly a child already here: {which}. "
                            "Put their reference in a 'reference' column to add to that "
                            "record, or new_child TRUE if this is another child",
                        )
                        continue
            if not self._judge(row, obj, None, before=before):
                continue
            self.by_id["children"][v["child_id"]] = obj
            if child is not None and record is None:  # linked by reference
                record = SourceRecord(object_id=child.pk, row_hash="")
            if v.get("ethnicity") and v["ethnicity"] not in codes.ETHNICITY_GROUP:
                self.problem(
                    row,
                    "ethnicity",
                    "only the reporting group: translate it to a "
                    "2021 census category in the mapping (or NOT_STATED)",
                )
                continue
            if v.get("ethnicity"):
                self.ethnicities.append((obj, v["ethnicity"]))
            self._state("children", row, obj, child, record, self.plans["children"])
            if (
                child is not None
                and self.plans["children"]
                and self.plans["children"][-1].obj is child
            ):
                self.plans["children"][-1].before = before

    def _records(self, rows, table, model, build: Callable) -> None:
        key = KEYS[table][0]
        existing = self._existing_many(table, model, [r.values[key] for r in rows])
        for row in _tick(rows, self.progress, f"Checking {table}"):
            if row.values.get("voided"):
                self.result.counts[table]["skipped"] += 1
                continue
            child = self.resolve(row, "children", "child_id", cw.Child)
            if child is None:
                self.refused.add((table, row.values[key]))
                continue
            obj, record = existing.get(row.values[key], (None, None))
            if record is not None and record.row_hash == row.digest() and obj is not None:
                self.by_id[table][row.values[key]] = obj
                self.result.counts[table]["unchanged"] += 1
                continue
            if obj is not None and getattr(obj, "voided_at", None):
                self.problem(row, key, "this record was voided here: not updated")
                continue
            before = audit.field_values(obj) if obj is not None else None
            if obj is None:
                if child.closed_on:
                    self.problem(row, "child_id", services.closed_case_message(child))
                    continue
                obj = _new(model, child=child)
            built = build(row, obj, child)
            if built is None:
                continue
            obj, extra, lenient = built
            if not self._judge(row, obj, child, before=before, extra=extra, lenient=lenient):
                continue
            self.by_id[table][row.values[key]] = obj
            self._state(
                table, row, obj, obj if before is not None else None, record, self.plans[table]
            )
            if before is not None and self.plans[table] and self.plans[table][-1].obj is obj:
                self.plans[table][-1].before = before

    def _offence(self, row, obj, child):
        v = row.values
        obj.offence_date, obj.arrest_date = v["offence_date"], v.get("arrest_date")
        obj.category = v.get("category") or "OTHER"
        obj.gravity_score = v.get("gravity_score")
        obj.description = (
            v.get("description") or obj.description or dict(codes.OFFENCE_CATEGORIES)[obj.category]
        )[:200]
        return obj, {}, ()

    def _outcomes(self, rows: list[Row], link_rows: list[Row]) -> None:
        offences_of: dict[str, list] = defaultdict(list)
        pending = []
        for link in link_rows:
            offence = self.resolve(link, "offences", "offence_id", cw.Offence)
            if offence is not None:
                offences_of[link.values["outcome_id"]].append((offence, link))
                pending.append(link)
        self._outcome_offences = offences_of
        self._records(rows, "outcomes", cw.Outcome, self._outcome)
        for link in pending:
            if link.values["outcome_id"] not in self.by_id["outcomes"]:
                self.resolve(link, "outcomes", "outcome_id", cw.Outcome)
        by_outcome = defaultdict(list)
        for key, pairs in offences_of.items():
            outcome = self.by_id["outcomes"].get(key)
            if outcome is None:
                continue
            for offence, link in pairs:
                by_outcome[key].append((outcome, offence, link))
        self._links = by_outcome

    def _outcome(self, row, obj, child):
        v = row.values
        obj.code = v["outcome_code"]
        obj.outcome_date = v["outcome_date"]
        obj.first_hearing_date = v.get("first_hearing_date")
        obj.residence = v.get("residence") or "NOT_KNOWN"
        obj.appeal_status = v.get("appeal_status") or "NONE"
        obj.is_variation = bool(v.get("is_variation"))
        obj.length_months = v.get("length_months")
        obj.court = v.get("court") or obj.court
        lenient = ["length_months"] if v.get("length_months") is None else []
        pairs = self._outcome_offences.get(v["outcome_id"], [])
        offences = [o for o, _ in pairs]
        if obj.pk:
            offences = list({o.pk or id(o): o for o in [*obj.offences.all(), *offences]}.values())
        for offence in offences:
            if not _of(offence, child):
                return self.problem(
                    row,
                    "outcome_id",
                    "an offence linked to this outcome (outcome_offences) is another child's",
                )
        varied = None
        if v.get("varies_outcome_id"):
            varied = self.resolve(row, "outcomes", "varies_outcome_id", cw.Outcome)
            if varied is None:
                return None
            if varied.pk is None:
                obj._import_varied = varied  # linked once both are saved (write)
                self.variations.append((obj, varied))
            else:
                obj.varies = varied
        elif obj.is_variation:
            lenient.append("varies")
        obj._import_offences = offences
        return obj, {}, tuple(lenient)

    def _intervention(self, row, obj, child):
        v = row.values
        outcome = self.resolve(row, "outcomes", "outcome_id", cw.Outcome)
        if outcome is None:
            return None
        if not _of(outcome, child):
            return self.problem(row, "outcome_id", "this outcome is another child's")
        obj.outcome = outcome
        obj.start_date, obj.end_date = v["start_date"], v.get("end_date")
        obj.planned_end_date = v.get("planned_end_date")
        obj.kind = v.get("kind") or _kind(outcome.code, bool(v.get("is_licence")))
        obj.completed_successfully = v.get("kpi6_completed")
        if child.pk:
            obj.team_id = child.team_id
        else:
            obj.team = child.team
        return obj, {}, ()

    def _care_status(self, row, obj, child):
        v = row.values
        obj.status, obj.start_date, obj.end_date = v["status"], v["start_date"], v.get("end_date")
        return obj, {}, ()

    def _send(self, row, obj, child):
        v = row.values
        obj.identified, obj.formal_plan = v["identified"], v.get("formal_plan") or "NO"
        obj.start_date, obj.end_date = v["start_date"], v.get("end_date")
        obj.support = v.get("support") or (
            "EHCP"
            if obj.formal_plan == "YES"
            else "SEN_SUPPORT"
            if obj.identified == "YES"
            else "NONE"
        )
        return obj, {}, ()

    def _accommodation(self, row, obj, child):
        v = row.values
        obj.accommodation_type = v["accommodation_type"]
        obj.suitability = v.get("suitability") or "UNKNOWN"
        obj.start_date, obj.end_date = v["start_date"], v.get("end_date")
        extra = services.status_problems(
            {
                "accommodation_type": obj.accommodation_type,
                "accommodation_suitability": obj.suitability,
            }
        )
        return obj, extra, ()

    def _ete(self, row, obj, child):
        v = row.values
        obj.provision = v["provision"]
        obj.suitability = v.get("suitability") or "UNKNOWN"
        obj.hours_offered = round(v.get("hours_offered") or 0)
        obj.hours_attended = round(v.get("hours_attended") or 0)
        obj.start_date, obj.end_date = v["start_date"], v.get("end_date")
        extra = services.status_problems(
            {
                "provision": obj.provision,
                "ete_suitability": obj.suitability,
                "hours_offered": obj.hours_offered,
                "hours_attended": obj.hours_attended,
            }
        )
        return obj, extra, ()

    def _health(self, model):
        def build(row, obj, child):
            v = row.values
            obj.need_identified_on = v.get("need_identified_date")
            obj.referred_on = v.get("referred_date")
            obj.offered_on = v.get("offered_date")
            obj.attended_start = v.get("attended_start_date")
            obj.attended_end = v.get("attended_end_date")
            obj.intervention_type = v.get("intervention_type") or "NO_INTERVENTION"
            return obj, {}, ()

        return build

    def _remand(self, row, obj, child):
        v = row.values
        obj.decision, obj.start_date, obj.end_date = (
            v["decision"],
            v["decision_date"],
            v.get("end_date"),
        )
        return obj, {}, ()

    # -- writing

    @transaction.atomic
    def write(self) -> None:
        """Everything planned, in one transaction: new records in bulk (`bulk.Copier`: on
        PostgreSQL the database takes in one batch while the next is prepared here), changes
        audited. What must be read first (references, ids, what is here already) is read
        before the first row is written."""
        new_of = {t: [p for p in self.plans[t] if p.state == "created"] for t in TABLES}
        created_children = [p.obj for p in new_of["children"]]
        if created_children:
            for child, reference in zip(
                created_children, _references(len(created_children)), strict=True
            ):
                child.reference = reference
                child.revision = 1
        ethnicities = self._new_ethnicities()
        links_here = self._links_here()
        user = _user(self.actor)
        events = []
        description = f"Imported from {self.mapping.system}"
        tables = [cw.EthnicityRecord, SourceRecord, AuditEvent, cw.Outcome.offences.through]
        tables += [type(new[0].obj) for new in new_of.values() if new]
        with bulk.Copier(m._meta.db_table for m in tables) as copier:
            wanted = {t: (type(new[0].obj), len(new)) for t, new in new_of.items() if new}
            wanted["ethnicity"] = (cw.EthnicityRecord, len(ethnicities))
            ids = bulk.take_ids(copier, wanted)
            # meanwhile, each new row's hash (its SourceRecord)
            digests = {t: [p.row.digest() for p in new] for t, new in new_of.items()}
            ids = ids.result()
            for table in TABLES:
                if table == "outcome_offences":
                    self._write_links(copier, links_here)
                    continue
                plans, new = self.plans[table], new_of[table]
                for batch, batch_ids in zip(
                    bulk.batches(new, bulk.ROWS),
                    bulk.batches(ids.get(table, ()), bulk.ROWS),
                    strict=True,
                ):
                    objs = [p.obj for p in batch]
                    for obj in objs:
                        if hasattr(obj, "updated_by_id"):
                            if user is None:  # nobody signed in: no user to link (nor to cache)
                                obj.updated_by_id = None
                            else:
                                obj.updated_by = user
                    copier.insert(type(objs[0]), objs, batch_ids)
                sources = []
                for p, digest in zip(new, digests[table], strict=True):
                    sources.append(self._source(table, p, digest))
                    if table == "children":
                        self.new_children.add(p.obj.pk)
                        events.append(
                            self._event("CREATE", p.obj, p.obj, f"{description} ({p.row.key})")
                        )
                    elif p.obj.child_id not in self.new_children:
                        events.append(self._event("CREATE", p.obj, p.obj.child, description))
                self.result.counts[table]["created"] += len(new)
                updated = [p for p in plans if p.state == "updated"]
                if updated:
                    copier.drain()  # the updates are written here, after the inserts
                for p in updated:
                    services._save(
                        self.actor,
                        p.obj,
                        description=f"Updated by import from {self.mapping.system} ({p.row.key})",
                    )
                    if p.source.pk:
                        p.source.row_hash = p.row.digest()
                        p.source.save(update_fields=["row_hash", "imported_at"])
                    else:  # a child linked by its reference
                        sources.append(self._source(table, p, p.row.digest()))
                    self.result.counts[table]["updated"] += 1
                copier.insert_rows(SourceRecord, list(SOURCE_FIELDS), sources)
                if table == "outcomes" and self.variations:
                    copier.drain()
                    for outcome, varied in self.variations:
                        outcome.varies = varied
                    cw.Outcome.objects.bulk_update([o for o, _ in self.variations], ["varies"])
                if table == "children":
                    copier.insert(cw.EthnicityRecord, ethnicities, ids["ethnicity"])
            # one chain (its head read once), hashed here while the last rows go in
            audit.append(events, insert=functools.partial(_insert_events, copier))

    def _source(self, table: str, p: Planned, digest: str) -> tuple:
        """The `SourceRecord` of a written row, as the values of `SOURCE_FIELDS`."""
        if self._stamp is None:
            self._stamp = timezone.now()  # imported_at (auto_now), one for the import
        return (
            self.service.pk,
            self.mapping.system,
            table,
            p.row.key,
            p.obj.pk,
            digest,
            self._stamp,
        )

    def _event(self, action, obj, child, description):
        return _new(
            AuditEvent,
            actor=_user(self.actor),
            action=action,
            child_id=child.pk,
            object_type=obj._meta.verbose_name,
            object_id=str(obj.pk),
            description=description,
        )

    def _new_ethnicities(self) -> list:
        """The ethnicity records to add: a child's latest from the source, unless it is the
        one recorded here already (children here before only; a new child has none)."""
        current_of = {}
        existing = [c.pk for c, _ in self.ethnicities if c.pk is not None]
        for batch in bulk.batches(existing, 900):
            for child_id, ethnicity in (
                cw.EthnicityRecord.objects.filter(child_id__in=batch)
                .order_by("recorded_on", "id")
                .values_list("child_id", "ethnicity")
            ):
                current_of[child_id] = ethnicity
        latest = {}  # by child, in the order each child first appears
        for child, ethnicity in self.ethnicities:
            key = ("here", child.pk) if child.pk is not None else ("new", id(child))
            latest[key] = (child, ethnicity)
        return [
            _new(cw.EthnicityRecord, child=child, ethnicity=ethnicity, recorded_on=self.today)
            for child, ethnicity in latest.values()
            if child.pk is None or current_of.get(child.pk) != ethnicity
        ]

    def _links_here(self) -> set[tuple[int, int]]:
        """The (outcome, offence) links already here: only outcomes here before have any."""
        through = cw.Outcome.offences.through
        outcome_ids = {
            o.pk for pairs in self._links.values() for o, _, _ in pairs if o.pk is not None
        }
        have = set()
        for batch in bulk.batches(sorted(outcome_ids), 900):
            have.update(
                through.objects.filter(outcome_id__in=batch).values_list("outcome_id", "offence_id")
            )
        return have

    def _write_links(self, copier, have: set[tuple[int, int]]):
        through = cw.Outcome.offences.through
        new = []
        for pairs in self._links.values():
            for outcome, offence, _ in pairs:
                if (outcome.pk, offence.pk) not in have:
                    have.add((outcome.pk, offence.pk))
                    new.append((outcome.pk, offence.pk))
        copier.insert_rows(through, ["outcome", "offence"], new)
        self.result.counts["outcome_offences"]["created"] += len(new)
        total = sum(len(p) for p in self._links.values())
        if total - len(new):
            self.result.counts["outcome_offences"]["unchanged"] += total - len(new)

    def dry_run_counts(self) -> None:
        for table in TABLES:
            for p in self.plans[table]:
                self.result.counts[table][p.state] += 1
        if getattr(self, "_links", None):
            self.result.counts["outcome_offences"]["created"] += sum(
                len(p) for p in self._links.values()
            )


@functools.cache
def _not_checked(model) -> frozenset[str]:
    """Fields `clean_fields` need not judge on import: dates and numbers were parsed from
    their text already, relations are resolved by the import; text (codes and their choices,
    lengths) is judged as a form would."""
    return frozenset(
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation or not isinstance(f, CharField) or f.name == "reference"
    )


@functools.cache
def _defaults(model) -> tuple[list, list[tuple[int, Field]]]:
    """A new record's field values before anything is set: each field's default, the
    constant ones worked out once (`_new`); fields with a callable default, by position."""
    fields = model._meta.concrete_fields
    called = [(i, f) for i, f in enumerate(fields) if f.has_default() and callable(f.default)]
    constant = [None if (i, f) in called else f.get_default() for i, f in enumerate(fields)]
    return constant, called


def _new(model, **related):
    """`model(**related)` (a new record with its defaults, `related` set through their
    descriptors), built from the field values in order, Django's quicker way in: tens of
    thousands of records are built on a large import."""
    constant, called = _defaults(model)
    values = list(constant)
    for i, f in called:
        values[i] = f.get_default()
    obj = model(*values)
    for name, value in related.items():
        setattr(obj, name, value)
    return obj


@functools.cache
def _text_checks(model) -> tuple[tuple[str, str, frozenset | None, int | None, bool], ...]:
    """What `clean_fields` judges of each text field left to it (`_not_checked`): a value
    of its choices, no longer than its max_length, not empty unless it may be blank.
    (name, attname, choices, max_length, blank); a field with other validators is left to
    Django (None choices and a max_length of -1 mark it)."""
    checks = []
    skip = _not_checked(model)
    for f in model._meta.fields:
        if f.name in skip or getattr(f, "generated", False):
            continue
        plain = (
            isinstance(f, CharField)
            and all(
                getattr(type(f), m) is getattr(CharField, m)
                for m in ("to_python", "validate", "clean", "run_validators")
            )
            and all(type(v) is MaxLengthValidator for v in f.validators)
        )
        choices = frozenset(k for k, _ in f.flatchoices) if f.choices is not None else None
        checks.append((f.name, f.attname, choices, f.max_length if plain else -1, f.blank))
    return tuple(checks)


@functools.cache
def _text_fields(model) -> frozenset[str]:
    return frozenset(name for name, *_ in _text_checks(model))


def _failing_text(obj) -> frozenset[str]:
    """The text fields `clean_fields` could refuse: those whose value is not plainly one it
    accepts (the same rules, asked of plain strings without Django's per-field machinery).
    Only these are then judged by `clean_fields` itself, so the messages are Django's."""
    failing = []
    for name, attname, choices, max_length, blank in _text_checks(type(obj)):
        value = getattr(obj, attname)
        if value == "" and blank:  # clean_fields passes it by without asking the field
            continue
        if type(value) is not str or max_length == -1 or value == "":
            failing.append(name)
        elif (choices is not None and value not in choices) or (
            max_length is not None and len(value) > max_length
        ):
            failing.append(name)
    return frozenset(failing)


def _insert_events(copier, events: list) -> None:
    for batch in bulk.batches(events, bulk.ROWS):
        copier.insert(AuditEvent, batch)


def _of(record, child) -> bool:
    """The record is this child's (either may be new, not saved yet)."""
    if child.pk is not None and record.child_id is not None:
        return record.child_id == child.pk
    return record.child is child


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _references(n: int) -> list[str]:
    """`n` new child references: the counter moved on once, under the same lock
    `services.next_reference` takes, skipping any reference already used."""
    first = services.next_reference()  # locks the counter row until the import commits
    prefix = services.REFERENCE_PREFIX
    taken = set(
        cw.Child.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    )
    out, number = [first], int(first[len(prefix) :])
    while len(out) < n:
        number += 1
        ref = f"{prefix}{number:06d}"
        if ref not in taken:
            out.append(ref)
    cw.ReferenceCounter.objects.filter(prefix=prefix).update(last=number)
    return out


def import_source(
    source,
    *,
    service: Service,
    mapping: Mapping | None = None,
    dry_run=False,
    actor=None,
    team: Team | None = None,
    progress=None,
) -> Result:
    """Import a folder of CSV files or an XLSX workbook into the service (see module doc)."""
    importer = Importer(service, mapping or Mapping(), actor=actor, team=team, progress=progress)
    # Hundreds of thousands of records live at once: the cyclic collector would walk them all
    # again and again (most of a large import's time); reference counting frees them anyway.
    collecting = gc.isenabled()
    gc.disable()
    try:
        result = importer.run(source, dry_run=dry_run)
    finally:
        if collecting:
            gc.enable()
    if dry_run and not result.errors:
        importer.dry_run_counts()
    return result


def forget_child(child: cw.Child) -> int:
    """Remove what earlier imports kept of a child (erasure): the source system's ids for the
    child and every record about them, and the hashes of those rows' values - a hash of a
    name and date of birth can be confirmed by guessing, so it is personal data too."""
    from django.db.models import Q

    about = Q(table="children", object_id=child.pk)
    for table, model in RECORD_MODELS.items():
        if table != "children":
            ids = model._base_manager.filter(child=child).values("pk")
            about |= Q(table=table, object_id__in=ids)
    return SourceRecord.objects.filter(about, service_id=child.service_id).delete()[0]
