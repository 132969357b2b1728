"""Import published comparator figures from CSV: every row validated, all or nothing."""

from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from yjs.performance.engine import KPI_BY_ID
from yjs.performance.models import ComparatorFigure
from yjs.periods import parse_quarter

COLUMNS = ("kpi", "measure", "period", "comparator", "value", "rank", "quartile", "source")
REQUIRED = ("kpi", "period", "comparator")


class ComparatorImportError(ValueError):
    def __init__(self, problems: list[str]):
        self.problems = problems
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(problems[0] + more)


def _parse_row(row: dict, where: str, problems: list[str]) -> dict | None:
    def bad(col, reason):
        problems.append(f"{where}, column '{col}': {reason}")

    values = {k: (row.get(k) or "").strip() for k in COLUMNS}
    for col in REQUIRED:
        if not values[col]:
            bad(col, "required value is empty")
    kpi = KPI_BY_ID.get(values["kpi"])
    if values["kpi"] and kpi is None:
        bad("kpi", f"unknown KPI {values['kpi']!r}")
    measure = values["measure"] or (kpi.headline.id if kpi else "")
    if kpi and measure not in {m.id for m in kpi.measures}:
        bad("measure", f"{measure!r} is not a measure of {kpi.id}")
    period = None
    if values["period"]:
        try:
            period = parse_quarter(values["period"]).label
        except ValueError as exc:
            bad("period", str(exc))
    if values["comparator"] and values["comparator"] not in ComparatorFigure.Comparator.values:
        bad("comparator", f"not one of {', '.join(ComparatorFigure.Comparator.values)}")
    value = None
    if values["value"]:
        try:
            value = Decimal(values["value"].rstrip("%"))
        except InvalidOperation:
            bad("value", "not a number")
    ints = {}
    for col, low, high in (("rank", 1, 10_000), ("quartile", 1, 4)):
        ints[col] = None
        if values[col]:
            if not values[col].isdigit() or not low <= int(values[col]) <= high:
                bad(col, f"not a whole number from {low} to {high}")
            else:
                ints[col] = int(values[col])
    return dict(kpi=values["kpi"], measure=measure, period=period,
                comparator=values["comparator"], value=value, source=values["source"], **ints)


def import_comparators(path: str | Path, service=None) -> int:
    """Validate every row, then import them in one transaction, for one service (default: the
    only one; a rank belongs to one service). Returns the rows imported."""
    from yjs.interop.snapshot import the_service

    try:
        service = the_service(service)
    except ValueError as exc:
        raise ComparatorImportError([str(exc)]) from None
    path = Path(path)
    if not path.is_file():
        raise ComparatorImportError([f"{path}: no such file"])
    problems: list[str] = []
    parsed: list[dict] = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise ComparatorImportError([f"{path.name}: required column(s) missing: "
                                         f"{', '.join(missing)}"])
        for n, row in enumerate(reader, start=1):
            parsed.append(_parse_row(row, f"{path.name} row {n} (line {n + 1})", problems))
    if problems:
        raise ComparatorImportError(problems[:20])
    with transaction.atomic():
        for p in parsed:
            key = {k: p.pop(k) for k in ("kpi", "measure", "period", "comparator")}
            key["service"] = service
            ComparatorFigure.objects.update_or_create(**key, defaults=p)
    return len(parsed)
