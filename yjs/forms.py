"""Form pieces shared by every app: the GOV.UK date input, GOV.UK-styled widgets and the
revision of the record a form was opened on (optimistic locking, `yjs.versioning`)."""

from __future__ import annotations

import datetime

from django import forms
from django.db import models

from yjs.middleware import has_control_characters, without_control_characters
from yjs.versioning import EditConflict, Versioned


class DateInput(forms.MultiWidget):
    """GOV.UK date input: day, month and year as three boxes."""

    template_name = "widgets/date_input.html"

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "month": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-2",
                }
            ),
            "year": forms.TextInput(
                attrs={
                    "inputmode": "numeric",
                    "class": "govuk-input govuk-date-input__input govuk-input--width-4",
                }
            ),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if (attrs or {}).get("aria-invalid") == "true":  # set by the error_class filter
            for box in context["widget"]["subwidgets"]:
                box["attrs"]["class"] += " govuk-input--error"
        return context

    def id_for_label(self, id_):
        # The error summary links to the day box, as the GOV.UK pattern asks.
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


def sentence_case(text) -> str:
    """A label as the start of a message: capital first letter, the rest as written."""
    text = str(text)
    return text[:1].upper() + text[1:]


def in_sentence(text) -> str:
    """A label inside a message: "Enter the first name", "Select the YJB offence category".

    Only the first letter is lowered, and not when the first word is an acronym (YJB, ETE, NRM,
    SEND, ROSH, PNC, ISS, YRO), so acronyms and names later in the label keep their case.
    """
    text = str(text)
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


class DateField(forms.MultiValueField):
    """A date from three boxes, with the GOV.UK error messages for missing or impossible dates:
    "Enter the date the referral was received", "Date of birth must include a month"."""

    widget = DateInput

    def __init__(self, *, required=True, label=None, help_text="", **kwargs):
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(
            fields,
            required=required,
            label=label,
            help_text=help_text,
            require_all_fields=False,
            **kwargs,
        )

    def _name(self) -> str:
        return sentence_case(self.label or "The date")

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(self._required())
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"{self._name()} must include a {' and '.join(missing)}")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"{self._name()} must be a real date") from None
        if value.year < 1900:
            raise forms.ValidationError(f"{self._name()} must include a 4-digit year")
        return value

    def _required(self) -> str:
        return f"Enter the {in_sentence(self.label or 'date')}"

    def clean(self, value):
        # MultiValueField checks each sub-field first; our compress() gives better messages.
        if not value or not any(value):
            if self.required:
                raise forms.ValidationError(self._required())
            return None
        return self.compress(value)


def yes_no_field(label: str, **kwargs) -> forms.TypedChoiceField:
    """A required Yes/No question as two radios, neither ticked: a checkbox left empty would
    record "No" for a question nobody answered."""
    return forms.TypedChoiceField(
        label=label,
        widget=forms.RadioSelect,
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda v: v == "True",
        **kwargs,
    )


_DJANGO_REQUIRED = str(forms.Field.default_error_messages["required"])


class OneQueryChoices(forms.models.ModelChoiceIterator):
    """A model choice list read with one ordinary query. Django's own reads it through
    `QuerySet.iterator()`, which on PostgreSQL opens a server-side cursor: four round trips
    (declare, fetch, fetch, close) for a list of a few teams or workers."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():  # a fresh copy: each rendering reads the list anew
            yield self.choice(obj)


def govuk_widget_classes(form: forms.Form) -> None:
    """Give each widget its GOV.UK class and each required field a GOV.UK error message
    ("Enter the …" / "Select the …", not "This field is required"), so templates render one
    way. A message the form sets itself (a question's "Select whether …") is kept.

    A select's empty option says "Choose" (or "None" when an answer is optional) rather than
    Django's dashes; nothing is chosen for the user.
    """
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            field.iterator = OneQueryChoices
            field.widget.choices = field.choices  # the widget keeps its own iterator
        w = field.widget
        if isinstance(w, DateInput | forms.HiddenInput):
            continue
        choose = isinstance(w, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple)
        if str(field.error_messages.get("required", "")) == _DJANGO_REQUIRED:
            label = in_sentence(field.label or name.replace("_", " "))
            field.error_messages["required"] = f"{'Select' if choose else 'Enter'} the {label}"
        if isinstance(w, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test first
            w.attrs.setdefault("class", "govuk-checkboxes__input")
        elif isinstance(w, forms.RadioSelect):
            w.attrs.setdefault("class", "govuk-radios__input")
            if hasattr(field, "choices"):  # radios need no "---------" option
                field.choices = [c for c in field.choices if c[0] not in ("", None)]
        elif isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "govuk-checkboxes__input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "govuk-select")
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label == "---------":
                    field.empty_label = "Choose" if field.required else "None"
            elif hasattr(field, "choices"):
                empty = "Choose" if field.required else "None"
                field.choices = [(v, empty if t == "---------" else t) for v, t in field.choices]
        elif isinstance(w, forms.Textarea):
            w.attrs.setdefault("class", "govuk-textarea")
            w.attrs.setdefault("rows", 4)
        else:
            w.attrs.setdefault("class", "govuk-input")


class RefuseControlCharacters:
    """A posted value holding NUL or another control character is an error on its field
    ("Remove the unusual characters from notes"), never a server error.

    The form is cleaned and shown again without those characters (they are invisible), so
    saving again after reading the message works.
    """

    def full_clean(self):
        unusual = self._fields_with_control_characters() if self.is_bound else []
        if unusual:
            self.data = _without_control_characters(self.data)
        super().full_clean()
        for name in unusual:
            label = in_sentence(self.fields[name].label or "this answer")
            message = f"Remove the unusual characters from the {label}"
            self._errors[name] = self.error_class([message], renderer=self.renderer)
            self.cleaned_data.pop(name, None)

    def _fields_with_control_characters(self) -> list[str]:
        unusual = []
        for name, field in self.fields.items():
            value = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            values = value if isinstance(value, list | tuple) else [value]
            if any(isinstance(v, str) and has_control_characters(v) for v in values):
                unusual.append(name)
        return unusual


def _without_control_characters(data):
    if hasattr(data, "lists"):  # a QueryDict: keep every value of every key
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [without_control_characters(v) for v in values])
        return copy
    return {k: without_control_characters(v) if isinstance(v, str) else v for k, v in data.items()}


class GovukForm(RefuseControlCharacters, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        govuk_widget_classes(self)


# Optimistic locking ------------------------------------------------------------------------

REVISION_FIELD = "revision"
_STALE = "This page is out of date: open the record again and re-enter your changes"


def add_revision_field(form: forms.BaseForm, revision: int) -> None:
    """Carry the revision of the record the user opened through their post, as a hidden field."""
    form.fields[REVISION_FIELD] = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        initial=revision,
        # Not required: a post without it (a script) is checked against the revision loaded
        # when the request began, which still catches a save made while it was handled.
        required=False,
        error_messages={"invalid": _STALE, "min_value": _STALE},
    )


class VersionedForm(GovukForm):
    """A form about one `Versioned` record that is not a model form (a plan section, a meeting's
    attendance): give it `revision=` the record's revision (0 for a record not yet written), and
    pass `form.revision` to the service that saves it."""

    def __init__(self, *args, revision: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        add_revision_field(self, revision)

    @property
    def revision(self) -> int | None:
        return self.cleaned_data.get(REVISION_FIELD)


class GovukModelForm(RefuseControlCharacters, forms.ModelForm):
    """A model form in the GOV.UK style. For a `Versioned` model it carries the revision the
    record was opened on and sets it on the instance, so the service's `versioning.claim()`
    refuses the save if someone else saved the record in between."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if type(field) is forms.DateField:  # model dates get the GOV.UK date input
                self.fields[name] = DateField(
                    required=field.required, label=field.label, help_text=field.help_text
                )
        govuk_widget_classes(self)
        if isinstance(self.instance, Versioned):
            add_revision_field(self, 0 if self.instance._state.adding else self.instance.revision)

    def _post_clean(self):
        super()._post_clean()
        if self.cleaned_data.get(REVISION_FIELD) is not None and not self.instance._state.adding:
            self.instance.revision = self.cleaned_data[REVISION_FIELD]


def reopen_after_conflict(posted: forms.BaseForm, conflict: EditConflict, fresh: forms.BaseForm):
    """The form to show when someone else saved the record first.

    `fresh` is an unbound form on the record as it is now (so on its current revision); it gets
    the conflict message for the error summary, and `unsaved`: the answers the user had posted
    that differ from what is saved now, as (label, text), so their change is neither applied nor
    silently lost.
    """
    fresh.cleaned_data = {}  # an unbound form takes an error only once it has been "cleaned"
    fresh.add_error(None, conflict)
    answers = getattr(posted, "cleaned_data", {})
    fresh.unsaved = [
        (str(posted.fields[name].label), _as_text(posted.fields[name], answers[name]))
        for name in posted.changed_data
        if name != REVISION_FIELD and name in answers
    ]
    return fresh


def _as_text(field: forms.Field, value) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None or value == "" or (isinstance(value, list | tuple) and not value):
        return "Not given"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, models.QuerySet | list | tuple):
        return ", ".join(str(v) for v in value) or "None"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return str(dict(field.choices).get(value, value))
    return str(value)
