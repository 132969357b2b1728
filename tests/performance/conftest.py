"""Hand-built case-level datasets written as CSV, one small story per test.

``Northshire`` is the service; children are C1, C2 ... with the facts each test needs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from yjs.performance.dataset import TABLE_BY_NAME


def write_dataset(folder: Path, **tables: list[dict]) -> Path:
    """Write each table as ``<name>.csv`` with the columns its rows use."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        assert name in TABLE_BY_NAME, name
        columns: list[str] = []
        for row in rows:
            columns += [c for c in row if c not in columns]
        if not columns:
            columns = [c.name for c in TABLE_BY_NAME[name].columns if c.required]
        with open(folder / f"{name}.csv", "w", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=columns)
            w.writeheader()
            for row in rows:
                w.writerow({k: "" if v is None else v for k, v in row.items()})
    return folder


def northshire_population(total: int = 17_900, year: int = 2022) -> list[dict]:
    """ONS 10-17 population summing to ``total`` (ages 10-17, male and female)."""
    rows, cells = [], [(age, sex) for age in range(10, 18) for sex in ("1", "2")]
    base, extra = divmod(total, len(cells))
    for i, (age, sex) in enumerate(cells):
        rows.append({"year": year, "local_authority": "Northshire", "age": age, "sex": sex,
                     "population": base + (1 if i < extra else 0)})
    return rows


@pytest.fixture
def dataset_dir(tmp_path):
    def make(**tables):
        return write_dataset(tmp_path / "data", **tables)

    return make


@pytest.fixture(autouse=True)
def validated_copies_in_tmp(settings, tmp_path):
    """`yj kpi --data` keeps validated copies under VAR_DIR: a test's go in its own folder."""
    settings.VAR_DIR = tmp_path / "var"
