"""A child gives feedback on their own phone (issue 14's judging scenario, the voice part).

alice (practitioner, North) opens Jay's record, makes a one-time link for the end-of-intervention
questionnaire and reads its address off the page (the QR code carries the same). Jay opens it on
a 375 px phone without signing in: the page fits with no sideways scroll, passes axe, names only
the service and the questions; he answers and agrees to share his words. The link then says it
has expired, and the answers are on Jay's record.
"""

import pytest

from tests.conftest import make_child
from tests.e2e.conftest import check_accessibility, sign_in
from yjs.voice.models import FeedbackResponse, Question, Questionnaire

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}


def test_a_child_answers_on_a_phone(live_server, browser_page, northshire, people):
    page = browser_page
    base = live_server.url
    jay = make_child(northshire, northshire.teams.get(name="North"), worker=people["alice"])
    survey = Questionnaire.objects.create(
        service=northshire, title="Your views at the end of your time with us", stage="END"
    )
    scale, yes_no, words = (
        Question.objects.create(questionnaire=survey, position=i, text=t, kind=k)
        for i, (t, k) in enumerate(
            (
                ("How much did your worker listen to you?", "SCALE"),
                ("Were you treated fairly and with respect?", "YES_NO"),
                ("What has changed for you since working with us?", "TEXT"),
            ),
            1,
        )
    )

    sign_in(page, base, "alice")
    page.goto(f"{base}/children/{jay.pk}/")
    page.click("text=Feedback on their phone")
    page.wait_for_selector("h1")
    page.check("#id_questionnaire_0")
    page.click("main button:has-text('Make the link')")
    page.wait_for_selector("svg.segno")
    url = page.text_content("#feedback-link").strip()
    assert "/have-your-say/" in url

    child = page.context.browser.new_context(viewport=PHONE)  # no cookies: not signed in
    phone = child.new_page()
    phone.goto(url)
    phone.wait_for_selector("h1")
    assert phone.inner_text("h1") == survey.title
    body = phone.inner_text("body")
    assert "Northshire Youth Justice Service" in body
    assert "Jay" not in body and "Smith" not in body and jay.reference not in body
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_accessibility(phone, "child-feedback-phone")

    phone.check(f"#id_q{scale.pk}_3")  # 4
    phone.check(f"#id_q{yes_no.pk}_0")  # yes
    phone.fill(f"#id_q{words.pk}", "I go to college now and I stay out of trouble.")
    phone.check("#id_consent_to_share_0")
    phone.click("button:has-text('Send my answers')")
    phone.wait_for_selector("h1")
    assert "Thank you" in phone.inner_text("h1")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    phone.goto(url)
    assert "This link has expired" in phone.inner_text("h1")
    child.close()

    response = FeedbackResponse.objects.get(child=jay)
    assert response.source == "LINK" and response.consent_to_share is True
    assert {a.question_id: (a.scale, a.yes) for a in response.answers.all()}[scale.pk] == (4, None)
    page.goto(f"{base}/children/{jay.pk}/")
    assert survey.title in page.inner_text("main")
