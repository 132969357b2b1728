"""Programme forms in the GOV.UK style: the catalogue, a cohort, a session, a child's place,
and the two grids (a session's register; the whole-programme self-scores), which carry the
revision of the session or cohort they were opened on."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm
from yjs.forms import GovukModelForm, VersionedForm, govuk_widget_classes
from yjs.organisation.models import User
from yjs.permissions import CASEWORK_ROLES

from . import models


class ProgrammeForm(GovukModelForm):
    class Meta:
        model = models.Programme
        fields = [
            "name",
            "description",
            "sessions",
            "sessions_to_complete",
            "programme_question",
            "session_question",
            "active",
        ]


class CohortForm(GovukModelForm):
    class Meta:
        model = models.Cohort
        fields = ["name", "start_date", "end_date", "facilitators", "notes"]
        widgets = {"facilitators": forms.CheckboxSelectMultiple}

    def __init__(self, *args, service=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["facilitators"]
        field.queryset = User.objects.filter(
            service=service, role__in=CASEWORK_ROLES, is_active=True
        ).order_by("first_name", "last_name")
        field.label_from_instance = lambda u: u.get_full_name() or u.username
        govuk_widget_classes(self)


class SessionForm(GovukModelForm):
    class Meta:
        model = models.Session
        fields = ["number", "date", "topic"]


class EnrolmentForm(RecordForm):
    """A child's place, as the child record's "Change" page edits it."""

    class Meta:
        model = models.Enrolment
        fields = ["enrolled_on", "score_before", "score_after", "left_on", "notes"]


class EnrolForm(RecordForm):
    """Enrol a child in the user's reach (`children`) on a cohort."""

    child_choice = forms.ModelChoiceField(queryset=None, label="Child")

    class Meta:
        model = models.Enrolment
        fields = ["enrolled_on", "score_before"]

    def __init__(self, *args, children=None, cohort=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cohort = cohort
        field = self.fields["child_choice"]
        field.queryset = children.exclude(enrolments__cohort=cohort).order_by(
            "last_name", "first_name"
        )
        field.label_from_instance = lambda c: f"{c.display_name} ({c.reference})"
        self.order_fields(["child_choice", "enrolled_on", "score_before"])
        govuk_widget_classes(self)

    def clean(self):
        data = super().clean()
        self.child = data.get("child_choice")
        self.instance.child = self.child
        return data

    def _post_clean(self):
        if self.child is None:
            return super(RecordForm, self)._post_clean()
        return super()._post_clean()


def _score(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"class": "govuk-input govuk-input--width-2"}),
        error_messages={
            "invalid": f"{label} must be a whole number from 0 to 10",
            "min_value": f"{label} must be a whole number from 0 to 10",
            "max_value": f"{label} must be a whole number from 0 to 10",
        },
    )


class RegisterForm(VersionedForm):
    """One row per child: present, and the start and end self-scores (0-10)."""

    def __init__(self, *args, places=(), session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = list(places)
        for p in self.places:
            pk, name = p.enrolment.pk, p.enrolment.child.display_name
            a = p.by_session.get(session.pk) if session else None
            self.fields[f"present_{pk}"] = forms.BooleanField(
                label=f"{name} was present", required=False, initial=bool(a and a.attended)
            )
            self.fields[f"start_{pk}"] = _score(f"{name}'s score at the start")
            self.fields[f"start_{pk}"].initial = a.score_start if a else None
            self.fields[f"end_{pk}"] = _score(f"{name}'s score at the end")
            self.fields[f"end_{pk}"].initial = a.score_end if a else None
        govuk_widget_classes(self)

    def rows(self):
        return [
            (
                p,
                self[f"present_{p.enrolment.pk}"],
                self[f"start_{p.enrolment.pk}"],
                self[f"end_{p.enrolment.pk}"],
            )
            for p in self.places
        ]

    def answers(self) -> dict:
        d = self.cleaned_data
        return {
            p.enrolment: (
                d[f"present_{p.enrolment.pk}"],
                d[f"start_{p.enrolment.pk}"],
                d[f"end_{p.enrolment.pk}"],
            )
            for p in self.places
        }


class ScoresForm(VersionedForm):
    """One row per child: the whole-programme self-scores before and after (0-10)."""

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.places = list(places)
        for p in self.places:
            e = p.enrolment
            name = e.child.display_name
            self.fields[f"before_{e.pk}"] = _score(f"{name}'s score before")
            self.fields[f"before_{e.pk}"].initial = e.score_before
            self.fields[f"after_{e.pk}"] = _score(f"{name}'s score after")
            self.fields[f"after_{e.pk}"].initial = e.score_after
        govuk_widget_classes(self)

    def rows(self):
        return [
            (p, self[f"before_{p.enrolment.pk}"], self[f"after_{p.enrolment.pk}"])
            for p in self.places
        ]

    def answers(self) -> dict:
        d = self.cleaned_data
        return {
            p.enrolment: (d[f"before_{p.enrolment.pk}"], d[f"after_{p.enrolment.pk}"])
            for p in self.places
        }
