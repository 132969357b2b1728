"""Synthetic published comparator figures for the demo, imported through the real importer.

Real services import the YJB's published tables with `yj import-comparators`; the demo writes a
CSV of plausible, clearly synthetic figures in the same shape and imports it the same way.
"""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

from yjs import periods
from yjs.outputs import csv_writer
from yjs.performance.comparators import import_comparators

SOURCE = "Synthetic comparator figures for the demonstration service (not published data)"

# Headline measure -> typical national value (synthetic, of the right order of magnitude).
NATIONAL = {
    ("fte", "fte_rate"): 160,
    ("custody", "custody_rate"): 0.10,
    ("reoffending", "binary_3m"): 32.0,
    ("reoffending", "binary_12m"): 32.0,
    ("kpi1", "suitable_end"): 90.0,
    ("kpi2", "suitable_end"): 72.0,
    ("kpi6", "completed"): 80.0,
    ("kpi9", "sv_rate"): 2.5,
}
OFFSETS = {"REGION": 1.05, "FAMILY_GROUP": 0.97}


def demo_comparators(first: periods.Quarter, last: periods.Quarter, seed: int) -> int:
    from yjs.performance.engine import KPI_BY_ID

    rng = random.Random(seed)
    rows = []
    for q in periods.quarters_between(first, last):
        for (kpi, measure), national in NATIONAL.items():
            if measure not in {m.id for m in KPI_BY_ID[kpi].measures}:
                continue
            drift = rng.uniform(0.95, 1.05)
            rows.append((kpi, measure, q.yjb_label, "NATIONAL", national * drift))
            for comparator, factor in OFFSETS.items():
                value = national * drift * factor * rng.uniform(0.93, 1.07)
                rows.append((kpi, measure, q.yjb_label, comparator, value))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "comparators.csv"
        with open(path, "w", newline="") as fh:
            w = csv_writer(fh)
            w.writerow(["kpi", "measure", "period", "comparator", "value", "source"])
            for kpi, measure, period, comparator, value in rows:
                w.writerow([kpi, measure, period, comparator, f"{value:.2f}", SOURCE])
        return import_comparators(path)
