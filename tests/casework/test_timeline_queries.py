"""The child's record page costs a fixed number of queries, however long the journey."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, audit_lock_queries
from yjs.casework import records, services
from yjs.casework.models import Contact, Intervention, Offence, Outcome, Victim

RECORD_PAGE_QUERIES = 36 + audit_lock_queries()  # counted on a journey of 10 of each record, SQLite


def _journey(child, worker, n):
    for k in range(n):
        offence = Offence.objects.create(
            child=child,
            offence_date=datetime.date(2024, 1, 1 + k),
            description="Theft",
            category="THEFT_AND_HANDLING",
        )
        outcome = Outcome.objects.create(
            child=child,
            code="YOUTH_CAUTION",
            outcome_date=datetime.date(2024, 2, 1 + k),
            appeal_status="NONE",
            residence="LOCAL",
        )
        outcome.offences.add(offence)
        Intervention.objects.create(
            child=child,
            kind="OOCD",
            team=child.team,
            worker=worker,
            outcome=outcome,
            start_date=datetime.date(2024, 2, 1 + k),
        )
        Contact.objects.create(
            child=child,
            contact_date=datetime.date(2024, 3, 1 + k),
            contact_type="SUPERVISION",
            mode="FACE_TO_FACE",
            attended=True,
            worker=worker,
        )


def _queries(client, child):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/children/{child.pk}/?show=all").status_code == 200
    return len(ctx.captured_queries)


def test_record_page_queries_do_not_grow_with_the_journey(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    _journey(jay, people["alice"], 2)
    few = _queries(client, jay)
    _journey(jay, people["alice"], 8)
    assert _queries(client, jay) == few


def test_record_page_costs_at_most_a_fixed_number_of_queries(
    client, jay, people, django_assert_max_num_queries
):
    """Ten offences, outcomes, interventions and contacts: the page reads each kind of record
    once (the warnings, alerts, summary and timeline share them) and asks in one query which
    kinds have voided records. RECORD_PAGE_QUERIES was counted once and is written here, so a
    query per record, or a kind read twice, fails."""
    client.login(username="alice", password=PASSWORD)
    _journey(jay, people["alice"], 10)
    with django_assert_max_num_queries(RECORD_PAGE_QUERIES):
        assert client.get(f"/children/{jay.pk}/").status_code == 200
    with django_assert_max_num_queries(RECORD_PAGE_QUERIES):
        assert client.get(f"/children/{jay.pk}/?show=all").status_code == 200


def test_voided_records_found_through_another_record_are_listed(jay, people):
    """A victim reaches the child through an offence, and an offence through nothing else:
    voiding the victim (and nothing more) lists exactly one voided record, the victim; the
    one query that asks which kinds have voided records follows the same paths as the page."""
    _journey(jay, people["alice"], 1)
    victim = Victim.objects.create(
        service=jay.service, victim_type="INDIVIDUAL", name="A shopkeeper"
    )
    victim.offences.add(jay.offences.get())
    assert records.voided_records(jay) == []
    services.void_record(people["alice"], victim, "Entered on the wrong offence")
    voided = records.voided_records(jay)
    assert [(rt.slug, record.pk) for rt, record in voided] == [("victim", victim.pk)]
