"""Programme pages by role: practitioners see and enrol the children in their reach, managers
configure the catalogue, analysts and board members get aggregates only, and another service
reaches nothing. Edits opened before someone else's save are refused, never applied over it."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PASSWORD, date_fields
from yjs.audit.models import AuditEvent
from yjs.organisation.models import Role, Service, Team, User
from yjs.programmes.models import Attendance, Enrolment, Programme

from .conftest import attend, enrol


@pytest.fixture
def running(cohort9, jay, kim):
    a = enrol(cohort9, jay, 3, 8)
    attend(a, {1, 2, 3, 4})
    b = enrol(cohort9, kim, 4, 6)
    attend(b, {1})
    return cohort9


def _get(client, username, url):
    client.login(username=username, password=PASSWORD)
    return client.get(url)


def test_practitioner_sees_own_teams_children_by_name_and_counts_others(client, running):
    page = _get(client, "alice", f"/programmes/cohorts/{running.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "Jay Smith" in body and "Kim Jones" not in body
    assert "1 other child of other teams is enrolled too" in body
    assert "4 of 6" in body and "Completed" in body
    assert AuditEvent.objects.filter(
        action="VIEW", description="Programme: Which Way: Cohort 9", child__first_name="Jay"
    ).exists()
    body = _get(client, "hana", f"/programmes/cohorts/{running.pk}/").content.decode()
    assert "Jay Smith" in body and "Kim Jones" in body


@pytest.mark.parametrize("username", ["ana", "bea"])
def test_analyst_and_board_member_see_aggregates_only(client, running, username):
    assert _get(client, username, "/programmes/").status_code == 200
    assert _get(client, username, f"/programmes/cohorts/{running.pk}/").status_code == 403
    register = f"/programmes/sessions/{running.sessions.first().pk}/register/"
    assert client.get(register).status_code == 403
    assert client.get(f"/programmes/cohorts/{running.pk}/enrol/").status_code == 403
    report = client.get(f"/programmes/cohorts/{running.pk}/report/")
    body = report.content.decode()
    assert report.status_code == 200
    assert "Jay" not in body and "Kim" not in body
    assert 'data-figure="completed">1 of 2 (50.0%)' in body
    assert 'data-figure="change">+3.5' in body  # (+5 + +2) / 2
    assert client.get(f"/programmes/{running.programme.pk}/report/").status_code == 200


def test_only_managers_configure_the_catalogue(client, which_way, people):
    form = {
        "name": "REACH",
        "sessions": 8,
        "sessions_to_complete": 6,
        "programme_question": "How confident do you feel?",
        "session_question": "How much do you know?",
        "active": "on",
    }
    for username in ("alice", "ana", "bea"):
        client.login(username=username, password=PASSWORD)
        assert client.get("/programmes/new/").status_code == 403
        assert client.post("/programmes/new/", form).status_code == 403
    client.login(username="mo", password=PASSWORD)
    assert client.post("/programmes/new/", form).status_code == 302
    reach = Programme.objects.get(name="REACH")
    assert (reach.service.code, reach.rule_text) == ("northshire", "at least 6 of 8 sessions")
    bad = client.post("/programmes/new/", {**form, "name": "Turnaround", "sessions_to_complete": 9})
    assert "must be 8 (the number of sessions) or fewer" in bad.content.decode()


def test_another_service_reaches_nothing(client, running):
    south = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    team = Team.objects.create(service=south, name="Southvale")
    User.objects.create_user(
        "sol", password=PASSWORD, service=south, team=team, role=Role.HEAD_OF_SERVICE
    )
    client.login(username="sol", password=PASSWORD)
    index = client.get("/programmes/").content.decode()
    assert "Which Way" not in index
    session = running.sessions.first()
    for url in (
        f"/programmes/cohorts/{running.pk}/",
        f"/programmes/cohorts/{running.pk}/report/",
        f"/programmes/cohorts/{running.pk}/edit/",
        f"/programmes/cohorts/{running.pk}/enrol/",
        f"/programmes/cohorts/{running.pk}/scores/",
        f"/programmes/{running.programme.pk}/report/",
        f"/programmes/{running.programme.pk}/edit/",
        f"/programmes/sessions/{session.pk}/register/",
    ):
        assert client.get(url).status_code == 404, url


def test_practitioner_enrols_only_children_in_reach(client, cohort9, jay, kim):
    client.login(username="alice", password=PASSWORD)
    url = f"/programmes/cohorts/{cohort9.pk}/enrol/"
    page = client.get(url).content.decode()
    assert "Jay Smith" in page and "Kim Jones" not in page
    posted = {"child_choice": kim.pk, **date_fields("enrolled_on", dt.date(2025, 1, 6))}
    response = client.post(url, posted)
    assert response.status_code == 200 and not Enrolment.objects.exists()
    posted["child_choice"] = jay.pk
    posted["score_before"] = 4
    assert client.post(url, posted).status_code == 302
    e = Enrolment.objects.get()
    assert (e.child, e.score_before) == (jay, 4)
    again = client.post(url, posted).content.decode()
    assert "Select a valid choice" in again  # already enrolled: no longer offered
    # the child's record has a "Programmes" section
    record = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Programmes" in record and "Which Way, Cohort 9" in record


def _register_post(form_page_revision, enrolment, present, start="", end=""):
    data = {"revision": form_page_revision, f"present_{enrolment.pk}": "on" if present else ""}
    data.update({f"start_{enrolment.pk}": start, f"end_{enrolment.pk}": end})
    return {k: v for k, v in data.items() if v != ""}


def test_register_saves_and_a_stale_register_is_refused(client, cohort9, jay):
    e = enrol(cohort9, jay)
    session = cohort9.sessions.get(number=1)
    url = f"/programmes/sessions/{session.pk}/register/"
    client.login(username="alice", password=PASSWORD)
    assert client.get(url).status_code == 200
    opened = session.revision
    assert client.post(url, _register_post(opened, e, True, 5, 8)).status_code == 302
    a = Attendance.objects.get(session=session, enrolment=e)
    assert (a.attended, a.score_start, a.score_end) == (True, 5, 8)
    # mo opened the register before alice saved: his save is refused, hers stands
    client.login(username="mo", password=PASSWORD)
    stale = client.post(url, _register_post(opened, e, False))
    assert stale.status_code == 200
    assert "This record was changed by Alice Archer" in stale.content.decode()
    a.refresh_from_db()
    assert a.attended is True


def test_register_refuses_bad_scores(client, cohort9, jay):
    e = enrol(cohort9, jay)
    session = cohort9.sessions.get(number=1)
    url = f"/programmes/sessions/{session.pk}/register/"
    client.login(username="alice", password=PASSWORD)
    page = client.post(url, _register_post(session.revision, e, True, 11, 3)).content.decode()
    assert "score at the start must be a whole number from 0 to 10" in page
    page = client.post(url, _register_post(session.revision, e, False, 4, 3)).content.decode()
    assert "has scores but is not marked present" in page
    assert not Attendance.objects.exists()


def test_programme_scores_save_under_the_cohorts_revision(client, cohort9, jay):
    e = enrol(cohort9, jay)
    url = f"/programmes/cohorts/{cohort9.pk}/scores/"
    client.login(username="alice", password=PASSWORD)
    opened = cohort9.revision
    data = {"revision": opened, f"before_{e.pk}": 3, f"after_{e.pk}": 7}
    assert client.post(url, data).status_code == 302
    e.refresh_from_db()
    assert (e.score_before, e.score_after) == (3, 7)
    stale = client.post(url, {**data, f"after_{e.pk}": 9})
    assert "This record was changed by" in stale.content.decode()
    e.refresh_from_db()
    assert e.score_after == 7


def test_cohort_and_session_forms(client, which_way, people):
    client.login(username="alice", password=PASSWORD)
    url = f"/programmes/{which_way.pk}/cohorts/new/"
    data = {
        "name": "Cohort 10",
        **date_fields("start_date", dt.date(2025, 4, 7)),
        "facilitators": [people["alice"].pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    cohort = which_way.cohorts.get(name="Cohort 10")
    assert list(cohort.facilitators.all()) == [people["alice"]]
    session_url = f"/programmes/cohorts/{cohort.pk}/sessions/new/"
    bad = client.post(
        session_url, {"number": 7, **date_fields("date", dt.date(2025, 4, 7)), "topic": "Extra"}
    )
    assert "Which Way has 6 sessions" in bad.content.decode()
    ok = client.post(
        session_url,
        {"number": 1, **date_fields("date", dt.date(2025, 4, 7)), "topic": "County lines"},
    )
    assert ok.status_code == 302 and cohort.sessions.count() == 1
    assert "Programmes" in client.get("/programmes/").content.decode()


def test_a_place_has_casework_record_page_change_and_void(client, cohort9, jay, kim):
    e = enrol(cohort9, jay, 3)
    base = f"/children/{jay.pk}/records/programme/{e.pk}/"
    client.login(username="alice", password=PASSWORD)
    assert "Which Way" in client.get(base).content.decode()
    edit = {
        **date_fields("enrolled_on", dt.date(2025, 1, 6)),
        "score_before": 3,
        "score_after": 9,
        "revision": e.revision,
    }
    assert client.post(base + "edit/", edit).status_code == 302
    e.refresh_from_db()
    assert e.score_after == 9
    stale = client.post(base + "edit/", {**edit, "score_after": 2})
    assert "This record was changed by" in stale.content.decode()
    client.login(username="bob", password=PASSWORD)  # kim's worker: jay is not in his reach
    assert client.get(base).status_code == 403
    client.login(username="alice", password=PASSWORD)
    assert client.post(base + "void/", {"reason": "Wrong cohort"}).status_code == 302
    assert not Enrolment.objects.exists() and Enrolment.all_objects.count() == 1


def test_programme_report_shows_each_cohort_with_its_checkpoints(client, running, monkeypatch):
    from yjs.casework import services as casework

    monkeypatch.setattr(casework, "today", lambda: dt.date(2025, 6, 1))
    client.login(username="bea", password=PASSWORD)
    body = client.get(f"/programmes/{running.programme.pk}/report/").content.decode()
    assert "Cohort by cohort" in body and "Jay" not in body
    # 14 February + 3 months = 14 May: both children reached by 1 June; 6 months not yet
    assert 'data-label="3 months after">0 of 2</td>' in body
    assert 'data-label="6 months after">not reached</td>' in body


def test_register_is_not_taken_before_the_session(client, cohort9, jay, monkeypatch):
    from yjs.casework import services as casework

    monkeypatch.setattr(casework, "today", lambda: dt.date(2025, 1, 10))
    e = enrol(cohort9, jay)
    session = cohort9.sessions.get(number=2)  # 13 January
    client.login(username="alice", password=PASSWORD)
    url = f"/programmes/sessions/{session.pk}/register/"
    page = client.post(url, _register_post(session.revision, e, True)).content.decode()
    assert "The register can be taken from the day of the session (13 January 2025)" in page
    assert not Attendance.objects.exists()
