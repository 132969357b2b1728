"""Feedback pages by role: workers type in paper feedback for children in reach; managers set up
questionnaires and pledges and choose quotes; a second service sees nothing; reads are audited."""

import datetime as dt

import pytest

from tests.conftest import PASSWORD, date_fields
from yjs.audit.models import AuditEvent
from yjs.organisation.models import Role, Service, Team, User
from yjs.voice.models import Answer, FeedbackResponse, Pledge, Question, Questionnaire

from .conftest import qs

D = dt.date


def _paper_form(survey, **extra):
    q = qs(survey)
    return {
        "respondent": "CHILD",
        **date_fields("answered_on", D(2025, 6, 2)),
        f"q{q['SCALE'].pk}": "5",
        f"q{q['YES_NO'].pk}": "True",
        f"q{q['TEXT'].pk}": "My worker listened.",
        "consent_to_share": "True",
        "consent_by": "CHILD",
        **date_fields("consent_on", D(2025, 6, 2)),
        **extra,
    }


def test_worker_types_in_paper_feedback(client, jay, survey, people):
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/feedback/new/"
    assert survey.title in client.get(url).content.decode()
    page = client.post(f"{url}?questionnaire={survey.pk}", _paper_form(survey))
    assert page.status_code == 302
    r = FeedbackResponse.objects.get(child=jay)
    assert (r.source, r.entered_by, r.consent_to_share) == ("PAPER", people["alice"], True)
    assert Answer.objects.filter(response=r).count() == 3
    record = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Feedback" in record and survey.title in record
    assert AuditEvent.objects.filter(child=jay, action="CREATE", object_type="feedback response")


def test_paper_feedback_errors_are_shown_and_nothing_saved(client, jay, survey):
    client.login(username="alice", password=PASSWORD)
    q = qs(survey)
    data = _paper_form(
        survey,
        **{f"q{q['SCALE'].pk}": "", f"q{q['YES_NO'].pk}": "", f"q{q['TEXT'].pk}": ""},
        consent_by="",
    )
    page = client.post(f"/children/{jay.pk}/feedback/new/?questionnaire={survey.pk}", data)
    body = page.content.decode()
    assert page.status_code == 200 and "govuk-error-summary" in body
    assert "Answer at least one question" in body
    assert not FeedbackResponse.objects.exists()


def test_paper_feedback_refuses_other_team_and_board(client, jay, survey):
    for username in ("bob", "bea", "ana"):
        client.login(username=username, password=PASSWORD)
        url = f"/children/{jay.pk}/feedback/new/?questionnaire={survey.pk}"
        assert client.post(url, _paper_form(survey)).status_code == 403, username
    assert not FeedbackResponse.objects.exists()


def test_consent_is_changed_under_optimistic_locking(client, jay, survey, people):
    client.login(username="alice", password=PASSWORD)
    client.post(f"/children/{jay.pk}/feedback/new/?questionnaire={survey.pk}", _paper_form(survey))
    r = FeedbackResponse.objects.get()
    url = f"/voice/responses/{r.pk}/"
    assert "My worker listened." in client.get(url).content.decode()
    form = {
        "consent_to_share": "False",
        "consent_by": "PARENT",
        **date_fields("consent_on", D(2025, 6, 3)),
        "revision": r.revision,
    }
    assert client.post(url, form).status_code == 302
    # a second post on the old revision is a conflict, not a silent overwrite
    page = client.post(url, {**form, "consent_to_share": "True"})
    assert page.status_code == 200 and "was changed by" in page.content.decode()
    r.refresh_from_db()
    assert (r.consent_to_share, r.consent_by) == (False, "PARENT")


def test_manager_sets_up_a_questionnaire(client, people, northshire):
    client.login(username="mo", password=PASSWORD)
    page = client.post(
        "/voice/questionnaires/new/",
        {"title": "Start of your order", "stage": "START", "active": "on"},
    )
    q = Questionnaire.objects.get(title="Start of your order")
    assert page.url == f"/voice/questionnaires/{q.pk}/" and q.service == northshire
    client.post(
        f"/voice/questionnaires/{q.pk}/questions/new/",
        {"text": "Do you know why you are here?", "kind": "YES_NO"},
    )
    question = Question.objects.get(questionnaire=q)
    client.post(f"/voice/questions/{question.pk}/remove/")
    question.refresh_from_db()
    assert not question.active and q.live_questions() == []
    dup = client.post(
        "/voice/questionnaires/new/", {"title": "start of your order", "stage": "END"}
    )
    assert "already has a questionnaire" in dup.content.decode()


def test_practitioner_cannot_set_up_questionnaires(client, people, survey):
    client.login(username="alice", password=PASSWORD)
    assert (
        client.post("/voice/questionnaires/new/", {"title": "X", "stage": "END"}).status_code == 403
    )
    assert client.get(f"/voice/questionnaires/{survey.pk}/").status_code == 403


def test_manager_records_a_pledge_and_its_review(client, people, northshire):
    client.login(username="hana", password=PASSWORD)
    client.post(
        "/voice/pledges/new/",
        {
            "area": "AUDIENCE",
            "commitment": "The group meets the board twice a year",
            "active": "on",
        },
    )
    p = Pledge.objects.get()
    client.post(
        f"/voice/pledges/{p.pk}/review/",
        {**date_fields("reviewed_on", D(2025, 6, 1)), "progress": "Met in May", "rag": "GREEN"},
    )
    page = client.get("/voice/pledges/").content.decode()
    assert "The group meets the board" in page and "Green" in page
    bad = client.post(f"/voice/pledges/{p.pk}/review/", {"progress": "", "rag": ""})
    assert "Enter the date reviewed" in bad.content.decode()


def test_manager_chooses_a_consented_quote(client, jay, survey, people):
    client.login(username="alice", password=PASSWORD)
    client.post(f"/children/{jay.pk}/feedback/new/?questionnaire={survey.pk}", _paper_form(survey))
    answer = Answer.objects.get(text="My worker listened.")
    client.login(username="mo", password=PASSWORD)
    page = client.get("/voice/quotes/?period=2025-26H1").content.decode()
    assert "My worker listened." in page and "a child, 15" in page
    client.post(f"/voice/answers/{answer.pk}/choose/", {"chosen": "1", "period": "2025-26H1"})
    answer.refresh_from_db()
    assert answer.chosen
    report = client.get("/voice/report/?period=2025-26H1").content.decode()
    assert "My worker listened." in report


@pytest.mark.parametrize("role", [Role.HEAD_OF_SERVICE, Role.PRACTITIONER, Role.BOARD_MEMBER])
def test_a_second_service_sees_nothing(client, jay, survey, people, role):
    client.login(username="alice", password=PASSWORD)
    client.post(f"/children/{jay.pk}/feedback/new/?questionnaire={survey.pk}", _paper_form(survey))
    r = FeedbackResponse.objects.get()
    south = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    team = Team.objects.create(service=south, name="Southvale")
    User.objects.create_user("sol", password=PASSWORD, service=south, team=team, role=role)
    client.login(username="sol", password=PASSWORD)
    for url in (
        f"/voice/questionnaires/{survey.pk}/",
        f"/voice/responses/{r.pk}/",
        f"/children/{jay.pk}/feedback/new/",
        "/voice/report/?period=2025-26H1",
        "/voice/quotes/?period=2025-26H1",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code in (200, 403, 404), url
        assert "My worker listened" not in body and survey.title not in body, url


def test_a_response_is_a_casework_record_that_can_be_voided(client, jay, survey, people):
    from django.urls import reverse

    client.login(username="alice", password=PASSWORD)
    client.post(f"/children/{jay.pk}/feedback/new/?questionnaire={survey.pk}", _paper_form(survey))
    r = FeedbackResponse.objects.get()
    page = client.get(reverse("casework:record", args=[jay.pk, "feedback", r.pk]))
    assert page.status_code == 200 and f"/voice/responses/{r.pk}/" in page.content.decode()
    void = client.post(
        reverse("casework:record_void", args=[jay.pk, "feedback", r.pk]),
        {"reason": "Entered for the wrong child", "revision": r.revision},
    )
    assert void.status_code == 302
    assert not FeedbackResponse.objects.exists() and FeedbackResponse.all_objects.get().voided
    timeline = client.get(f"/children/{jay.pk}/?show=all").content.decode()
    assert client.get(f"/children/{jay.pk}/").status_code == 200 and timeline
