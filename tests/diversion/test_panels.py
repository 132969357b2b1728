"""The joint decision-making / out-of-court panel: recorded through its pages, the police
decision recording the outcome in the same transaction, timeliness worked by hand, and the
coordinator's list scoped to the children the user may see."""

import datetime

import pytest

from tests.conftest import PASSWORD, _user, date_fields
from yjs.audit.models import AuditEvent
from yjs.casework.models import Offence, Outcome, Referral
from yjs.diversion import selectors, services
from yjs.diversion.models import OutOfCourtPanel, PanelAttendee
from yjs.organisation.models import Role, Service, Team

D = datetime.date
RECEIVED, OFFENDED, PANEL = D(2025, 1, 3), D(2024, 12, 20), D(2025, 1, 13)


def _referral(child, received_on=RECEIVED):
    return Referral.objects.create(
        child=child, received_on=received_on, source="POLICE", pathway="OOCD", reason="Arrest"
    )


def _offence(child, on=OFFENDED):
    return Offence.objects.create(
        child=child, offence_date=on, description="Shoplifting", category="THEFT_AND_HANDLING"
    )


def _attendees(*rows):
    data = {"attendee-TOTAL_FORMS": "4", "attendee-INITIAL_FORMS": "0"}
    for n, (agency, name, role) in enumerate(rows):
        data |= {f"attendee-{n}-agency": agency, f"attendee-{n}-name": name,
                 f"attendee-{n}-role": role}
    return data


BOTH = (("POLICE", "PC Dee Khan", "Youth officer"), ("YJS", "Alice Archer", "Case worker"))


def _panel(child, referral, offence, panel_date=PANEL, **extra):
    panel = OutOfCourtPanel.objects.create(
        child=child, referral=referral, panel_date=panel_date, recommendation="OUTCOME_22",
        **extra
    )
    panel.offences.set([offence])
    for agency, name, role in BOTH:
        PanelAttendee.objects.create(panel=panel, agency=agency, name=name, role=role)
    return panel


@pytest.fixture
def alice(client, people):
    client.login(username="alice", password=PASSWORD)
    return client


def test_a_panel_is_recorded_with_its_offences_and_attendees(alice, jay):
    referral, offence = _referral(jay), _offence(jay)
    response = alice.post(f"/children/{jay.pk}/out-of-court-panels/new/", {
        "referral": referral.pk, "offences": [offence.pk], **date_fields("panel_date", PANEL),
        "child_views": "Sorry for what happened", "recommendation": "OUTCOME_22",
        **_attendees(*BOTH),
    })
    assert response.status_code == 302
    panel = OutOfCourtPanel.objects.get(child=jay)
    assert list(panel.offences.all()) == [offence]
    assert [str(a) for a in panel.attendees.all()] == [
        "Police: PC Dee Khan (Youth officer)", "Youth justice service: Alice Archer (Case worker)"]
    events = AuditEvent.objects.filter(object_type="out-of-court panel", object_id=str(panel.pk))
    assert {"Out-of-court panel recorded", "Panel attendees recorded",
            "Offences considered by the panel"} <= set(events.values_list("description", flat=True))
    page = alice.get(f"/children/{jay.pk}/").content.decode()
    assert "Out-of-court panels" in page and "Record the police decision" in page
    assert "Out-of-court panel (joint decision-making)" in page  # the timeline entry


def test_bad_input_is_refused_with_the_error_summary(alice, jay, kim):
    referral = _referral(jay, received_on=D(2025, 1, 10))
    offence = _offence(jay)
    response = alice.post(f"/children/{jay.pk}/out-of-court-panels/new/", {
        "referral": referral.pk, "offences": [offence.pk],
        **date_fields("panel_date", D(2025, 1, 6)),  # before the referral was received
        **_attendees(("POLICE", "", "Youth officer")),  # a row begun, not finished
    })
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page
    assert ("Date of the panel must be the same as or after the date the referral was received "
            "(10 January 2025)") in page
    assert "Attendee 1: Enter the name of the person who attended" in page
    empty = alice.post(f"/children/{jay.pk}/out-of-court-panels/new/", _attendees()).content
    assert b"Enter the date of the panel" in empty
    assert b"Select the offence or offences the panel considered" in empty
    # another child's offence is no choice on jay's form, and the rule refuses it too
    other = _offence(kim)
    bad = alice.post(f"/children/{jay.pk}/out-of-court-panels/new/", {
        "offences": [other.pk], **date_fields("panel_date", D(2025, 1, 13)), **_attendees()})
    assert b"Select a valid choice" in bad.content
    panel = OutOfCourtPanel(child=jay, panel_date=D(2025, 1, 13))
    assert services.panel_problems(panel, offences=[other]) == {
        "offences": "Select only offences of this child"}
    assert not OutOfCourtPanel.objects.exists()


def _decide(client, child, panel, decision, on, **extra):
    return client.post(f"/children/{child.pk}/out-of-court-panels/{panel.pk}/decision/", {
        "police_decision": decision, **date_fields("decided_on", on), "revision": panel.revision,
        **_attendees(*BOTH), **extra})


def test_the_police_decision_records_the_outcome_in_the_same_transaction(alice, jay):
    offence = _offence(jay)
    panel = _panel(jay, _referral(jay), offence)
    response = _decide(alice, jay, panel, "OUTCOME_22", D(2025, 1, 15))
    assert response.status_code == 302
    panel.refresh_from_db()
    outcome = Outcome.objects.get(child=jay)
    assert panel.outcome == outcome and panel.police_decision == "OUTCOME_22"
    assert (outcome.code, outcome.outcome_date, outcome.appeal_status) == (
        "OUTCOME_22", D(2025, 1, 15), "NONE")
    assert list(outcome.offences.all()) == [offence]
    # decided once: the page sends the user to the record instead
    decided = alice.get(f"/children/{jay.pk}/out-of-court-panels/{panel.pk}/decision/")
    assert decided.status_code == 302


def test_a_charge_records_no_outcome_and_a_refused_decision_records_nothing(alice, jay):
    panel = _panel(jay, _referral(jay), _offence(jay))
    form = alice.get(f"/children/{jay.pk}/out-of-court-panels/{panel.pk}/decision/")
    assert 'value="PC Dee Khan"' in form.content.decode()  # the attendees, to add to
    before = _decide(alice, jay, panel, "YOUTH_CAUTION", D(2025, 1, 10))  # before the panel
    assert ("Date of the police decision must be the same as or after the date of the panel "
            "(13 January 2025)") in before.content.decode()
    # a decision unlike the recommendation needs its reasons
    assert b"Enter why the police decision differs" in before.content
    alone = alice.post(f"/children/{jay.pk}/out-of-court-panels/{panel.pk}/decision/", {
        "police_decision": "OUTCOME_22", **date_fields("decided_on", D(2025, 1, 15)),
        "revision": panel.revision, **_attendees(("POLICE", "PC Dee Khan", "Youth officer"))})
    assert b"add who attended for the youth justice service" in alone.content
    assert not Outcome.objects.exists()
    panel.refresh_from_db()
    assert panel.police_decision == "" and panel.attendees.count() == 2  # rolled back
    assert _decide(alice, jay, panel, "CHARGE", D(2025, 1, 15),
                   decision_reason="Serious harm to the victim").status_code == 302
    panel.refresh_from_db()
    assert panel.police_decision == "CHARGE" and panel.outcome is None
    assert not Outcome.objects.exists()


def test_timeliness_worked_by_hand(jay):
    # Referral Friday 3 January 2025, panel Monday 13 January, decision Wednesday 15 January.
    # Working days after 3 January up to the 13th: 6, 7, 8, 9, 10 and 13 January = 6.
    one = _panel(jay, _referral(jay), _offence(jay), police_decision="OUTCOME_22",
                 decided_on=D(2025, 1, 15))
    t = selectors.timeliness(one)
    assert (t.referral_to_panel.days, t.referral_to_panel.working_days) == (10, 6)
    assert (t.panel_to_decision.days, t.panel_to_decision.working_days) == (2, 2)
    assert (t.referral_to_decision.days, t.referral_to_decision.working_days) == (12, 8)
    assert t.within_target
    # Referral Tuesday 1 April 2025, decision Tuesday 6 May: 35 days. Working days: 21 weekdays
    # from 2 to 30 April less Good Friday and Easter Monday = 19, then 1, 2 and 6 May (5 May is
    # a bank holiday) = 22, outside the 20-working-day target.
    two = _panel(jay, _referral(jay, D(2025, 4, 1)), _offence(jay, D(2025, 3, 28)),
                 panel_date=D(2025, 5, 6), police_decision="YOUTH_CAUTION",
                 decided_on=D(2025, 5, 6))
    assert selectors.timeliness(two).referral_to_decision.working_days == 22
    no_referral = _panel(jay, None, _offence(jay), police_decision="CHARGE",
                         decided_on=D(2025, 1, 20))
    s = selectors.summary([one, two, no_referral])
    assert (s.count, s.median_days, s.average_days) == (2, 23.5, 23.5)
    assert (s.median_working_days, s.average_working_days) == (15, 15)
    assert (s.within_target, s.within_target_percent, s.without_referral) == (1, 50.0, 1)


def _list(client):
    query = "start_day=1&start_month=1&start_year=2025&end_day=31&end_month=12&end_year=2025"
    return client.get(f"/out-of-court-panels/?{query}")


def test_the_coordinators_list_shows_only_children_in_reach(client, jay, people):
    _panel(jay, _referral(jay), _offence(jay), police_decision="OUTCOME_22",
           decided_on=D(2025, 1, 15))
    _panel(jay, _referral(jay), _offence(jay), panel_date=D(2025, 2, 3))  # awaiting decision
    client.login(username="alice", password=PASSWORD)
    page = _list(client).content.decode()
    assert "Panels awaiting the police decision (1)" in page and "Decided panels (1)" in page
    assert "Jay Smith" in page and "Within 20 working days" in page
    assert "1 of 1 (100.0%; target 90%)" in page
    assert AuditEvent.objects.filter(
        action="VIEW", description="Out-of-court panels", object_id=str(jay.pk)).exists()
    client.login(username="bob", password=PASSWORD)  # team South
    page = _list(client).content.decode()
    assert "Jay Smith" not in page and "Decided panels (0)" in page
    other = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    _user(other, "sol", Role.HEAD_OF_SERVICE, Team.objects.create(service=other, name="S"))
    client.login(username="sol", password=PASSWORD)
    page = _list(client).content.decode()
    assert "Jay Smith" not in page and "awaiting the police decision (0)" in page
    client.login(username="bea", password=PASSWORD)
    assert _list(client).status_code == 403


def test_record_pages_change_void_and_refuse_other_team(client, jay):
    panel = _panel(jay, _referral(jay), _offence(jay))
    url = f"/children/{jay.pk}/records/oocd-panel/{panel.pk}/"
    client.login(username="bob", password=PASSWORD)
    assert client.get(url).status_code == 403
    decision = f"/children/{jay.pk}/out-of-court-panels/{panel.pk}/decision/"
    assert client.get(decision).status_code == 403
    assert client.get(f"/children/{jay.pk}/out-of-court-panels/new/").status_code == 403
    client.login(username="alice", password=PASSWORD)
    page = client.get(url).content.decode()
    assert "Out-of-court panel" in page and "Shoplifting" in page and "History" in page
    changed = client.post(f"{url}edit/", {
        "referral": panel.referral_id, **date_fields("panel_date", D(2025, 1, 14)),
        "family_views": "Mum wants support", "recommendation": "OUTCOME_22",
        "revision": panel.revision})
    assert changed.status_code == 302
    panel.refresh_from_db()
    assert panel.panel_date == D(2025, 1, 14) and panel.offences.count() == 1
    refused = client.post(f"{url}edit/", {
        "referral": panel.referral_id, **date_fields("panel_date", D(2025, 1, 2)),
        "revision": panel.revision})
    assert b"date the referral was received" in refused.content
    assert client.post(f"{url}void/", {"reason": "Wrong child", "revision": panel.revision}
                       ).status_code == 302
    assert not OutOfCourtPanel.objects.exists() and OutOfCourtPanel.all_objects.count() == 1


def test_a_panel_invitation_is_offered_only_while_the_panel_is_undecided(alice, jay):
    panel = _panel(jay, _referral(jay), _offence(jay))
    url = f"/children/{jay.pk}/records/oocd-panel/{panel.pk}/"
    letter = (
        f"/children/{jay.pk}/letters/new/PANEL_INVITATION/"
        f"?record=diversion.outofcourtpanel:{panel.pk}"
    )
    assert letter in alice.get(url).content.decode()
    assert alice.get(letter).status_code == 200
    _decide(alice, jay, panel, "OUTCOME_22", D(2025, 1, 15))
    # decided: the invitation has nothing left to invite to, so the page no longer links to it
    assert "letters/new/PANEL_INVITATION" not in alice.get(url).content.decode()
