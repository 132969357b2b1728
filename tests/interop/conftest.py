"""One full-size Northshire demo and its snapshot, shared by the module that asks for it.

Loading 800 children takes a few seconds, so the mix, date-rule, snapshot and KPI tests read one
load inside a transaction that is rolled back when the module ends.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from yjs.interop.demo import load_demo
from yjs.interop.snapshot import take_snapshot

TODAY = dt.date(2026, 11, 25)
SEED = 2026


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """(summary, snapshot folder) of the default-size demo as it stood on TODAY."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            summary = load_demo(seed=SEED, today=TODAY)
            folder = take_snapshot(tmp_path_factory.mktemp("snapshots"), as_at=TODAY)
            yield summary, folder
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
