"""The caseload and the child's record are built once per change (yjs/page_cache.py): kept
per session until the audit trail shows a change, never shared between people, and audited at
every opening."""

from django.test import Client

from tests.conftest import PASSWORD
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.casework.models import Child


def _signed_in(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _main(client, path) -> str:
    """The page's main content (the title is read anew at every opening)."""
    return client.get(path).content.decode().split("<main", 1)[1]


def _rename_unseen(child, first_name):
    """A change no save signal sees (as one made by another server process looks here)."""
    Child.objects.filter(pk=child.pk).update(first_name=first_name)


def test_a_page_is_kept_until_the_trail_shows_a_change(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    for path in ("/caseload/", f"/children/{jay.pk}/"):
        assert "Jay" in _main(client, path)
    _rename_unseen(jay, "Jaylen")
    for path in ("/caseload/", f"/children/{jay.pk}/"):
        assert "Jaylen" not in _main(client, path)  # kept: nothing audited
    audit.record(people["alice"], "UPDATE", Child.objects.get(pk=jay.pk), description="Renamed")
    for path in ("/caseload/", f"/children/{jay.pk}/"):
        assert "Jaylen" in _main(client, path)


def test_a_save_in_this_process_shows_at_once_audited_or_not(client, jay):
    client.login(username="alice", password=PASSWORD)
    assert "Jay" in _main(client, f"/children/{jay.pk}/")
    jay.first_name = "Jaylen"
    jay.save()
    assert "Jaylen" in _main(client, f"/children/{jay.pk}/")


def test_two_people_opening_the_same_address_never_share_a_page(jay, kim, people):
    alice = _signed_in("alice")
    bob = _signed_in("bob")
    seen_by_alice = alice.get("/caseload/?view=team").content.decode()
    seen_by_bob = bob.get("/caseload/?view=team").content.decode()
    assert f"/children/{jay.pk}/" in seen_by_alice
    assert f"/children/{kim.pk}/" not in seen_by_alice
    assert f"/children/{kim.pk}/" in seen_by_bob
    assert f"/children/{jay.pk}/" not in seen_by_bob
    assert bob.get(f"/children/{jay.pk}/").status_code in (403, 404)  # not bob's team


def test_a_kept_page_is_audited_at_every_opening(client, jay):
    client.login(username="alice", password=PASSWORD)
    views = AuditEvent.objects.filter(child_id=jay.pk, action="VIEW")
    for path in ("/caseload/", f"/children/{jay.pk}/"):
        before = views.count()
        for _ in range(3):
            assert client.get(path).status_code == 200
        assert views.count() == before + 3
