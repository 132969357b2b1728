"""How an API request says who it is: a per-user token (Bearer), and its rate limit."""

from __future__ import annotations

import threading

from django.db import transaction
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from . import services


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`. The request then acts as the token's user: the same
    permission rules and output scope as that user's pages. A session is not accepted here
    (a page's cookie must not open the API from another site)."""

    def authenticate(self, request, token):
        found = services.token_user(token)
        if found is None:
            return None
        record, user = found
        request.user = user
        request.api_token = record
        return user


class TokenRateThrottle(BaseThrottle):
    """A fixed window per token (settings.YJS_API_RATE_LIMIT requests in
    YJS_API_RATE_WINDOW_SECONDS), counted in the database: every worker sees one count."""

    def __init__(self):
        self._local = threading.local()

    def allow_request(self, request) -> bool:
        record = getattr(request, "api_token", None)
        if record is None:
            return True
        with transaction.atomic():
            wait = services.rate_limited(record)
        self._local.wait = wait
        return not wait

    def wait(self):
        return getattr(self._local, "wait", None) or None
