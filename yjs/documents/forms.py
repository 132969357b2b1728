"""Forms of the documents pages, in the GOV.UK style (`yjs.forms`). The checks of a file are the
service's (`files.check_upload`); the form only refuses a file too big to be worth reading."""

from __future__ import annotations

from django import forms

from yjs.casework.forms import RecordForm
from yjs.forms import DateField, GovukForm
from yjs.governance.forms import TemplateForm

from . import files, letters
from .models import Attachment


class UploadForm(GovukForm):
    file = forms.FileField(
        label="File",
        help_text="A PDF, a Word document (.docx), or a PNG or JPEG image",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    kind = forms.ChoiceField(
        label="Kind of document",
        choices=Attachment.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of document"},
    )
    document_date = DateField(label="Date of the document", help_text="For example, 27 3 2025")
    description = forms.CharField(
        label="Description",
        max_length=300,
        help_text="What the document is, in a few words",
        error_messages={"max_length": "Description must be 300 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text += f", smaller than {files.size_text(files.max_bytes())}"
        self.fields["file"].widget.attrs["class"] = "govuk-file-upload"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > files.max_bytes():
            raise forms.ValidationError(
                f"The selected file must be smaller than {files.size_text(files.max_bytes())} "
                f"(it is {files.size_text(upload.size)})"
            )
        return upload


class AttachmentChangeForm(RecordForm):
    """Changing a document's details; the file itself is never replaced (upload a new one)."""

    class Meta:
        model = Attachment
        fields = ["kind", "document_date", "description"]


class LetterForm(GovukForm):
    """Which record the letter is written from and, unless the kind fixes it, to whom."""

    record = forms.ChoiceField(label="", widget=forms.RadioSelect)
    recipient = forms.ChoiceField(
        label="Who is the letter to?",
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the letter is to"},
    )
    address = forms.CharField(
        label="Address (optional)",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="If the address is not shown above: one line of the address on each line",
    )

    def __init__(self, *args, kind: letters.LetterKind, records: list, people: list, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import record_key

        self.kind = kind
        self.records = {record_key(r): r for r in records}
        self.people = people
        field = self.fields["record"]
        field.label = f"Which record is the {kind.label.lower()} about?"
        field.error_messages["required"] = "Select the record the letter is about"
        field.choices = [(k, _describe(r)) for k, r in self.records.items()]
        if kind.recipients is not None:  # the record names the recipient (victim, court)
            del self.fields["recipient"]
        else:
            self.fields["recipient"].choices = [
                (str(i), f"{p['name']} ({p['relationship'].lower()})")
                for i, p in enumerate(people)
                if p["may_contact"]
            ]

    def clean_address(self):
        lines = [line.strip() for line in self.cleaned_data["address"].splitlines()]
        return [line for line in lines if line][:8]

    def chosen_record(self):
        return self.records[self.cleaned_data["record"]]

    def chosen_recipient(self) -> dict | None:
        if "recipient" not in self.fields:
            return None
        return dict(self.people[int(self.cleaned_data["recipient"])])


def _describe(record) -> str:
    text = str(record)
    if hasattr(record, "panel_date") and "panel" not in text.lower():
        text = f"{record.get_panel_type_display()} ({record.panel_date:%-d %b %Y})"
    return text


class LetterTemplateForm(TemplateForm):
    """A letter's Word template: refused before it is read on the same rules as the plan's."""
