"""A snapshot's CSVs imported into an empty service give the same KPI results."""

from __future__ import annotations

import shutil

import pytest

from yjs.interop.importer import TABLES, import_source
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import Service, Team
from yjs.performance import engine

from .conftest import TODAY

pytestmark = pytest.mark.django_db

# The organisation's population tables are the service's, not casework: both sides read the
# original's. Tables the import does not write are left out of both sides.
SHARED = ("population", "population_groups")
QUARTERS = ("2025-26Q1", "2025-26Q3", "2026-27Q1", "2026-27Q2")


def _side(snapshot, shared_from, out):
    out.mkdir()
    for table in TABLES:
        shutil.copy(snapshot / f"{table}.parquet", out / f"{table}.parquet")
    for table in SHARED:
        shutil.copy(shared_from / f"{table}.parquet", out / f"{table}.parquet")
    return out


def _results(folder, period):
    run = engine.run(folder, period, as_at=TODAY, with_children=False)
    return sorted(
        (tuple(sorted(r.as_dict().items(), key=lambda kv: kv[0])) for r in run.results),
        key=repr,
    )


def test_round_trip_gives_identical_kpis(demo_snapshot, tmp_path):
    service, original, csvs = demo_snapshot
    empty = Service.objects.create(name="Imported service", code="imported")
    Team.objects.create(service=empty, name="Imported")
    result = import_source(csvs, service=empty)
    assert not result.errors, [p.line() for p in result.errors[:10]]
    again = take_snapshot(tmp_path / "snap", service=empty, as_at=TODAY)
    before = _side(original, original, tmp_path / "before")
    after = _side(again, original, tmp_path / "after")
    for table in TABLES:
        import pyarrow.parquet as pq

        assert (
            pq.read_table(before / f"{table}.parquet").num_rows
            == pq.read_table(after / f"{table}.parquet").num_rows
        ), table
    counted = 0
    for period in QUARTERS:
        results = _results(after, period)
        assert results == _results(before, period), period
        counted += sum(1 for r in results if (dict(r)["numerator"] or 0) > 0)
    assert counted > 50  # the figures compared are not all empty
    print(result.summary(), [p.line() for p in result.problems][:5])
