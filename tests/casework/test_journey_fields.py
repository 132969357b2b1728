"""The journey facts nothing set before: a variation of an order, the PNC's earlier outcome, a
referral's decision. Each reaches the KPI dataset, so each is proved through the pages and the
snapshot reader."""

import datetime

from tests.conftest import PASSWORD, date_fields
from yjs.casework.models import Offence, Outcome, Referral
from yjs.interop.snapshot import _Reader

D = datetime.date


def _offence(child):
    return Offence.objects.create(
        child=child,
        offence_date=D(2025, 1, 10),
        description="Assault",
        category="VIOLENCE_AGAINST_THE_PERSON",
        gravity_score=4,
    )


def _yro(child, offence):
    yro = Outcome.objects.create(
        child=child,
        code="YRO",
        outcome_date=D(2025, 3, 1),
        length_months=12,
        appeal_status="NONE",
        residence="LOCAL",
    )
    yro.offences.set([offence])
    return yro


def _post_outcome(client, child, **extra):
    data = {
        "code": "YRO",
        "length_months": 18,
        "appeal_status": "NONE",
        "residence": "LOCAL",
        **date_fields("outcome_date", D(2025, 9, 1)),
        **extra,
    }
    return client.post(f"/children/{child.pk}/outcomes/new/", data)


def test_a_variation_names_its_order_takes_its_offences_and_is_exported(client, jay):
    offence = _offence(jay)
    yro = _yro(jay, offence)
    client.login(username="alice", password=PASSWORD)
    form = client.get(f"/children/{jay.pk}/outcomes/new/").content.decode()
    assert "Does this extend or vary an order the child already has?" in form
    assert _post_outcome(client, jay, varies=yro.pk).status_code == 302
    variation = Outcome.objects.get(varies=yro)
    assert variation.is_variation
    assert list(variation.offences.all()) == [offence]  # the order's offences, none ticked
    rows = {r["outcome_id"]: r["is_variation"] for r in _Reader(jay.service).outcomes()}
    assert rows == {f"OC{yro.pk}": False, f"OC{variation.pk}": True}


def test_a_variation_keeps_the_orders_outcome_and_date(client, jay, kim):
    yro = _yro(jay, _offence(jay))
    client.login(username="alice", password=PASSWORD)
    r = _post_outcome(client, jay, varies=yro.pk, code="REFERRAL_ORDER", length_months=6)
    page = r.content.decode()
    assert "govuk-error-summary" in page
    assert "An extension or variation keeps the order&#x27;s own outcome" in page
    r = _post_outcome(client, jay, varies=yro.pk, **date_fields("outcome_date", D(2025, 2, 1)))
    assert "Outcome date of a variation must be the same as or after" in r.content.decode()
    other = _yro(kim, _offence(kim))  # another child's order is not offered, nor accepted
    r = _post_outcome(client, jay, varies=other.pk)
    assert "Select a valid choice" in r.content.decode()
    assert Outcome.objects.filter(is_variation=True).count() == 0


def test_a_new_outcome_is_no_variation(client, jay):
    offence = _offence(jay)
    client.login(username="alice", password=PASSWORD)
    assert _post_outcome(client, jay, offences=[offence.pk]).status_code == 302
    assert not Outcome.objects.get().is_variation


def test_pnc_earlier_outcome_is_set_on_the_childs_details_and_exported(client, jay):
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/details/").content.decode()
    assert "The Police National Computer shows an earlier substantive outcome" in page
    data = {
        "first_name": jay.first_name,
        "last_name": jay.last_name,
        **date_fields("date_of_birth", jay.date_of_birth),
        "sex": jay.sex,
        "home_local_authority": jay.home_local_authority_id,
        "residence": jay.residence,
        "previous_substantive_outcome": "on",
        "speech_language_needs": "on",
        "speech_language_notes": "Needs short sentences and pictures",
        "revision": jay.revision,
    }
    assert client.post(f"/children/{jay.pk}/details/", data).status_code == 302
    jay.refresh_from_db()
    assert jay.previous_substantive_outcome and jay.speech_language_needs
    (row,) = _Reader(jay.service).children()
    assert row["previous_substantive_outcome"] is True


def test_a_referral_decision_is_recorded_later_with_reason(client, jay, people):
    referral = Referral.objects.create(
        child=jay, received_on=D(2025, 5, 1), source="POLICE", pathway="PREVENTION", reason="x"
    )
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/records/referral/{referral.pk}/edit/"
    base = {
        "source": "POLICE",
        "pathway": "PREVENTION",
        "reason": "x",
        "revision": referral.revision,
        **date_fields("received_on", D(2025, 5, 1)),
    }
    r = client.post(url, {**base, "decision": "NFA"})
    page = r.content.decode()
    assert "Enter the date the decision was made" in page
    assert "Enter why the referral was not accepted" in page
    r = client.post(
        url,
        {
            **base,
            "decision": "NFA",
            "decision_reason": "Family engaged with Early Help instead",
            "decided_by": people["mo"].pk,
            **date_fields("decided_on", D(2025, 5, 8)),
        },
    )
    assert r.status_code == 302
    referral.refresh_from_db()
    assert (referral.decision, referral.decided_by) == ("NFA", people["mo"])
    later = {**base, "revision": referral.revision, **date_fields("decided_on", D(2025, 5, 9))}
    r = client.post(url, later)
    assert "Select the decision made on the referral" in r.content.decode()


def test_changing_the_offences_an_outcome_is_for_is_audited(jay, people):
    """A link is no field: `link_offences` audits it (outcomes, victims, hearings, panels)."""
    from yjs.audit.models import AuditEvent
    from yjs.casework import services

    first, second = _offence(jay), _offence(jay)
    yro = _yro(jay, first)
    services.record_outcome(people["alice"], yro, [first, second])
    event = AuditEvent.objects.get(description="Offences linked to outcome")
    assert event.changes == {"offences": [[first.pk], [first.pk, second.pk]]}
    assert event.child_id == jay.pk
    services.record_outcome(people["alice"], yro, [first, second])  # unchanged: no event
    assert AuditEvent.objects.filter(description="Offences linked to outcome").count() == 1
