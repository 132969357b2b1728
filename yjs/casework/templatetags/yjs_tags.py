import datetime
import functools
import html

from django import forms, template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from yjs.forms import DateInput

register = template.Library()


@register.filter
def widget_kind(bound_field) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, DateInput):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test first
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def error_target(bound_field) -> str:
    """The id the error summary links to: an element that exists and takes focus – the first
    radio or checkbox of a group, the day box of a date (GOV.UK error summary pattern)."""
    kind = widget_kind(bound_field)
    if kind in ("radios", "checkboxes"):
        first = next(iter(bound_field.subwidgets), None)
        return first.id_for_label if first is not None else bound_field.auto_id
    return bound_field.id_for_label or bound_field.auto_id


@register.filter
def first_field_target(form) -> str:
    """Where an error about the whole form links: its first question."""
    visible = form.visible_fields()
    return error_target(visible[0]) if visible else "main-content"


@register.filter
def error_class(bound_field):
    """Render the widget, adding the GOV.UK error modifier and hint/error references. A date
    input's three boxes keep their widths: it marks them invalid and adds the modifier itself."""
    if isinstance(bound_field.field.widget, DateInput):
        return bound_field.as_widget(attrs={"aria-invalid": "true"} if bound_field.errors else {})
    attrs = {}
    css = bound_field.field.widget.attrs.get("class", "")
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
        base = css.split()[0] if css else "govuk-input"
        attrs["class"] = f"{css} {base}--error"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


# Risk levels as GOV.UK tag colours: the higher the level, the stronger the colour.
LEVEL_TAGS = {"LOW": "green", "MEDIUM": "yellow", "HIGH": "orange", "VERY_HIGH": "red"}
LEVEL_LABELS = {"LOW": "Low", "MEDIUM": "Medium", "HIGH": "High", "VERY_HIGH": "Very high"}


@register.filter
def level_tag(level: str) -> str:
    return f"govuk-tag--{LEVEL_TAGS.get(level or '', 'grey')}"


@register.filter
def level_label(level: str) -> str:
    return LEVEL_LABELS.get(level or "", "Not assessed")


MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def short_date(value) -> str:
    """`date:"j M Y"` ("4 Mar 2024") for a date, written directly: a caseload of 70 children
    formats 200 dates, and Django's formatter looks up the language and format each time.
    Anything but a plain date (a time, nothing) goes to Django's filter."""
    if type(value) is datetime.date:
        return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year}"
    return date_filter(value, "j M Y")


def _text(value) -> str:
    """`conditional_escape`, but anything without its own HTML (plain text, a team, a worker)
    goes straight to `html.escape` (what Django's `escape` calls) without its lazy-string and
    safe-string wrapping: 27 cells a row."""
    if type(value) is str:
        return html.escape(value)
    if hasattr(value, "__html__"):
        return str(conditional_escape(value))
    return html.escape(str(value))


@functools.cache
def _choices(field) -> dict:
    return dict(field.flatchoices)


def _display(record, name: str) -> str:
    """`record.get_<name>_display()` for a text field: its choice's label, else the value."""
    value = getattr(record, name)
    return str(_choices(record._meta.get_field(name)).get(value, value))


_CHILD_URL = "yjs_tags.child_url"
_AN_ID = 918273645546372819  # stands for a child's id in the child page's address


@register.simple_tag(takes_context=True)
def caseload_cells(context, child) -> str:
    """The cells of one caseload row (`_children_table.html`), written in Python: a team's
    caseload is 70 rows of six cells, and through the template language they were a third of
    the page's time. The markup is the template's, byte for byte (tests/casework). The child's
    address is worked out once a table (`reverse` for every row was a tenth of the page)."""
    url = context.render_context.get(_CHILD_URL)
    if url is None:
        url = context.render_context[_CHILD_URL] = reverse("casework:child", args=[_AN_ID])
    if child.next_due:
        due = f'<span class="yjs-nowrap">{_text(short_date(child.next_due.date))}</span>'
        if child.next_due_overdue:
            due += ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'
        due += f'<br><span class="govuk-body-s">{_text(child.next_due.what)}</span>'
    else:
        due = "Nothing due"
    if child.rosh:
        risk = (
            f'<span class="govuk-body-s">ROSH</span> <strong class="govuk-tag '
            f'{_text(level_tag(child.rosh))}">{_text(level_label(child.rosh))}</strong><br>'
            f'<span class="govuk-body-s">Reoffending</span> <strong class="govuk-tag '
            f'{_text(level_tag(child.likelihood))}">{_text(level_label(child.likelihood))}</strong>'
        )
    else:
        risk = "Not assessed"
    tags = "".join(
        '<strong class="govuk-tag '
        + ("govuk-tag--blue" if i in child.open_orders else "govuk-tag--grey")
        + f'">{_text(_display(i, "kind"))}</strong> '
        for i in child.open_interventions
    )
    cell = '\n      <td class="govuk-table__cell'
    url = url.replace(str(_AN_ID), str(child.pk))  # child.get_absolute_url()
    return mark_safe(  # every value above is escaped
        f'{cell}" data-label="Child"><a class="govuk-link" href="{_text(url)}">'
        f'{_text(child.display_name)}</a><br><span class="govuk-body-s">{_text(child.reference)}'
        f" · born {_text(short_date(child.date_of_birth))}</span></td>"
        f'{cell}" data-label="Team and worker">{_text(child.team)}<br>'
        f"{_text(child.allocated_worker or 'Not allocated')}</td>"
        f'{cell}" data-label="Next due">{due}</td>'
        f'{cell} yjs-nowrap" data-label="Last contact">'
        f"{_text(short_date(child.last_contact) or 'None recorded')}</td>"
        f'{cell}" data-label="Risk">{risk}</td>'
        f'{cell}" data-label="Open order and interventions">{tags or "None"}</td>\n    '
    )
