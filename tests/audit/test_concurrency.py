"""The chain never forks: writers at the same moment are serialised."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from yjs.audit import services as audit
from yjs.audit.models import AuditEvent


@pytest.mark.django_db(transaction=True)
def test_eight_writers_at_once_leave_one_intact_chain(people, jay):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is not shared between threads")
    start = threading.Barrier(8)
    failures = []

    def write(n):
        try:
            start.wait()
            for i in range(10):
                if i % 2:
                    audit.record(people["alice"], "VIEW", jay, description=f"Writer {n}")
                else:
                    audit.record_many(people["mo"], "VIEW", [jay], description=f"Writer {n}")
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert AuditEvent.objects.filter(description__startswith="Writer").count() == 80
    verdict = audit.verify()
    assert verdict.intact, verdict.problem


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_and_keeps_it_append_only(people, jay):
    """Transactional tests flush the database afterwards; the triggers survive it."""
    from django.core.management import call_command
    from django.db import DatabaseError

    audit.record(people["alice"], "VIEW", jay, description="Viewed child record")
    call_command("flush", interactive=False, verbosity=0)
    assert AuditEvent.objects.count() == 0
    event = audit.record(None, "SIGN_IN_FAILED", description="Failed sign-in as ''")
    with pytest.raises(DatabaseError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()
