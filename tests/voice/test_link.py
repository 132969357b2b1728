"""The one-time link a child opens on their own phone: used once, expires, wrong token, no data
of the child on the page, CSRF-protected."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from yjs.voice import services
from yjs.voice.models import FeedbackLink, FeedbackResponse

from .conftest import qs


@pytest.fixture
def link(jay, survey, people):
    return services.make_link(people["alice"], jay, survey, "CHILD")


def _post(client, token, survey, **extra):
    q = qs(survey)
    data = {f"q{q['SCALE'].pk}": "4", f"q{q['YES_NO'].pk}": "True"}
    data[f"q{q['TEXT'].pk}"] = "I go to college now."
    data.update(extra)
    return client.post(f"/have-your-say/{token}/", data)


def test_only_a_hash_of_the_token_is_stored(link):
    made, token = link
    assert token not in made.token_hash and made.token_hash == services.hash_token(token)
    assert made.expires_at - made.made_at == dt.timedelta(days=7)


def test_the_page_shows_the_questions_and_nothing_of_the_child(client, link, jay, survey):
    _made, token = link
    page = client.get(f"/have-your-say/{token}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Northshire Youth Justice Service" in body and survey.title in body
    assert "How much did your worker listen to you?" in body
    for secret in ("Jay", "Smith", jay.reference, "Alice", "Archer", "/children/"):
        assert secret not in body, secret
    assert page["Cache-Control"] == "no-store, private"


def test_the_link_works_once(client, link, survey, jay):
    _made, token = link
    response = _post(client, token, survey, consent_to_share="True")
    assert response.status_code == 200 and "Thank you" in response.content.decode()
    saved = FeedbackResponse.objects.get(child=jay)
    assert saved.source == "LINK" and saved.respondent == "CHILD"
    assert saved.consent_to_share is True and saved.consent_by == "CHILD"
    assert sorted(a.question.kind for a in saved.answers.all()) == ["SCALE", "TEXT", "YES_NO"]
    again = client.get(f"/have-your-say/{token}/")
    assert again.status_code == 410 and "This link has expired" in again.content.decode()
    assert _post(client, token, survey).status_code == 410
    assert FeedbackResponse.objects.count() == 1


def test_an_expired_link_is_refused(client, link, survey):
    made, token = link
    FeedbackLink.objects.filter(pk=made.pk).update(expires_at=timezone.now())
    assert client.get(f"/have-your-say/{token}/").status_code == 410
    assert _post(client, token, survey).status_code == 410
    assert not FeedbackResponse.objects.exists()


def test_a_wrong_token_is_not_found(client, link, survey):
    page = client.get("/have-your-say/not-a-real-token/")
    assert page.status_code == 404 and "This link has expired" in page.content.decode()
    assert _post(client, "x" * 32, survey).status_code == 404


def test_an_empty_post_keeps_the_link_and_says_why(client, link, survey):
    made, token = link
    page = client.post(f"/have-your-say/{token}/", {})
    assert page.status_code == 200 and "Answer at least one question" in page.content.decode()
    made.refresh_from_db()
    assert made.used_at is None


def test_the_form_needs_its_csrf_token(link, survey):
    _made, token = link
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(f"/have-your-say/{token}/").status_code == 200
    assert _post(strict, token, survey).status_code == 403
    assert not FeedbackResponse.objects.exists()


def test_a_second_use_loses_the_race(link, survey):
    """Two posts of one link: the conditional update lets only one save a response."""
    made, token = link
    q = qs(survey)
    services.answer_by_link(token, {q["SCALE"].pk: 5})
    with pytest.raises(services.LinkClosed):
        services.answer_by_link(token, {q["SCALE"].pk: 1})
    assert FeedbackResponse.objects.count() == 1


def test_making_a_link_is_for_workers_of_children_in_reach(client, jay, survey, people):
    from tests.conftest import PASSWORD

    client.login(username="bob", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/feedback/link/").status_code == 403
    client.login(username="alice", password=PASSWORD)
    page = client.post(
        f"/children/{jay.pk}/feedback/link/", {"questionnaire": survey.pk, "respondent": "CHILD"}
    )
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "/have-your-say/" in body
    assert FeedbackLink.objects.filter(child=jay, made_by=people["alice"]).count() == 1


def test_the_link_page_offers_the_services_questionnaires(client, jay, survey):
    from tests.conftest import PASSWORD

    client.login(username="alice", password=PASSWORD)
    body = client.get(f"/children/{jay.pk}/feedback/link/").content.decode()
    assert 'id="id_questionnaire_0"' in body and survey.title in body
