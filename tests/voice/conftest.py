import datetime as dt

import pytest

from yjs.voice.models import Question, Questionnaire

K = Question.Kind


@pytest.fixture
def survey(northshire):
    """An end-of-intervention questionnaire: a scale, a yes/no and a free-text question."""
    q = Questionnaire.objects.create(
        service=northshire, title="Your views at the end", stage=Questionnaire.Stage.END
    )
    for i, (text, kind) in enumerate(
        (
            ("How much did your worker listen to you?", K.SCALE),
            ("Were you treated fairly?", K.YES_NO),
            ("What has changed for you?", K.TEXT),
        ),
        1,
    ):
        Question.objects.create(questionnaire=q, position=i, text=text, kind=kind)
    return q


def qs(survey):
    return {q.kind: q for q in survey.questions.all()}


D = dt.date
