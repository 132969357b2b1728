"""`reverse()` for URLs of ids, worked out once per process per URL name.

Django's `reverse()` searches the URL patterns, checks the arguments against each candidate's
regular expression and quotes the result: ~40 µs a call, and the child's record page makes
about a hundred (its links, its timeline's entries, the other apps' sections). `reverse` here
reverses a URL name once with stand-in ids, keeps the URL as pieces around the ids, and then
only fills in the ids: the same text `django.urls.reverse` gives.

A URL without ids (no arguments, or only text) is kept as it is: reverse() gives the same for
the same arguments while the URL patterns stay (they change only when a test sets another
ROOT_URLCONF, which empties what was kept). Ids are filled in only where that is certain:
positional arguments, every id a non-negative `int` in the place of an `<int:…>` converter of
a `path()` route (which takes every such int and writes it as `str(id)`), other arguments
text, taken as they are into the key (a record kind's slug: the URL is worked out for that
text). The pieces are checked against `reverse()` for
two sets of stand-ins of different lengths and for small ids, and the route the URL resolves
to must be the name's own. Anything else is passed to Django's `reverse()`.
"""

from __future__ import annotations

import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, get_urlconf, resolve
from django.urls import reverse as django_reverse

_NOT_FAST = object()  # a key whose URLs Django's reverse() gives
_MAX_KEYS = 4096
_keys: dict[tuple, tuple[str, ...] | object] = {}
_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_MARKS = set("^$()[]\\?*+{}|")


def reverse(viewname, urlconf=None, args=None, kwargs=None, current_app=None) -> str:
    """What `django.urls.reverse` returns, for the same arguments."""
    if urlconf is None and not kwargs and isinstance(viewname, str):
        shape = []
        for arg in args or ():
            if type(arg) is int and arg >= 0:
                shape.append(int)
            elif type(arg) is str:
                shape.append(arg)
            else:
                break
        else:
            key = (viewname, current_app, get_script_prefix(), get_urlconf(), tuple(shape))
            pieces = _keys.get(key)
            if pieces is None:
                if len(_keys) >= _MAX_KEYS:
                    _keys.clear()
                pieces = _keys[key] = _pieces(viewname, current_app, shape)
            if pieces is not _NOT_FAST:
                return _fill(pieces, _ids(args or ()))
    return django_reverse(viewname, urlconf, args, kwargs, current_app)


@receiver(setting_changed)
def _forget(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # tests that serve other URLs
        _keys.clear()


def _fill(pieces: tuple[str, ...], ids) -> str:
    parts = [pieces[0]]
    for value, piece in zip(ids, pieces[1:], strict=True):
        parts.append(str(value))
        parts.append(piece)
    return "".join(parts)


def _ids(args) -> list[int]:
    return [arg for arg in args if type(arg) is int]


def _stand_ins(shape: list, first: int) -> list:
    """The arguments with each id replaced by its own stand-in (`first`, `first + 1`, ...)."""
    n = iter(range(first, first + len(shape)))
    return [next(n) if s is int else s for s in shape]


def _pieces(viewname: str, current_app, shape: list):
    """The URL for `shape` as the text around its ids, or _NOT_FAST when that is not certain."""
    if int not in shape:  # no id: the URL of these arguments, as it is
        try:
            return (django_reverse(viewname, args=shape, current_app=current_app),)
        except NoReverseMatch:
            return _NOT_FAST
    try:
        a = django_reverse(viewname, args=_stand_ins(shape, 7_193_000_001), current_app=current_app)
        b = django_reverse(viewname, args=_stand_ins(shape, 640_001), current_app=current_app)
    except Exception:  # noqa: BLE001 - whatever reverse() makes of it, it makes each time
        return _NOT_FAST
    pieces = _split(a, _ids(_stand_ins(shape, 7_193_000_001)))
    if pieces is None or pieces != _split(b, _ids(_stand_ins(shape, 640_001))):
        return _NOT_FAST
    if not _route_takes_every_id(a, viewname, shape):
        return _NOT_FAST
    for first in (0, 1, 10):  # short ids as well
        args = _stand_ins(shape, first)
        expected = django_reverse(viewname, args=args, current_app=current_app)
        if _fill(pieces, _ids(args)) != expected:
            return _NOT_FAST
    return pieces


def _split(url: str, ids: list[int]) -> tuple[str, ...] | None:
    """`url` cut around each id, in order; None unless each shows exactly once."""
    pieces, rest = [], url
    for value in ids:
        text = str(value)
        if url.count(text) != 1 or rest.count(text) != 1:
            return None
        before, rest = rest.split(text)
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


def _route_takes_every_id(url: str, viewname: str, shape: list) -> bool:
    """The URL resolves to `viewname`'s own `path()` route, whose parameter in each id's place
    is an `<int:…>` converter (every non-negative int, written as `str(id)`)."""
    prefix = get_script_prefix()
    if not url.startswith(prefix):
        return False
    try:
        match = resolve("/" + url[len(prefix) :])
    except Resolver404:
        return False
    if match.view_name != viewname or match.args or _REGEX_MARKS & set(match.route):
        return False
    parameters = _ROUTE_PARAMETER.findall(match.route)
    if len(parameters) != len(shape):
        return False
    converters = [converter for converter, _ in parameters]
    return all(s is not int or c == "int" for c, s in zip(converters, shape, strict=True))
