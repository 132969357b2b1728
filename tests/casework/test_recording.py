"""Recording the child's journey through the pages, with GOV.UK errors and an audit trail."""

import datetime

from tests.conftest import PASSWORD, date_fields, referral_form
from yjs.audit.models import AuditEvent
from yjs.casework.models import AccommodationRecord, Intervention, Offence, Outcome

_date = date_fields


def test_record_offence_then_outcome_shows_on_timeline(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/offences/new/",
        {
            "description": "Theft from a shop",
            "category": "THEFT_AND_HANDLING",
            "gravity_score": 2,
            **_date("offence_date", datetime.date(2025, 3, 1)),
        },
    )
    assert r.status_code == 302
    offence = Offence.objects.get(child=jay)
    r = client.post(
        f"/children/{jay.pk}/outcomes/new/",
        {
            "code": "REFERRAL_ORDER",
            "length_months": 6,
            "offences": [offence.pk],
            "appeal_status": "NONE",
            "residence": "LOCAL",
            **_date("outcome_date", datetime.date(2025, 4, 10)),
        },
    )
    assert r.status_code == 302
    outcome = Outcome.objects.get(child=jay)
    assert list(outcome.offences.all()) == [offence]
    page = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Referral order" in page and "Theft from a shop" in page
    assert "First-tier" in page


def test_future_offence_and_outcome_before_offence_are_refused(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/offences/new/",
        {
            "description": "Criminal damage",
            "category": "CRIMINAL_DAMAGE",
            "gravity_score": 2,
            **_date("offence_date", datetime.date(2099, 1, 1)),
        },
    )
    assert r.status_code == 200
    page = r.content.decode()
    assert "govuk-error-summary" in page and "Offence date must be today or in the past" in page
    assert not Offence.objects.exists()
    offence = Offence.objects.create(
        child=jay,
        offence_date=datetime.date(2025, 3, 1),
        description="Assault",
        category="VIOLENCE_AGAINST_THE_PERSON",
        gravity_score=5,
    )
    r = client.post(
        f"/children/{jay.pk}/outcomes/new/",
        {
            "code": "YOUTH_CAUTION",
            "offences": [offence.pk],
            "appeal_status": "NONE",
            "residence": "LOCAL",
            **_date("outcome_date", datetime.date(2025, 2, 1)),
        },
    )
    assert "Outcome date must be the same as or after the offence date" in r.content.decode()
    assert not Outcome.objects.exists()


def test_offence_outside_ages_10_to_17_is_refused(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/offences/new/",
        {
            "description": "Theft",
            "category": "THEFT_AND_HANDLING",
            **_date("offence_date", datetime.date(2019, 6, 1)),
        },
    )  # jay was 9
    assert "The child was 9 on the offence date" in r.content.decode()


def test_impossible_date_gets_a_clear_message(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/offences/new/",
        {
            "description": "Theft",
            "category": "THEFT_AND_HANDLING",
            "offence_date_day": "31",
            "offence_date_month": "2",
            "offence_date_year": "2025",
        },
    )
    page = r.content.decode()
    assert "Offence date must be a real date" in page
    # each of the three boxes gets the red border, and keeps its width
    assert page.count("govuk-input--width-2 govuk-input--error") == 2
    assert page.count("govuk-input--width-4 govuk-input--error") == 1
    assert 'aria-invalid="true"' in page
    # a date without an error is drawn as normal (the arrest date was left empty)
    assert 'id="id_arrest_date_0"' in page
    assert page.count("govuk-input--error") == 3


def test_open_and_close_intervention_records_status_and_audits(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/interventions/new/",
        {
            "kind": "YRO",
            "team": jay.team.pk,
            "worker": people["alice"].pk,
            **_date("start_date", datetime.date(2025, 1, 6)),
            "start-accommodation_type": "LIVING_WITH_PARENTS",
            "start-accommodation_suitability": "SUITABLE",
            "start-provision": "MAINSTREAM_SCHOOL",
            "start-ete_suitability": "SUITABLE",
            "start-hours_offered": 25,
            "start-hours_attended": 20,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    intervention = Intervention.objects.get(child=jay)
    r = client.post(
        f"/interventions/{intervention.pk}/close/",
        {
            **_date("end_date", datetime.date(2025, 7, 4)),
            "end_reason": "COMPLETED",
            "completed_successfully": "True",
            "end-accommodation_type": "FOSTER_CARE_LA",
            "end-accommodation_suitability": "SUITABLE",
        },
    )
    assert r.status_code == 302
    records = list(AccommodationRecord.objects.filter(child=jay).order_by("start_date"))
    assert [(r.accommodation_type, r.start_date, r.end_date) for r in records] == [
        ("LIVING_WITH_PARENTS", datetime.date(2025, 1, 6), datetime.date(2025, 7, 3)),
        ("FOSTER_CARE_LA", datetime.date(2025, 7, 4), None),
    ]
    change = AuditEvent.objects.filter(action="UPDATE", object_type="intervention").first()
    assert change.actor == people["alice"]
    assert change.changes["end_date"] == [None, "2025-07-04"]
    assert change.changes["completed_successfully"] == [None, True]


def test_end_before_start_is_refused(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    intervention = Intervention.objects.create(
        child=jay, kind="YRO", team=jay.team, start_date=datetime.date(2025, 1, 6)
    )
    r = client.post(
        f"/interventions/{intervention.pk}/close/",
        {
            **_date("end_date", datetime.date(2025, 1, 1)),
            "end_reason": "COMPLETED",
            "completed_successfully": "True",
        },
    )
    assert "End date must be the same as or after the start date" in r.content.decode()
    intervention.refresh_from_db()
    assert intervention.end_date is None


def test_viewing_a_child_is_audited(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    client.get(f"/children/{jay.pk}/")
    event = AuditEvent.objects.get(action="VIEW")
    assert (event.actor, event.child) == (people["alice"], jay)


def test_unsuitable_accommodation_cannot_be_marked_suitable(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/interventions/new/",
        {
            "kind": "YRO",
            "team": jay.team.pk,
            **_date("start_date", datetime.date(2025, 1, 6)),
            "start-accommodation_type": "NO_FIXED_ABODE",
            "start-accommodation_suitability": "SUITABLE",
        },
    )
    assert "never suitable" in r.content.decode()
    assert not Intervention.objects.exists()


def test_add_referral_creates_child(client, northshire, people):
    client.login(username="alice", password=PASSWORD)
    reason = "Found with older boys near a drug-dealing spot"
    r = client.post(
        "/children/new/",
        referral_form(
            people, northshire, datetime.date(2011, 2, 3), datetime.date(2025, 9, 1), reason
        ),
    )
    assert r.status_code == 302
    page = client.get(r.url).content.decode()
    assert "Sam Taylor" in page and "Referral from police" in page


def test_mental_health_and_send_records(client, jay):
    from yjs.casework.models import MentalHealthRecord, SendRecord

    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/mental-health/new/",
        {
            **_date("need_identified_on", datetime.date(2025, 2, 1)),
            **_date("offered_on", datetime.date(2025, 2, 10)),
            "intervention_type": "GETTING_HELP",
            **_date("attended_start", datetime.date(2025, 3, 1)),
            **_date("attended_end", datetime.date(2025, 2, 1)),
        },
    )
    assert (
        "Date the child stopped attending must be the same as or after the date the child "
        "started attending" in r.content.decode()
    )
    assert not MentalHealthRecord.objects.exists()
    r = client.post(
        f"/children/{jay.pk}/send/new/",
        {
            "identified": "YES",
            "support": "EHCP",
            "formal_plan": "YES",
            **_date("start_date", datetime.date(2024, 9, 1)),
        },
    )
    assert r.status_code == 302
    assert SendRecord.objects.get(child=jay).support == "EHCP"


def test_an_empty_form_shows_its_errors(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(f"/children/{jay.pk}/contacts/new/", {})
    assert "govuk-error-summary" in r.content.decode()
