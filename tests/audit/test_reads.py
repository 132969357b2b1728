"""Every page that shows a child writes a VIEW event for that child, naming the page only."""

from __future__ import annotations

import datetime

import pytest

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.casework.models import Intervention, Offence, Victim


def _views(child, **filters):
    return list(
        AuditEvent.objects.filter(action="VIEW", child=child, **filters)
        .order_by("id")
        .values_list("actor_username", "description")
    )


def test_caseload_writes_one_event_per_child_listed(client, jay, kim):
    client.login(username="alice", password=PASSWORD)
    client.get("/caseload/?view=team")
    assert _views(jay) == [("alice", "Caseload")]
    assert _views(kim) == []  # bob's child is not on alice's caseload


def test_search_and_its_partial_are_audited_without_the_search_term(client, jay, kim):
    client.login(username="mo", password=PASSWORD)
    client.get("/children/search/?q=Smith")
    client.get("/children/search/?q=Smith", headers={"HX-Request": "true"})
    assert _views(jay) == [("mo", "Search: 1 results")] * 2
    assert _views(kim) == []
    assert not AuditEvent.objects.filter(description__icontains="smith").exists()


def test_alerts_page_audits_each_child_with_an_alert(client, jay):
    Intervention.objects.create(
        child=jay,
        kind="YRO",
        team=jay.team,
        start_date=datetime.date(2024, 1, 8),
        planned_end_date=datetime.date(2024, 6, 1),
    )
    client.login(username="alice", password=PASSWORD)
    page = client.get("/alerts/").content.decode()
    assert "Jay" in page
    assert _views(jay) == [("alice", "Alerts")]


@pytest.fixture
def open_order(jay, people):
    return Intervention.objects.create(
        child=jay,
        kind="REFERRAL_ORDER",
        team=jay.team,
        worker=people["alice"],
        start_date=datetime.date(2025, 1, 6),
    )


def test_every_casework_form_opened_is_audited(client, jay, open_order):
    offence = Offence.objects.create(
        child=jay,
        offence_date=datetime.date(2024, 11, 2),
        description="Theft of a bicycle",
        category="THEFT_AND_HANDLING",
    )
    victim = Victim.objects.create(
        service=jay.service, victim_type="INDIVIDUAL", name="Pat Example"
    )
    victim.offences.add(offence)
    client.login(username="alice", password=PASSWORD)
    pages = {
        f"/children/{jay.pk}/interventions/new/": "Viewed open an intervention",
        f"/interventions/{open_order.pk}/close/": "Viewed close an intervention",
        f"/children/{jay.pk}/victims/{victim.pk}/": "Viewed update a victim's details",
        f"/children/{jay.pk}/contacts/new/": "Viewed record a contact",
    }
    for url, description in pages.items():
        assert client.get(url).status_code == 200, url
        assert _views(jay)[-1:] == [("alice", description)], url
