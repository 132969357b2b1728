"""Erasure: hana erases Zephyrine's record after the retention review; nothing of her remains.

Her closed case is due for review; hana (head of service) erases it with a reason. Afterwards
no row of any table holds her name, date of birth, a free-text marker or her only victim's
name; every snapshot that held her pseudonym is gone; the stub keeps the reference and the
audit trail says who erased what (field names, not values). alice (practitioner), mo (team
manager) and the head of service of another service are refused.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import PASSWORD, make_child
from yjs.audit.models import AuditEvent
from yjs.casework import erasure
from yjs.casework import models as cw
from yjs.interop.pseudonyms import child_pseudonym
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import Role, Service, Team, User

from .records import DOB, FIRST, LAST, MARKERS, ONLY_VICTIM, PREFERRED, SHARED_VICTIM, full_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def zeph(northshire, people, kim):
    north = northshire.teams.get(name="North")
    return full_record(northshire, north, people["alice"], people["mo"], other_child=kim)


@pytest.fixture
def snapshots(settings, tmp_path, zeph):
    """Two snapshots holding Zephyrine (one in a per-service folder) and one that does not."""
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    flat = take_snapshot(settings.SNAPSHOT_DIR)
    nested = take_snapshot(settings.SNAPSHOT_DIR / "northshire")
    unrelated = settings.SNAPSHOT_DIR / "elsewhere" / "2026-01-01T000000"
    unrelated.mkdir(parents=True)
    (unrelated / "manifest.json").write_text("{}")
    pq.write_table(pa.table({"child_id": ["CNOTTHISCHILD"]}), unrelated / "children.parquet")
    return flat, nested, unrelated


def _everything_stored() -> str:
    """Every value of every row of every model, as text (the database scan): the base manager,
    so voided records are scanned too."""
    out = []
    for model in apps.get_models():
        for row in model._base_manager.values():
            out.append(json.dumps(row, default=str))
    return "\n".join(out)


def _stored_dates() -> list:
    return [
        value
        for model in apps.get_models()
        for row in model._base_manager.values()
        for value in row.values()
        if isinstance(value, dt.date)
    ]


def test_nothing_of_the_child_remains_in_any_table(zeph, people):
    before = _everything_stored()
    assert FIRST in before and ONLY_VICTIM in before and all(m in before for m in MARKERS)

    summary = erasure.erase_child(people["hana"], zeph, "Retention period ended")

    stored = _everything_stored()
    for text in (FIRST, LAST, PREFERRED, ONLY_VICTIM, DOB.isoformat(), *MARKERS):
        assert text not in stored, text
    assert DOB not in _stored_dates()
    # Every casework record about her is gone; the other child's victim stays, unlinked from her.
    for rel in erasure.child_relations():
        assert not erasure.records_of(rel, zeph).exists(), rel.related_model
    assert not cw.ReferralOrderPanel.objects.filter(intervention__child=zeph).exists()
    shared = cw.Victim.objects.get(name=SHARED_VICTIM)
    assert list(shared.offences.values_list("child__first_name", flat=True)) == ["Kim"]
    assert summary["victims"] == 1 and summary["records"]["contact"] == 1


def test_voided_records_are_erased_too(zeph, people):
    """A record voided as entered in error is still the child's data: erasure removes it."""
    from yjs.casework import services

    contact = zeph.contacts.get()
    victim = cw.Victim.objects.get(name=ONLY_VICTIM)
    services.void_record(people["alice"], contact, "Entered twice")
    services.void_record(people["alice"], victim, "Not a victim of this offence")
    assert "contact-marker-8" in _everything_stored()

    summary = erasure.erase_child(people["hana"], zeph, "Retention period ended")

    stored = _everything_stored()
    assert "contact-marker-8" not in stored and ONLY_VICTIM not in stored
    assert not cw.Contact.all_objects.filter(child=zeph).exists()
    assert summary["records"]["contact"] == 1 and summary["victims"] == 1


def test_the_stub_keeps_the_reference_for_the_audit_trail(zeph, people):
    reference, events = zeph.reference, AuditEvent.objects.filter(child=zeph).count()
    erasure.erase_child(people["hana"], zeph, "Retention period ended")

    stub = cw.Child.objects.get(pk=zeph.pk)
    assert str(stub) == "Erased record" and stub.reference == reference
    assert stub.erased_by == people["hana"] and stub.erased_at is not None
    assert stub.date_of_birth == dt.date(2007, 1, 1)  # the year only
    assert stub.closed_on == dt.date(2018, 3, 31) and stub.service == zeph.service
    # Earlier events still point at her; one more says who erased what.
    assert AuditEvent.objects.filter(child=zeph).count() == events + 1
    event = AuditEvent.objects.get(child=zeph, action="DELETE")
    assert event.actor == people["hana"]
    erased = event.changes["erased"]
    assert {"first_name", "last_name", "speech_language_notes"} <= set(erased["child_fields"])
    assert erased["records"]["offence"] == 1 and erased["reason"] == "Retention period ended"
    assert FIRST not in json.dumps(event.changes) and "marker" not in json.dumps(event.changes)
    # Field names of earlier events stay, their values do not.
    created = AuditEvent.objects.get(child=zeph, object_type="contact", action="CREATE")
    assert created.changes["notes"] == ["[erased]", "[erased]"]


def test_every_snapshot_holding_the_pseudonym_is_deleted(zeph, people, snapshots):
    flat, nested, unrelated = snapshots
    pseudonym = child_pseudonym(zeph.pk)
    assert erasure.holds(flat, pseudonym) and erasure.holds(nested, pseudonym)

    summary = erasure.erase_child(people["hana"], zeph, "Retention period ended")

    assert summary["snapshots"] == 2
    assert not flat.exists() and not nested.exists() and unrelated.exists()
    for folder in erasure.snapshot_folders():
        assert not erasure.holds(folder, pseudonym), folder
    assert not any(p.name.count(".erasing-") for p in Path(flat).parent.rglob("*"))
    assert not erasure.holds(take_snapshot(service=zeph.service), pseudonym)  # nor a new one


def test_erasure_through_the_confirmation_page(client, zeph, people):
    client.login(username="hana", password=PASSWORD)
    page = client.get(f"/children/{zeph.pk}/erase/")
    assert page.status_code == 200
    assert b"govuk-warning-text" in page.content and b"cannot be undone" in page.content

    empty = client.post(f"/children/{zeph.pk}/erase/", {"reason": ""})
    assert b"govuk-error-summary" in empty.content
    assert b"Enter why you are erasing" in empty.content
    assert cw.Child.objects.get(pk=zeph.pk).erased_at is None

    done = client.post(f"/children/{zeph.pk}/erase/", {"reason": "Retention ended"})
    assert done.status_code == 302 and done.url == "/retention/"
    assert cw.Child.objects.get(pk=zeph.pk).erased_at is not None


def test_an_erased_record_shows_the_stub_and_takes_no_more_casework(client, zeph, people):
    erasure.erase_child(people["hana"], zeph, "Retention period ended")
    client.login(username="hana", password=PASSWORD)
    page = client.get(f"/children/{zeph.pk}/")
    assert page.status_code == 200 and b"Erased record" in page.content
    assert FIRST.encode() not in page.content
    assert client.get(f"/children/{zeph.pk}/offences/new/").status_code == 403
    assert client.post(f"/children/{zeph.pk}/contacts/new/", {}).status_code == 403
    assert client.get(f"/children/{zeph.pk}/erase/").status_code == 403
    with pytest.raises(PermissionDenied):
        erasure.erase_child(people["hana"], cw.Child.objects.get(pk=zeph.pk), "again")
    with pytest.raises(ValidationError, match="already been erased"):
        erasure.erase_child(people["hana"], zeph, "again, from a page opened before")


@pytest.mark.parametrize("username", ["alice", "mo", "ana", "bea"])
def test_only_the_head_of_service_and_admin_erase(client, zeph, username):
    client.login(username=username, password=PASSWORD)
    assert client.get(f"/children/{zeph.pk}/erase/").status_code == 403
    assert client.post(f"/children/{zeph.pk}/erase/", {"reason": "x"}).status_code == 403
    assert cw.Child.objects.get(pk=zeph.pk).first_name == FIRST


def test_another_services_head_of_service_is_refused(client, zeph):
    southmoor = Service.objects.create(name="Southmoor YJS", code="southmoor")
    Team.objects.create(service=southmoor, name="Central")
    sam = User.objects.create_user(
        username="sam", password=PASSWORD, service=southmoor, role=Role.HEAD_OF_SERVICE
    )
    client.login(username="sam", password=PASSWORD)
    assert client.post(f"/children/{zeph.pk}/erase/", {"reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        erasure.erase_child(sam, zeph, "x")
    assert cw.Child.objects.get(pk=zeph.pk).first_name == FIRST


def test_an_admin_of_the_service_may_erase(zeph, northshire):
    ade = User.objects.create_user(
        username="ade", password=PASSWORD, service=northshire, role=Role.ADMIN
    )
    erasure.erase_child(ade, zeph, "Retention period ended")
    assert cw.Child.objects.get(pk=zeph.pk).erased_by == ade


def test_an_open_case_is_not_erased(northshire, people):
    open_case = make_child(northshire, northshire.teams.get(name="North"), first="Olu")
    with pytest.raises(ValidationError, match="Close the case"):
        erasure.erase_child(people["hana"], open_case, "Retention period ended")
    assert cw.Child.objects.get(pk=open_case.pk).first_name == "Olu"


def test_a_snapshot_taken_during_the_erasure_is_swept_after_commit(
    zeph, people, snapshots, django_capture_on_commit_callbacks, tmp_path
):
    flat, _, _ = snapshots
    in_between = tmp_path / "copy"
    shutil.copytree(flat, in_between)  # taken from the data before the erasure committed
    with django_capture_on_commit_callbacks() as callbacks:
        erasure.erase_child(people["hana"], zeph, "Retention period ended")
    late = flat.parent / "northshire" / "2099-01-01T000000"
    shutil.copytree(in_between, late)
    assert erasure.holds(late, child_pseudonym(zeph.pk))
    for callback in callbacks:
        callback()
    assert not late.exists()
