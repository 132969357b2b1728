"""The alerts that matter, with hand-worked dates."""

import datetime

from tests.conftest import PASSWORD, make_child
from yjs.casework.models import (
    Assessment,
    Child,
    Intervention,
    Outcome,
    ReferralOrderPanel,
    TransitionDecision,
)
from yjs.casework.selectors import alerts

D = datetime.date


def _alerts(on):
    return [(a.child.first_name, a.kind) for a in alerts(Child.objects.all(), on)]


def test_assessment_review_overdue_only_while_work_is_open(jay):
    Intervention.objects.create(child=jay, kind="YRO", team=jay.team, start_date=D(2025, 1, 6))
    Assessment.objects.create(
        child=jay,
        kind="ASSETPLUS",
        completed_on=D(2025, 1, 20),
        likelihood_of_reoffending="MEDIUM",
        risk_of_serious_harm="LOW",
        safety_and_wellbeing="MEDIUM",
        needs="ETE",
        review_due=D(2025, 4, 20),
    )
    assert _alerts(D(2025, 4, 20)) == []
    assert _alerts(D(2025, 4, 21)) == [("Jay", "assessment")]
    Intervention.objects.update(end_date=D(2025, 4, 1))
    assert _alerts(D(2025, 4, 21)) == []


def test_referral_order_panel_beyond_20_working_days(jay):
    # Order made Friday 4 April 2025. Counting from Monday 7 April and skipping weekends, Good
    # Friday (18 April), Easter Monday (21 April) and the early May bank holiday (5 May), the
    # 20th working day is Wednesday 7 May 2025.
    order = Outcome.objects.create(
        child=jay,
        code="REFERRAL_ORDER",
        outcome_date=D(2025, 4, 4),
        length_months=6,
        appeal_status="NONE",
        residence="LOCAL",
    )
    ro = Intervention.objects.create(
        child=jay, kind="REFERRAL_ORDER", team=jay.team, outcome=order, start_date=D(2025, 4, 4)
    )
    assert _alerts(D(2025, 5, 7)) == []
    assert _alerts(D(2025, 5, 8)) == [("Jay", "panel")]
    panel = ReferralOrderPanel.objects.create(
        intervention=ro, panel_type="INITIAL", panel_date=D(2025, 5, 7)
    )
    assert _alerts(D(2025, 6, 1)) == []
    panel.panel_date = D(2025, 5, 8)
    panel.save()
    assert _alerts(D(2025, 6, 1)) == [("Jay", "panel")]


def test_child_reaching_17_and_a_half_without_transition_decision(northshire, people):
    team = northshire.teams.get(name="North")
    lee = make_child(northshire, team, first="Lee", dob=D(2008, 2, 29))
    Intervention.objects.create(child=lee, kind="YRO", team=team, start_date=D(2025, 6, 1))
    assert _alerts(D(2025, 8, 28)) == []
    assert _alerts(D(2025, 8, 29)) == [("Lee", "transition")]  # 29 Feb 2008 + 17y6m
    TransitionDecision.objects.create(
        child=lee, decided_on=D(2025, 8, 1), decision="TRANSFER_TO_PROBATION"
    )
    assert _alerts(D(2025, 9, 1)) == []


def test_intervention_open_past_planned_end(jay):
    Intervention.objects.create(
        child=jay,
        kind="DIVERSION",
        team=jay.team,
        start_date=D(2025, 1, 6),
        planned_end_date=D(2025, 4, 6),
    )
    assert _alerts(D(2025, 4, 6)) == []
    assert _alerts(D(2025, 4, 7)) == [("Jay", "intervention")]


def test_alerts_page_shows_only_children_in_reach(client, jay, kim):
    for child in (jay, kim):
        Intervention.objects.create(
            child=child,
            kind="DIVERSION",
            team=child.team,
            start_date=D(2025, 1, 6),
            planned_end_date=D(2025, 2, 6),
        )
    client.login(username="alice", password=PASSWORD)
    page = client.get("/alerts/").content.decode()
    assert "Jay Smith" in page and "Kim Jones" not in page


def test_journey_views_filter_the_timeline(client, jay, people):
    from yjs.casework.models import Contact

    Contact.objects.create(
        child=jay,
        contact_date=D(2025, 2, 1),
        contact_type="HOME_VISIT",
        mode="FACE_TO_FACE",
        attended=True,
        worker=people["alice"],
    )
    Intervention.objects.create(child=jay, kind="YRO", team=jay.team, start_date=D(2025, 1, 6))
    client.login(username="alice", password=PASSWORD)
    key = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Youth rehabilitation order started" in key and "Home visit" not in key
    contacts = client.get(f"/children/{jay.pk}/?show=contacts").content.decode()
    assert "Home visit" in contacts and "Youth rehabilitation order started" not in contacts
