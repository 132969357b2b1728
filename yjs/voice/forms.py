"""Forms of feedback: questionnaires and their questions, a response typed in from paper, the
child's own page (one field per question), consent, quotes and pledges. GOV.UK markup through
`includes/field.html`; every rule is also checked by `services`."""

from __future__ import annotations

from django import forms

from yjs.forms import (
    DateField,
    GovukForm,
    GovukModelForm,
    VersionedForm,
    govuk_widget_classes,
    yes_no_field,
)

from .models import Pledge, PledgeReview, Question, Questionnaire, Respondent

Q = Question.Kind
SCALE_CHOICES = [
    ("1", "1 (not at all)"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5 (very much)"),
]


class QuestionnaireForm(GovukModelForm):
    class Meta:
        model = Questionnaire
        fields = ["title", "stage", "intro", "active"]
        widgets = {"stage": forms.RadioSelect, "intro": forms.Textarea(attrs={"rows": 3})}
        labels = {"stage": "When is it asked?"}
        error_messages = {
            "title": {"required": "Enter the questionnaire's title"},
            "stage": {"required": "Select when the questionnaire is asked"},
        }


class QuestionForm(GovukForm):
    text = forms.CharField(
        label="Question",
        max_length=200,
        error_messages={"required": "Enter the question"},
        help_text="Short and plain, as the child will read it",
    )
    kind = forms.ChoiceField(
        label="Kind of answer",
        choices=Q.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of answer"},
    )


def question_field(question: Question, *, required: bool = False) -> forms.Field:
    label = question.text
    if question.kind == Q.SCALE:
        return forms.TypedChoiceField(
            label=label,
            choices=SCALE_CHOICES,
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            required=required,
            help_text="1 means not at all, 5 means very much",
        )
    if question.kind == Q.YES_NO:
        return yes_no_field(label, required=required, empty_value=None)
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=required,
        max_length=2000,
    )


class AnswersForm(GovukForm):
    """One optional field per live question (`q<pk>`); `answers()` gives {question pk: value}."""

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.questions = questionnaire.live_questions()
        extra = {f"q{q.pk}": question_field(q) for q in self.questions}
        # who answered and when, then the questions, then consent to share
        first = {k: f for k, f in self.fields.items() if not k.startswith("consent")}
        last = {k: f for k, f in self.fields.items() if k.startswith("consent")}
        self.fields = {**first, **extra, **last}
        govuk_widget_classes(self)

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}

    @property
    def has_text_question(self) -> bool:
        return any(q.kind == Q.TEXT for q in self.questions)


class PaperResponseForm(AnswersForm):
    respondent = forms.ChoiceField(
        label="Who answered?",
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who answered"},
    )
    answered_on = DateField(label="Date answered")
    consent_to_share = yes_no_field(
        "Did they agree that their words can be shared without their name?",
        required=False,
        empty_value=None,
        help_text="Leave blank if they were not asked",
    )
    consent_by = forms.ChoiceField(
        label="Who gave or refused consent?",
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    consent_on = DateField(label="Date consent was given or refused", required=False)


class ChildAnswersForm(AnswersForm):
    """The page a child opens from a link: their answers and, if they wrote anything, whether
    their words may be shared."""

    consent_to_share = yes_no_field(
        "Can we share what you wrote? We would never use your name.",
        required=False,
        empty_value=None,
        help_text="For example in a report to the people who run the service",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.has_text_question:
            del self.fields["consent_to_share"]


class LinkForm(GovukForm):
    questionnaire = forms.ModelChoiceField(
        label="Questionnaire",
        queryset=Questionnaire.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the questionnaire"},
    )
    respondent = forms.ChoiceField(
        label="Who will answer?",
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        initial=Respondent.CHILD,
        error_messages={"required": "Select who will answer"},
    )

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["questionnaire"]
        # The radios' choices were fixed from the empty queryset: read them from the real one.
        field.__dict__.pop("_choices", None)
        field.queryset = Questionnaire.objects.filter(service=service, active=True)
        govuk_widget_classes(self)


class ConsentForm(VersionedForm):
    consent_to_share = yes_no_field(
        "Did they agree that their words can be shared without their name?",
        error_messages={"required": "Select whether they agreed to share their words"},
    )
    consent_by = forms.ChoiceField(
        label="Who gave or refused consent?",
        choices=Respondent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who gave or refused consent"},
    )
    consent_on = DateField(label="Date consent was given or refused")


class PledgeForm(GovukModelForm):
    class Meta:
        model = Pledge
        fields = ["area", "commitment", "lead", "active"]
        widgets = {"area": forms.RadioSelect, "commitment": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "area": {"required": "Select the area of the Lundy model"},
            "commitment": {"required": "Enter what the service will do"},
        }


class PledgeReviewForm(GovukModelForm):
    class Meta:
        model = PledgeReview
        fields = ["reviewed_on", "progress", "rag"]
        widgets = {"rag": forms.RadioSelect, "progress": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "progress": {"required": "Enter the progress made"},
            "rag": {"required": "Select the RAG rating"},
        }
