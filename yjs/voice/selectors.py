"""Reads of feedback: the half-year report, the quotes that may be published, the child record's
section and the plan/board-pack block.

Figures: for each question, n = people who answered it, N = responses to its questionnaire in
the period. A 1-5 scale gives the average of the n answers (one decimal) and the share who chose
4 or 5; yes/no gives the share of the n answers that were "yes"; percentages are rounded half
up. Voided responses count nowhere. Response counts are counts of questionnaires returned, not
of children, so they are shown as they are.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch
from django.utils import timezone

from yjs import periods
from yjs.casework.models import Child
from yjs.compiled import OneParentRead, known_to_have_none
from yjs.reversing import reverse

from .models import Answer, FeedbackLink, FeedbackResponse, Question, Questionnaire, Respondent

Q = Question.Kind


# --------------------------------------------------------------------------- half-years


@dataclass(frozen=True, order=True)
class HalfYear:
    """A half of a financial year: ``HalfYear(2025, 1)`` is April–September 2025 and
    ``HalfYear(2025, 2)`` October 2025–March 2026: the twice-yearly feedback report's periods."""

    fy_start: int
    half: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.fy_start, 4, 1) if self.half == 1 else dt.date(self.fy_start, 10, 1)

    @property
    def end(self) -> dt.date:
        return (
            dt.date(self.fy_start, 9, 30) if self.half == 1 else dt.date(self.fy_start + 1, 3, 31)
        )

    @property
    def code(self) -> str:
        return f"{self.fy_start}-{str(self.fy_start + 1)[2:]}H{self.half}"

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y} to {self.end:%B %Y}"

    def previous(self) -> HalfYear:
        return HalfYear(self.fy_start, 1) if self.half == 2 else HalfYear(self.fy_start - 1, 2)

    @classmethod
    def of(cls, d: dt.date) -> HalfYear:
        fy = d.year if d.month >= 4 else d.year - 1
        return cls(fy, 1 if 4 <= d.month <= 9 else 2)

    @classmethod
    def parse(cls, text: str) -> HalfYear | None:
        m = re.fullmatch(r"(\d{4})-(\d{2})H([12])", text or "")
        if not m or int(m.group(2)) != (int(m.group(1)) + 1) % 100:
            return None
        return cls(int(m.group(1)), int(m.group(3)))


def half_years(today: dt.date, n: int = 6) -> list[HalfYear]:
    """This half-year and the ones before it, newest first."""
    out = [HalfYear.of(today)]
    while len(out) < n:
        out.append(out[-1].previous())
    return out


# --------------------------------------------------------------------------- figures


def percent(part: int, whole: int) -> int | None:
    if not whole:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def one_decimal(total: int, n: int) -> Decimal | None:
    if not n:
        return None
    return (Decimal(total) / Decimal(n)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def responses(service, start: dt.date, end: dt.date):
    """Live responses of the service answered in [start, end]."""
    return FeedbackResponse.objects.filter(
        child__service=service, answered_on__gte=start, answered_on__lte=end
    )


@dataclass
class QuestionFigures:
    question: Question
    n: int  # answered it
    total: int  # N: responses to its questionnaire
    average: Decimal | None = None
    top_two: int = 0  # 4s and 5s
    yes: int = 0
    distribution: tuple = ()

    @property
    def percent_yes(self) -> int | None:
        return percent(self.yes, self.n)

    @property
    def percent_top_two(self) -> int | None:
        return percent(self.top_two, self.n)

    @property
    def result(self) -> str:
        """The figure in words, as the report and the block print it."""
        if not self.n:
            return "No answers"
        if self.question.kind == Q.SCALE:
            return f"Average {self.average} out of 5; {self.percent_top_two}% chose 4 or 5"
        if self.question.kind == Q.YES_NO:
            return f"{self.percent_yes}% yes ({self.yes} of {self.n})"
        return f"{self.n} wrote an answer"


@dataclass
class QuestionnaireFigures:
    questionnaire: Questionnaire
    total: int
    by_respondent: dict
    questions: list[QuestionFigures]


def report(service, start: dt.date, end: dt.date) -> list[QuestionnaireFigures]:
    """Each questionnaire with responses in the period, and each of its questions' figures."""
    rs = list(responses(service, start, end).select_related("questionnaire"))
    answers = list(
        Answer.objects.filter(response__in=[r.pk for r in rs]).select_related("question")
    )
    by_questionnaire: dict[int, list] = {}
    for r in rs:
        by_questionnaire.setdefault(r.questionnaire_id, []).append(r)
    by_question: dict[int, list[Answer]] = {}
    for a in answers:
        by_question.setdefault(a.question_id, []).append(a)
    out = []
    for q in Questionnaire.objects.filter(pk__in=by_questionnaire).prefetch_related("questions"):
        qrs = by_questionnaire[q.pk]
        total = len(qrs)
        who = {label: 0 for value, label in Respondent.choices}
        for r in qrs:
            who[r.get_respondent_display()] += 1
        figures = []
        for question in q.questions.all():
            got = by_question.get(question.pk, [])
            if not question.active and not got:
                continue
            f = QuestionFigures(question, len(got), total)
            if question.kind == Q.SCALE:
                values = [a.scale for a in got]
                f.average = one_decimal(sum(values), len(values))
                f.top_two = sum(1 for v in values if v >= 4)
                f.distribution = tuple(values.count(v) for v in range(1, 6))
            elif question.kind == Q.YES_NO:
                f.yes = sum(1 for a in got if a.yes)
            figures.append(f)
        out.append(QuestionnaireFigures(q, total, who, figures))
    return out


# --------------------------------------------------------------------------- quotes


def who_said(response: FeedbackResponse) -> str:
    """The only attribution a quote ever has: "a child, 15", "a parent" or "a carer"."""
    if response.respondent == Respondent.CHILD:
        age = periods.age_on(response.child.date_of_birth, response.answered_on)
        return f"a child, {age}"
    return f"a {response.get_respondent_display().lower()}"


def publishable_answers(service, start: dt.date | None = None, end: dt.date | None = None):
    """Free-text answers that may leave the record: consent given, chosen by staff, response
    not voided (the live manager), of this service, in the period."""
    qs = Answer.objects.filter(
        chosen=True,
        question__kind=Q.TEXT,
        response__in=FeedbackResponse.objects.filter(child__service=service, consent_to_share=True),
    ).exclude(text="")
    if start:
        qs = qs.filter(response__answered_on__gte=start)
    if end:
        qs = qs.filter(response__answered_on__lte=end)
    return qs.select_related("response__child").order_by("-response__answered_on", "id")


def quotes(service, start=None, end=None) -> list[dict]:
    """The chosen, consented quotes; the same words said twice are printed once."""
    seen: set[str] = set()
    out = []
    for a in publishable_answers(service, start, end):
        key = " ".join(a.text.split()).casefold()
        if key not in seen:
            seen.add(key)
            out.append({"text": a.text, "who": who_said(a.response)})
    return out


def candidate_answers(service, start: dt.date, end: dt.date):
    """Free-text answers in the period for a manager to choose from (with their consent)."""
    return (
        Answer.objects.filter(
            question__kind=Q.TEXT,
            response__in=responses(service, start, end),
        )
        .exclude(text="")
        .select_related("response__child", "response__questionnaire", "question")
        .order_by("-response__answered_on", "id")
    )


# --------------------------------------------------------------------------- the child's record


@functools.cache
def _child_feedback() -> OneParentRead:
    return OneParentRead(
        Child,
        Prefetch("feedback", queryset=FeedbackResponse.objects.select_related("questionnaire")),
    )


def child_feedback(child) -> list[FeedbackResponse]:
    """The child's feedback, read once per page (section and timeline), compiled once."""
    return _child_feedback().once(child)


def section(child, user, today: dt.date) -> dict | None:
    """The child record's "Feedback" section: always shown, so a worker can start one."""
    feedback = child_feedback(child)
    now = timezone.now()
    links = []
    if not known_to_have_none(child, "feedback_links"):  # the record page found none at all
        links = list(
            FeedbackLink.objects.filter(child=child, used_at__isnull=True, expires_at__gt=now)
            .select_related("questionnaire")
            .order_by("expires_at")
        )
    return {"feedback": feedback, "links": links, "can_record": not child.closed_on}


def timeline_entries(child) -> list:
    from yjs.casework.selectors import TimelineEntry

    return [
        TimelineEntry(
            r.answered_on,
            "Feedback",
            "voice",
            byline=r.get_respondent_display(),
            url=reverse("voice:response", args=[r.pk]),
            lines=(f"{r.questionnaire.title}: {r.get_source_display().lower()}",),
        )
        for r in child_feedback(child)
    ]


# --------------------------------------------------------------------------- the plan's block


def block(request) -> dict:
    """The plan / board pack block: responses by questionnaire and question for the period, and
    the quotes staff chose from people who agreed to share them. No names, no free text
    other than those quotes."""
    figures = report(request.service, request.start, request.end)
    rows = []
    for qf in figures:
        for f in qf.questions:
            if f.question.kind == Q.TEXT:
                continue
            rows.append([qf.questionnaire.title, f.question.text, f"{f.n} of {qf.total}", f.result])
    total = sum(qf.total for qf in figures)
    period = f"{periods.long_date(request.start)} to {periods.long_date(request.end)}"
    return {
        "intro": (
            f"Children, parents and carers returned {total} feedback questionnaire"
            f"{'' if total == 1 else 's'} from {period}."
            if total
            else f"No feedback questionnaires were returned from {period}."
        ),
        "caption": "Feedback from children, parents and carers",
        "headers": ["Questionnaire", "Question", "Answered (n of N)", "Result"],
        "rows": rows,
        "quotes": quotes(request.service, request.start, request.end),
        "note": (
            "n: people who answered the question; N: questionnaires returned. Quotes are shown "
            "only where the person agreed to share their words, and never with a name."
        ),
    }


def record_actions(child, record, user) -> list[tuple[str, str]]:
    """On a feedback response's casework page: the answers and consent."""
    if isinstance(record, FeedbackResponse):
        return [("Answers and consent to share", reverse("voice:response", args=[record.pk]))]
    return []
