"""Quality assurance: rating summaries worked by hand, reproducible themed samples, audit
actions in the plan's action plan, the CSPPI 24-hour rule, and who may see what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import PASSWORD, date_fields, make_child
from yjs.audit.models import AuditEvent
from yjs.casework.models import Outcome
from yjs.governance import blocks
from yjs.governance.models import Action
from yjs.organisation.models import Service, Team
from yjs.periods import Quarter
from yjs.quality import selectors, services
from yjs.quality.models import CaseAudit, Recommendation, SeriousIncident, ThemedAudit

from .conftest import GOOD, INAD, RI, audit

D = datetime.date


# --------------------------------------------------------------------------- rating summary


def test_rating_summary_by_hand(three_audits, northshire):
    # assessment: GOOD, OUT, RI       -> 1 outstanding, 1 good, 1 RI, 0 inadequate; 2 of 3
    # planning:   RI, GOOD, INAD      -> 0, 1, 1, 1; 1 of 3
    # overall:    GOOD, OUT, INAD     -> 1, 1, 0, 1; 2 of 3 (67%)
    audits = selectors.audits_in(northshire, D(2025, 4, 1), D(2026, 3, 31))
    summary = {s.key: s for s in selectors.rating_summary(audits)}
    assert summary["assessment"].counts == {
        "OUTSTANDING": 1,
        "GOOD": 1,
        "REQUIRES_IMPROVEMENT": 1,
        "INADEQUATE": 0,
    }
    assert summary["assessment"].n_of_n == "2 of 3"
    assert list(summary["planning"].counts.values()) == [0, 1, 1, 1]
    assert summary["planning"].n_of_n == "1 of 3"
    assert summary["overall"].n_of_n == "2 of 3" and summary["overall"].percent == "67%"
    # the period's ends are included; an audit on 1 July is outside June
    june = selectors.audits_in(northshire, D(2025, 6, 2), D(2025, 6, 9))
    assert june.count() == 2


def test_audit_block_counts_and_names_no_child(three_audits, northshire, jay):
    data = blocks.build(
        blocks.get("quality_audit_ratings"),
        blocks.BlockRequest(northshire, D(2025, 4, 1), D(2026, 3, 31), Quarter(2025, 1)),
    )
    assert data["headers"][-1] == "Good or better"
    overall = data["rows"][-1]
    assert overall == ["Overall", "1", "1", "0", "1", "2 of 3 (67%)"]
    assert "3 children's cases" in data["intro"]
    text = str(data)
    assert jay.first_name not in text and "No plan was written" not in text
    assert "quality_audit_ratings" in blocks.names_for("standards")


def test_an_area_below_good_needs_areas_for_improvement(northshire, people, jay):
    with pytest.raises(ValidationError) as err:
        audit(northshire, jay, people["mo"], D(2025, 6, 2), (GOOD, RI, GOOD, GOOD, GOOD))
    assert "to_improve" in err.value.message_dict


def test_recommendations_block(northshire, people):
    for n, status in enumerate(["COMPLETED", "IN_PROGRESS", "NOT_STARTED"], start=1):
        services.save_recommendation(
            people["hana"],
            Recommendation(
                service=northshire,
                inspection="HMIP inspection",
                inspection_date=D(2024, 9, 1),
                number=n,
                text=f"Recommendation {n}",
                owner="Head of Service",
                status=status,
                evidence="Audit of plans, March 2025" if status == "COMPLETED" else "",
                completed_on=D(2025, 3, 31) if status == "COMPLETED" else None,
            ),
        )
    data = blocks.build(
        blocks.get("quality_recommendations"),
        blocks.BlockRequest(northshire, D(2025, 4, 1), D(2026, 3, 31), Quarter(2025, 1)),
    )
    assert data["rows"] == [["HMIP inspection (September 2024)", "3", "1", "1", "1"]]
    assert data["intro"].startswith("1 of 3")


def test_a_completed_recommendation_needs_evidence_and_date(northshire, people):
    with pytest.raises(ValidationError) as err:
        services.save_recommendation(
            people["hana"],
            Recommendation(
                service=northshire,
                inspection="HMIP",
                inspection_date=D(2024, 9, 1),
                number=1,
                text="x",
                owner="HoS",
                status="COMPLETED",
            ),
        )
    assert set(err.value.message_dict) == {"completed_on", "evidence"}


# --------------------------------------------------------------------------- themed audits


@pytest.fixture
def oocd_children(northshire, people):
    """8 children with an OOCD in 2025-26 Q1; 4 who must never be drawn."""
    north = northshire.teams.get(name="North")
    eligible = []
    for i in range(8):
        c = make_child(northshire, north, first=f"Eli{i}", last="Able")
        Outcome.objects.create(child=c, code="COMMUNITY_RESOLUTION", outcome_date=D(2025, 4, 1 + i))
        eligible.append(c.pk)
    late = make_child(northshire, north, first="Late", last="Out")
    Outcome.objects.create(child=late, code="YOUTH_CAUTION", outcome_date=D(2025, 7, 1))
    court = make_child(northshire, north, first="Court", last="Case")
    Outcome.objects.create(child=court, code="YRO", outcome_date=D(2025, 5, 1))
    voided = make_child(northshire, north, first="Void", last="Ed")
    Outcome.objects.create(
        child=voided,
        code="YOUTH_CAUTION",
        outcome_date=D(2025, 5, 1),
        voided_at=timezone.now(),
    )
    other = Service.objects.create(name="Southvale", code="southvale")
    team = Team.objects.create(service=other, name="S")
    elsewhere = make_child(other, team, first="Else", last="Where")
    Outcome.objects.create(child=elsewhere, code="YOUTH_CAUTION", outcome_date=D(2025, 5, 1))
    return eligible


def _themed(service, seed, size=5):
    return services.start_themed_audit(
        None,
        ThemedAudit(
            service=service,
            theme="OOCD",
            period_start=D(2025, 4, 1),
            period_end=D(2025, 6, 30),
            sample_size=size,
        ),
        seed=seed,
    )


def test_themed_sample_is_reproducible_and_only_eligible(northshire, oocd_children):
    first = _themed(northshire, seed=42)
    again = _themed(northshire, seed=42)
    drawn = list(first.sample.values_list("child_id", flat=True))
    assert drawn == list(again.sample.values_list("child_id", flat=True))
    assert len(drawn) == 5 and len(set(drawn)) == 5
    assert set(drawn) <= set(oocd_children)
    assert first.eligible_count == 8 and first.seed == 42
    # the draw is random.Random(42).sample of the eligible ids in ascending order
    import random

    assert drawn == random.Random(42).sample(sorted(oocd_children), 5)
    # a larger sample than the eligible children takes them all
    assert set(_themed(northshire, seed=1, size=50).sample.values_list("child_id", flat=True)) == (
        set(oocd_children)
    )


def test_themed_audit_seed_recorded_when_not_given(northshire, oocd_children):
    themed = _themed(northshire, seed=None)
    event = AuditEvent.objects.filter(object_type="themed audit").latest("at")
    assert event.changes["seed"][1] == themed.seed


def test_themed_audit_with_no_eligible_child_says_so(northshire):
    with pytest.raises(ValidationError, match="No child of the service had"):
        _themed(northshire, seed=1)


# --------------------------------------------------------------------------- actions


def test_audit_action_appears_in_the_plans_action_plan(plan, three_audits, people):
    case_audit = three_audits[2]
    row = services.add_action(
        people["mo"],
        case_audit,
        outcome="Quality of planning",
        action="Write every plan with the child within 20 working days",
        lead_owners="Team manager (North)",
        due_date=D(2026, 3, 31),
    )
    assert row.plan == plan and row.ref == "QA1"
    assert Action.objects.filter(plan=plan, ref="QA1").get().source_detail == (
        f"Case audit {case_audit.pk}"
    )
    assert [a.pk for a in selectors.open_actions(plan.service)] == [row.pk]
    second = services.add_action(
        people["mo"],
        case_audit,
        outcome="x",
        action="y",
        lead_owners="z",
        due_date=D(2026, 1, 31),
    )
    assert second.ref == "QA2"
    # tracked in the plan: completing it there closes it here
    row.rag = "COMPLETED"
    row.save()
    assert [a.pk for a in selectors.open_actions(plan.service)] == [second.pk]


def test_no_plan_no_action(three_audits, people):
    with pytest.raises(ValidationError, match="no Youth Justice Plan"):
        services.add_action(
            people["mo"],
            three_audits[0],
            outcome="x",
            action="y",
            lead_owners="z",
            due_date=D(2026, 1, 31),
        )


# --------------------------------------------------------------------------- CSPPI


def _incident(service, child, known, notified):
    return SeriousIncident(
        service=service,
        child=child,
        kind="SERIOUS_OFFENCE",
        incident_date=known.date(),
        known_at=known,
        notified_at=notified,
    )


@pytest.mark.parametrize(
    ("delay", "late"),
    [
        (datetime.timedelta(hours=23, minutes=59), False),
        (datetime.timedelta(hours=24), False),
        (datetime.timedelta(hours=24, minutes=1), True),
        (datetime.timedelta(hours=25), True),
    ],
)
def test_notified_within_24_clock_hours(northshire, jay, delay, late):
    # Friday 17:00 to Saturday 17:00 is in time: clock hours, weekends included
    known = timezone.make_aware(datetime.datetime(2025, 6, 6, 17, 0))
    assert services.is_late(_incident(northshire, jay, known, known + delay)) is late


def test_not_yet_notified_is_late_after_24_hours(northshire, jay):
    known = timezone.make_aware(datetime.datetime(2025, 6, 6, 17, 0))
    incident = _incident(northshire, jay, known, None)
    assert not services.is_late(incident, now=known + datetime.timedelta(hours=24))
    assert services.is_late(incident, now=known + datetime.timedelta(hours=24, seconds=1))


def test_incident_cannot_be_notified_before_known_or_closed_without_learning(
    northshire, jay, people
):
    known = timezone.make_aware(datetime.datetime(2025, 6, 6, 17, 0))
    incident = _incident(northshire, jay, known, known - datetime.timedelta(hours=1))
    incident.status = "CLOSED"
    with pytest.raises(ValidationError) as err:
        services.save_incident(people["hana"], incident)
    assert {"notified_at", "review_date", "learning"} <= set(err.value.message_dict)


# --------------------------------------------------------------------------- access


@pytest.fixture
def records(plan, three_audits, northshire, jay, people):
    known = timezone.make_aware(datetime.datetime(2025, 6, 6, 17, 0))
    incident = services.save_incident(
        people["hana"], _incident(northshire, jay, known, known + datetime.timedelta(hours=30))
    )
    return {"audit": three_audits[0], "incident": incident}


def test_managers_see_named_audits_and_reads_are_audited(client, records, jay):
    client.login(username="mo", password=PASSWORD)
    page = client.get("/quality/?year=2025").content.decode()
    assert "Jay Smith" in page and "Late" in client.get("/quality/incidents/").content.decode()
    url = f"/quality/audits/{records['audit'].pk}/"
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="VIEW", child=jay, description="Viewed case audit"
    ).exists()


@pytest.mark.parametrize("username", ["ana", "bea"])
def test_analyst_and_board_member_get_counts_only(client, records, username):
    client.login(username=username, password=PASSWORD)
    page = client.get("/quality/?year=2025")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Jay Smith" not in body and "Kim" not in body and "Good or better" in body
    for url in (
        f"/quality/audits/{records['audit'].pk}/",
        "/quality/incidents/",
        f"/quality/incidents/{records['incident'].pk}/",
        "/quality/standards/",
    ):
        assert client.get(url).status_code == 403, (username, url)


def test_practitioner_sees_no_audit_even_of_own_child(client, records, jay):
    client.login(username="alice", password=PASSWORD)
    assert client.get("/quality/").status_code == 403
    assert client.get(f"/quality/audits/{records['audit'].pk}/").status_code == 403
    assert client.get(f"/quality/children/{jay.pk}/audit/new/").status_code == 403
    assert "Quality assurance" not in client.get(f"/children/{jay.pk}/").content.decode()


def test_second_service_manager_reaches_nothing(client, records, jay):
    from tests.conftest import _user
    from yjs.organisation.models import Role

    other = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    _user(other, "sol", Role.HEAD_OF_SERVICE)
    client.login(username="sol", password=PASSWORD)
    assert client.get(f"/quality/audits/{records['audit'].pk}/").status_code == 404
    assert client.get(f"/quality/incidents/{records['incident'].pk}/").status_code == 404
    assert client.get(f"/quality/children/{jay.pk}/audit/new/").status_code == 403
    body = client.get("/quality/?year=2025").content.decode()
    assert "Jay" not in body and "Northshire" not in body


def test_manager_records_an_audit_and_its_action_in_the_browser_flow(client, plan, jay, people):
    client.login(username="mo", password=PASSWORD)
    form = {
        **date_fields("audited_on", D(2025, 6, 2)),
        "assessment": GOOD,
        "planning": RI,
        "delivery": GOOD,
        "review": INAD,
        "overall": RI,
        "works_well": "Jay's worker knows him well",
        "to_improve": "",
    }
    response = client.post(f"/quality/children/{jay.pk}/audit/new/", form)
    assert response.status_code == 200
    assert "Enter the areas for improvement" in response.content.decode()
    form["to_improve"] = "Reviews are late"
    response = client.post(f"/quality/children/{jay.pk}/audit/new/", form)
    case_audit = CaseAudit.objects.get(child=jay)
    assert response.url == f"/quality/audits/{case_audit.pk}/"
    assert case_audit.auditor == people["mo"]
    response = client.post(
        f"/quality/audits/{case_audit.pk}/actions/new/",
        {
            "outcome": "Timely reviews",
            "action": "Review every plan at three months",
            "lead_owners": "Team manager (North)",
            **date_fields("due_date", D(2027, 3, 31)),
        },
    )
    assert response.status_code == 302
    assert plan.actions.get().action == "Review every plan at three months"
    assert "QA1" in client.get(f"/quality/audits/{case_audit.pk}/").content.decode()


def test_incident_form_takes_date_and_time_and_flags_late(client, northshire, jay, people):
    client.login(username="hana", password=PASSWORD)
    form = {
        "kind": "SERIOUS_OFFENCE",
        **date_fields("incident_date", D(2025, 6, 6)),
        **date_fields("known_on", D(2025, 6, 6)),
        "known_time": "17:00",
        **date_fields("notified_on", D(2025, 6, 7)),
        "notified_time": "25:00",
        "status": "NOTIFIED",
    }
    url = f"/quality/children/{jay.pk}/incident/new/"
    response = client.post(url, form)
    assert "must be a time such as 14:30" in response.content.decode()
    form["notified_time"] = "18:00"  # 25 hours after the service knew
    assert client.post(url, form).status_code == 302
    incident = SeriousIncident.objects.get(child=jay)
    assert services.is_late(incident)
    page = client.get("/quality/incidents/").content.decode()
    assert "25.0 hours" in page and "Late" in page


def test_two_managers_editing_one_audit_do_not_overwrite_each_other(three_audits, people):
    from yjs.versioning import EditConflict

    mine = CaseAudit.objects.get(pk=three_audits[0].pk)
    theirs = CaseAudit.objects.get(pk=three_audits[0].pk)
    theirs.works_well = "Theirs"
    services.save_case_audit(people["hana"], theirs)
    mine.works_well = "Mine"
    with pytest.raises(EditConflict):
        services.save_case_audit(people["mo"], mine)
    assert CaseAudit.objects.get(pk=mine.pk).works_well == "Theirs"


def test_sub_standard_rating_and_its_action_go_to_the_plan(plan, people):
    from yjs.quality.models import SubStandardRating

    rating = services.save_sub_standard(
        people["hana"],
        SubStandardRating(
            plan=plan,
            code="NS2.O",
            rating=RI,
            evidence="PSR audit: 6 of 10 proposals proportionate",
            assessed_on=D(2025, 5, 1),
        ),
    )
    with pytest.raises(ValidationError, match="already rated"):
        services.save_sub_standard(
            people["hana"],
            SubStandardRating(
                plan=plan, code="NS2.O", rating=GOOD, evidence="x", assessed_on=D(2025, 5, 1)
            ),
        )
    row = services.add_action(
        people["hana"],
        rating,
        outcome="Reports to court",
        action="Gatekeep every PSR proposal",
        lead_owners="Court team manager",
        due_date=D(2026, 9, 30),
    )
    assert (row.plan, row.source, row.source_detail) == (
        plan,
        "NATIONAL_STANDARD",
        "NS2.O self-assessment",
    )
    assert rating.actions.get().action == row


def test_manager_starts_a_themed_audit_and_audits_a_sampled_child(
    client, northshire, oocd_children, people
):
    client.login(username="mo", password=PASSWORD)
    form = {
        "theme": "OOCD",
        **date_fields("period_start", D(2025, 4, 1)),
        **date_fields("period_end", D(2025, 6, 30)),
        "sample_size": "3",
        "seed": "7",
    }
    response = client.post("/quality/themed/new/", form)
    themed = ThemedAudit.objects.get()
    assert response.url == f"/quality/themed/{themed.pk}/"
    page = client.get(response.url).content.decode()
    assert "seed <strong>7</strong>" in page and "from the 8 children" in page
    first = themed.sample.first().child
    url = f"/quality/children/{first.pk}/audit/new/?themed={themed.pk}"
    audit_form = {
        **date_fields("audited_on", D(2025, 7, 10)),
        **dict.fromkeys(["assessment", "planning", "delivery", "review", "overall"], GOOD),
        "works_well": "Timely decision",
    }
    assert client.post(url, audit_form).status_code == 302
    assert CaseAudit.objects.get().themed_audit == themed
    assert "1 of 3 audited" in client.get(f"/quality/themed/{themed.pk}/").content.decode()
