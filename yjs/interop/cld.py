"""The YJB case-level extract (`yj cld`): the quarterly case-level data a service sends the YJB.

Built from the canonical dataset (the rows a snapshot holds, ``yjs.interop.snapshot``), plus the
assessments the dataset does not carry, each item named and coded as the YJB's published Data
Recording Requirements (DRR) describe it as far as they are public. ``docs/cld.md`` is generated
from ``TABLES`` below (``render_markdown``) and a test keeps the two the same.

What is in a quarter's extract: every child with activity in the quarter (an offence or an
outcome dated in it; an intervention, status record, remand or custody episode open during it;
an assessment completed in it), with all their records up to the quarter's last day. Records
dated after the quarter are left out; an end date after the quarter is left empty (still open
at the quarter's end), so the extract is the same whenever it is run.

``validate`` checks every mandatory item is present, every code is on its list and the dates
agree (an outcome never before its offences, ages 10-17 on the offence date...); a service
with any error must fix it before it can submit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from yjs import codes
from yjs.outputs import csv_text
from yjs.performance import dataset
from yjs.periods import Quarter, age_on

DRR = (
    "YJB, Data Recording Requirements for Youth Offending Teams in England and Wales, "
    "April 2021 to March 2022 (public; sections 'Mandatory Case Level Data', 'Budget and "
    "Staffing', Annex A 'YJB Data Categories', Annex B 'Case Level Data - Further Information')"
)
KPI_GUIDANCE = "YJB, Key performance indicators: guidance for youth justice services (2023)"

ERROR, WARNING = "error", "warning"
ASSESSMENT_KINDS = ("ASSETPLUS", "PREVENTION_DIVERSION", "SHORT_FORMAT")
LEVELS = ("LOW", "MEDIUM", "HIGH", "VERY_HIGH")
OUTCOME_TIERS = ("PRE_COURT", "FIRST_TIER", "COMMUNITY", "CUSTODY")
COURT_TIERS = ("FIRST_TIER", "COMMUNITY", "CUSTODY")
TYPES_OF_ORDER = tuple(codes.TYPE_OF_ORDER_LABELS)
ETHNICITY_CODES = tuple(e[0] for e in codes.ETHNICITY)
GROUP_OF = {code: group for code, _, group in codes.ETHNICITY}


@dataclass(frozen=True)
class Item:
    """One data item of the extract: a column of one of its files."""

    name: str
    description: str
    source: str  # where the value comes from (canonical dataset column, or how derived)
    drr: str = "Mandatory Case Level Data"  # where the DRR asks for it
    mandatory: bool = False
    codes: tuple[str, ...] | None = None
    assumed: str = ""


@dataclass(frozen=True)
class CldTable:
    name: str
    description: str
    drr: str
    items: tuple[Item, ...] = field(default_factory=tuple)
    dated: str | None = None  # the column that puts a record in time (left out after the quarter)

    @property
    def columns(self) -> list[str]:
        return [i.name for i in self.items]


def _pass_through(table: str, drr: str, description: str, dated: str, assumed: str = ""):
    """A table of the extract that is the dataset's own table, item for item (no voided rows)."""
    t = dataset.TABLE_BY_NAME[table]
    items = tuple(
        Item(
            c.name,
            c.description,
            f"dataset `{table}.{c.name}`",
            drr=drr,
            mandatory=c.required,
            codes=c.codes,
            assumed=assumed if c.name == t.key[0] else "",
        )
        for c in t.columns
        if c.name != "voided"
    )
    return CldTable(table, description, drr, items, dated)


_PERSON = "Mandatory Case Level Data: personal details"
_ID_ASSUMED = (
    "The YJB's person identifier is the case system's own; this extract sends the keyed "
    "pseudonym of the snapshot (yjs.interop.pseudonyms), stable between quarters, and never a "
    "name, address or PNC number. A service whose submission route needs its local reference "
    "joins it back inside its own system."
)

TABLES: tuple[CldTable, ...] = (
    CldTable(
        "children",
        "One row per child with activity in the quarter.",
        _PERSON,
        (
            Item(
                "child_id",
                "Unique identifier of the child.",
                "dataset `children.child_id`",
                _PERSON,
                True,
                assumed=_ID_ASSUMED,
            ),
            Item(
                "date_of_birth",
                "Date of birth.",
                "dataset `children.date_of_birth`",
                _PERSON,
                True,
                assumed="Sent in full: the YJB derives age at offence and outcome.",
            ),
            Item(
                "sex",
                "Sex: 1 male, 2 female, 0 not known, 9 not specified.",
                "dataset `children.sex`",
                _PERSON,
                True,
                codes=dataset.TABLE_BY_NAME["children"].column("sex").codes,
                assumed="0 (not known) and 9 (not specified) are valid but reported as a "
                "warning: the KPIs fall back on gender.",
            ),
            Item(
                "gender",
                "Gender, when sex is neither 1 nor 2.",
                "dataset `children.gender`",
                _PERSON,
                codes=dataset.TABLE_BY_NAME["children"].column("gender").codes,
            ),
            Item(
                "ethnicity",
                "Ethnicity: the 2021 Census category.",
                "dataset `children.ethnicity` (the last one recorded)",
                "Annex A: ethnicity",
                True,
                codes=ETHNICITY_CODES,
                assumed="Census 2021 categories (the DRR list follows the ONS census list); a "
                "reporting group alone (e.g. BLACK) is not enough to submit.",
            ),
            Item(
                "ethnicity_group",
                "YJB reporting group of the ethnicity.",
                "derived from `ethnicity`",
                "Annex A: ethnicity",
                codes=tuple(codes.ETHNICITY_GROUP_LABELS),
            ),
            Item(
                "age_at_quarter_end",
                "Age in whole years on the quarter's last day.",
                "derived from `date_of_birth`",
                _PERSON,
            ),
            Item(
                "previous_substantive_outcome",
                "The Police National Computer knows of an earlier substantive outcome.",
                "dataset `children.previous_substantive_outcome`",
                KPI_GUIDANCE,
            ),
        ),
    ),
    CldTable(
        "offences",
        "Offences of the children, dated up to the quarter's end.",
        "Mandatory Case Level Data: offences",
        (
            Item(
                "offence_id", "Offence identifier.", "dataset `offences.offence_id`", mandatory=True
            ),
            Item("child_id", "The child.", "dataset `offences.child_id`", mandatory=True),
            Item(
                "offence_date",
                "Date the offence was committed.",
                "dataset `offences.offence_date`",
                mandatory=True,
            ),
            Item("arrest_date", "Date of arrest.", "dataset `offences.arrest_date`", KPI_GUIDANCE),
            Item(
                "offence_category",
                "YJB offence category.",
                "dataset `offences.category`",
                "Annex A: offence type",
                True,
                codes=tuple(c for c, _ in codes.OFFENCE_CATEGORIES),
                assumed="The platform records the YJB category, not the Home Office offence "
                "code; OTHER is valid but reported as a warning.",
            ),
            Item(
                "gravity_score",
                "YJB gravity (seriousness) score 1-8.",
                "dataset `offences.gravity_score`",
                "Annex A: seriousness score",
                True,
                codes=tuple(str(n) for n in range(1, 9)),
            ),
            Item(
                "age_at_offence",
                "Age on the offence date.",
                "derived (`date_of_birth`, `offence_date`)",
                assumed="Must be 10-17: under 10 is below the age of criminal responsibility, "
                "18 or over is an adult offence.",
            ),
        ),
        "offence_date",
    ),
    CldTable(
        "outcomes",
        "Legal outcomes (pre-court decisions and court sentences) dated up to the quarter's end.",
        "Mandatory Case Level Data: outcomes",
        (
            Item(
                "outcome_id", "Outcome identifier.", "dataset `outcomes.outcome_id`", mandatory=True
            ),
            Item("child_id", "The child.", "dataset `outcomes.child_id`", mandatory=True),
            Item(
                "outcome_date",
                "Date of the decision or sentence.",
                "dataset `outcomes.outcome_date`",
                mandatory=True,
            ),
            Item(
                "outcome_code",
                "Legal outcome.",
                "dataset `outcomes.outcome_code`",
                "Annex A: legal outcome",
                True,
                codes=tuple(o.code for o in codes.OUTCOMES),
                assumed="Codes are the platform's (KPIS.md §2.1), one per DRR legal outcome; "
                "NOT_KNOWN and OTHER are errors: the YJB cannot count them.",
            ),
            Item("outcome_label", "The outcome's name.", "derived from `outcome_code`"),
            Item(
                "outcome_tier",
                "Pre-court, first-tier, community or custody.",
                "derived from `outcome_code`",
                "Annex A: legal outcome group",
                codes=OUTCOME_TIERS,
            ),
            Item(
                "type_of_order",
                "KPI type of order (NS_OOCD, YC, YCC, RO, YRO, CUST).",
                "derived from `outcome_code`",
                KPI_GUIDANCE,
                codes=TYPES_OF_ORDER,
            ),
            Item(
                "first_hearing_date",
                "First court hearing of the case (court outcomes).",
                "dataset `outcomes.first_hearing_date`",
                "Annex B: court timeliness",
                assumed="Mandatory for a court outcome, empty for a pre-court one.",
            ),
            Item(
                "local_other_status",
                "Whether the child lives in the service's area.",
                "dataset `outcomes.residence`",
                "Annex B: local/other status",
                True,
                codes=("LOCAL", "OTHER", "NOT_KNOWN"),
                assumed="NOT_KNOWN is valid but reported as a warning.",
            ),
            Item(
                "appeal_status",
                "Appeal status.",
                "dataset `outcomes.appeal_status`",
                codes=tuple(c for c, _ in codes.APPEAL_STATUS_CHOICES),
            ),
            Item(
                "is_variation",
                "A variation or extension of an existing order.",
                "dataset `outcomes.is_variation`",
            ),
        ),
        "outcome_date",
    ),
    CldTable(
        "outcome_offences",
        "Which offences each outcome disposed of.",
        "Mandatory Case Level Data: outcomes",
        (
            Item("outcome_id", "Outcome.", "dataset `outcome_offences.outcome_id`", mandatory=True),
            Item("offence_id", "Offence.", "dataset `outcome_offences.offence_id`", mandatory=True),
        ),
    ),
    CldTable(
        "interventions",
        "Intervention programmes carrying out an outcome, started by the quarter's end.",
        "Mandatory Case Level Data: intervention programmes",
        (
            Item(
                "intervention_id",
                "Intervention identifier.",
                "dataset `interventions.intervention_id`",
                mandatory=True,
            ),
            Item("child_id", "The child.", "dataset `interventions.child_id`", mandatory=True),
            Item(
                "outcome_id",
                "The outcome carried out.",
                "dataset `interventions.outcome_id`",
                mandatory=True,
            ),
            Item(
                "programme_type",
                "Type of programme (the outcome's type of order).",
                "derived from the outcome's code",
                KPI_GUIDANCE,
                codes=TYPES_OF_ORDER,
                assumed="The DRR's intervention types follow the outcome; empty for an "
                "outcome outside the KPI types (e.g. a fine).",
            ),
            Item("start_date", "Start.", "dataset `interventions.start_date`", mandatory=True),
            Item(
                "end_date",
                "End (empty: open at the quarter's end).",
                "dataset `interventions.end_date`",
            ),
            Item(
                "is_licence",
                "A DTO licence held as its own programme.",
                "dataset `interventions.is_licence`",
            ),
            Item(
                "completed_successfully",
                "Out-of-court intervention completed (KPI 6).",
                "dataset `interventions.kpi6_completed`",
                KPI_GUIDANCE,
            ),
        ),
        "start_date",
    ),
    CldTable(
        "assessments",
        "Assessments completed by the quarter's end (no free text).",
        "Mandatory Case Level Data: assessments (AssetPlus)",
        (
            Item(
                "assessment_id",
                "Assessment identifier.",
                "casework `Assessment.pk`",
                mandatory=True,
            ),
            Item(
                "child_id", "The child.", "casework `Assessment.child` (pseudonym)", mandatory=True
            ),
            Item(
                "assessment_type",
                "AssetPlus, prevention and diversion, or short format.",
                "casework `Assessment.kind`",
                mandatory=True,
                codes=ASSESSMENT_KINDS,
                assumed="The DRR asks for AssetPlus stage and completion dates; the platform "
                "records the kind of assessment and its ratings, not each AssetPlus stage.",
            ),
            Item(
                "completion_date",
                "Date completed.",
                "casework `Assessment.completed_on`",
                mandatory=True,
            ),
            Item(
                "likelihood_of_reoffending",
                "Likelihood of reoffending.",
                "casework `Assessment.likelihood_of_reoffending`",
                mandatory=True,
                codes=LEVELS[:3],
            ),
            Item(
                "risk_of_serious_harm",
                "Risk of serious harm (ROSH).",
                "casework `Assessment.risk_of_serious_harm`",
                mandatory=True,
                codes=LEVELS,
            ),
            Item(
                "safety_and_wellbeing",
                "Safety and wellbeing.",
                "casework `Assessment.safety_and_wellbeing`",
                mandatory=True,
                codes=LEVELS,
            ),
        ),
        "completion_date",
    ),
    _pass_through(
        "care_status",
        "Annex B: status records (care status)",
        "Children's-services status records.",
        "start_date",
    ),
    _pass_through(
        "send",
        "Annex B: status records (SEND / ALN)",
        "Special educational needs and disabilities records.",
        "start_date",
    ),
    _pass_through(
        "accommodation",
        "Annex B: status records (accommodation)",
        "Accommodation records.",
        "start_date",
    ),
    _pass_through(
        "ete",
        "Annex B: status records (education, training, employment)",
        "Education, training and employment records.",
        "start_date",
    ),
    _pass_through(
        "mental_health",
        "Annex B: status records (mental health)",
        "Mental health needs and interventions.",
        "need_identified_date",
    ),
    _pass_through(
        "substance_misuse",
        "Annex B: status records (substance misuse)",
        "Substance misuse needs and interventions.",
        "need_identified_date",
    ),
    _pass_through(
        "remands",
        "Mandatory Case Level Data: remand episodes",
        "Remand and bail decisions.",
        "decision_date",
    ),
    _pass_through(
        "custody_episodes",
        "Mandatory Case Level Data: custody episodes",
        "Periods in the secure estate, sentenced or on remand.",
        "start_date",
    ),
    _pass_through(
        "victims",
        "Mandatory Case Level Data: victims (restorative justice)",
        "Victims of the children's offences and the work with them (no names).",
        "contact_date",
        assumed="A keyed victim identifier; names and contact details never leave.",
    ),
    _pass_through(
        "victim_offences",
        "Mandatory Case Level Data: victims",
        "Which offences each victim was a victim of.",
        None,
    ),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}

# Start and end columns checked for order, per table.
SPANS = {
    "interventions": ("start_date", "end_date"),
    "care_status": ("start_date", "end_date"),
    "send": ("start_date", "end_date"),
    "accommodation": ("start_date", "end_date"),
    "ete": ("start_date", "end_date"),
    "custody_episodes": ("start_date", "release_date"),
    "remands": ("decision_date", "end_date"),
    "mental_health": ("attended_start_date", "attended_end_date"),
    "substance_misuse": ("attended_start_date", "attended_end_date"),
}
END_COLUMNS = {"end_date", "release_date", "attended_end_date"}


# --------------------------------------------------------------------------- reading


def read_app(service) -> dict[str, list[dict]]:
    """The dataset's rows for one service, as a snapshot would hold them, plus assessments."""
    from yjs.casework.models import Assessment
    from yjs.interop.snapshot import _Reader

    reader = _Reader(service)
    names = set(TABLE_BY_NAME) - {"assessments"}
    rows = {name: list(getattr(reader, name)()) for name in names}
    rows["assessments"] = [
        {
            "assessment_id": f"AS{r['pk']}",
            "child_id": reader.cid(r["child_id"]),
            "assessment_type": r["kind"],
            "completion_date": r["completed_on"],
            "likelihood_of_reoffending": r["likelihood_of_reoffending"] or None,
            "risk_of_serious_harm": r["risk_of_serious_harm"] or None,
            "safety_and_wellbeing": r["safety_and_wellbeing"] or None,
        }
        for r in reader.of(Assessment)
        .filter(child_id__in=list(reader.child_ids))
        .order_by("pk")
        .values(
            "pk",
            "child_id",
            "kind",
            "completed_on",
            "likelihood_of_reoffending",
            "risk_of_serious_harm",
            "safety_and_wellbeing",
        )
    ]
    return rows


def read_snapshot(folder: Path) -> dict[str, list[dict]]:
    """A dataset folder (a snapshot's Parquet, or another system's CSV files as
    ``docs/dataset.md`` describes them), checked by the KPI loader first. Assessments are not
    part of the dataset, so there are none."""
    from yjs.performance.loader import load_dataset

    loaded = load_dataset(folder)
    rows: dict[str, list[dict]] = {}
    for name in set(TABLE_BY_NAME) - {"assessments"}:
        cursor = loaded.con.execute(f'SELECT * FROM raw."{name}"')
        columns = [d[0] for d in cursor.description]
        rows[name] = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    rows["assessments"] = []
    return rows


# --------------------------------------------------------------------------- building


@dataclass
class Extract:
    quarter: Quarter
    tables: dict[str, list[dict]]

    def count(self, name: str) -> int:
        return len(self.tables[name])


def _live(rows: Iterable[dict]) -> list[dict]:
    return [r for r in rows if not r.get("voided")]


def _open_in(row: dict, start_col: str, end_col: str | None, q: Quarter) -> bool:
    start = row.get(start_col)
    end = row.get(end_col) if end_col else None
    return start is not None and start <= q.end and (end is None or end >= q.start)


def build(source: dict[str, list[dict]], q: Quarter) -> Extract:
    """The quarter's extract from the dataset's rows (see the module docstring for the rule)."""
    src = {name: _live(rows) for name, rows in source.items()}
    active: set[str] = set()
    for r in src["offences"]:
        if r["offence_date"] and q.start <= r["offence_date"] <= q.end:
            active.add(r["child_id"])
    for r in src["outcomes"]:
        if r["outcome_date"] and q.start <= r["outcome_date"] <= q.end:
            active.add(r["child_id"])
    for r in src["assessments"]:
        if r["completion_date"] and q.start <= r["completion_date"] <= q.end:
            active.add(r["child_id"])
    for name in (
        "interventions",
        "care_status",
        "send",
        "accommodation",
        "ete",
        "remands",
        "custody_episodes",
    ):
        start, end = SPANS[name]
        active.update(r["child_id"] for r in src[name] if _open_in(r, start, end, q))
    for name in ("mental_health", "substance_misuse"):
        for r in src[name]:
            need = r.get("need_identified_date")
            if (need and q.start <= need <= q.end) or _open_in(
                r, "attended_start_date", "attended_end_date", q
            ):
                active.add(r["child_id"])

    def in_time(table: CldTable, r: dict) -> bool:
        when = r.get(table.dated) if table.dated else None
        return when is None or when <= q.end

    def cut(r: dict) -> dict:
        """End dates after the quarter are not known at its end."""
        return {
            k: (None if k in END_COLUMNS and v is not None and v > q.end else v)
            for k, v in r.items()
        }

    out: dict[str, list[dict]] = {}
    children = {
        r["child_id"]: r
        for r in src["children"]
        if r["child_id"] in active and not r.get("deleted")
    }
    out["children"] = [
        {
            "child_id": c["child_id"],
            "date_of_birth": c["date_of_birth"],
            "sex": c.get("sex"),
            "gender": c.get("gender"),
            "ethnicity": c.get("ethnicity"),
            "ethnicity_group": GROUP_OF.get(c.get("ethnicity"))
            or (c.get("ethnicity") if c.get("ethnicity") in codes.ETHNICITY_GROUP_LABELS else None),
            "age_at_quarter_end": age_on(c["date_of_birth"], q.end)
            if c.get("date_of_birth")
            else None,
            "previous_substantive_outcome": bool(c.get("previous_substantive_outcome")),
        }
        for c in sorted(children.values(), key=lambda c: c["child_id"])
    ]
    dob = {cid: c["date_of_birth"] for cid, c in children.items()}

    def mine(name: str) -> list[dict]:
        table = TABLE_BY_NAME[name]
        return [cut(r) for r in src[name] if r.get("child_id") in children and in_time(table, r)]

    offences = mine("offences")
    out["offences"] = [
        {
            "offence_id": r["offence_id"],
            "child_id": r["child_id"],
            "offence_date": r["offence_date"],
            "arrest_date": r.get("arrest_date"),
            "offence_category": r.get("category"),
            "gravity_score": r.get("gravity_score"),
            "age_at_offence": age_on(dob[r["child_id"]], r["offence_date"])
            if dob.get(r["child_id"]) and r["offence_date"]
            else None,
        }
        for r in offences
    ]
    outcomes = mine("outcomes")
    out["outcomes"] = []
    for r in outcomes:
        code = codes.OUTCOME_BY_CODE.get(r["outcome_code"])
        out["outcomes"].append(
            {
                "outcome_id": r["outcome_id"],
                "child_id": r["child_id"],
                "outcome_date": r["outcome_date"],
                "outcome_code": r["outcome_code"],
                "outcome_label": code.label if code else None,
                "outcome_tier": code.group if code else None,
                "type_of_order": code.type_of_order if code else None,
                "first_hearing_date": r.get("first_hearing_date"),
                "local_other_status": r.get("residence"),
                "appeal_status": r.get("appeal_status"),
                "is_variation": bool(r.get("is_variation")),
            }
        )
    outcome_ids = {r["outcome_id"] for r in out["outcomes"]}
    offence_ids = {r["offence_id"] for r in out["offences"]}
    out["outcome_offences"] = [
        {"outcome_id": r["outcome_id"], "offence_id": r["offence_id"]}
        for r in src["outcome_offences"]
        if r["outcome_id"] in outcome_ids and r["offence_id"] in offence_ids
    ]
    type_of = {r["outcome_id"]: r["type_of_order"] for r in out["outcomes"]}
    out["interventions"] = [
        {
            "intervention_id": r["intervention_id"],
            "child_id": r["child_id"],
            "outcome_id": r["outcome_id"],
            "programme_type": type_of.get(r["outcome_id"]),
            "start_date": r["start_date"],
            "end_date": r.get("end_date"),
            "is_licence": bool(r.get("is_licence")),
            "completed_successfully": r.get("kpi6_completed"),
        }
        for r in mine("interventions")
        if r["outcome_id"] in outcome_ids
    ]
    out["assessments"] = mine("assessments")
    for name in (
        "care_status",
        "send",
        "accommodation",
        "ete",
        "mental_health",
        "substance_misuse",
        "remands",
        "custody_episodes",
    ):
        columns = TABLE_BY_NAME[name].columns
        out[name] = [{c: r.get(c) for c in columns} for r in mine(name)]
    linked = {r["victim_id"] for r in src["victim_offences"] if r["offence_id"] in offence_ids}
    victim_columns = TABLE_BY_NAME["victims"].columns
    out["victims"] = [
        {
            c: (None if c == "contact_date" and r.get(c) and r[c] > q.end else r.get(c))
            for c in victim_columns
        }
        for r in src["victims"]
        if r["victim_id"] in linked
    ]
    out["victim_offences"] = [
        {"victim_id": r["victim_id"], "offence_id": r["offence_id"]}
        for r in src["victim_offences"]
        if r["victim_id"] in linked and r["offence_id"] in offence_ids
    ]
    return Extract(q, out)


# --------------------------------------------------------------------------- validating


@dataclass(frozen=True)
class Problem:
    severity: str
    table: str
    record_id: str
    child_id: str
    item: str
    value: str
    problem: str

    FIELDS = ("severity", "table", "record_id", "child_id", "item", "value", "problem")

    def row(self) -> list[str]:
        return [getattr(self, f) for f in self.FIELDS]

    def __str__(self) -> str:
        where = f"{self.table} {self.record_id}" + (
            f" (child {self.child_id})" if self.child_id and self.child_id != self.record_id else ""
        )
        value = f" [{self.value}]" if self.value else ""
        return f"{self.severity.upper()}: {where}, {self.item}{value}: {self.problem}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def validate(extract: Extract) -> list[Problem]:
    """Every problem that stands between the extract and a submission (errors) or that the YJB
    will query (warnings)."""
    problems: list[Problem] = []
    q = extract.quarter
    t = {  # every item present (a row short of one is checked as not recorded)
        table.name: [
            {c: r.get(c) for c in table.columns} for r in extract.tables.get(table.name, [])
        ]
        for table in TABLES
    }

    def add(severity, table, row, item, problem):
        key = TABLE_BY_NAME[table].items[0].name
        problems.append(
            Problem(
                severity,
                table,
                _text(row.get(key)),
                _text(row.get("child_id")),
                item,
                _text(row.get(item)),
                problem,
            )
        )

    for table in TABLES:
        for row in t.get(table.name, []):
            for item in table.items:
                value = row.get(item.name)
                if value is None or value == "":
                    if item.mandatory:
                        add(ERROR, table.name, row, item.name, "mandatory item not recorded")
                    continue
                if item.codes is not None and _text(value) not in item.codes:
                    add(ERROR, table.name, row, item.name, "not a valid code")

    children = {c["child_id"]: c for c in t["children"]}
    for c in t["children"]:
        if c["sex"] in ("0", "9"):
            add(WARNING, "children", c, "sex", "sex not known or not specified")
        if c["ethnicity"] == "NOT_STATED":
            add(WARNING, "children", c, "ethnicity", "ethnicity not stated")
        dob = c["date_of_birth"]
        if dob and dob > q.end:
            add(ERROR, "children", c, "date_of_birth", "date of birth after the quarter")

    offences = {o["offence_id"]: o for o in t["offences"]}
    for o in t["offences"]:
        age = o["age_at_offence"]
        if age is not None and age < 10:
            add(
                ERROR,
                "offences",
                o,
                "age_at_offence",
                "under 10 on the offence date (below the age of criminal responsibility)",
            )
        elif age is not None and age > 17:
            add(
                ERROR,
                "offences",
                o,
                "age_at_offence",
                "18 or over on the offence date: not a youth justice offence",
            )
        if o["arrest_date"] and o["offence_date"] and o["arrest_date"] < o["offence_date"]:
            add(ERROR, "offences", o, "arrest_date", "arrest before the offence")
        if o["offence_category"] == "OTHER":
            add(WARNING, "offences", o, "offence_category", "offence category OTHER")
        if o["child_id"] not in children:
            add(ERROR, "offences", o, "child_id", "no such child in the extract")

    disposed = defaultdict(list)
    for link in t["outcome_offences"]:
        if link["offence_id"] in offences:
            disposed[link["outcome_id"]].append(offences[link["offence_id"]])
    outcomes = {o["outcome_id"]: o for o in t["outcomes"]}
    for o in t["outcomes"]:
        code = codes.OUTCOME_BY_CODE.get(o["outcome_code"])
        if o["outcome_code"] in ("NOT_KNOWN", "OTHER"):
            add(ERROR, "outcomes", o, "outcome_code", "outcome not known: record the outcome")
        if code and code.group and not disposed[o["outcome_id"]]:
            add(ERROR, "outcomes", o, "outcome_id", "the outcome disposes of no offence")
        for offence in disposed[o["outcome_id"]]:
            if (
                o["outcome_date"]
                and offence["offence_date"]
                and (o["outcome_date"] < offence["offence_date"])
            ):
                add(
                    ERROR,
                    "outcomes",
                    o,
                    "outcome_date",
                    f"outcome before its offence {offence['offence_id']} "
                    f"({_text(offence['offence_date'])})",
                )
        if code and code.group in COURT_TIERS:
            if not o["first_hearing_date"]:
                add(
                    ERROR,
                    "outcomes",
                    o,
                    "first_hearing_date",
                    "mandatory for a court outcome: not recorded",
                )
            elif o["outcome_date"] and o["first_hearing_date"] > o["outcome_date"]:
                add(ERROR, "outcomes", o, "first_hearing_date", "first hearing after the outcome")
        if o["local_other_status"] == "NOT_KNOWN":
            add(WARNING, "outcomes", o, "local_other_status", "local/other status not known")

    for i in t["interventions"]:
        outcome = outcomes.get(i["outcome_id"])
        if outcome is None:
            add(ERROR, "interventions", i, "outcome_id", "no such outcome in the extract")
        elif (
            i["start_date"]
            and outcome["outcome_date"]
            and (i["start_date"] < outcome["outcome_date"])
        ):
            add(ERROR, "interventions", i, "start_date", "starts before its outcome")

    for name, (start, end) in SPANS.items():
        for r in t.get(name, []):
            if r.get(start) and r.get(end) and r[end] < r[start]:
                add(ERROR, name, r, end, f"{end} before {start}")
    for name in ("mental_health", "substance_misuse"):
        for r in t[name]:
            steps = [
                c
                for c in (
                    "need_identified_date",
                    "referred_date",
                    "offered_date",
                    "attended_start_date",
                )
                if r.get(c)
            ]
            for a, b in zip(steps, steps[1:], strict=False):
                if r[b] < r[a]:
                    add(ERROR, name, r, b, f"{b} before {a}")

    # every child-level record: never before the child was born
    for table in TABLES:
        if table.name == "children" or "child_id" not in table.columns:
            continue
        for r in t.get(table.name, []):
            child = children.get(r.get("child_id"))
            when = r.get(table.dated) if table.dated else None
            if child and when and child["date_of_birth"] and when < child["date_of_birth"]:
                add(ERROR, table.name, r, table.dated, "before the child's date of birth")
    return problems


# --------------------------------------------------------------------------- writing


def summary_tables(service, q: Quarter) -> dict[str, tuple[list[str], list[list]]]:
    """The summary-level returns the YJB still asks for: budget (B5) and staffing (B8)."""
    from yjs.governance.selectors import b5_table, b8_table

    b5 = b5_table(service, q.fy_start)
    keys = ("staffing_costs", "payments_in_kind", "other_delegated_funds", "total")
    budget = [[b5["year"], r["agency"], *(r["raw"][k] for k in keys)] for r in b5["rows"]]
    budget.append([b5["year"], "Total", *(b5["raw_total"][k] for k in keys)])
    b8 = b8_table(service)
    header = ["ethnicity_group"] + [
        f"{role} - {sex}" for role in b8["roles"] for sex in b8["sexes"]
    ]
    staffing = [[r["group"], *r["cells"]] for r in b8["rows"]]
    staffing.append(["Total", *b8["total"]])
    if b8["welsh_speakers"] is not None:
        staffing.append(["Welsh speakers", *b8["welsh_speakers"]])
    return {
        "b5_budget": (["year", *b5["columns"]], budget),
        "b8_staffing": (header, staffing),
    }


def report_text(extract: Extract, problems: list[Problem], service_name: str) -> str:
    errors = [p for p in problems if p.severity == ERROR]
    warnings = [p for p in problems if p.severity == WARNING]
    q = extract.quarter
    lines = [
        f"YJB case-level extract: {service_name}, {q.label} ({q.start:%-d %B %Y} to "
        f"{q.end:%-d %B %Y})",
        "",
        *(f"  {t.name}: {extract.count(t.name)} rows" for t in TABLES),
        "",
    ]
    if errors:
        lines.append(
            f"NOT READY TO SUBMIT: {len(errors)} error(s) to fix, {len(warnings)} warning(s)."
        )
    else:
        lines.append(f"Ready to submit: no errors, {len(warnings)} warning(s).")
    by_kind = Counter((p.severity, p.table, p.item, p.problem.split(" (")[0]) for p in problems)
    if by_kind:
        lines += ["", "Summary:"]
        lines += [
            f"  {n} x {sev} {table}.{item}: {what}"
            for (sev, table, item, what), n in sorted(by_kind.items())
        ]
        lines += ["", "Each problem (also in validation.csv):"]
        lines += [f"  {p}" for p in sorted(problems, key=lambda p: (p.severity, p.table))]
    return "\n".join(lines) + "\n"


def write(
    extract: Extract,
    problems: list[Problem],
    out: Path,
    *,
    service=None,
    service_name: str = "",
    progress: Callable[[str], None] | None = None,
) -> dict:
    """Write every file of the extract, the summary returns and the report; return the
    manifest. The folder and its files are readable by the service user only."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    out.chmod(0o700)
    files: dict[str, str] = {}
    for table in TABLES:
        if progress:
            progress(table.name)
        rows = ([_text(r.get(c)) for c in table.columns] for r in extract.tables[table.name])
        files[f"{table.name}.csv"] = csv_text(table.columns, rows)
    if service is not None:
        if progress:
            progress("budget and staffing")
        for name, (header, rows) in summary_tables(service, extract.quarter).items():
            files[f"{name}.csv"] = csv_text(header, ([_text(v) for v in r] for r in rows))
    files["validation.csv"] = csv_text(Problem.FIELDS, (p.row() for p in problems))
    files["validation.txt"] = report_text(extract, problems, service_name)
    errors = sum(p.severity == ERROR for p in problems)
    manifest = {
        "return": "YJB case-level extract",
        "period": extract.quarter.yjb_label,
        "service": getattr(service, "code", None),
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "submittable": errors == 0,
        "errors": errors,
        "warnings": len(problems) - errors,
        "row_counts": {t.name: extract.count(t.name) for t in TABLES},
        "files": {},
    }
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        manifest["files"][name] = hashlib.sha256(text.encode()).hexdigest()
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    path.chmod(0o600)
    return manifest


# --------------------------------------------------------------------------- documentation


def render_markdown() -> str:
    """The item-by-item table of ``docs/cld.md`` (between its generated markers)."""
    out = []
    for t in TABLES:
        out += [
            f"### `{t.name}.csv`",
            "",
            f"{t.description} DRR: {t.drr}.",
            "",
            "| item | mandatory | codes | source | DRR | description; assumed |",
            "|---|---|---|---|---|---|",
        ]
        for i in t.items:
            code_text = ", ".join(f"`{c}`" for c in i.codes) if i.codes else ""
            note = i.description + (f" *Assumed:* {i.assumed}" if i.assumed else "")
            out.append(
                f"| `{i.name}` | {'yes' if i.mandatory else ''} | {code_text} | "
                f"{i.source} | {i.drr} | {note} |"
            )
        out.append("")
    return "\n".join(out)
