"""Form pieces shared by every app: the GOV.UK date input and GOV.UK-styled widgets."""

from __future__ import annotations

import datetime

from django import forms

from yjs.middleware import has_control_characters, without_control_characters


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

    def id_for_label(self, id_):
        # The error summary links to the day box, as the GOV.UK pattern asks.
        return f"{id_}_0" if id_ else id_

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateField(forms.MultiValueField):
    """A date from three boxes, with the GOV.UK error messages for missing or impossible dates."""

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

    def compress(self, data_list):
        if not data_list or not any(data_list):
            if self.required:
                raise forms.ValidationError(f"Enter the {self.label.lower()}")
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        label = (self.label or "date").lower()
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise forms.ValidationError(f"The {label} must include a {' and '.join(missing)}")
        try:
            value = datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(f"The {label} must be a real date") from None
        if value.year < 1900:
            raise forms.ValidationError(f"The {label} must include a 4-digit year")
        return value

    def clean(self, value):
        # MultiValueField checks each sub-field first; our compress() gives better messages.
        if not value or not any(value):
            if self.required:
                raise forms.ValidationError(f"Enter the {(self.label or 'date').lower()}")
            return None
        return self.compress(value)


def govuk_widget_classes(form: forms.Form) -> None:
    """Give each widget its GOV.UK class and each required field a GOV.UK error message
    ("Enter …" / "Select …", not "This field is required"), so templates render one way."""
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, DateInput):
            continue
        label = str(field.label or "an answer").lower()
        choose = isinstance(w, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple)
        field.error_messages["required"] = f"{'Select' if choose else 'Enter'} {label}"
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
            label = str(self.fields[name].label or name.replace("_", " ")).lower()
            message = f"Remove the unusual characters from {label}"
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


class GovukModelForm(RefuseControlCharacters, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if type(field) is forms.DateField:  # model dates get the GOV.UK date input
                self.fields[name] = DateField(
                    required=field.required, label=field.label, help_text=field.help_text
                )
        govuk_widget_classes(self)
