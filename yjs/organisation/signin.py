"""Sign-in hardening glue for django-axes: which address a request came from, the lockout page,
and the backend that refuses a locked-out username before its password is checked."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


class AxesBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for sign-ins that come with a request.

    Every sign-in form (ours and the admin's) passes the request. Only code that calls
    ``authenticate()`` directly (the test client, a shell) has none; there is no address to
    throttle then, so the password is checked by the next backend as usual.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str | None:
    """The address to throttle: the peer, or behind a trusted proxy the address that proxy saw
    (the last X-Forwarded-For entry: those before it are whatever the client sent)."""
    if settings.TRUST_PROXY_HEADERS:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """What a locked-out person sees: what happened and when to try again, and nothing that
    says whether the username exists (unknown usernames are locked out the same way)."""
    cool_off = get_cool_off(request)
    return render(
        request,
        "organisation/locked_out.html",
        {
            "try_again_at": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
            "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        },
        status=429,
    )
