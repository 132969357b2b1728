"""Voice of the child (issue 14): the service's own short feedback questionnaires, the answers of
children, parents and carers (typed in from paper, or given by the child on a one-time link),
quotes shared with consent, and the service's participation pledges (Lundy model) with reviews.

Rules are in `services`, reads and figures in `selectors`. A response is a casework record of the
child (voidable, versioned, erased with the child); its free text leaves the record only as a
quote that the respondent agreed to share and a manager chose, and then with no name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yjs.casework.models import CaseRecord, Child
from yjs.organisation.models import Service
from yjs.versioning import Versioned


class Respondent(models.TextChoices):
    CHILD = "CHILD", "Child"
    PARENT = "PARENT", "Parent"
    CARER = "CARER", "Carer"


class Questionnaire(Versioned):
    """A short questionnaire the service asks at one stage of an intervention."""

    class Stage(models.TextChoices):
        START = "START", "Start of intervention"
        MIDDLE = "MIDDLE", "Middle of intervention"
        END = "END", "End of intervention"
        ANY = "ANY", "Any time"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="questionnaires")
    title = models.CharField(max_length=120)
    stage = models.CharField(max_length=8, choices=Stage.choices)
    intro = models.TextField(
        "What the page says before the questions",
        blank=True,
        help_text="Keep it short and plain: who is asking and why",
    )
    active = models.BooleanField(
        "In use", default=True, help_text="A questionnaire no longer in use keeps its answers"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["service", "title"], name="voice_unique_title")
        ]

    def __str__(self):
        return self.title

    def live_questions(self):
        return [q for q in self.questions.all() if q.active]


class Question(models.Model):
    class Kind(models.TextChoices):
        SCALE = "SCALE", "A scale of 1 to 5"
        YES_NO = "YES_NO", "Yes or no"
        TEXT = "TEXT", "Their own words (free text)"

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("Question", max_length=200)
    kind = models.CharField("Kind of answer", max_length=8, choices=Kind.choices)
    # A question taken out of a questionnaire keeps the answers given to it.
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class FeedbackResponse(CaseRecord):
    """One person's answers to one questionnaire, about the child's time with the service."""

    class Source(models.TextChoices):
        PAPER = "PAPER", "Typed in from paper"
        LINK = "LINK", "Filled in through a link"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="feedback")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    respondent = models.CharField("Who answered", max_length=8, choices=Respondent.choices)
    answered_on = models.DateField("Date answered")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.PAPER)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Consent to share their words (without a name) in the plan, board pack and publicity.
    consent_to_share = models.BooleanField(
        "Agreed to share their words without their name", null=True, blank=True
    )
    consent_by = models.CharField(
        "Who gave or refused consent", max_length=8, choices=Respondent.choices, blank=True
    )
    consent_on = models.DateField("Date consent was given or refused", null=True, blank=True)

    class Meta:
        ordering = ["-answered_on", "-id"]
        verbose_name = "feedback response"

    def __str__(self):
        return f"Feedback: {self.questionnaire} ({self.get_respondent_display().lower()})"


class Answer(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    scale = models.PositiveSmallIntegerField(null=True, blank=True)
    yes = models.BooleanField(null=True, blank=True)
    text = models.TextField(blank=True)
    # A manager chose these words as a quote for publication (only with consent to share).
    chosen = models.BooleanField(default=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chosen_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="voice_one_answer")
        ]

    def __str__(self):
        return f"Answer to {self.question}"


class FeedbackLink(models.Model):
    """A one-time link (or QR code) a worker shows so the child answers on their own phone.

    Only a hash of its secret token is kept: the address is shown once, to the worker. It opens
    one questionnaire, once, until it expires; it shows nothing of the child."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="feedback_links")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="links")
    respondent = models.CharField(max_length=8, choices=Respondent.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    response = models.OneToOneField(
        FeedbackResponse, null=True, blank=True, on_delete=models.SET_NULL, related_name="link"
    )

    class Meta:
        ordering = ["-made_at"]
        verbose_name = "feedback link"

    def __str__(self):
        return f"Feedback link: {self.questionnaire}"


class Pledge(Versioned):
    """A participation pledge: what the service promises under one area of the Lundy model."""

    class Area(models.TextChoices):
        SPACE = "SPACE", "Space: a safe and inclusive space to express views"
        VOICE = "VOICE", "Voice: express views in the way they decide is best"
        AUDIENCE = "AUDIENCE", "Audience: listened to by the right people"
        INFLUENCE = "INFLUENCE", "Influence: views taken seriously and acted upon"
        IMPACT = "IMPACT", "Impact: knowing how they made a difference"

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="pledges")
    area = models.CharField("Lundy model area", max_length=10, choices=Area.choices)
    commitment = models.TextField("What we will do")
    lead = models.CharField("Who leads it", max_length=120, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["area", "id"]

    def __str__(self):
        return f"{self.get_area_display().split(':')[0]}: {self.commitment[:60]}"

    @property
    def area_name(self) -> str:
        return self.get_area_display().split(":")[0]


class PledgeReview(models.Model):
    class Rag(models.TextChoices):
        RED = "RED", "Red: not on track"
        AMBER = "AMBER", "Amber: some progress"
        GREEN = "GREEN", "Green: on track or done"

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("Date reviewed")
    progress = models.TextField("Progress")
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"Review of {self.pledge} on {self.reviewed_on}"

    @property
    def rag_name(self) -> str:
        return self.get_rag_display().split(":")[0]
