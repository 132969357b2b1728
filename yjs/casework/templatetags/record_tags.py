"""Tags of the child's record page (casework/child.html)."""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

from yjs.template_library import date

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline_items(context, entries) -> str:
    """The journey's entries, written in Python: a record shows tens of them, and through the
    template language each cost a dozen nodes. The markup is what the template's loop wrote,
    byte for byte, every value through what `{{ }}` and its filters do
    (`render_value_in_context`, `date`, `linebreaksbr`)."""

    def value(v) -> str:
        return render_value_in_context(v, context)

    out = []
    for e in entries:
        title = value(e.title)
        if e.url:
            title = f'<a class="govuk-link" href="{value(e.url)}">{title}</a>'
        if e.tag:
            title += (
                f' <strong class="govuk-tag govuk-tag--grey yjs-timeline-tag">{value(e.tag)}'
                "</strong>"
            )
        byline = f'<p class="moj-timeline__byline">by {value(e.byline)}</p>' if e.byline else ""
        day = template_localtime(e.date, context.use_tz)
        lines = "".join(
            '<p class="govuk-body govuk-!-margin-bottom-1">'
            f"{value(linebreaksbr(line, autoescape=context.autoescape))}</p>"
            for line in e.lines
        )
        out.append(
            '\n      <div class="moj-timeline__item">\n'
            '        <div class="moj-timeline__header">\n'
            f'          <h3 class="moj-timeline__title">{title}</h3>\n'
            f"          {byline}\n"
            "        </div>\n"
            f'        <p class="moj-timeline__date"><time datetime="{value(date(day, "Y-m-d"))}">'
            f"{value(date(day, 'j F Y'))}</time></p>\n"
            f'        <div class="moj-timeline__description">{lines}</div>\n'
            "      </div>\n    "
        )
    return mark_safe("".join(out))  # every value above went through render_value_in_context
