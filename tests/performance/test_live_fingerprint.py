"""The casework fingerprint the dashboard compares with its snapshot's, on every page of figures:
one query, and it moves with every change a page must show, never with a read."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.apps import apps
from django.db.models import Count, Max

from yjs.casework import services
from yjs.casework.models import Contact
from yjs.performance import live


def _one_query_per_table() -> str:
    """The fingerprint as it was first written: an aggregate per table, ~50 queries."""
    parts = []
    for label in live.WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            agg = model.objects.aggregate(n=Count("pk"), top=Max("pk"))
            parts.append(f"{model._meta.label}:{agg['n']}:{agg['top']}")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.filter(action__in=AuditEvent.CHANGES).aggregate(top=Max("pk"))["top"]
    parts.append(f"audit:{last}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _contact(child, worker, day: int, *, saved: bool = True) -> Contact:
    """A contact, saved (or only built, for a bulk insert)."""
    make = Contact.objects.create if saved else Contact
    return make(
        child=child,
        contact_date=dt.date(2024, 3, day),
        contact_type="SUPERVISION",
        mode="FACE_TO_FACE",
        attended=True,
        worker=worker,
    )


def test_the_fingerprint_is_one_query_and_the_same_as_one_per_table(
    jay, people, django_assert_num_queries
):
    _contact(jay, people["alice"], 1)
    with django_assert_num_queries(2):  # the data version, then every table
        fingerprint = live.data_fingerprint()
    assert fingerprint == _one_query_per_table()
    with django_assert_num_queries(1):  # nothing changed since: the data version only
        assert live.data_fingerprint() == fingerprint


def test_a_change_no_service_or_save_saw_is_in_the_fingerprint_within_the_bound(
    jay, people, monkeypatch
):
    """A bulk insert (no save signal, no audit: as another process's unaudited write looks
    here) is missed only until the kept fingerprint is `page_cache.TIMEOUT` seconds old."""
    from yjs import page_cache

    before = live.data_fingerprint()
    contact = _contact(jay, people["alice"], 3, saved=False)
    Contact.objects.bulk_create([contact])
    assert live.data_fingerprint() == before
    monkeypatch.setattr(page_cache, "TIMEOUT", 0)
    assert live.data_fingerprint() == _one_query_per_table() != before


def test_the_fingerprint_moves_with_a_change_and_not_with_a_read(jay, people):
    alice = people["alice"]
    before = live.data_fingerprint()
    services.record_view(alice, jay)  # a read: the figures stay
    assert live.data_fingerprint() == before
    contact = _contact(jay, alice, 2)
    added = live.data_fingerprint()
    assert added != before
    services.void_record(alice, contact, "Entered on the wrong child")  # live records: one fewer
    assert live.data_fingerprint() not in (before, added)
    assert live.data_fingerprint() == _one_query_per_table()
