"""Closed cases, re-referrals and reopening; merging a duplicate record and reversing it."""

import datetime

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD, date_fields, make_child
from yjs import periods
from yjs.audit.models import AuditEvent
from yjs.casework import selectors, services
from yjs.casework.models import CaseClosure, Child, ChildMerge, Contact, Offence, Outcome
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import Service, Team
from yjs.performance import engine

D = datetime.date


@pytest.fixture
def closed_jay(jay, people):
    services.close_case(people["alice"], jay, closed_on=D(2025, 6, 1), closure_reason="COMPLETED")
    return jay


def _referral(on):
    return {
        **date_fields("received_on", on),
        "source": "POLICE",
        "pathway": "PREVENTION",
        "reason": "Arrested again",
    }


def test_a_re_referral_reopens_the_case_into_the_referral_queue(client, closed_jay, people):
    client.login(username="alice", password=PASSWORD)
    response = client.post(f"/children/{closed_jay.pk}/referrals/new/", _referral(D(2026, 2, 1)))
    assert response.status_code == 302
    closed_jay.refresh_from_db()
    assert closed_jay.closed_on is None and closed_jay.allocated_worker is None
    closure = CaseClosure.objects.get(child=closed_jay)
    assert (closure.closed_on, closure.reopened_on) == (D(2025, 6, 1), D(2026, 2, 1))
    titles = [e.title for e in selectors.timeline(closed_jay)]
    assert "Case closed" in titles and "Case reopened" in titles
    assert AuditEvent.objects.filter(
        child=closed_jay, action="UPDATE", description="Case reopened by a new referral"
    ).exists()


def test_a_referral_received_before_the_closure_does_not_reopen(client, closed_jay):
    client.login(username="alice", password=PASSWORD)
    page = client.post(f"/children/{closed_jay.pk}/referrals/new/", _referral(D(2025, 5, 1)))
    assert "a new referral must be received on or after that date" in page.content.decode()
    closed_jay.refresh_from_db()
    assert closed_jay.closed_on == D(2025, 6, 1) and not closed_jay.referrals.exists()


ADD_PAGES = (
    "offences",
    "outcomes",
    "interventions",
    "assessments",
    "contacts",
    "victims",
    "plans",
    "transition",
    "remands",
    "care-status",
    "send",
    "mental-health",
    "substance-misuse",
    "exploitation",
    "custody",
)


def test_nothing_is_added_to_a_closed_case_until_it_is_reopened(client, closed_jay):
    client.login(username="alice", password=PASSWORD)
    for page in ADD_PAGES:
        body = client.get(f"/children/{closed_jay.pk}/{page}/new/").content.decode()
        assert "This case is closed" in body and "Reopen the case" in body, page
        client.post(f"/children/{closed_jay.pk}/{page}/new/", {"contact_date_day": "1"})
    assert "This case is closed" in client.get(f"/children/{closed_jay.pk}/close/").content.decode()
    with pytest.raises(ValidationError, match="Reopen it"):
        services.save_record(
            None,
            Contact(
                child=closed_jay,
                contact_date=D(2025, 7, 1),
                contact_type="OTHER",
                mode="PHONE",
                attended=True,
            ),
        )
    client.login(username="mo", password=PASSWORD)  # a manager may still sign off the closure
    oversight = client.get(f"/children/{closed_jay.pk}/oversight/new/")
    assert b"This case is closed" not in oversight.content


def test_the_reopen_page_reopens_with_a_reason(client, closed_jay):
    client.login(username="alice", password=PASSWORD)
    form = {**date_fields("reopened_on", D(2026, 1, 10)), "reason": "Court asked for a report"}
    assert client.post(f"/children/{closed_jay.pk}/reopen/", form).status_code == 302
    closed_jay.refresh_from_db()
    assert closed_jay.closed_on is None and closed_jay.allocated_worker is not None
    assert CaseClosure.objects.get().reopen_reason == "Court asked for a report"
    assert client.get(f"/children/{closed_jay.pk}/contacts/new/").status_code == 200


def test_the_migration_keeps_earlier_closures_as_history(northshire, people):
    from importlib import import_module

    from django.apps import apps

    child = make_child(
        northshire, people["alice"].team, closed_on=D(2024, 3, 1), closure_reason="MOVED_AREA"
    )
    import_module("yjs.casework.migrations.0008_find_merge_reopen").closures_into_history(
        apps, None
    )
    assert list(CaseClosure.objects.values_list("child", "closed_on", "reason")) == [
        (child.pk, D(2024, 3, 1), "MOVED_AREA")
    ]


# Merge ------------------------------------------------------------------------------------


@pytest.fixture
def twin(northshire, people):
    """A duplicate record of Jay, made in team South, with an offence, an outcome and a contact."""
    dup = make_child(northshire, northshire.teams.get(name="South"), worker=people["bob"])
    _first_outcome(dup)
    Contact.objects.create(
        child=dup, contact_date=D(2026, 3, 2), contact_type="OTHER", mode="PHONE", attended=True
    )
    return dup


def _quarter():
    return periods.quarter_of(services.today()).previous()


def _first_outcome(child):
    on = _quarter().start + datetime.timedelta(days=10)
    offence = Offence.objects.create(
        child=child,
        offence_date=on - datetime.timedelta(days=5),
        description="Theft",
        category="THEFT_AND_HANDLING",
    )
    Outcome.objects.create(child=child, code="YOUTH_CAUTION", outcome_date=on).offences.add(offence)


def _owners(*children):
    """Which child each record belongs to, by model."""
    out = {}
    for rel in selectors.record_relations():
        for pk, child_id in rel.related_model.objects.filter(
            **{f"{rel.field.name}__in": children}
        ).values_list("pk", rel.field.attname):
            out[(rel.related_model._meta.label, pk)] = child_id
    return out


def _snapshot_children(settings, tmp_path, service):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    folder = take_snapshot(service=service)
    fte = [
        r
        for r in engine.run(folder, _quarter().next(), kpis=["fte"]).results
        if r.measure == "fte_count" and r.dimension == "all"
    ]
    return pq.read_table(folder / "children.parquet").num_rows, fte[0].numerator


def test_a_merge_moves_every_record_and_counts_the_child_once(
    client, jay, twin, people, settings, tmp_path
):
    _first_outcome(jay)
    assert _snapshot_children(settings, tmp_path / "before", jay.service) == (2, 2)
    before = _owners(jay, twin)
    client.login(username="hana", password=PASSWORD)
    confirm = client.post(f"/children/{jay.pk}/merge/", {"reference": twin.reference.lower()})
    assert f"Merge {twin.reference} into {jay.reference}?" in confirm.content.decode()
    response = client.post(f"/children/{jay.pk}/merge/", {"duplicate": twin.pk, "confirm": "1"})
    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into == jay
    assert set(_owners(jay, twin).values()) == {jay.pk}
    assert len(_owners(jay, twin)) == len(before)
    assert _snapshot_children(settings, tmp_path / "after", jay.service) == (1, 1)
    assert twin not in selectors.caseload(people["hana"])
    assert twin not in list(selectors.search(people["hana"], "Jay Smith"))
    assert all(a.child != twin for a in selectors.alerts(Child.objects.all(), services.today()))
    page = client.get(f"/children/{twin.pk}/").content.decode()
    assert f"Merged into {jay.reference}" in page and f'href="/children/{jay.pk}/"' in page
    moved = AuditEvent.objects.filter(action="UPDATE", description__contains="(merge)")
    assert moved.count() == len(before) - len([k for k, v in before.items() if v == jay.pk])
    assert all(e.changes == {"child_id": [twin.pk, jay.pk]} for e in moved)


def test_unmerge_puts_back_exactly_what_moved(client, jay, twin, people):
    before = _owners(jay, twin)
    merge = services.merge_children(people["hana"], jay, twin)
    Contact.objects.create(
        child=jay, contact_date=D(2026, 4, 1), contact_type="OTHER", mode="PHONE", attended=True
    )  # recorded after the merge: stays
    client.login(username="hana", password=PASSWORD)
    assert client.post(f"/children/{jay.pk}/unmerge/{merge.pk}/").status_code == 302
    twin.refresh_from_db()
    assert twin.merged_into is None
    after = _owners(jay, twin)
    assert {k: v for k, v in after.items() if k in before} == before
    assert len(after) == len(before) + 1
    assert ChildMerge.objects.get().unmerged_at is not None


def test_a_merge_reopens_a_closed_survivor_and_unmerge_closes_it_again(jay, twin, people):
    services.close_case(people["alice"], jay, closed_on=D(2025, 6, 1), closure_reason="COMPLETED")
    merge = services.merge_children(people["hana"], jay, twin)
    jay.refresh_from_db()
    assert jay.closed_on is None and jay.team == twin.team
    services.unmerge_children(people["hana"], merge)
    jay.refresh_from_db()
    assert jay.closed_on == D(2025, 6, 1) and jay.allocated_worker == people["alice"]
    assert CaseClosure.objects.get(child=jay).reopened_on is None


def test_merges_that_cannot_be_are_refused(client, jay, twin, people):
    hana = people["hana"]
    other = Service.objects.create(name="Southvale", code="southvale")
    other.local_authorities.create(name="Southvale", ons_code="E06000999")
    stranger = make_child(other, Team.objects.create(service=other, name="Vale"))
    with pytest.raises(ValidationError, match="different youth justice services"):
        services.merge_children(hana, jay, stranger)
    with pytest.raises(ValidationError, match="into itself"):
        services.merge_children(hana, jay, jay)
    services.merge_children(hana, jay, twin)
    with pytest.raises(ValidationError, match="already been merged"):
        services.merge_children(hana, jay, twin)
    client.login(username="hana", password=PASSWORD)
    page = client.post(f"/children/{jay.pk}/merge/", {"reference": stranger.reference})
    assert "Children of different youth justice services cannot be merged" in page.content.decode()
    assert Child.objects.get(pk=stranger.pk).merged_into is None


def test_only_managers_merge(client, jay, twin):
    client.login(username="alice", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/merge/").status_code == 403
    client.login(username="mo", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/merge/").status_code == 200
