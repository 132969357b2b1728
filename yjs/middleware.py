"""Refuse requests carrying control characters before any view or database sees them.

NUL and the other C0 control characters (tab, line feed and carriage return excepted) have no
place in anything a person types; PostgreSQL refuses NUL in text outright, which used to turn
``?q=%00abc`` into a server error. Parameters in the address (any method), parameter names and
uploaded file names are refused here with a 400 page; the values of a posted form are left to the
form (``yjs.forms``), which names the field to correct.
"""

from __future__ import annotations

import re

from django.shortcuts import render

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def has_control_characters(text: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(text))


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


class RefuseControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._refused(request):
            if request.path.startswith("/api/"):
                from yjs.api.problems import problem

                return problem(400, "The request holds control characters (such as NUL)")
            return render(request, "400.html", status=400)
        return self.get_response(request)

    @staticmethod
    def _refused(request) -> bool:
        texts = [*request.GET.keys(), *(v for vs in request.GET.lists() for v in vs[1])]
        if request.method == "POST" and request.content_type in (
            "multipart/form-data",
            "application/x-www-form-urlencoded",
        ):
            texts += [*request.POST.keys(), *request.FILES.keys()]
            texts += [f.name or "" for _, files in request.FILES.lists() for f in files]
        return any(has_control_characters(t) for t in texts)
