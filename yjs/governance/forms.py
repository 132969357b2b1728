"""Governance forms, in the GOV.UK style the shared form helpers give."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from yjs import codes
from yjs.forms import GovukForm, GovukModelForm, VersionedForm

from . import models as m
from .documents import MAX_TEMPLATE_BYTES


def _the(label: str) -> str:
    """ "Lead owner(s)" -> "the lead owner(s)"; acronyms ("RAG", "FTE posts") keep their case."""
    label = str(label)
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return f"the {label}"


class RecordForm(GovukModelForm):
    """A governance record, with GOV.UK error messages instead of Django's and the database's.

    The database's constraints stay the last line of defence; the form says in words what is
    wrong, on the field concerned, before they are reached.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.widget.is_hidden:  # the record's version (optimistic locking)
                continue
            choose = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
            field.error_messages["required"] = (
                f"Select {_the(field.label)}" if choose else f"Enter {_the(field.label)}"
            )
            if isinstance(field, forms.ChoiceField) and not field.required:
                field.choices = [("", "None") if v == "" else (v, t) for v, t in field.choices]
            bounds = _bounds(self._meta.model, name)
            if bounds:
                lo, hi = bounds
                field.validators = [_between(field.label, lo, hi)]
                field.widget.attrs.update({"inputmode": "numeric"})
                field.widget.attrs["class"] += " govuk-input--width-2"
                field.widget.input_type = "text"

    def clean(self):
        data = super().clean()
        model = self._meta.model
        if model is m.Action and not data.get("due_date") and not data.get("recurrence"):
            if "due_date" not in self.errors:
                self.add_error(
                    "due_date",
                    "Enter a date or say how often it will happen (by when, recurring)",
                )
        self._check_unique(data)
        return data

    def _check_unique(self, data):
        """Duplicates are reported on the field, not as a database error after saving."""
        model = self._meta.model
        for constraint in model._meta.constraints:
            if not isinstance(constraint, models.UniqueConstraint) or not constraint.fields:
                continue
            lookup = {}
            for f in constraint.fields:
                value = data.get(f) if f in self.fields else getattr(self.instance, f"{f}_id", None)
                if f not in self.fields and value is None:
                    value = getattr(self.instance, f, None)
                if value in (None, ""):
                    break
                lookup[f] = value
            else:
                others = model.objects.filter(**lookup).exclude(pk=self.instance.pk)
                if others.exists():
                    shown = [f for f in constraint.fields if f in self.fields]
                    if shown and shown[-1] not in self.errors:
                        words = " and ".join(str(self.fields[f].label).lower() for f in shown)
                        self.add_error(
                            shown[-1],
                            f"There is already a record with this {words}: "
                            "change it or the existing one",
                        )


def _bounds(model, name):
    try:
        field = model._meta.get_field(name)
    except Exception:
        return None
    lo = next((v.limit_value for v in field.validators if isinstance(v, MinValueValidator)), None)
    hi = next((v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)), None)
    if lo is None or hi is None or not isinstance(field, models.IntegerField):
        return None
    return lo, hi


def _between(label, lo, hi):
    def check(value):
        if value is not None and not lo <= value <= hi:
            raise forms.ValidationError(f"{label} must be a number from {lo} to {hi}")

    return check


def model_form(model, fields):
    return type(
        f"{model.__name__}Form",
        (RecordForm,),
        {"Meta": type("Meta", (), {"model": model, "fields": fields})},
    )


# kind -> (model, scope, fields, title). Scope "service" or "plan".
DATA_KINDS = {
    "budget": (
        m.BudgetLine,
        "service",
        ["year", "agency", "staffing_costs", "payments_in_kind", "other_delegated_funds"],
        "Budget (table B5)",
    ),
    "funding": (
        m.FundingStream,
        "service",
        ["year", "name", "funder", "amount", "end_date", "purpose"],
        "Additional funding streams",
    ),
    "finance": (
        m.FinancePosition,
        "service",
        ["quarter", "budget", "spend_to_date", "forecast_outturn", "commentary"],
        "Quarterly budget position",
    ),
    "staffing": (
        m.StaffRecord,
        "service",
        [
            "role_category",
            "sex",
            "ethnicity_group",
            "fte_posts",
            "job_title",
            "welsh_speaker",
            "seconded_from",
            "started_on",
            "left_on",
        ],
        "Staff (table B8)",
    ),
    "members": (
        m.BoardMember,
        "service",
        [
            "name",
            "position",
            "organisation",
            "sector",
            "board_role",
            "named_deputy",
            "joined_on",
            "left_on",
        ],
        "Board members",
    ),
    "meetings": (
        m.BoardMeeting,
        "service",
        ["meeting_date", "minutes_published_on", "notes"],
        "Board meetings",
    ),
    "actions": (
        m.Action,
        "plan",
        [
            "ref",
            "outcome",
            "action",
            "impact",
            "lead_owners",
            "due_date",
            "recurrence",
            "measure",
            "progress",
            "rag",
            "source",
            "source_detail",
            "priority_area",
        ],
        "Service development and action plan",
    ),
    "risks": (
        m.Risk,
        "plan",
        ["kind", "description", "likelihood", "impact", "mitigations", "owner", "review_date"],
        "Challenges, risks and issues",
    ),
    "priorities": (m.Priority, "plan", ["area", "title", "narrative", "order"], "Priorities"),
    "bands": (
        m.TargetBand,
        "plan",
        ["kpi", "measure", "rag", "lower", "upper"],
        "Local target bands",
    ),
    "standards": (
        m.StandardsAssessment,
        "plan",
        ["standard", "rating", "assessed_on", "summary"],
        "National Standards",
    ),
}
IMPORTABLE = {"budget", "staffing", "actions", "risks"}


def form_for(kind: str):
    model, _scope, fields, _title = DATA_KINDS[kind]
    return model_form(model, fields)


class PlanForm(GovukModelForm):
    class Meta:
        model = m.Plan
        fields = ["title", "start_year", "years", "service_lead", "board_chair"]


class SectionForm(VersionedForm):
    narrative = forms.CharField(
        label="Text of the section",
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Markdown: a blank line between paragraphs, “- ” for a bullet, **bold**. "
        "[[kpi:fte]] quotes a KPI result; [[appendix:staffing]] names an appendix.",
    )

    def clean_narrative(self):
        """Every cross-reference and KPI quoted must exist, or the document would print the tag."""
        from yjs.performance.engine import KPI_BY_ID

        from .selectors import PLACEHOLDER
        from .structure import PARTS

        text = self.cleaned_data["narrative"]
        for match in PLACEHOLDER.finditer(text):
            kind, arg = match.group(1), match.group(2).strip()
            if kind in ("section", "appendix"):
                keys = [p.key for p in PARTS if p.appendix == (kind == "appendix")]
                if arg not in {p.key for p in PARTS}:
                    raise forms.ValidationError(
                        f"There is no {kind} called “{arg}” in {match.group(0)}: "
                        f"use one of {', '.join(keys)}"
                    )
                continue
            kpi, _, measure = arg.partition("/")
            if kpi not in KPI_BY_ID:
                raise forms.ValidationError(
                    f"There is no KPI called “{kpi}” in {match.group(0)}: "
                    f"use one of {', '.join(KPI_BY_ID)}"
                )
            measures = [x.id for x in KPI_BY_ID[kpi].measures]
            if measure and measure not in measures:
                raise forms.ValidationError(
                    f"KPI {kpi} has no measure called “{measure}”: use one of {', '.join(measures)}"
                )
        return text


class ApprovalForm(GovukModelForm):
    class Meta:
        model = m.ApprovalStep
        fields = ["body", "decided_on", "notes"]


class SignOffForm(GovukModelForm):
    class Meta:
        model = m.PlanVersion
        fields = ["kpi_quarter", "signed_off_by", "signed_off_role", "signed_off_on"]

    def clean_kpi_quarter(self):
        """A quarter the plan can quote: written like 2024-25 Q4, and already ended."""
        from django.utils import timezone

        from yjs.periods import parse_quarter, quarter_problem

        text = self.cleaned_data["kpi_quarter"].strip()
        if not text:
            return ""
        try:
            q = parse_quarter(text)
        except ValueError:
            raise forms.ValidationError("Enter a quarter like 2024-25 Q4") from None
        problem = quarter_problem(q, timezone.localdate())
        if problem:
            raise forms.ValidationError(f"{problem}: choose a quarter that has ended")
        return q.label


class ImportForm(GovukForm):
    file = forms.FileField(
        label="Excel workbook (.xlsx)",
        help_text="The first sheet, with the headings of the template",
    )


class TemplateForm(GovukForm):
    file = forms.FileField(
        label="Word template (.docx)",
        help_text="Start from the default template and keep its tags. Up to 5 MB.",
        error_messages={
            "required": "Select a Word template",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self):
        """Refused before it is read: the wrong kind of file, or too big."""
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError("The selected file must be a Word document (.docx)")
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_TEMPLATE_BYTES // 1024 // 1024} MB"
            )
        return upload


class BoardPackForm(GovukForm):
    quarter = forms.ChoiceField(label="Quarter", choices=())
    format = forms.ChoiceField(
        choices=[("html", "Web page"), ("docx", "Word"), ("pdf", "PDF")],
        widget=forms.RadioSelect,
        initial="html",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import timezone

        from yjs.periods import parse_quarter, quarter_of, quarters_between

        last = quarter_of(timezone.localdate()).previous()
        quarters = reversed(list(quarters_between(parse_quarter("2023-24Q1"), last)))
        self.fields["quarter"].choices = [(q.yjb_label, q.label) for q in quarters]

    def clean_quarter(self):
        from yjs.periods import parse_quarter

        try:
            return parse_quarter(self.cleaned_data["quarter"])
        except ValueError:
            raise forms.ValidationError("Enter a quarter like 2024-25 Q1") from None


class AttendanceForm(VersionedForm):
    """Attendance of each partner sector at one meeting (one row per sector, as KPI 7)."""

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        existing = {a.sector: a for a in meeting.attendance.all()} if meeting else {}
        for code, label in codes.BOARD_SECTORS:
            a = existing.get(code)
            self.fields[f"{code}__attendance"] = forms.ChoiceField(
                label=label,
                choices=codes.ATTENDANCE_LEVELS,
                widget=forms.RadioSelect,
                initial=a.attendance if a else "NONE",
            )
            self.fields[f"{code}__new_partner"] = forms.BooleanField(
                required=False,
                label=f"{label}: a new partner representative",
                initial=a.new_partner if a else False,
            )
            self.fields[f"{code}__disproportionality_data"] = forms.BooleanField(
                required=False,
                label=f"{label}: contributed disproportionality data",
                initial=a.disproportionality_data if a else False,
            )
        from yjs.forms import govuk_widget_classes

        govuk_widget_classes(self)

    def rows(self) -> dict[str, dict]:
        out = {}
        for code, _ in codes.BOARD_SECTORS:
            out[code] = {
                k: self.cleaned_data[f"{code}__{k}"]
                for k in ("attendance", "new_partner", "disproportionality_data")
            }
        return out
