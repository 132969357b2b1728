"""The quarterly KPI return: one sheet per KPI plus the snapshot it came from.

The snapshot sheet records the dataset folder, when it was taken, the as-at date and the SHA-256
of every file, so the same figures can be reproduced later from the same files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from yjs.outputs import append_row
from yjs.performance.engine import KPI_BY_ID, KPIS, run
from yjs.performance.loader import LoadedDataset

HEADER = ["measure", "label", "dimension", "category", "numerator", "denominator", "value",
          "unit", "suppressed", "window", "population_year"]


def write_return(dataset: LoadedDataset, period, out: str | Path,
                 as_at: dt.date | None = None) -> Path:
    result = run(dataset, period, as_at=as_at)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    append_row(summary, [f"YJS KPI return {result.period}"])
    summary["A1"].font = Font(bold=True, size=14)
    append_row(summary, ["kpi", "title", "headline measure", "numerator", "denominator", "value",
                    "unit", "suppressed", "window"])
    for k in KPIS:
        rows = [r for r in result.results if r.kpi == k.id and r.measure == k.headline.id
                and r.dimension == "all"]
        for r in rows:
            append_row(summary, [k.id, k.title, r.label, r.numerator, r.denominator, r.value,
                                 r.unit, r.suppressed, r.window])
    for k in KPIS:
        ws = wb.create_sheet(title=k.id[:31])
        append_row(ws, [k.title + (f" ({k.alias})" if k.alias else "")])
        ws["A1"].font = Font(bold=True)
        append_row(ws, HEADER)
        for r in (r for r in result.results if r.kpi == k.id):
            append_row(ws, (r.measure, r.label, r.dimension, r.category,
                                          r.numerator, r.denominator, r.value, r.unit,
                                          r.suppressed, r.window, r.population_year))
            if r.unit == "rri" and r.extra.get("ci_low") is not None:
                ws.cell(ws.max_row, len(HEADER) + 1,
                        f"CI {r.extra['ci_low']}-{r.extra['ci_high']}")
    snap = wb.create_sheet(title="Snapshot")
    append_row(snap, ["Reproduce with: yj kpi-return --period", result.period, "--data",
                 str(dataset.path), "--as-at", result.as_at.isoformat()])
    for key, value in (("period", result.period), ("data path", str(dataset.path)),
                       ("snapshot taken at", dataset.taken_at or "not recorded"),
                       ("as at", result.as_at.isoformat()),
                       ("return generated at", dt.datetime.now().isoformat(timespec="seconds"))):
        append_row(snap, [key, value])
    append_row(snap, [])
    append_row(snap, ["file", "sha256", "rows"])
    counts = {f"{name}{p.suffix}": dataset.row_counts.get(name)
              for name, p in dataset.files.items()}
    for name, digest in dataset.file_hashes.items():
        append_row(snap, [name, digest, counts.get(name)])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


__all__ = ["KPI_BY_ID", "write_return"]
