"""Court work: hearings (their bail or remand decision feeds the remand records), pre-sentence
reports (gatekept by a manager before submission), alerts, the court page and who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import PASSWORD, date_fields, make_child
from yjs.casework import selectors as cw_selectors
from yjs.casework import services as cw_services
from yjs.casework.models import Offence, Outcome, Remand
from yjs.court import selectors, services
from yjs.court.models import Hearing, PreSentenceReport
from yjs.organisation.models import Role, Service, Team, User

D = dt.date
TODAY = D(2024, 6, 12)  # a Wednesday


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(cw_services, "today", lambda: TODAY)


@pytest.fixture
def offence(jay):
    return Offence.objects.create(
        child=jay,
        offence_date=D(2024, 3, 1),
        arrest_date=D(2024, 3, 4),
        description="Robbery of a phone",
        category="ROBBERY",
        gravity_score=6,
    )


def hearing_post(offence, **extra) -> dict:
    data = {
        "offences": [offence.pk],
        "court": "Northshire Youth Court",
        **date_fields("hearing_date", D(2024, 4, 2)),
        "hearing_type": "FIRST_APPEARANCE",
        "result": "Not guilty plea entered",
        "bail_decision": "REMAND_IN_CUSTODY",
        **date_fields("next_hearing_date", D(2024, 6, 13)),
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def _hearing(user, child, offence, **fields):
    values = {
        "court": "Northshire Youth Court",
        "hearing_date": D(2024, 4, 2),
        "hearing_type": "FIRST_APPEARANCE",
    }
    values.update(fields)
    return services.record_hearing(user, Hearing(child=child, **values), [offence])


# Hearings ---------------------------------------------------------------------------------


def test_a_hearing_is_recorded_and_its_remand_decision_is_a_remand_record(
    client, jay, people, offence
):
    client.login(username="alice", password=PASSWORD)
    response = client.post(f"/children/{jay.pk}/hearings/new/", hearing_post(offence))
    assert response.status_code == 302
    hearing = Hearing.objects.get()
    assert list(hearing.offences.all()) == [offence]
    remand = Remand.objects.get()
    assert hearing.remand == remand
    assert (remand.child, remand.decision, remand.start_date, remand.first_hearing_date) == (
        jay,
        "REMAND_IN_CUSTODY",
        D(2024, 4, 2),
        D(2024, 4, 2),
    )
    assert remand.secure


def test_a_later_decision_ends_the_remand_before_it_and_a_sentence_ends_bail(jay, people, offence):
    alice = people["alice"]
    _hearing(alice, jay, offence, bail_decision="REMAND_IN_CUSTODY")
    _hearing(alice, jay, offence, hearing_date=D(2024, 5, 1), hearing_type="PLEA",
             bail_decision="CONDITIONAL_BAIL")  # fmt: skip
    first, second = Remand.objects.order_by("start_date")
    assert (first.end_date, second.end_date) == (D(2024, 5, 1), None)
    assert second.first_hearing_date == D(2024, 4, 2)  # the case's first hearing
    _hearing(alice, jay, offence, hearing_date=D(2024, 6, 3), hearing_type="SENTENCE")
    second.refresh_from_db()
    assert second.end_date == D(2024, 6, 3)
    assert Remand.objects.count() == 2


def test_changing_the_decision_changes_the_remand_and_taking_it_off_voids_it(jay, people, offence):
    alice = people["alice"]
    hearing = _hearing(alice, jay, offence, bail_decision="REMAND_IN_CUSTODY")
    hearing.bail_decision = "CONDITIONAL_BAIL"
    cw_services.update_record(alice, hearing, offences=[offence])
    assert Remand.objects.get().decision == "CONDITIONAL_BAIL"
    hearing.refresh_from_db()
    hearing.bail_decision = ""
    cw_services.update_record(alice, hearing, offences=[offence])
    assert Remand.objects.count() == 0
    assert Remand.all_objects.get().voided


def test_the_remand_kpi_counts_a_decision_made_at_a_hearing(jay, people, offence, tmp_path):
    from yjs.interop.snapshot import take_snapshot
    from yjs.performance import engine

    _hearing(people["alice"], jay, offence, bail_decision="REMAND_IN_CUSTODY")
    folder = take_snapshot(tmp_path, service=jay.service, as_at=TODAY)
    result = engine.run(folder, "2024-25Q1", kpis=["secure_remands"]).headline("secure_remands")
    assert (result.numerator, result.denominator) == (1, 1)


def test_next_hearing_before_the_hearing_is_refused_in_an_error_summary(client, jay, offence):
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        f"/children/{jay.pk}/hearings/new/",
        hearing_post(offence, **date_fields("next_hearing_date", D(2024, 3, 30))),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Date of the next hearing must be after the date of the hearing (2 April 2024)" in page
    assert not Hearing.objects.exists() and not Remand.objects.exists()


def test_a_hearing_without_offences_or_before_the_offence_is_refused(jay, people, offence):
    with pytest.raises(ValidationError) as refused:
        services.record_hearing(
            people["alice"],
            Hearing(child=jay, court="X", hearing_date=D(2024, 2, 1), hearing_type="PLEA"),
            [offence],
        )
    assert "after the offence date (1 March 2024)" in str(refused.value)
    with pytest.raises(ValidationError, match="Select the offence"):
        services.record_hearing(
            people["alice"],
            Hearing(child=jay, court="X", hearing_date=D(2024, 4, 1), hearing_type="PLEA"),
            [],
        )


def test_a_hearing_with_a_remand_is_voided_after_its_remand(jay, people, offence):
    alice = people["alice"]
    hearing = _hearing(alice, jay, offence, bail_decision="CONDITIONAL_BAIL")
    with pytest.raises(ValidationError, match="Void the records that depend on this one first"):
        cw_services.void_record(alice, hearing, "Entered on the wrong child")
    cw_services.void_record(alice, Remand.objects.get(), "Entered on the wrong child")
    cw_services.void_record(alice, Hearing.objects.get(), "Entered on the wrong child")
    assert not Hearing.objects.exists()


def test_hearing_record_page_change_and_history(client, jay, people, offence):
    hearing = _hearing(people["alice"], jay, offence, result="Adjourned for reports")
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/records/hearing/{hearing.pk}/"
    page = client.get(url).content.decode()
    assert "Court hearing" in page and "Adjourned for reports" in page
    response = client.post(
        url + "edit/",
        hearing_post(
            offence,
            bail_decision="",
            result="Adjourned for a pre-sentence report",
            revision=hearing.revision,
            next_hearing_date_day="",
            next_hearing_date_month="",
            next_hearing_date_year="",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    hearing.refresh_from_db()
    assert hearing.result == "Adjourned for a pre-sentence report"
    assert "Adjourned for a pre-sentence report" in client.get(url).content.decode()


# Pre-sentence reports ---------------------------------------------------------------------


@pytest.fixture
def hearing(jay, people, offence):
    return _hearing(people["alice"], jay, offence, hearing_type="PLEA", hearing_date=D(2024, 5, 2),
                    next_hearing_date=D(2024, 6, 13))  # fmt: skip


def _report(user, child, hearing, **fields):
    values = {"requested_on": D(2024, 5, 2), "due_on": D(2024, 6, 14), "proposal": "YRO"}
    values.update(fields)
    return services.record_report(
        user, PreSentenceReport(child=child, requested_at=hearing, **values)
    )


def test_a_report_cannot_be_submitted_before_it_is_gatekept(client, jay, hearing):
    client.login(username="alice", password=PASSWORD)
    response = client.post(
        f"/children/{jay.pk}/pre-sentence-reports/new/",
        {
            "requested_at": hearing.pk,
            **date_fields("requested_on", D(2024, 5, 2)),
            **date_fields("due_on", D(2024, 6, 14)),
            "proposal": "YRO",
            **date_fields("submitted_on", D(2024, 6, 10)),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "must be gatekept by a team manager or head of service before it" in page
    assert not PreSentenceReport.objects.exists()


def test_submitted_or_gatekept_before_requested_is_refused(jay, people, hearing):
    report = _report(people["alice"], jay, hearing)
    report.gatekept_on = D(2024, 5, 1)
    problems = services.report_problems(report)
    assert problems["gatekept_on"].startswith("Date the report was gatekept must be the same as")
    report.gatekept_on, report.submitted_on = D(2024, 5, 20), D(2024, 5, 1)
    assert services.report_problems(report)["submitted_on"].startswith(
        "Date the report was submitted must be the same as or after the date it was requested"
    )
    report.requested_on = D(2024, 4, 1)  # before the hearing that asked for it
    assert "hearing that asked for it" in services.report_problems(report)["requested_on"]


def test_a_practitioner_cannot_gatekeep_a_manager_can(client, jay, people, hearing):
    report = _report(people["alice"], jay, hearing)
    url = f"/children/{jay.pk}/pre-sentence-reports/{report.pk}/gatekeep/"
    client.login(username="alice", password=PASSWORD)
    assert client.post(url, date_fields("gatekept_on", D(2024, 6, 10))).status_code == 403
    with pytest.raises(PermissionDenied):
        services.gatekeep_report(people["alice"], report, D(2024, 6, 10))
    client.login(username="mo", password=PASSWORD)
    response = client.post(url, {**date_fields("gatekept_on", D(2024, 6, 10)),
                                 "revision": report.revision})  # fmt: skip
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.gatekept_on, report.gatekept_by) == (D(2024, 6, 10), people["mo"])
    # now the practitioner submits it
    report.submitted_on = D(2024, 6, 11)
    cw_services.update_record(people["alice"], report)
    assert PreSentenceReport.objects.get().submitted_on == D(2024, 6, 11)


def test_head_of_service_gatekeeps_but_not_before_the_request(client, jay, people, hearing):
    report = _report(people["alice"], jay, hearing)
    client.login(username="hana", password=PASSWORD)
    url = f"/children/{jay.pk}/pre-sentence-reports/{report.pk}/gatekeep/"
    response = client.post(url, date_fields("gatekept_on", D(2024, 5, 1)))
    assert response.status_code == 200
    assert "Date the report was gatekept must be the same as or after" in response.content.decode()
    services.gatekeep_report(people["hana"], report, D(2024, 6, 1))
    assert PreSentenceReport.objects.get().gatekept_by == people["hana"]


def test_concordance_is_computed_from_the_sentence(jay, people, hearing, offence):
    report = _report(people["alice"], jay, hearing, proposal="YRO")
    assert report.concordant is None and report.concordance == "Not known yet"
    outcome = Outcome.objects.create(
        child=jay, code="REFERRAL_ORDER", length_months=6, outcome_date=D(2024, 6, 3),
        appeal_status="NONE", residence="LOCAL",
    )  # fmt: skip
    outcome.offences.add(offence)
    report.outcome = outcome
    cw_services.update_record(people["alice"], report)
    assert report.concordant is False
    report.proposal = "REFERRAL_ORDER"
    assert report.concordant is True
    assert report.concordance == "Yes: the sentence matched the proposal"


# Alerts and the court page ----------------------------------------------------------------


def _court_reads(client, child) -> tuple[list[str], str]:
    """The queries of the child's record page that read hearings or reports themselves (not
    the page's one query of which kinds the child has any of)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        page = client.get(f"/children/{child.pk}/").content.decode()
    reads = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith(('SELECT "court_hearing"', 'SELECT "court_presentencereport"'))
    ]
    return reads, page


def test_the_record_page_reads_no_hearing_of_a_child_who_has_none_and_alerts_one_who_has(
    client, jay, people, offence
):
    """The page's one query (ChildSection.kinds) found no hearing or report: neither the court
    section nor the court alerts read them. Once there is a hearing tomorrow, both do."""
    client.login(username="alice", password=PASSWORD)
    reads, page = _court_reads(client, jay)
    assert reads == []
    assert "Court hearing tomorrow" not in page
    _hearing(people["alice"], jay, offence, hearing_type="PLEA", hearing_date=D(2024, 5, 2),
             next_hearing_date=D(2024, 6, 13))  # fmt: skip
    reads, page = _court_reads(client, jay)
    assert reads  # the alert's read and the section's
    assert "Court hearing tomorrow at Northshire Youth Court" in page


def test_alerts_for_a_report_due_within_3_working_days_and_a_hearing_tomorrow(jay, people, hearing):
    _report(people["alice"], jay, hearing, due_on=D(2024, 6, 17))  # Monday: working day 3
    later = _report(people["alice"], jay, hearing, due_on=D(2024, 6, 18))  # working day 4
    found = cw_selectors.alerts(cw_selectors.children_for(people["alice"]), TODAY)
    messages = sorted(a.message for a in found if a.kind in ("hearing", "report"))
    assert messages == [
        "Court hearing tomorrow at Northshire Youth Court",
        "Pre-sentence report due 17 June 2024, not submitted (not gatekept)",
    ]
    later.due_on = D(2024, 6, 14)
    later.gatekept_on, later.submitted_on, later.gatekept_by = TODAY, TODAY, people["mo"]
    cw_services.update_record(people["alice"], later)  # submitted: no alert
    assert len([a for a in selectors.report_alerts([jay], TODAY)]) == 1
    # the hearing held: no "tomorrow" any more
    _hearing(people["alice"], jay, hearing.offences.get(), hearing_date=TODAY, hearing_type="TRIAL")
    assert selectors.hearing_alerts([jay], TODAY) == []


def test_court_page_lists_what_the_user_may_see(client, jay, kim, people, hearing):
    _report(people["alice"], jay, hearing)
    client.login(username="alice", password=PASSWORD)
    page = client.get("/court/").content.decode()
    assert "Jay Smith" in page and "13 Jun 2024" in page and "Not gatekept" in page
    assert ">Gatekeep<" not in page  # a practitioner does not sign reports off
    client.login(username="mo", password=PASSWORD)
    assert ">Gatekeep<" in client.get("/court/").content.decode()  # the manager, from the list
    client.login(username="bob", password=PASSWORD)
    page = client.get("/court/").content.decode()
    assert "Jay Smith" not in page
    assert 'href="/court/"' in page  # in the service navigation


def test_court_page_read_is_audited_as_a_list_view(client, jay, people, hearing):
    from yjs.audit.models import AuditEvent

    client.login(username="alice", password=PASSWORD)
    client.get("/court/")
    assert AuditEvent.objects.filter(action="VIEW", description="Court work").count() == 1


@pytest.fixture
def other_service_user(db):
    service = Service.objects.create(name="Southshire YJS", code="southshire")
    team = Team.objects.create(service=service, name="West")
    return User.objects.create_user(
        username="zed", password=PASSWORD, service=service, team=team, role=Role.HEAD_OF_SERVICE
    )


@pytest.mark.parametrize("who", ["bob", "zed"])
def test_another_team_or_service_cannot_see_or_post_to_jays_court_work(
    client, jay, people, hearing, other_service_user, who
):
    report = _report(people["alice"], jay, hearing)
    client.login(username=who, password=PASSWORD)
    for url in (
        f"/children/{jay.pk}/records/hearing/{hearing.pk}/",
        f"/children/{jay.pk}/records/pre-sentence-report/{report.pk}/",
        f"/children/{jay.pk}/hearings/new/",
    ):
        assert client.get(url).status_code in (403, 404)
    posted = client.post(f"/children/{jay.pk}/hearings/new/", hearing_post(hearing.offences.get()))
    assert posted.status_code in (403, 404)
    edit = client.post(
        f"/children/{jay.pk}/records/hearing/{hearing.pk}/edit/",
        hearing_post(hearing.offences.get()),
    )
    assert edit.status_code in (403, 404)
    gate = client.post(
        f"/children/{jay.pk}/pre-sentence-reports/{report.pk}/gatekeep/",
        date_fields("gatekept_on", TODAY),
    )
    assert gate.status_code in (403, 404)
    assert Hearing.objects.count() == 1
    assert PreSentenceReport.objects.get().gatekept_on is None
    if who == "zed":
        assert "Jay Smith" not in client.get("/court/").content.decode()


def test_child_record_shows_hearings_reports_timeliness_and_timeline(client, jay, people, hearing):
    offence = hearing.offences.get()
    _report(people["alice"], jay, hearing)
    outcome = Outcome.objects.create(
        child=jay, code="YRO", length_months=12, outcome_date=D(2024, 6, 3),
        appeal_status="NONE", residence="LOCAL",
    )  # fmt: skip
    outcome.offences.add(offence)
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Court work" in page and "Plea hearing at Northshire Youth Court" in page
    assert "Pre-sentence report requested" in page
    # offence 1 Mar, arrest 4 Mar, first hearing 2 May, outcome 3 Jun: 3, 59, 32, 94 days
    for days in (">3<", ">59<", ">32<", ">94<"):
        assert days in page


def test_a_child_of_another_team_is_not_in_bobs_alerts(jay, kim, people, hearing):
    assert all(a.child != jay for a in cw_selectors.alerts(
        cw_selectors.children_for(people["bob"]), TODAY))  # fmt: skip


def test_timeliness_reaches_the_kpi_through_the_snapshot(jay, people, hearing, tmp_path):
    """Jay: offence 1 March, arrest 4 March, first hearing 2 May (recorded as a hearing, not on
    the outcome), YRO 3 June 2024: 94 days offence to outcome, 3 to arrest, 59 arrest to first
    hearing, 32 first hearing to sentence."""
    from yjs.interop.snapshot import take_snapshot
    from yjs.performance import engine

    outcome = Outcome.objects.create(
        child=jay, code="YRO", length_months=12, outcome_date=D(2024, 6, 3),
        appeal_status="NONE", residence="LOCAL",
    )  # fmt: skip
    outcome.offences.add(hearing.offences.get())
    folder = take_snapshot(tmp_path, service=jay.service, as_at=TODAY)
    result = engine.run(folder, "2024-25Q1", kpis=["court_timeliness"])
    figures = {
        r.measure: (r.numerator, r.denominator) for r in result.results if r.dimension == "all"
    }
    assert figures == {
        "offence_to_outcome": (94, 1),
        "offence_to_arrest": (3, 1),
        "arrest_to_first_hearing": (59, 1),
        "first_hearing_to_outcome": (32, 1),
    }


def test_a_merge_moves_the_duplicates_hearings_and_reports(jay, people, hearing):
    """Court records are the child's journey too: merging a duplicate moves them."""
    report = _report(people["alice"], jay, hearing)
    survivor = make_child(jay.service, jay.team, first="Jay", last="Smith", worker=people["alice"])
    cw_services.merge_children(people["mo"], survivor, jay)
    hearing.refresh_from_db()
    report.refresh_from_db()
    assert (hearing.child, report.child) == (survivor, survivor)
