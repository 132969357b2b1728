"""The account's API tokens page, and the API's documentation for a signed-in user."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yjs.casework.views import _apply

from . import forms, problems, services
from .v1 import api


def _require(request):
    if not request.user.has_perm("api.use_api"):
        raise PermissionDenied


def tokens(request):
    """Make a token (shown once: only its hash is kept) or see and revoke one's own."""
    _require(request)
    form = forms.NewTokenForm(request.POST if request.method == "POST" else None)
    new_token = ""
    if request.method == "POST" and form.is_valid():
        made = _apply(
            form,
            lambda: services.create_token(
                request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            ),
        )
        if made:
            record, new_token = made
            form = forms.NewTokenForm()
    return render(
        request,
        "api/tokens.html",
        {"form": form, "new_token": new_token, "tokens": services.tokens_of(request.user)},
    )


@require_POST
def revoke(request, pk):
    _require(request)
    token = get_object_or_404(services.tokens_of(request.user), pk=pk)
    if services.revoke_token(request.user, token):
        messages.success(request, f"Token '{token.name}' revoked: it no longer works")
    return redirect("apiaccount:tokens")


def docs(request):
    """The API's reference (Swagger UI served from this site's static files, no CDN)."""
    _require(request)
    return api.docs.render_page(request, api)


def no_such_endpoint(request):
    return problems.problem(404, "No such endpoint: see /api/docs")
