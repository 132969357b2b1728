"""The builtin `{% url %}` and `|date` (yjs.template_library) and `yjs.reversing.reverse` give
what Django's own give, for every URL of the project and every date of a few years."""

import datetime

import pytest
from django.template import Context, Template, defaultfilters
from django.test import override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, path
from django.urls import reverse as django_reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from yjs import reversing
from yjs.template_library import _parts, date

IDS = (0, 1, 7, 9, 10, 99, 100, 12345, 7_193_000_001, 10**15)
ODD = (-1, True, 3.0, None, "12", "kind-x", "a b/ç")


def _named_patterns(patterns, namespace=""):
    """(name, number of route parameters, their converters' names) of every named URL."""
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            converters = getattr(p.pattern, "converters", {})
            yield f"{namespace}{p.name}", p.pattern.regex.groups, converters


def _both(name, args, current_app=None):
    """What Django's reverse and ours give (the text, or the exception's type)."""
    found = []
    for fn in (django_reverse, reversing.reverse):
        try:
            found.append(fn(name, args=args, current_app=current_app))
        except NoReverseMatch as e:
            found.append(type(e))
    return found


def test_every_url_of_the_project_reverses_as_django_does():
    checked = 0
    for name, groups, _ in _named_patterns(get_resolver().url_patterns):
        for n in range(groups + 2):  # the right number of arguments, and others
            for value in (*IDS, *ODD):
                for current_app in (None, "casework"):
                    mine = _both(name, [value] * n, current_app)
                    assert mine[0] == mine[1], (name, n, value)
                    mine = _both(name, [*([1] * (n - 1)), value][:n], current_app)
                    assert mine[0] == mine[1], (name, n, value)
                    checked += 1
    assert checked > 5000


def test_no_arguments_at_all():
    for _ in range(2):  # worked out, then kept
        assert reversing.reverse("casework:caseload") == django_reverse("casework:caseload")
        assert reversing.reverse("casework:caseload", args=None) == django_reverse(
            "casework:caseload"
        )
    with pytest.raises(NoReverseMatch):
        reversing.reverse("casework:child")


def test_ids_are_filled_in_only_where_a_route_takes_every_int():
    assert reversing.reverse("casework:child", args=[42]) == "/children/42/"
    assert reversing._keys[("casework:child", None, "/", None, (int,))] == ("/children/", "/")
    shapes = {k[4]: v for k, v in reversing._keys.items() if k[0] == "casework:child"}
    assert shapes[(int,)] == ("/children/", "/")
    for name, _, converters in _named_patterns(get_resolver().url_patterns):
        if converters and all(type(c).__name__ == "IntConverter" for c in converters.values()):
            args = [5] * len(converters)
            assert reversing.reverse(name, args=args) == django_reverse(name, args=args)
            key = next(k for k in reversing._keys if k[0] == name and k[4] == (int,) * len(args))
            assert reversing._keys[key] is not reversing._NOT_FAST, name


def test_another_urlconf_is_not_served_from_what_was_kept():
    assert reversing.reverse("casework:child", args=[3]) == "/children/3/"
    with override_settings(ROOT_URLCONF="tests.test_template_library"):
        with pytest.raises(NoReverseMatch):
            reversing.reverse("casework:child", args=[3])
        assert reversing.reverse("only", args=[3]) == "/only/3/"
    assert reversing.reverse("casework:child", args=[3]) == "/children/3/"


def test_the_url_tag_writes_what_djangos_writes():
    template = Template(
        "{% url 'casework:child' pk %}|{% url 'casework:caseload' %}|"
        "{% url 'casework:record' pk 'assessment' 7 %}|{% url name pk as u %}[{{ u }}]"
    )
    text = template.render(Context({"pk": 12, "name": "casework:allocate"}))
    assert text == (
        f"{django_reverse('casework:child', args=[12])}|{django_reverse('casework:caseload')}|"
        f"{django_reverse('casework:record', args=[12, 'assessment', 7])}|"
        f"[{django_reverse('casework:allocate', args=[12])}]"
    )
    with pytest.raises(NoReverseMatch):
        Template("{% url 'casework:child' -1 %}").render(Context({}))


FORMATS = ("j M Y", "j F Y", "Y-m-d", "M Y", "d/m/Y", "D j M Y", "", None, "DATE_FORMAT", "N j")


@pytest.mark.parametrize("language", ["en-gb", "fr", "de"])
def test_dates_are_written_as_djangos_date_filter_writes_them(language):
    days = [datetime.date(2023, 1, 1) + datetime.timedelta(d) for d in range(0, 800, 3)]
    days += [datetime.date(1, 1, 1), datetime.date(999, 12, 31), datetime.date(9999, 9, 9)]
    odd = [datetime.datetime(2024, 3, 4, 5, 6), None, "", "2024-03-04", datetime.time(4, 5)]
    with translation.override(language):
        for fmt in (*FORMATS, mark_safe("j M Y")):  # a template's literal is a SafeString
            for value in (*days, *odd):
                assert date(value, fmt) == defaultfilters.date(value, fmt), (value, fmt)


def test_a_templates_day_month_and_year_formats_take_the_short_way():
    assert _parts(mark_safe("j M Y")) is not None and _parts("j F Y") is not None
    assert _parts("D j M Y") is None and _parts(None) is None


# A URLconf of its own, for test_another_urlconf_is_not_served_from_what_was_kept.
def _view(request, pk):
    return None


urlpatterns = [path("only/<int:pk>/", _view, name="only")]
