"""Allocation and reallocation, transfers between services, the referral queue and caseload
counts: a team manager's week."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD, date_fields, make_child
from yjs.audit.models import AuditEvent
from yjs.casework import selectors, services
from yjs.casework.models import Allocation, Child, Intervention, Referral, Transfer

D = datetime.date


def _allocate(client, child, **post):
    return client.post(f"/children/{child.pk}/allocate/", post)


def test_manager_reallocates_a_child_to_another_team_and_the_caseloads_follow(client, jay, people):
    client.login(username="mo", password=PASSWORD)
    south = people["bob"].team
    response = _allocate(
        client,
        jay,
        team=south.pk,
        worker=people["bob"].pk,
        reason="Moved to the south of the county",
        **date_fields("allocated_on", D(2025, 3, 3)),
    )
    assert response.status_code == 302
    jay.refresh_from_db()
    assert (jay.team, jay.allocated_worker) == (south, people["bob"])
    allocation = Allocation.objects.get(child=jay)
    assert (allocation.allocated_on, allocation.allocated_by) == (D(2025, 3, 3), people["mo"])
    # audited with old and new values
    event = AuditEvent.objects.filter(child=jay, object_type="child", action="UPDATE").last()
    assert event.changes["allocated_worker_id"] == [people["alice"].pk, people["bob"].pk]
    assert event.changes["team_id"] == [people["alice"].team_id, south.pk]
    # bob's caseload now holds Jay; alice's no longer does, and she cannot open the record
    client.login(username="bob", password=PASSWORD)
    assert "Jay Smith" in client.get("/caseload/?view=mine").content.decode()
    client.login(username="alice", password=PASSWORD)
    assert "Jay Smith" not in client.get("/caseload/?view=mine").content.decode()
    assert client.get(f"/children/{jay.pk}/").status_code == 403
    titles = [e.title for e in selectors.timeline(jay)]
    assert "Allocated to Bob Baker, team South" in titles


@pytest.mark.parametrize(
    ("worker", "on", "field", "message"),
    [
        ("bob", D(2025, 3, 3), "worker", "Select a worker who holds a caseload in team North"),
        ("hana", D(2025, 3, 3), "worker", "Select a worker who holds a caseload in team North"),
        ("mo", D(2025, 1, 31), "allocated_on", "after the last allocation (1 February 2025)"),
        ("mo", "tomorrow", "allocated_on", "Date allocated must be today or in the past"),
        ("alice", D(2025, 3, 3), "worker", "already allocated to Alice Archer, team North"),
    ],
)
def test_allocation_refuses_what_cannot_be(jay, people, worker, on, field, message):
    north = people["alice"].team
    services.allocate(people["mo"], jay, north, people["alice"], D(2025, 2, 1), "First")
    on = services.today() + datetime.timedelta(days=1) if on == "tomorrow" else on
    with pytest.raises(ValidationError) as refused:
        services.allocate(people["mo"], jay, north, people[worker], on, "")
    assert message in " ".join(refused.value.message_dict[field])
    assert Allocation.objects.filter(child=jay).count() == 1


def test_practitioner_cannot_allocate(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    post = {"team": jay.team.pk, "worker": people["alice"].pk}
    assert _allocate(client, jay, **post).status_code == 403
    assert not Allocation.objects.exists()


def test_allocation_form_shows_errors_in_one_summary(client, jay):
    client.login(username="mo", password=PASSWORD)
    page = _allocate(client, jay, worker="").content.decode()
    assert "There is a problem" in page
    assert "Select the team the case belongs to" in page
    assert "Enter the date allocated" in page


def test_transfer_out_closes_the_case_in_one_transaction(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    intervention = Intervention.objects.create(
        child=jay, kind="YRO", team=jay.team, start_date=D(2025, 1, 6)
    )
    post = {
        "direction": "OUT",
        "other_service": "Southmoor Youth Justice Service",
        "their_reference": "SM123",
        **date_fields("transfer_date", D(2025, 5, 1)),
    }
    page = client.post(f"/children/{jay.pk}/transfers/new/", post).content.decode()
    assert "Close the child&#x27;s open interventions first" in page
    assert not Transfer.objects.exists()
    jay.refresh_from_db()
    assert jay.closed_on is None
    intervention.end_date = D(2025, 4, 30)
    intervention.save()
    assert client.post(f"/children/{jay.pk}/transfers/new/", post).status_code == 302
    jay.refresh_from_db()
    assert (jay.closed_on, jay.closure_reason) == (D(2025, 5, 1), "TRANSFERRED_YJS")
    assert Transfer.objects.get(child=jay).direction == "OUT"
    titles = [e.title for e in selectors.timeline(jay)]
    assert "Transferred to Southmoor Youth Justice Service" in titles
    assert "Case closed" in titles


def test_transfer_in_is_recorded_on_the_child_and_shown(client, jay):
    client.login(username="alice", password=PASSWORD)
    post = {
        "direction": "IN",
        "other_service": "Eastdale Youth Justice Service",
        "their_reference": "ED-42",
        **date_fields("transfer_date", D(2025, 2, 1)),
    }
    assert client.post(f"/children/{jay.pk}/transfers/new/", post).status_code == 302
    jay.refresh_from_db()
    assert jay.closed_on is None
    page = client.get(f"/children/{jay.pk}/").content.decode()
    assert "From Eastdale Youth Justice Service on 1 Feb 2025 (their reference ED-42)" in page
    assert "Transferred from Eastdale Youth Justice Service" in page


def _referred(child, on, source="POLICE", pathway="PREVENTION"):
    Referral.objects.create(child=child, received_on=on, source=source, pathway=pathway, reason="x")
    return child


def test_referral_queue_lists_the_team_managers_unallocated_children_oldest_first(
    client, northshire, people, jay
):
    north, south = people["alice"].team, people["bob"].team
    lee = _referred(make_child(northshire, north, first="Lee"), D(2025, 3, 1))
    ash = _referred(make_child(northshire, north, first="Ash"), D(2025, 2, 1), "COURT", "COURT")
    _referred(make_child(northshire, south, first="Sky"), D(2025, 1, 1))
    make_child(northshire, north, first="Old", closed_on=D(2025, 1, 1))
    queue = selectors.referral_queue(people["mo"])
    assert [c.first_name for c in queue] == ["Ash", "Lee"]  # not Jay (allocated), Sky, Old
    assert queue[0].days_waiting == (services.today() - D(2025, 2, 1)).days
    assert [c.first_name for c in selectors.referral_queue(people["hana"])] == [
        "Sky",
        "Ash",
        "Lee",
    ]
    client.login(username="mo", password=PASSWORD)
    page = client.get("/casework/queue/").content.decode()
    assert "Court order" in page and f"/children/{ash.pk}/allocate/?from=queue" in page
    response = _allocate(
        client,
        lee,
        team=north.pk,
        worker=people["alice"].pk,
        **date_fields("allocated_on", D(2025, 3, 2)),
    )
    assert response.status_code == 302  # from the child's record
    assert [c.first_name for c in selectors.referral_queue(people["mo"])] == ["Ash"]


def test_caseload_counts_per_worker(client, northshire, people, jay, kim):
    north = people["alice"].team
    ro = make_child(northshire, north, first="Ro", worker=people["alice"])
    for kind in ("REFERRAL_ORDER", "PREVENTION"):
        Intervention.objects.create(child=ro, kind=kind, team=north, start_date=D(2025, 1, 6))
    Intervention.objects.create(child=jay, kind="YRO", team=north, start_date=D(2025, 1, 6))
    make_child(northshire, north, first="Closed", worker=people["alice"], closed_on=D(2025, 1, 1))
    make_child(northshire, north, first="Wait")
    workers, unallocated = selectors.worker_caseloads(people["mo"])
    counts = {w.username: (w.open_cases, w.open_orders) for w in workers}
    # alice: Jay (YRO) and Ro (referral order; prevention is not an order); bob is in South
    assert counts == {"alice": (2, 2), "mo": (0, 0)}
    assert unallocated == 1
    workers, _ = selectors.worker_caseloads(people["hana"])
    assert {w.username: w.open_cases for w in workers} == {"alice": 2, "mo": 0, "bob": 1}
    client.login(username="mo", password=PASSWORD)
    page = client.get("/casework/workers/").content.decode()
    assert "Alice Archer" in page and "Bob Baker" not in page


def test_first_allocations_migration_dates_each_child_at_its_first_referral(jay, kim):
    _referred(jay, D(2024, 6, 1))
    _referred(jay, D(2025, 1, 1))
    migration = importlib.import_module("yjs.casework.migrations.0005_allocation_transfer")
    migration.first_allocations(apps, None)
    first = {a.child_id: a for a in Allocation.objects.all()}
    assert (first[jay.pk].allocated_on, first[jay.pk].worker) == (
        D(2024, 6, 1),
        jay.allocated_worker,
    )
    assert first[kim.pk].allocated_on == Child.objects.get(pk=kim.pk).created_at.date()
