"""Feedback in the Northshire demo (issue 14): the service's two questionnaires (seed 000's
end-of-intervention questions for children; a middle-of-intervention one for parents and
carers, after seed 004's stages), its five participation pledges (seed 000's Lundy model
pledges, reviewed every two months) and, for about a third of the interventions that ended in the
last two years, a child's answers – and for some a parent's or carer's – with consent to share
recorded and a few quotes chosen.

Drawn from a random stream of its own (`random.Random(seed + 14)` in `yjs.interop.demo`), after
every other demo record is saved, so nothing else in the demo, nor any KPI figure, changes.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from yjs import periods
from yjs.casework.models import Intervention
from yjs.organisation.models import Role, Service

from .models import (
    Answer,
    FeedbackLink,
    FeedbackResponse,
    Pledge,
    PledgeReview,
    Question,
    Questionnaire,
    Respondent,
)
from .services import hash_token

D = dt.timedelta
K = Question.Kind

END_OF_INTERVENTION = (
    "Your views at the end of your time with us",
    Questionnaire.Stage.END,
    "We would like to know what working with us was like for you, so we can make it better "
    "for other young people.",
    (
        ("How much did your worker listen to you?", K.SCALE),
        ("Did you understand what you had to do and why?", K.YES_NO),
        ("Were you treated fairly and with respect?", K.YES_NO),
        ("Do you feel less likely to get into trouble now?", K.YES_NO),
        ("Overall, how helpful was the support you got?", K.SCALE),
        ("What has changed for you since working with us?", K.TEXT),
        ("What could we do better?", K.TEXT),
    ),
)
PARENTS_MIDWAY = (
    "Parents and carers: how are we doing?",
    Questionnaire.Stage.MIDDLE,
    "Half-way through the work with your child, tell us how it is going for your family.",
    (
        ("Did we explain what would happen and why?", K.YES_NO),
        ("How well do we listen to you and your family?", K.SCALE),
        ("Are you kept informed about how your child is getting on?", K.YES_NO),
        ("What difference has the work made at home?", K.TEXT),
    ),
)
QUESTIONNAIRES = (END_OF_INTERVENTION, PARENTS_MIDWAY)

# Seed 000's appendix 2 (participation pledges), one commitment for each area.
PLEDGES = (
    (
        Pledge.Area.SPACE,
        "Meet children and families in places that are safe and easy to get to, and actively "
        "seek the views of everyone we work with.",
        "Participation champion",
    ),
    (
        Pledge.Area.VOICE,
        "Use creative, age-appropriate tools in line with speech, language and communication "
        "needs, so every child can say what they think in the way they choose.",
        "Speech and language therapist",
    ),
    (
        Pledge.Area.AUDIENCE,
        "Give the young people's participation group regular time with senior managers and the "
        "management board.",
        "Head of service",
    ),
    (
        Pledge.Area.INFLUENCE,
        "Co-produce every intervention plan with the child and act on the participation group's "
        "recommendations, explaining when we cannot.",
        "Team managers",
    ),
    (
        Pledge.Area.IMPACT,
        'Tell children and families what changed because of their feedback ("You said, we '
        'did") in the waiting room and in letters.',
        "Participation champion",
    ),
)
PROGRESS = {
    "GREEN": (
        "On track: done as planned this period.",
        "Good progress: the participation group met the board and two changes were agreed.",
    ),
    "AMBER": (
        "Some progress, but fewer sessions than planned because of staff absence.",
        "Started; tools chosen, training for the team booked for next month.",
    ),
    "RED": ("Not started yet: waiting for the new participation champion to join.",),
}

# Seed 000's appendix 3: quotes from children and parents at the end of an intervention.
CHANGED = (
    "It is helping me be a better version of myself.",
    "When I get mad, it only lasts for a few minutes now.",
    "They've helped me with my anger and my anxiety, and what to do when I'm in bad situations.",
    "I never had any confidence before, and now I talk to a lot more people and make new friends.",
    "I have thought about who my true friends are and I keep away from the ones who get me "
    "into trouble.",
    "Since working with the team I have had fewer arguments.",
    "I liked having someone to talk to and build a good relationship with.",
    "I enjoyed being able to talk and express myself.",
    "I'm back at college and I go to boxing twice a week.",
)
BETTER = (
    "Nothing really, it was good.",
    "Meet somewhere nearer my house.",
    "Not so many appointments in school time.",
    "Text me the day before so I don't forget.",
    "More activities, not just talking.",
)
AT_HOME = (
    "It helped her with her confidence; there were some good techniques they used.",
    "She started to show me a bit more respect and understand the effect on us as a family.",
    "Dread to think where he would be without the support.",
    "Very helpful and supportive, always there and flexible to try and meet our needs.",
    "We made a chart together and it has really improved our relationship.",
    "Things are calmer at home and he is going to school again.",
)


def _answers(rng, questions, texts, positive: float):
    out = {}
    for q in questions:
        if rng.random() < 0.08:
            continue  # not every question is answered
        if q.kind == K.SCALE:
            out[q] = rng.choices(
                (1, 2, 3, 4, 5), weights=(1, 1, 3, 6, 8) if positive else (2, 3, 4, 3, 2)
            )[0]
        elif q.kind == K.YES_NO:
            out[q] = rng.random() < (0.88 if positive else 0.6)
        elif rng.random() < 0.7:
            out[q] = rng.choice(texts[q.text])
    return out


def add_feedback(service: Service, rng: random.Random, today: dt.date) -> dict[str, int]:
    made = {}
    for title, stage, intro, questions in QUESTIONNAIRES:
        q = Questionnaire.objects.create(service=service, title=title, stage=stage, intro=intro)
        Question.objects.bulk_create(
            Question(questionnaire=q, position=i, text=t, kind=k)
            for i, (t, k) in enumerate(questions, 1)
        )
        made[title] = (q, list(q.questions.all()))
    end_q, end_questions = made[END_OF_INTERVENTION[0]]
    mid_q, mid_questions = made[PARENTS_MIDWAY[0]]
    texts = {
        END_OF_INTERVENTION[3][5][0]: CHANGED,
        END_OF_INTERVENTION[3][6][0]: BETTER,
        PARENTS_MIDWAY[3][3][0]: AT_HOME,
    }
    lead = service.staff.filter(role=Role.HEAD_OF_SERVICE).first()

    pledges = Pledge.objects.bulk_create(
        Pledge(service=service, area=a, commitment=c, lead=who) for a, c, who in PLEDGES
    )
    reviews = []
    for p in pledges:
        on = periods.add_months(today, -12)
        while on <= today:
            rag = rng.choices(("GREEN", "AMBER", "RED"), weights=(5, 3, 1))[0]
            reviews.append(
                PledgeReview(
                    pledge=p,
                    reviewed_on=on,
                    progress=rng.choice(PROGRESS[rag]),
                    rag=rag,
                    reviewed_by=lead,
                )
            )
            on = periods.add_months(on, 2)
    PledgeReview.objects.bulk_create(reviews)

    since = periods.add_months(today, -24)
    ended = (
        Intervention.objects.filter(
            child__service=service, end_date__gte=since, end_date__lte=today
        )
        .select_related("child")
        .order_by("pk")
    )
    plan = []  # (response, {question: value})
    for iv in ended:
        child = iv.child
        if rng.random() < 0.35:
            on = min(today, iv.end_date + D(days=rng.randint(-10, 3)))
            plan.append(
                (
                    _response(rng, child, end_q, Respondent.CHILD, on, iv.worker_id),
                    _answers(rng, end_questions, texts, rng.random() < 0.8),
                )
            )
        if rng.random() < 0.15 and iv.start_date < iv.end_date:
            mid = iv.start_date + (iv.end_date - iv.start_date) / 2
            who = Respondent.PARENT if rng.random() < 0.8 else Respondent.CARER
            plan.append(
                (
                    _response(rng, child, mid_q, who, mid, iv.worker_id),
                    _answers(rng, mid_questions, texts, rng.random() < 0.8),
                )
            )
    responses = FeedbackResponse.objects.bulk_create([r for r, _ in plan])
    answers = []
    for r, (_, values) in zip(responses, plan, strict=True):
        for q, v in values.items():
            a = Answer(response=r, question=q)
            if q.kind == K.SCALE:
                a.scale = v
            elif q.kind == K.YES_NO:
                a.yes = v
            else:
                a.text = v
                # staff chose about half of the words people agreed to share
                if (
                    r.consent_to_share
                    and q.kind == K.TEXT
                    and v not in BETTER
                    and rng.random() < 0.5
                ):
                    a.chosen, a.chosen_by, a.chosen_on = True, lead, r.answered_on + D(days=14)
            answers.append(a)
    Answer.objects.bulk_create(answers)
    now = timezone.now()
    links = [
        FeedbackLink(
            child=r.child,
            questionnaire=r.questionnaire,
            respondent=r.respondent,
            token_hash=hash_token(f"demo-{rng.random()}"),
            made_at=now - D(days=(today - r.answered_on).days + 1),
            expires_at=now - D(days=(today - r.answered_on).days - 6),
            used_at=now - D(days=(today - r.answered_on).days),
            response=r,
        )
        for r in responses
        if r.source == FeedbackResponse.Source.LINK
    ]
    FeedbackLink.objects.bulk_create(links)
    return {
        "Questionnaire": len(made),
        "Pledge": len(pledges),
        "PledgeReview": len(reviews),
        "FeedbackResponse": len(responses),
        "Answer": len(answers),
    }


def _response(rng, child, q, respondent, on, worker_id) -> FeedbackResponse:
    by_link = respondent == Respondent.CHILD and rng.random() < 0.3
    consent = rng.choices((True, False, None), weights=(7, 2, 1 if by_link else 2))[0]
    return FeedbackResponse(
        child=child,
        questionnaire=q,
        respondent=respondent,
        answered_on=on,
        source=FeedbackResponse.Source.LINK if by_link else FeedbackResponse.Source.PAPER,
        entered_by_id=None if by_link else worker_id,
        consent_to_share=consent,
        consent_by=respondent if consent is not None else "",
        consent_on=on if consent is not None else None,
    )
