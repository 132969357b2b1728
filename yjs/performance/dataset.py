"""The canonical case-level dataset: one table per entity, the single source of its schema.

Any case management system can produce it (Parquet or CSV, one file per table). The KPI engine
reads nothing else. ``docs/dataset.md`` is generated from this module (``render_markdown``) and
a test checks the two agree. Children are identified by a pseudonymous ``child_id``; names and
addresses are never part of the dataset.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yjs import codes

# Types are DuckDB logical types.
VARCHAR, DATE, INTEGER, DOUBLE, BOOLEAN = "VARCHAR", "DATE", "INTEGER", "DOUBLE", "BOOLEAN"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False  # must be present in the file and non-empty on every row
    codes: tuple[str, ...] | None = None  # allowed values (None: free text / any value)
    default: str | None = None  # SQL literal used when the column or value is missing
    null_means: str = ""  # what an empty value means
    references: str | None = None  # "table.column" this must exist in


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(choices) -> tuple[str, ...]:
    return tuple(c[0] for c in choices)


OUTCOME_CODES = tuple(o.code for o in codes.OUTCOMES)
YES_NO = _c(codes.YES_NO_CHOICES)
SUITABILITY = _c(codes.SUITABILITY_CHOICES)
CHILD = "children.child_id"
# Kinds of parenting work (yjs.parenting ParentingWork.Kind; a test keeps the two the same).
PARENTING_KINDS = ("PARENTING_ORDER", "PARENTING_CONTRACT", "VOLUNTARY")

_child_id = Column("child_id", VARCHAR, "Pseudonymous child identifier.", required=True,
                   references=CHILD)
_start = Column("start_date", DATE, "Date the record starts.", required=True)
_end = Column("end_date", DATE, "Date the record ends.", null_means="still open")
# A record voided in the case system (entered in error): the loader drops it, and what rests
# on it, before any KPI runs (`loader.drop_voided`).
_voided = Column("voided", BOOLEAN, "Entered in error: excluded everywhere.", default="FALSE")

TABLES: tuple[Table, ...] = (
    Table("children", "One row per child known to the service.", ("child_id",), (
        Column("child_id", VARCHAR, "Pseudonymous child identifier (never a name).", required=True),
        Column("date_of_birth", DATE, "Date of birth.", required=True),
        Column("sex", VARCHAR, "Sex (ONS codes): 1 male, 2 female, 0 not known, 9 not specified "
               "(M/Male and F/Female are read as 1 and 2).",
               codes=_c(codes.SEX_CHOICES), null_means="not known"),
        Column("gender", VARCHAR, "Gender, used when sex is neither 1 nor 2 (KPIS.md §2.6).",
               codes=_c(codes.GENDER_CHOICES), null_means="not known"),
        Column("ethnicity", VARCHAR, "Census 2021 ethnic category (19 + NOT_STATED); a "
               "reporting group code (WHITE, MIXED, BLACK, ASIAN, OTHER, NOT_KNOWN) is accepted "
               "when only the group is known.",
               codes=(*(e[0] for e in codes.ETHNICITY), *codes.ETHNICITY_GROUP_LABELS),
               null_means="group NOT_KNOWN"),
        Column("previous_substantive_outcome", BOOLEAN,
               "The Police National Computer knows of a substantive outcome outside this data "
               "(the child can never be a first time entrant here).", default="FALSE",
               null_means="not known: treated as FALSE"),
        Column("deleted", BOOLEAN, "Person record deleted: excluded everywhere.", default="FALSE"),
    )),
    Table("care_status", "Children's-services statuses over time (KPI 8, children in care).",
          ("care_status_id",), (
        Column("care_status_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("status", VARCHAR, "Status.", required=True, codes=_c(codes.CARE_STATUS_CHOICES)),
        _start, _end,
        _voided,
    )),
    Table("send", "Special educational needs and disabilities / additional learning needs (KPI 3).",
          ("send_id",), (
        Column("send_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("identified", VARCHAR, "SEND/ALN identified.", required=True, codes=YES_NO),
        Column("formal_plan", VARCHAR, "EHCP (England) / IDP (Wales) in place.", codes=YES_NO,
               default="'NO'", null_means="no plan"),
        _start, _end,
        _voided,
    )),
    Table("offences", "One row per offence a child is alleged to have committed.",
          ("offence_id",), (
        Column("offence_id", VARCHAR, "Offence identifier.", required=True),
        _child_id,
        Column("offence_date", DATE, "Date the offence was committed.", required=True),
        Column("arrest_date", DATE, "Date the child was arrested for it (court timeliness).",
               null_means="not recorded: left out of the offence-to-arrest steps"),
        Column("category", VARCHAR, "YJB offence category.", codes=_c(codes.OFFENCE_CATEGORIES),
               default="'OTHER'", null_means="OTHER"),
        Column("gravity_score", INTEGER, "YJB gravity score 1-8 (8 most serious).",
               null_means="not scored: never serious violence, counted in data quality"),
        _voided,
    )),
    Table("outcomes", "Legal outcomes (pre-court decisions and court sentences). Remands are not "
          "outcomes.", ("outcome_id",), (
        Column("outcome_id", VARCHAR, "Outcome identifier.", required=True),
        _child_id,
        Column("outcome_date", DATE, "Date of the decision or sentence.", required=True),
        Column("outcome_code", VARCHAR, "Outcome (KPIS.md §2.1).", required=True,
               codes=OUTCOME_CODES),
        Column("first_hearing_date", DATE, "First court hearing for the case (court outcomes).",
               null_means="use the outcome date"),
        Column("residence", VARCHAR, "Where the child lived on the outcome date.",
               codes=_c(codes.RESIDENCE_CHOICES), default="'NOT_KNOWN'"),
        Column("appeal_status", VARCHAR, "Appeal status.", codes=_c(codes.APPEAL_STATUS_CHOICES),
               default="'NONE'", null_means="NONE (kept)"),
        Column("is_variation", BOOLEAN, "An extension or variation of an existing order, not a "
               "new outcome: never counted as one (FTE, reoffending, KPI 9, custody, RRI; "
               "docs/kpis.md).",
               default="FALSE"),
        Column("outcome_text", VARCHAR, "Outcome as written in the case system, used to re-map "
               "NOT_KNOWN/OTHER (e.g. 'Outcome 22').", null_means="nothing to re-map from"),
        _voided,
    )),
    Table("outcome_offences", "Which offences each outcome disposed of.",
          ("outcome_id", "offence_id"), (
        Column("outcome_id", VARCHAR, "Outcome.", required=True, references="outcomes.outcome_id"),
        Column("offence_id", VARCHAR, "Offence.", required=True, references="offences.offence_id"),
    )),
    Table("interventions", "YJS intervention programmes; each carries out one outcome. The type of "
          "order is derived from the outcome (KPIS.md §2.2).", ("intervention_id",), (
        Column("intervention_id", VARCHAR, "Intervention identifier.", required=True),
        _child_id,
        Column("outcome_id", VARCHAR, "The outcome the programme carries out.", required=True,
               references="outcomes.outcome_id"),
        Column("start_date", DATE, "Intervention start.", required=True),
        Column("end_date", DATE, "Intervention end (custody: end of licence or transfer to adult "
               "services).", null_means="still open"),
        Column("is_licence", BOOLEAN, "A DTO held as a separate licence programme: order start "
               "points use the sentence date.", default="FALSE"),
        Column("kpi6_completed", BOOLEAN, "Out-of-court disposal intervention completed "
               "successfully (KPI 6).", null_means="not recorded: not completed, shown as unknown"),
        _voided,
    )),
    Table("accommodation", "Accommodation records (KPI 1).", ("accommodation_id",), (
        Column("accommodation_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("accommodation_type", VARCHAR, "Type of accommodation.", required=True,
               codes=_c(codes.ACCOMMODATION_CHOICES)),
        Column("suitability", VARCHAR, "Suitable for the child's needs.", codes=SUITABILITY,
               default="'UNKNOWN'", null_means="UNKNOWN (unsuitable)"),
        _start, _end,
        _voided,
    )),
    Table("ete", "Education, training and employment records (KPI 2).", ("ete_id",), (
        Column("ete_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("provision", VARCHAR, "Type of provision.", required=True,
               codes=_c(codes.ETE_PROVISION_CHOICES)),
        Column("suitability", VARCHAR, "Suitable for the child's needs.", codes=SUITABILITY,
               default="'UNKNOWN'", null_means="UNKNOWN (unsuitable)"),
        Column("hours_offered", DOUBLE, "Hours offered per week.", null_means="0"),
        Column("hours_attended", DOUBLE, "Hours attended per week.", null_means="0"),
        _start, _end,
        _voided,
    )),
    Table("mental_health", "Mental health and emotional wellbeing needs and interventions (KPI 4).",
          ("mental_health_id",), (
        Column("mental_health_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("need_identified_date", DATE, "Screening date the need was identified.",
               null_means="no need identified"),
        Column("referred_date", DATE, "Referred.", null_means="not referred"),
        Column("offered_date", DATE, "Intervention offered.", null_means="not offered"),
        Column("intervention_type", VARCHAR, "THRIVE-style intervention type.",
               codes=_c(codes.MENTAL_HEALTH_INTERVENTIONS), default="'NO_INTERVENTION'"),
        Column("attended_start_date", DATE, "Started attending.", null_means="not attended"),
        Column("attended_end_date", DATE, "Stopped attending.", null_means="still attending"),
        _voided,
    )),
    Table("substance_misuse", "Substance misuse needs and interventions (KPI 5).",
          ("substance_misuse_id",), (
        Column("substance_misuse_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("need_identified_date", DATE, "Screening date the need was identified.",
               null_means="no need identified"),
        Column("referred_date", DATE, "Referred.", null_means="not referred"),
        Column("offered_date", DATE, "Intervention offered.", null_means="not offered"),
        Column("intervention_type", VARCHAR, "Intervention type.",
               codes=_c(codes.SUBSTANCE_MISUSE_INTERVENTIONS), default="'NO_INTERVENTION'"),
        Column("attended_start_date", DATE, "Started attending.", null_means="not attended"),
        Column("attended_end_date", DATE, "Stopped attending.", null_means="still attending"),
        _voided,
    )),
    Table("remands", "Remand and bail decisions (KPIS.md §2.4). Never sentences.", ("remand_id",), (
        Column("remand_id", VARCHAR, "Decision identifier.", required=True),
        _child_id,
        Column("decision_date", DATE, "Date of the decision.", required=True),
        Column("decision", VARCHAR, "Remand or bail decision.", required=True,
               codes=_c(codes.REMAND_CHOICES)),
        Column("end_date", DATE, "End of the remand.", null_means="still remanded / not known"),
        _voided,
    )),
    Table("custody_episodes", "Periods in the secure estate (sentenced or on remand).",
          ("custody_episode_id",), (
        Column("custody_episode_id", VARCHAR, "Episode identifier.", required=True),
        _child_id,
        Column("outcome_id", VARCHAR, "The custodial sentence served.",
               references="outcomes.outcome_id",
               null_means="a remand episode"),
        Column("establishment", VARCHAR, "Secure estate type.",
               codes=("YOI", "STC", "SCH", "SECURE_SCHOOL", "OTHER"), null_means="not known"),
        _start,
        Column("release_date", DATE, "Release (start of licence).", null_means="still in custody"),
        _voided,
    )),
    Table("referral_order_panels", "Youth offender panels of referral orders.", ("panel_id",), (
        Column("panel_id", VARCHAR, "Panel identifier.", required=True),
        _child_id,
        Column("outcome_id", VARCHAR, "The referral order.", required=True,
               references="outcomes.outcome_id"),
        Column("panel_type", VARCHAR, "Panel type.", codes=("INITIAL", "REVIEW", "FINAL"),
               default="'INITIAL'"),
        Column("panel_date", DATE, "Date the panel was held.", null_means="not held yet"),
        _voided,
    )),
    Table("parenting", "Parenting work with a child's parent or carer: parenting orders, "
          "parenting contracts and voluntary parenting support (local indicator `parenting`). "
          "No names or free text: who receives it and the programme stay in the case system.",
          ("parenting_id",), (
        Column("parenting_id", VARCHAR, "Record identifier.", required=True),
        _child_id,
        Column("kind", VARCHAR, "PARENTING_ORDER (Crime and Disorder Act 1998 s.8), "
               "PARENTING_CONTRACT (Anti-social Behaviour Act 2003) or VOLUNTARY support.",
               required=True, codes=PARENTING_KINDS),
        Column("start_date", DATE, "Date the work started (an order: its first session, not the "
               "date the court made it).", required=True),
        Column("end_date", DATE, "Date the work ended.", null_means="still open"),
        Column("completed", BOOLEAN, "Completed successfully (set when it ends).",
               null_means="not recorded: counted as not completed"),
        Column("residence", VARCHAR, "Where the child lived when the work started.",
               codes=_c(codes.RESIDENCE_CHOICES), default="'NOT_KNOWN'",
               null_means="NOT_KNOWN (kept as local, like an outcome's)"),
        _voided,
    )),
    Table("victims", "Victims of children's offences and the YJS's work with them (KPI 10).",
          ("victim_id",), (
        Column("victim_id", VARCHAR, "Pseudonymous victim identifier.", required=True),
        Column("victim_type", VARCHAR, "Victim type.", codes=_c(codes.VICTIM_TYPES),
               null_means="not known"),
        Column("consent_to_contact", VARCHAR, "Consented to YJS contact.", codes=YES_NO,
               null_means="no consent record (counted in 10a only)"),
        Column("rj_engaged", VARCHAR, "Engaged with about restorative justice.", codes=YES_NO),
        Column("view_sought", VARCHAR, "View sought before the OOCD decision / court-order "
               "planning.", codes=YES_NO),
        Column("progress_requested", VARCHAR, "Progress information requested.", codes=YES_NO),
        Column("progress_provided", VARCHAR, "Progress information provided.", codes=YES_NO),
        Column("support_requested", VARCHAR, "Additional support requested.", codes=YES_NO),
        Column("support_provided", VARCHAR, "Additional support provided (signposted).",
               codes=YES_NO),
        Column("contact_date", DATE, "Date the YJS contacted the victim.",
               null_means="not contacted"),
        _voided,
    )),
    Table("victim_offences", "Which offences each victim was a victim of.",
          ("victim_id", "offence_id"), (
        Column("victim_id", VARCHAR, "Victim.", required=True, references="victims.victim_id"),
        Column("offence_id", VARCHAR, "Offence.", required=True, references="offences.offence_id"),
    )),
    Table("board_meetings", "Management board meetings (KPI 7).", ("meeting_id",), (
        Column("meeting_id", VARCHAR, "Meeting identifier.", required=True),
        Column("meeting_date", DATE, "Date held.", required=True),
    )),
    Table("board_attendance", "Attendance at each meeting by partner sector (KPI 7).",
          ("meeting_id", "sector"), (
        Column("meeting_id", VARCHAR, "Meeting.", required=True,
               references="board_meetings.meeting_id"),
        Column("sector", VARCHAR, "Partner sector (OTHER is recorded, never counted).",
               required=True, codes=_c(codes.BOARD_SECTORS)),
        Column("attendance", VARCHAR, "Most senior attendance at the meeting.", required=True,
               codes=_c(codes.ATTENDANCE_LEVELS)),
        Column("new_partner", BOOLEAN, "A new partner representative.", default="FALSE"),
        Column("disproportionality_data", BOOLEAN, "The partner contributed data identifying "
               "racial "
               "and ethnic disproportionality in its own service.", default="FALSE"),
    )),
    Table("population", "ONS mid-year estimates of children by single year of age (10-17) and sex, "
          "for each local authority the service covers.",
          ("year", "local_authority", "age", "sex"), (
        Column("year", INTEGER, "Mid-year of the estimate.", required=True),
        Column("local_authority", VARCHAR, "Local authority name or code.", required=True),
        Column("age", INTEGER, "Single year of age 10-17.", required=True),
        Column("sex", VARCHAR, "1 male, 2 female.", required=True, codes=("1", "2")),
        Column("population", INTEGER, "Number of children.", required=True),
    )),
    Table("population_groups", "Populations of 10-17 year olds by ethnicity group (Census 2021) or "
          "care status, for disproportionality.", ("year", "dimension", "category"), (
        Column("year", INTEGER, "Year of the figure (Census: 2021).", required=True),
        Column("dimension", VARCHAR, "What the category is.", required=True,
               codes=("ETHNICITY_GROUP", "CARE_STATUS")),
        Column("category", VARCHAR, "An ethnicity group code (WHITE, MIXED, BLACK, ASIAN, OTHER, "
               "NOT_KNOWN) or LOOKED_AFTER / NOT_LOOKED_AFTER.", required=True,
               codes=(*codes.ETHNICITY_GROUP_LABELS, "LOOKED_AFTER", "NOT_LOOKED_AFTER")),
        Column("population", INTEGER, "Number of children aged 10-17.", required=True),
    )),
)

TABLE_BY_NAME = {t.name: t for t in TABLES}

SNAPSHOT_MANIFEST = "snapshot.json"


def render_markdown() -> str:
    """The schema as Markdown: the body of ``docs/dataset.md``."""
    out = [
        "# The canonical case-level dataset",
        "",
        "<!-- Generated from yjs/performance/dataset.py by `yj kpi --dataset-doc`; "
        "edit that file. -->",
        "",
        "The vendor-neutral dataset the KPI engine reads: one table per entity, one file per table "
        "(`<table>.parquet` or `<table>.csv`, UTF-8, header row, ISO dates `YYYY-MM-DD`; "
        "`DD/MM/YYYY` is accepted in CSV). Any case management system can produce it; "
        "`yjs.interop.snapshot.take_snapshot()` writes it from this platform's database as "
        "Parquet. An optional `snapshot.json` records `taken_at`, `as_at` and `source`.",
        "",
        "Rules applied by the loader (`yjs.performance.loader.load_dataset`):",
        "",
        "- A missing table file, or an empty (0-byte) one, is an empty table; a missing optional "
        "column takes its default (or NULL). A missing required column, an empty required value, "
        "a value of the wrong type, a code outside its list, a duplicate key or a reference to a "
        "missing row is an error naming the file, row, column and reason; nothing is loaded.",
        "- CSV: columns in any order, names in any case; unknown columns are ignored. The "
        "delimiter (comma, semicolon, tab or `|`) is read from the header row; values may be "
        "quoted (`\"` doubled inside quotes); a UTF-8 byte order mark and CRLF line ends are "
        "fine. A row with more or fewer values than the header is an error.",
        "- Codes are read in any case and trimmed (`yro` = `YRO`); an empty value is NULL, so "
        "an optional code column takes its default.",
        "- Any date before 1901 (the source's `1900-01-01` for \"no date\") is stored as NULL.",
        "- Dates must be plausible (`yjs.periods`): a child born on or after 1 January 1982 and "
        "at least 8 years old on the day of loading (a child under 10 is known only for "
        "prevention work, which no KPI counts); every other date on or after 1 January "
        "2000, after the child's date of birth and before their 25th birthday, and not in the "
        "future except `end_date` and `release_date` (planned ends). Any other date is an "
        "error naming the file, row and column.",
        "- Booleans: `true/false`, `1/0`, `yes/no`, `y/n` (any case); empty = NULL.",
        "- Children are pseudonymised: `child_id` is an opaque identifier; names, addresses and "
        "other direct identifiers are never part of the dataset.",
        "- Outcomes coded `NOT_KNOWN`/`OTHER` are re-mapped from `outcome_text` where it names a "
        "known outcome (e.g. \"Outcome 22\" → `OUTCOME_22`).",
        "- A row with `voided` TRUE was entered in error: it is checked like any row, then "
        "dropped before any KPI runs, with the rows that rest on it (the interventions, custody "
        "episodes, panels and offence links of a voided outcome; the links of a voided offence "
        "or victim), so every figure is as if it had never been entered.",
        "",
        "Code lists come from `yjs/codes.py` (KPIS.md §2).",
        "",
    ]
    for t in TABLES:
        out += [f"## `{t.name}`", "", t.description, "", f"Key: `{', '.join(t.key)}`", "",
                "| column | type | required | codes / default | empty means | description |",
                "|---|---|---|---|---|---|"]
        for c in t.columns:
            code_text = ", ".join(f"`{v}`" for v in c.codes) if c.codes else ""
            if c.default:
                code_text += f" (default {c.default})"
            if c.references:
                code_text += f" → `{c.references}`"
            out.append(f"| `{c.name}` | {c.type} | {'yes' if c.required else ''} | "
                       f"{code_text.strip()} | {c.null_means} | {c.description} |")
        out.append("")
    return "\n".join(out)
