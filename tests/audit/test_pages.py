"""Managers read their own service's audit trail and a child's access log; export is audited."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, _user, make_child
from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.organisation.models import Role, Service


@pytest.fixture
def southmoor(db):
    """A second service, with its own head of service (sam) and child (lee)."""
    service = Service.objects.create(name="Southmoor Youth Justice Service", code="southmoor")
    team = service.teams.create(name="West")
    sam = _user(service, "sam", Role.HEAD_OF_SERVICE)
    lee = make_child(service, team, first="Lee", last="Moor", reference="S00001")
    audit.record(sam, "VIEW", lee, description="Viewed child record")
    return {"sam": sam, "lee": lee}


def _rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_hana_sees_her_services_trail_and_not_southmoors(client, people, jay, southmoor):
    audit.record(people["alice"], "VIEW", jay, description="Viewed child record")
    client.login(username="hana", password=PASSWORD)
    page = client.get("/audit/")
    shown = {(e.actor_username, e.description) for e in page.context["page"]}
    assert ("alice", "Viewed child record") in shown
    assert ("sam", "Viewed child record") not in shown
    assert jay.reference in page.content.decode()
    assert "S00001" not in page.content.decode()
    read = AuditEvent.objects.filter(action="VIEW", actor_username="hana").latest("id")
    assert read.description == "Audit trail: page 1"


def test_sam_cannot_see_northshire_on_his_own_trail(client, people, jay, southmoor):
    audit.record(people["alice"], "VIEW", jay, description="Viewed child record")
    client.login(username="sam", password=PASSWORD)
    events = client.get("/audit/").context["page"].object_list
    assert {e.actor_username for e in events} == {"sam"}
    assert client.get(f"/audit/children/{jay.pk}/").status_code == 403


def test_filters_by_child_user_action_and_date(client, people, jay, kim):
    audit.record(people["alice"], "VIEW", jay, description="Viewed child record")
    audit.record(people["bob"], "UPDATE", kim, description="Changed", changes={"team_id": [1, 2]})
    client.login(username="mo", password=PASSWORD)

    def shown(query):
        page = client.get(f"/audit/?{query}").context["page"]
        return {(e.actor_username, e.action) for e in page}

    assert shown(f"child_reference={kim.reference.lower()}") == {("bob", "UPDATE")}
    assert shown("username=alice&action=VIEW") == {("alice", "VIEW")}
    today = timezone.localdate()
    assert ("bob", "UPDATE") in shown(
        f"date_from_day={today.day}&date_from_month={today.month}&date_from_year={today.year}"
    )
    tomorrow = today + datetime.timedelta(days=1)
    assert (
        shown(
            f"date_from_day={tomorrow.day}&date_from_month={tomorrow.month}&date_from_year={tomorrow.year}"
        )
        == set()
    )


def test_a_to_date_before_the_from_date_is_an_error_not_the_whole_trail(client, people, jay):
    audit.record(people["alice"], "VIEW", jay, description="Viewed child record")
    client.login(username="hana", password=PASSWORD)
    page = client.get(
        "/audit/?date_from_day=2&date_from_month=1&date_from_year=2026&date_to_day=1&date_to_month=1&date_to_year=2026"
    )
    body = page.content.decode()
    assert "There is a problem" in body and "must be the same as or after" in body
    assert len(page.context["page"].object_list) == 0


def test_fifty_events_a_page(client, people, jay):
    audit.record_many(people["alice"], "VIEW", [jay], description="Caseload")
    for _ in range(59):
        audit.record(people["alice"], "VIEW", jay, description="Viewed child record")
    client.login(username="hana", password=PASSWORD)
    first = client.get("/audit/?username=alice").context["page"]
    second = client.get("/audit/?username=alice&page=2").context["page"]
    assert (len(first), len(second)) == (50, 10)
    assert b"page=2" in client.get("/audit/?username=alice").content


def test_export_is_audited_and_guarded_against_formulas(client, people, jay):
    audit.record(people["alice"], "VIEW", jay, description='=HYPERLINK("http://x.invalid")')
    audit.record(people["alice"], "VIEW", jay, description="-2+3")
    client.login(username="hana", password=PASSWORD)
    response = client.get("/audit/export.csv?username=alice")
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][:4] == ["Event", "When (UTC)", "User", "Action"]
    descriptions = {r[7] for r in rows[1:]}
    assert descriptions == {'\'=HYPERLINK("http://x.invalid")', "'-2+3"}
    assert {r[4] for r in rows[1:]} == {jay.reference}
    event = AuditEvent.objects.filter(action="EXPORT").get()
    assert (event.actor_username, event.description) == ("hana", "Audit trail CSV: 2 events")


def test_mo_reads_jays_access_log_from_her_record(client, people, jay):
    client.login(username="alice", password=PASSWORD)
    assert "Access log" not in client.get(f"/children/{jay.pk}/").content.decode()
    client.get("/caseload/?view=team")
    client.login(username="mo", password=PASSWORD)
    record = client.get(f"/children/{jay.pk}/").content.decode()
    assert f'href="/audit/children/{jay.pk}/"' in record
    log = client.get(f"/audit/children/{jay.pk}/")
    shown = [(e.actor_username, e.description) for e in log.context["page"]]
    assert shown[0] == ("mo", "Viewed access log")
    assert ("alice", "Viewed child record") in shown
    assert ("alice", "Caseload") in shown
    assert ("mo", "Viewed child record") in shown


def test_the_access_log_shows_old_and_new_values(client, people, jay):
    audit.record(
        people["alice"],
        "UPDATE",
        jay,
        description="Changed",
        changes={"last_name": ["Smith", "Smyth"]},
    )
    client.login(username="hana", password=PASSWORD)
    body = client.get(f"/audit/children/{jay.pk}/").content.decode()
    assert "last_name: Smith → Smyth" in body
