"""The rules of feedback, links, quotes and pledges, and the commands that record them (each one
transaction, audited).

The one-time link: a random token (`secrets.token_urlsafe`, 192 bits) is shown once to the worker;
only its SHA-256 is stored, so a copy of the database opens no questionnaire. It is used by one
conditional UPDATE (`used_at IS NULL AND expires_at > now`), so two posts of the same link can
never both save a response. Quotes: only words whose respondent agreed to share them may be chosen,
and withdrawing consent unchooses them in the same transaction.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yjs import periods, versioning
from yjs.audit import services as audit
from yjs.casework import services as casework
from yjs.casework.models import Child

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

LINK_DAYS = 7
SCALE = range(1, 6)
Q = Question.Kind


# --------------------------------------------------------------------------- questionnaires


def questionnaire_problems(q: Questionnaire) -> dict[str, str]:
    problems = {}
    if not (q.title or "").strip():
        problems["title"] = "Enter the questionnaire's title"
    elif (
        Questionnaire.objects.filter(service_id=q.service_id, title__iexact=q.title.strip())
        .exclude(pk=q.pk)
        .exists()
    ):
        problems["title"] = "The service already has a questionnaire with this title"
    if not q.stage:
        problems["stage"] = "Select when the questionnaire is asked"
    return problems


@transaction.atomic
def save_questionnaire(actor, q: Questionnaire) -> Questionnaire:
    """Create or change a questionnaire (refused if someone else saved it since it was opened)."""
    problems = questionnaire_problems(q)
    if problems:
        raise ValidationError(problems)
    before = {}
    if q.pk:
        before = audit.field_values(Questionnaire.objects.get(pk=q.pk))
    versioning.claim(q, actor)
    q.title = q.title.strip()
    q.save()
    after = audit.field_values(q)
    audit.record(
        actor,
        "UPDATE" if before else "CREATE",
        q,
        description=f"{'Changed' if before else 'Created'} questionnaire {q.title}"[:200],
        changes=audit.diff(before, after) if before else {},
    )
    return q


@transaction.atomic
def add_question(actor, q: Questionnaire, text: str, kind: str) -> Question:
    text = (text or "").strip()
    problems = {}
    if not text:
        problems["text"] = "Enter the question"
    if kind not in Q.values:
        problems["kind"] = "Select the kind of answer"
    if problems:
        raise ValidationError(problems)
    last = q.questions.order_by("-position").first()
    question = Question.objects.create(
        questionnaire=q, text=text, kind=kind, position=(last.position + 1) if last else 1
    )
    audit.record(actor, "CREATE", question, description=f"Added a question to {q.title}"[:200])
    return question


@transaction.atomic
def remove_question(actor, question: Question) -> Question:
    """Take a question out of its questionnaire; answers already given to it stay."""
    question.active = False
    question.save(update_fields=["active"])
    audit.record(
        actor,
        "UPDATE",
        question,
        description=f"Removed a question from {question.questionnaire.title}"[:200],
    )
    return question


# --------------------------------------------------------------------------- answers


def answer_problems(questions, answers: dict) -> dict[str, str]:
    """`answers`: {question pk: value} with a 1-5 int, True/False or text (None/"" = blank)."""
    problems = {}
    given = 0
    for q in questions:
        value = answers.get(q.pk)
        if value is None or value == "":
            continue
        given += 1
        if q.kind == Q.SCALE and value not in SCALE:
            problems[f"q{q.pk}"] = "Choose a number from 1 to 5"
        elif q.kind == Q.YES_NO and not isinstance(value, bool):
            problems[f"q{q.pk}"] = "Choose yes or no"
        elif q.kind == Q.TEXT and len(str(value)) > 2000:
            problems[f"q{q.pk}"] = "Answer in 2,000 characters or fewer"
    if not given and not problems:
        problems["__all__"] = "Answer at least one question"
    return problems


def _answers(response: FeedbackResponse, questions, answers: dict) -> list[Answer]:
    rows = []
    for q in questions:
        value = answers.get(q.pk)
        if value is None or value == "":
            continue
        a = Answer(response=response, question=q)
        if q.kind == Q.SCALE:
            a.scale = value
        elif q.kind == Q.YES_NO:
            a.yes = value
        else:
            a.text = str(value).strip()
        rows.append(a)
    return Answer.objects.bulk_create(rows)


def consent_problems(consent, by: str, on, *, answered_on=None, today=None) -> dict[str, str]:
    problems = {}
    if consent is None:
        if by or on:
            problems["consent_to_share"] = "Select whether they agreed to share their words"
        return problems
    if not by:
        problems["consent_by"] = "Select who gave or refused consent"
    if on is None:
        problems["consent_on"] = "Enter the date consent was given or refused"
    elif today and on > today:
        problems["consent_on"] = "Date consent was given or refused must be today or in the past"
    elif answered_on and on < answered_on:
        problems["consent_on"] = (
            "Date consent was given or refused must be the same as or after the date answered"
        )
    return problems


@transaction.atomic
def record_response(
    actor,
    child: Child,
    questionnaire: Questionnaire,
    *,
    respondent: str,
    answered_on: datetime.date,
    answers: dict,
    consent=None,
    consent_by: str = "",
    consent_on=None,
) -> FeedbackResponse:
    """Feedback given on paper and typed in by a worker."""
    questions = questionnaire.live_questions()
    problems = answer_problems(questions, answers)
    problems.update(
        consent_problems(
            consent, consent_by, consent_on, answered_on=answered_on, today=casework.today()
        )
    )
    if questionnaire.service_id != child.service_id:
        problems["__all__"] = "Select one of your service's questionnaires"
    if problems:
        raise ValidationError(problems)
    response = FeedbackResponse(
        child=child,
        questionnaire=questionnaire,
        respondent=respondent,
        answered_on=answered_on,
        source=FeedbackResponse.Source.PAPER,
        entered_by=actor,
        consent_to_share=consent,
        consent_by=consent_by if consent is not None else "",
        consent_on=consent_on if consent is not None else None,
    )
    casework._save(actor, response, description=f"Recorded {response}"[:200])
    _answers(response, questions, answers)
    return response


@transaction.atomic
def record_consent(actor, response: FeedbackResponse, *, consent, by: str, on) -> FeedbackResponse:
    """Record (or change) consent to share; refused consent unchooses every quote at once."""
    problems = consent_problems(
        consent, by, on, answered_on=response.answered_on, today=casework.today()
    )
    if consent is None:
        problems["consent_to_share"] = "Select whether they agreed to share their words"
    if problems:
        raise ValidationError(problems)
    response.consent_to_share = consent
    response.consent_by = by
    response.consent_on = on
    casework._save(actor, response, description="Recorded consent to share feedback")
    if not consent:
        response.answers.filter(chosen=True).update(chosen=False, chosen_by=None, chosen_on=None)
    return response


@transaction.atomic
def choose_quote(actor, answer: Answer, chosen: bool) -> Answer:
    """A manager chooses (or drops) someone's words for the plan and board pack."""
    response = answer.response
    if chosen:
        if response.voided:
            raise ValidationError("This feedback was voided: its words cannot be published")
        if answer.question.kind != Q.TEXT or not answer.text:
            raise ValidationError("Only an answer in their own words can be a quote")
        if response.consent_to_share is not True:
            raise ValidationError(
                "They did not agree to share their words: a quote needs their consent"
            )
    answer.chosen = chosen
    answer.chosen_by = actor if chosen else None
    answer.chosen_on = casework.today() if chosen else None
    answer.save(update_fields=["chosen", "chosen_by", "chosen_on"])
    audit.record(
        actor,
        "UPDATE",
        answer,
        child=response.child,
        description="Chose a quote for publication" if chosen else "Dropped a chosen quote",
    )
    return answer


# --------------------------------------------------------------------------- one-time links


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def make_link(
    actor, child: Child, questionnaire: Questionnaire, respondent: str, *, now=None
) -> tuple[FeedbackLink, str]:
    """A new one-time link; returns it and its token (shown once, never stored)."""
    problems = {}
    if questionnaire is None or questionnaire.service_id != child.service_id:
        problems["questionnaire"] = "Select the questionnaire"
    elif not questionnaire.active or not questionnaire.live_questions():
        problems["questionnaire"] = "This questionnaire is not in use or has no questions"
    if respondent not in Respondent.values:
        problems["respondent"] = "Select who will answer"
    if child.closed_on:
        problems["__all__"] = casework.closed_case_message(child)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    token = secrets.token_urlsafe(24)
    link = FeedbackLink.objects.create(
        child=child,
        questionnaire=questionnaire,
        respondent=respondent,
        token_hash=hash_token(token),
        made_by=actor,
        made_at=now,
        expires_at=now + datetime.timedelta(days=LINK_DAYS),
    )
    audit.record(
        actor,
        "CREATE",
        link,
        child=child,
        description=f"Made a one-time feedback link: {questionnaire.title}"[:200],
    )
    return link, token


def open_link(token: str, *, now=None) -> tuple[FeedbackLink | None, str]:
    """The link a token opens and its state: "open", "used", "expired" or "unknown"."""
    if not token or len(token) > 100:
        return None, "unknown"
    link = (
        FeedbackLink.objects.select_related("questionnaire__service", "child")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if link is None:
        return None, "unknown"
    if link.used_at is not None:
        return link, "used"
    if link.expires_at <= (now or timezone.now()):
        return link, "expired"
    return link, "open"


class LinkClosed(Exception):
    """The link was used (perhaps a moment ago, by another post) or has expired."""


@transaction.atomic
def answer_by_link(token: str, answers: dict, *, consent=None, now=None) -> FeedbackResponse:
    """The child's (or parent's) own answers through a one-time link. Consent to share their
    words is theirs, given on the same page."""
    now = now or timezone.now()
    link, state = open_link(token, now=now)
    if state != "open":
        raise LinkClosed(state)
    questions = link.questionnaire.live_questions()
    problems = answer_problems(questions, answers)
    if problems:
        raise ValidationError(problems)
    # One conditional UPDATE: of two posts of one link, only one finds it unused.
    taken = FeedbackLink.objects.filter(
        pk=link.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not taken:
        raise LinkClosed("used")
    today = timezone.localdate(now)
    response = FeedbackResponse(
        child=link.child,
        questionnaire=link.questionnaire,
        respondent=link.respondent,
        answered_on=today,
        source=FeedbackResponse.Source.LINK,
        consent_to_share=consent,
        consent_by=link.respondent if consent is not None else "",
        consent_on=today if consent is not None else None,
    )
    versioning.claim(response, None)
    response.full_clean()
    response.save()
    audit.record(
        None,
        "CREATE",
        response,
        child=link.child,
        description="Feedback given through a one-time link",
    )
    _answers(response, questions, answers)
    FeedbackLink.objects.filter(pk=link.pk).update(response=response)
    return response


# --------------------------------------------------------------------------- pledges


@transaction.atomic
def save_pledge(actor, pledge: Pledge) -> Pledge:
    problems = {}
    if not pledge.area:
        problems["area"] = "Select the area of the Lundy model"
    if not (pledge.commitment or "").strip():
        problems["commitment"] = "Enter what the service will do"
    if problems:
        raise ValidationError(problems)
    before = audit.field_values(Pledge.objects.get(pk=pledge.pk)) if pledge.pk else {}
    versioning.claim(pledge, actor)
    pledge.save()
    audit.record(
        actor,
        "UPDATE" if before else "CREATE",
        pledge,
        description=f"{'Changed' if before else 'Made'} a participation pledge",
        changes=audit.diff(before, audit.field_values(pledge)) if before else {},
    )
    return pledge


@transaction.atomic
def review_pledge(actor, review: PledgeReview) -> PledgeReview:
    problems = {}
    today = casework.today()
    if review.reviewed_on is None:
        problems["reviewed_on"] = "Enter the date reviewed"
    elif review.reviewed_on > today:
        problems["reviewed_on"] = "Date reviewed must be today or in the past"
    elif review.reviewed_on < periods.EARLIEST_EVENT_DATE:
        problems["reviewed_on"] = "Date reviewed is too long ago: check the year"
    if not (review.progress or "").strip():
        problems["progress"] = "Enter the progress made"
    if not review.rag:
        problems["rag"] = "Select the RAG rating"
    if problems:
        raise ValidationError(problems)
    review.reviewed_by = actor
    review.save()
    audit.record(actor, "CREATE", review, description="Reviewed a participation pledge")
    return review
