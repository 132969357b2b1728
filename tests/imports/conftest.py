"""A small demo service and its snapshot as CSV files, shared by the import tests.

The demo (40 children) is loaded once per module inside a transaction rolled back at its end.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from django.db import transaction

from yjs.interop.demo import SERVICE_CODE, load_demo
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import Service

TODAY = dt.date(2026, 11, 25)
SEED = 4242


def snapshot_as_csv(snapshot: Path, out: Path) -> Path:
    """The snapshot's Parquet files written as the dataset's CSV (docs/dataset.md)."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(snapshot.glob("*.parquet")):
        pacsv.write_csv(pq.read_table(path), out / f"{path.stem}.csv")
    return out


@pytest.fixture(scope="module")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    """(service, snapshot folder, CSV folder) of a 40-child demo as it stood on TODAY."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo(seed=SEED, children=40, today=TODAY)
            service = Service.objects.get(code=SERVICE_CODE)
            base = tmp_path_factory.mktemp("demo")
            folder = take_snapshot(base / "snapshots", service=service, as_at=TODAY)
            csvs = snapshot_as_csv(folder, base / "csv")
            yield service, folder, csvs
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            shutil.rmtree(base, ignore_errors=True)
