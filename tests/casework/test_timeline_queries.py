"""The child's record page costs a fixed number of queries, however long the journey."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, audit_lock_queries
from yjs.casework import extensions, records, selectors, services
from yjs.casework.models import Contact, Intervention, Offence, Outcome, Remand, Victim

# Counted on a journey of 10 of each record, SQLite, with nothing registered by other apps; each
# registered section, timeline source and alert source (casework extensions) is one query more.
RECORD_PAGE_QUERIES = (
    18
    + len(extensions.CHILD_SECTIONS)
    + len(extensions.TIMELINE_SOURCES)
    + len(selectors.ALERT_SOURCES)
    + audit_lock_queries()
)
# The key events (the page as it opens) read no contacts: one query fewer.
KEY_EVENTS_QUERIES = RECORD_PAGE_QUERIES - 1


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
    """Ten offences, outcomes, interventions and contacts: the page asks in one query which
    kinds of record the child has any of, reads each of those once (the warnings, alerts,
    summary and timeline share them) and asks in one query which kinds have voided records.
    RECORD_PAGE_QUERIES was counted once and is written here, so a query per record, a kind
    read twice, or a kind read that the child has none of, fails."""
    client.login(username="alice", password=PASSWORD)
    _journey(jay, people["alice"], 10)
    with django_assert_max_num_queries(KEY_EVENTS_QUERIES):
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


def _tables_read(client, url) -> str:
    """The tables the page read rows from (not those it only asked EXISTS of)."""
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return " ".join(
        q["sql"].split(" FROM ")[1].split()[0]
        for q in ctx.captured_queries
        if " FROM " in q["sql"] and not q["sql"].startswith("SELECT EXISTS")
    )


def test_kinds_the_child_has_none_of_are_not_read_until_one_is_added(client, jay, people):
    """Jay has no remand and no contact: the page does not read those tables. Once a remand
    and a contact are recorded, the next page reads them and shows them: nothing is kept
    between pages."""
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/?show=all"
    assert '"casework_remand"' not in _tables_read(client, url)
    assert '"casework_contact"' not in _tables_read(client, url)
    Remand.objects.create(
        child=jay, decision="REMAND_IN_CUSTODY", start_date=datetime.date(2024, 5, 2),
        circumstances="Remanded pending trial",
    )  # fmt: skip
    _journey(jay, people["alice"], 1)
    assert '"casework_remand"' in _tables_read(client, url)
    page = client.get(url).content.decode()
    assert "Remanded pending trial" in page
    assert "Supervision session" in page  # the contact


def test_key_events_read_no_contacts_and_the_contacts_view_shows_them(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    _journey(jay, people["alice"], 1)
    assert '"casework_contact"' not in _tables_read(client, f"/children/{jay.pk}/")
    assert '"casework_contact"' in _tables_read(client, f"/children/{jay.pk}/?show=contacts")
    page = client.get(f"/children/{jay.pk}/?show=contacts").content.decode()
    assert "Supervision session" in page


def test_a_completed_intervention_reads_once_on_the_timeline(jay, people):
    """"Completed successfully", not "Completed, completed successfully"."""
    import datetime

    from yjs.casework import selectors

    Intervention.objects.create(
        child=jay,
        kind="PREVENTION",
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 4, 7),
        end_reason="COMPLETED",
        completed_successfully=True,
        team=jay.team,
        worker=people["alice"],
    )
    (ended,) = [e for e in selectors.timeline(jay) if e.title.endswith("ended")]
    assert ended.lines == ("Completed successfully",)
