"""The sign-in rules every request passes: signed in, second factor, no temporary password,
not idle too long; and no private page kept in a cache."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from yjs.permissions import requires_second_factor

# The diary's calendar feed is fetched by calendar apps, which cannot sign in: its secret
# address is the key (yjs.diary.views.ics_feed answers 404 to an unknown or revoked one).
# A child's one-time feedback link (yjs.voice.views.answer) is opened without an account too.
# The API (/api/v1/) checks its own per-user token on every endpoint (yjs.api.auth) and
# answers 401 problem+json, never a sign-in page; its OpenAPI document holds no data.
OPEN_PATHS = (
    "/sign-in/",
    "/static/",
    "/admin/login/",
    "/healthz",
    "/diary/feed/",
    "/have-your-say/",
    "/api/v1/",
)
SIGN_OUT = "/sign-out/"
SECOND_FACTOR = "/account/two-factor/"
CHANGE_PASSWORD = "/account/password/"
LAST_SEEN = "yjs_last_seen"


def _redirect(request, url: str) -> HttpResponse:
    """A redirect the browser follows as a whole page, even from an HTMX partial request."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(url: str, request) -> str:
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, so a forgotten decorator cannot expose a child's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PATHS):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorMiddleware:
    """A user who needs a second factor reaches nothing but the code page (enrolment the first
    time), sign-out and static files until they have entered a correct code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            requires_second_factor(user)
            and not user.is_verified()
            and not request.path.startswith((SECOND_FACTOR, SIGN_OUT, *OPEN_PATHS))
        ):
            return _redirect(request, _with_next(SECOND_FACTOR, request))
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """After an administrator set a temporary password, the user must choose their own first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.must_change_password
            and not request.path.startswith((CHANGE_PASSWORD, SECOND_FACTOR, SIGN_OUT, *OPEN_PATHS))
        ):
            return _redirect(request, CHANGE_PASSWORD)
        return self.get_response(request)


def _duration(seconds: int) -> str:
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def start_idle_clock(sender, request, user, **kwargs):
    """Connected to user_logged_in (see apps.py): the idle clock starts at sign-in."""
    if hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Sign a user out after SESSION_IDLE_TIMEOUT seconds without a request.

    The time of the last request is kept in the session and rewritten at most every minute
    (or a tenth of the timeout), so a page view does not always write the session table.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            timeout = settings.SESSION_IDLE_TIMEOUT
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.info(
                    request, f"You were signed out after {_duration(timeout)} without activity"
                )
                return _redirect(request, _with_next(reverse(settings.LOGIN_URL), request))
            if last_seen is None or now - last_seen >= min(60, max(1, timeout // 10)):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in user is sent (pages, partials, downloads) may be kept in a browser
    or proxy cache. Static files are served before this runs (WhiteNoise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
        return response
