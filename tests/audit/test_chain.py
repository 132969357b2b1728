"""The audit trail is append-only and hash-chained: `yj audit verify` finds any tampering."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from yjs.audit import services as audit
from yjs.audit.models import GENESIS, AuditEvent


def _verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _tamper(sql: str, params=()) -> None:
    """What someone with the database owner's rights could do: lift the trigger, then write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending FK checks: ALTER may run
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        cursor.execute(sql, params)


@pytest.fixture
def trail(people, jay):
    """mo opens jay's record, alice changes it, hana exports: four events in a chain."""
    audit.record(people["mo"], "VIEW", jay, description="Viewed child record")
    audit.record(people["alice"], "UPDATE", jay, description="Changed", changes={"team_id": [1, 2]})
    audit.record_many(people["hana"], "VIEW", [jay], description="Caseload")
    audit.record(people["hana"], "EXPORT", description="Audit trail CSV")
    return list(AuditEvent.objects.order_by("id"))


def test_each_event_carries_the_hash_of_the_one_before(trail):
    assert trail[0].prev_hash == GENESIS
    for before, event in zip(trail, trail[1:], strict=False):
        assert event.prev_hash == before.hash
        assert event.hash == audit.event_hash(event.prev_hash, event)
    assert trail[1].actor_username == "alice"


def test_a_list_pages_events_are_chained_one_per_child_in_order(people, jay, kim):
    """`record_many` hashes from one event's fields (the child changed in place): each event
    is stored, hashed and chained as `append` would, one per child, repeats dropped."""
    audit.record(people["mo"], "VIEW", jay, description="Viewed child record")
    audit.record_many(people["alice"], "VIEW", [kim, jay, kim], description="Caseload")
    first, *listed = AuditEvent.objects.order_by("id")
    assert [(e.child_id, e.object_id, e.object_type) for e in listed] == [
        (kim.pk, str(kim.pk), "child"),
        (jay.pk, str(jay.pk), "child"),
    ]
    assert {(e.actor_username, e.description, e.action) for e in listed} == {
        ("alice", "Caseload", "VIEW")
    }
    for before, event in zip([first, *listed], listed, strict=False):
        assert event.prev_hash == before.hash
        assert event.hash == audit.event_hash(event.prev_hash, event)
        assert event.content_hash == audit.content_hash(event)
    assert "Audit trail intact: 3 events" in _verify()


def test_an_intact_trail_verifies(trail):
    out = _verify()
    assert "Audit trail intact: 4 events" in out
    assert trail[-1].hash in out


def test_an_edited_event_is_found(trail):
    _tamper(
        "UPDATE audit_auditevent SET description = %s WHERE id = %s",
        ["Nothing to see", trail[1].id],
    )
    with pytest.raises(CommandError, match=f"Audit event {trail[1].id} was edited"):
        _verify()


def test_an_erasure_may_blank_an_events_values_once_and_the_chain_holds(trail):
    """Shredding a child's data is the one change allowed: values go, who/when/what stay."""
    audit.redact(trail[1], description="Changed")
    event = AuditEvent.objects.get(pk=trail[1].pk)
    assert (event.redacted, event.changes) == (True, {"team_id": ["[erased]", "[erased]"]})
    assert "Audit trail intact: 4 events" in _verify()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="VIEW", redacted=True)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(description="Twice")


def test_a_deleted_event_is_found(trail):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [trail[1].id])
    with pytest.raises(CommandError) as found:
        _verify()
    assert f"Audit event {trail[2].id} does not follow event {trail[0].id}" in str(found.value)
    assert "deleted" in str(found.value)


def test_deleting_the_first_event_is_found(trail):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [trail[0].id])
    with pytest.raises(CommandError, match="the first event does not start the chain"):
        _verify()


def test_a_forged_event_with_a_made_up_hash_is_found(trail):
    forged = AuditEvent(
        at=trail[1].at,
        action="VIEW",
        object_type="child",
        description="Nothing happened",
        prev_hash="f" * 64,
        hash="e" * 64,
    )
    forged.save()
    with pytest.raises(CommandError, match=f"Audit event {forged.id} was edited or forged"):
        _verify()


def test_an_event_inserted_inside_the_chain_is_found(trail):
    """Even with a hash that matches its contents: the event after it still points past it."""
    _tamper("UPDATE audit_auditevent SET id = id + 100 WHERE id > %s", [trail[1].id])
    forged = AuditEvent(id=trail[1].id + 1, at=trail[1].at, action="VIEW", object_type="child")
    forged.prev_hash = "a" * 64  # the real link is taken: prev_hash is unique
    forged.content_hash = audit.content_hash(forged)
    forged.hash = audit.event_hash(forged.prev_hash, forged)
    forged.save()
    with pytest.raises(CommandError) as found:
        _verify()
    assert f"Audit event {forged.id} was inserted" in str(found.value)


@pytest.mark.parametrize("change", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_an_event(trail, change):
    event = trail[1]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        if change == "update":
            AuditEvent.objects.filter(pk=event.pk).update(description="Nothing to see")
        else:
            AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.description == "Changed"


def test_a_child_with_audit_history_cannot_be_deleted(trail, jay):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        jay.delete()


def test_a_fork_is_refused(trail):
    """Two events chained onto the same predecessor cannot both be stored."""
    from django.db import IntegrityError

    twin = AuditEvent(at=trail[1].at, action="VIEW", object_type="child", changes={})
    twin.prev_hash = trail[0].hash
    twin.content_hash = audit.content_hash(twin)
    twin.hash = audit.event_hash(twin.prev_hash, twin)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_cli_exits_non_zero_with_one_line(trail, capsys):
    from yjs import cli

    _tamper("UPDATE audit_auditevent SET action = 'VIEW' WHERE id = %s", [trail[1].id])
    with pytest.raises(SystemExit) as exited:
        cli.main(["audit", "verify"])
    assert exited.value.code == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"Audit event {trail[1].id}" in err
