"""The template tags and filters every template has (a builtin library: settings.TEMPLATES):
Django's own `{% url %}` and `|date`, written to give the same text for less work. A child's
record page has about a hundred links and fifty dates."""

from __future__ import annotations

import datetime

from django import template
from django.template import defaultfilters, defaulttags
from django.urls import NoReverseMatch
from django.utils import formats
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from yjs.reversing import reverse

register = template.Library()


class _URLNode(defaulttags.URLNode):
    """Django's `URLNode.render`, through `yjs.reversing.reverse`."""

    def render(self, context):
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = defaulttags.url(parser, token)
    node.__class__ = _URLNode
    return node


# Dates: a format of day, month and year only, for a plain date, written directly; the month
# names are Django's own for the active language (asked once per language). Anything else
# (a datetime, a time, another format character, nothing) goes to Django's filter.
_PARTS = {
    "j": lambda d, names: str(d.day),
    "d": lambda d, names: f"{d.day:02d}",
    "m": lambda d, names: f"{d.month:02d}",
    "M": lambda d, names: names[0][d.month - 1],
    "F": lambda d, names: names[1][d.month - 1],
    "Y": lambda d, names: f"{d.year:04d}",
}
_LITERAL = set(" -,/")
_formats: dict[str, list | None] = {}
_month_names: dict[str | None, tuple] = {}


def _parts(arg) -> list | None:
    """The format as a list of parts (a function or literal text), None if not only these."""
    if arg not in _formats:
        parts = None
        if isinstance(arg, str) and arg and set(arg) <= _PARTS.keys() | _LITERAL:
            parts = [_PARTS.get(c, c) for c in arg]
        if len(_formats) < 256:
            _formats[arg] = parts
        return parts
    return _formats[arg]


def _names(language: str | None) -> tuple:
    names = _month_names.get(language)
    if names is None:
        months = [datetime.date(2000, m, 1) for m in range(1, 13)]
        names = _month_names[language] = (
            [formats.date_format(d, "M") for d in months],
            [formats.date_format(d, "F") for d in months],
        )
    return names


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if type(value) is datetime.date:
        parts = _parts(arg)
        if parts is not None:
            names = _names(get_language())
            return "".join(p if type(p) is str else p(value, names) for p in parts)
    return defaultfilters.date(value, arg)
