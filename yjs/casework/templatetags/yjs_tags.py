from django import forms, template

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
def error_class(bound_field):
    """Render the widget, adding the GOV.UK error modifier and hint/error references."""
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
