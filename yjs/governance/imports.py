"""XLSX import of budget, staffing, actions and risks, with row-level error reports.

Every row is checked first; if any row is bad nothing is imported and each problem names the
file, the row, the column and the reason. Good files are saved in one transaction.
Rules: budget lines and actions are matched (agency and year / action ref) and updated;
staffing replaces the service's current staff list; risks are added.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from yjs import periods, versioning
from yjs.audit import services as audit
from yjs.middleware import has_control_characters
from yjs.outputs import append_row

from .models import Action, BudgetLine, Plan, Risk, StaffRecord


@dataclass(frozen=True)
class RowProblem:
    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column “{self.column}”" if self.column else "")
        return f"{self.file}, {where}: {self.reason}"


class ImportFailed(Exception):
    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was imported")


@dataclass(frozen=True)
class Kind:
    model: type[models.Model]
    scope: str  # "service" or "plan"
    columns: tuple[tuple[str, str], ...]  # (heading, field)
    key: tuple[str, ...] = ()  # fields matched to update instead of add
    replace: bool = False
    title: str = ""


KINDS = {
    "budget": Kind(
        BudgetLine,
        "service",
        (
            ("Financial year", "year"),
            ("Agency", "agency"),
            ("Staffing costs", "staffing_costs"),
            ("Payments in kind", "payments_in_kind"),
            ("Other delegated funds", "other_delegated_funds"),
        ),
        key=("year", "agency"),
        title="Budget (table B5)",
    ),
    "staffing": Kind(
        StaffRecord,
        "service",
        (
            ("Role", "role_category"),
            ("Sex", "sex"),
            ("Ethnicity group", "ethnicity_group"),
            ("Posts (FTE)", "fte_posts"),
            ("Job title", "job_title"),
            ("Welsh speaker", "welsh_speaker"),
            ("Seconded from", "seconded_from"),
        ),
        replace=True,
        title="Staffing (table B8)",
    ),
    "actions": Kind(
        Action,
        "plan",
        (
            ("Ref", "ref"),
            ("Outcome needed", "outcome"),
            ("Action", "action"),
            ("Impact", "impact"),
            ("Lead owner(s)", "lead_owners"),
            ("By when", "due_date"),
            ("Recurrence", "recurrence"),
            ("How we will know", "measure"),
            ("Progress", "progress"),
            ("RAG", "rag"),
            ("Source", "source"),
            ("Source detail", "source_detail"),
        ),
        key=("ref",),
        title="Action plan",
    ),
    "risks": Kind(
        Risk,
        "plan",
        (
            ("Type", "kind"),
            ("Description", "description"),
            ("Likelihood", "likelihood"),
            ("Impact", "impact"),
            ("Mitigations", "mitigations"),
            ("Owner", "owner"),
            ("Review date", "review_date"),
        ),
        title="Challenges, risks and issues",
    ),
}
OPTIONAL_HEADINGS = {
    "Job title",
    "Welsh speaker",
    "Seconded from",
    "Impact",
    "Recurrence",
    "How we will know",
    "Progress",
    "Source detail",
    "Mitigations",
    "Payments in kind",
    "Other delegated funds",
    "Staffing costs",
}


def template_workbook(kind: str) -> bytes:
    """An empty workbook with the headings the importer expects."""
    wb = Workbook()
    ws = wb.active
    ws.title = KINDS[kind].title[:31]
    append_row(ws, [h for h, _ in KINDS[kind].columns])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _choice(field, value) -> str:
    text = str(value).strip()
    for code, label in field.choices:
        if text.upper() == str(code).upper() or text.lower() == str(label).lower():
            return code
    labels = ", ".join(str(label) for _, label in field.choices)
    raise ValueError(f"“{text}” is not one of: {labels}")


def _convert(field: models.Field, value):
    if isinstance(value, str) and has_control_characters(value):
        raise ValueError("contains characters that are not allowed (control characters)")
    if value is None or (isinstance(value, str) and not value.strip()):
        if isinstance(field, models.BooleanField):
            return False
        if field.null:
            return None
        if isinstance(field, models.CharField | models.TextField) and field.blank:
            return ""
        raise ValueError("is required")
    if field.choices:
        return _choice(field, value)
    if isinstance(field, models.DateField):
        return _plausible(_date(value))
    if isinstance(field, models.DecimalField):
        try:
            return Decimal(str(value).replace(",", "").replace("£", "").strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” is not a number") from None
    if isinstance(field, models.PositiveSmallIntegerField | models.IntegerField):
        if field.name == "year":
            return _plausible_year(_year(value))
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(f"“{value}” is not a whole number") from None
        if not number.is_integer():
            raise ValueError(f"“{value}” is not a whole number")
        return int(number)
    if isinstance(field, models.BooleanField):
        text = str(value).strip().lower()
        if text in ("yes", "y", "true", "1"):
            return True
        if text in ("no", "n", "false", "0"):
            return False
        raise ValueError(f"“{value}” should be yes or no")
    return str(value).strip()


def _date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date (use 31/03/2025)")


def _plausible(d: datetime.date) -> datetime.date:
    """Due and review dates: from 2000 to ten years ahead (the bounds of `yjs.periods`)."""
    problem = periods.planned_date_problem(d, "The date", today=timezone.localdate())
    if problem:
        raise ValueError(f"{problem} (“{d:%d/%m/%Y}”)")
    return d


def _year(value) -> int:
    try:
        if isinstance(value, str) and "-" in value:
            return periods.FinancialYear.parse(value).start_year
        number = float(str(value).strip())
    except ValueError as exc:
        raise ValueError(str(exc) if "-" in str(value) else f"“{value}” is not a year") from None
    if not number.is_integer():
        raise ValueError(f"“{value}” is not a year")
    return int(number)


def _plausible_year(year: int) -> int:
    first = periods.EARLIEST_EVENT_DATE.year
    last = timezone.localdate().year + periods.PLANNED_DATE_YEARS_AHEAD
    if not first <= year <= last:
        raise ValueError(f"the financial year must be from {first} to {last}, not {year}")
    return year


def read_rows(kind: str, filename: str, content: bytes, owner) -> list[models.Model]:
    """Parse and validate every row; raise ImportFailed listing every problem."""
    spec = KINDS[kind]
    problems: list[RowProblem] = []
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise ImportFailed(
            [RowProblem(filename, 0, "", "is not an Excel (.xlsx) workbook")]
        ) from None
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise ImportFailed([RowProblem(filename, 1, "", "the sheet is empty")])
    headings = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    index = {}
    for heading, field in spec.columns:
        if heading.lower() in headings:
            index[field] = headings.index(heading.lower())
        elif heading not in OPTIONAL_HEADINGS:
            problems.append(RowProblem(filename, 1, heading, "this column is missing"))
    if problems:
        raise ImportFailed(problems)
    heading_of = {field: heading for heading, field in spec.columns}
    instances: list[models.Model] = []
    seen_keys: dict[tuple, int] = {}
    for number, values in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        data, row_ok = {}, True
        for field_name, i in index.items():
            field = spec.model._meta.get_field(field_name)
            try:
                data[field_name] = _convert(field, values[i] if i < len(values) else None)
            except ValueError as exc:
                problems.append(RowProblem(filename, number, heading_of[field_name], str(exc)))
                row_ok = False
        if not row_ok:
            continue
        data[spec.scope] = owner
        instance = spec.model(**data)
        if spec.key:
            key = tuple(data[k] for k in spec.key)
            if key in seen_keys:
                problems.append(
                    RowProblem(
                        filename, number, heading_of[spec.key[-1]], f"repeats row {seen_keys[key]}"
                    )
                )
                continue
            seen_keys[key] = number
            existing = spec.model.objects.filter(
                **{spec.scope: owner}, **dict(zip(spec.key, key, strict=True))
            ).first()
            if existing:
                instance.pk, instance.revision = existing.pk, existing.revision
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
            if spec.model is Action and not data.get("due_date") and not data.get("recurrence"):
                raise ValidationError({"due_date": "Give a date or a recurrence"})
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                problems.append(
                    RowProblem(
                        filename, number, heading_of.get(field_name, ""), "; ".join(messages)
                    )
                )
            continue
        instances.append(instance)
    if problems:
        raise ImportFailed(problems)
    return instances


@transaction.atomic
def import_xlsx(kind: str, filename: str, content: bytes, owner, actor=None) -> int:
    """Import a workbook for a service (budget, staffing) or a plan (actions, risks)."""
    spec = KINDS[kind]
    expected = Plan if spec.scope == "plan" else type(owner)
    if not isinstance(owner, expected):
        raise ValueError(f"{kind} imports belong to a {spec.scope}")
    instances = read_rows(kind, filename, content, owner)
    if spec.replace:
        spec.model.objects.filter(**{spec.scope: owner}).delete()
    for instance in instances:
        if instance.pk:  # an update moves the record's version on (optimistic locking)
            versioning.claim(instance, actor)
        instance.save()
    audit.record(
        actor,
        "import",
        owner if isinstance(owner, models.Model) else None,
        description=f"Imported {len(instances)} {kind} rows from {filename}",
    )
    return len(instances)
