"""The demo's feedback: two questionnaires, five pledges with reviews, responses with consent,
and only consented quotes chosen."""

import datetime as dt

import pytest

from yjs.interop.demo import load_demo
from yjs.voice import selectors
from yjs.voice.models import Answer, FeedbackResponse, Pledge, Questionnaire


@pytest.mark.django_db
def test_demo_feedback():
    summary = load_demo(seed=7, children=60, today=dt.date(2026, 11, 20))
    assert summary.counts["Questionnaire"] == 2 and Questionnaire.objects.count() == 2
    assert Pledge.objects.count() == 5 and summary.counts["PledgeReview"] >= 30
    assert FeedbackResponse.objects.count() == summary.counts["FeedbackResponse"] > 5
    chosen = Answer.objects.filter(chosen=True)
    assert chosen.exists()
    assert not chosen.exclude(response__consent_to_share=True).exists()
    service = Questionnaire.objects.first().service
    for quote in selectors.quotes(service):
        assert quote["who"].startswith(("a child, ", "a parent", "a carer"))
