"""Errors as RFC 9457 problem details (application/problem+json): type, title, status, detail.

Every refusal of the API answers in this one shape, whether it comes from ninja (malformed
JSON, wrong types), the permissions (403), a missing record (404), the services' rules (422)
or the rate limit (429).
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from yjs.versioning import EditConflict

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/docs#problem-"
logger = logging.getLogger(__name__)


def problem(status: int, detail: str, *, kind: str = "", **extra) -> HttpResponse:
    """A problem details response. ``kind`` names a problem type documented in docs/api.md;
    without one the type is "about:blank" and the title the status's own phrase."""
    body = {
        "type": f"{TYPE_BASE}{kind}" if kind else "about:blank",
        "title": _titles.get(kind) or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }
    response = HttpResponse(json.dumps(body, default=str), status=status, content_type=CONTENT_TYPE)
    response["Cache-Control"] = "no-store, private"
    return response


_titles = {
    "invalid-input": "The request's answers are not valid",
    "malformed": "The request could not be read",
    "edit-conflict": "The record was changed by someone else",
    "rate-limited": "Too many requests",
    "unauthenticated": "A valid API token is needed",
}


def _loc(loc) -> str:
    """ninja's error location without its first part ("body", "query", "path")."""
    parts = [str(p) for p in loc]
    if parts[:1] == ["body"]:
        parts = parts[2:] if parts[1:2] == ["payload"] else parts[1:]
    elif len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts)


def validation_error(request, exc: NinjaValidationError) -> HttpResponse:
    errors = [{"field": _loc(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors]
    if any(e.get("type") in ("json_invalid", "model_attributes_type") for e in exc.errors) or any(
        "Cannot parse request body" in str(e.get("msg", "")) for e in exc.errors
    ):
        return problem(400, "The request body is not valid JSON", kind="malformed", errors=errors)
    detail = "; ".join(f"{e['field'] or 'request'}: {e['message']}" for e in errors)
    return problem(422, detail[:500], kind="invalid-input", errors=errors)


def rules_error(request, exc: DjangoValidationError) -> HttpResponse:
    """A services-layer refusal: the same messages the form pages show."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "" if field == "__all__" else field, "message": str(m)}
            for field, messages in exc.message_dict.items()
            for m in messages
        ]
    else:
        errors = [{"field": "", "message": str(m)} for m in exc.messages]
    detail = "; ".join(e["message"] for e in errors)
    return problem(422, detail[:500], kind="invalid-input", errors=errors)


def conflict(request, exc: EditConflict) -> HttpResponse:
    return problem(409, exc.messages[0], kind="edit-conflict")


def not_found(request, exc) -> HttpResponse:
    return problem(404, "Not found: no such record, or none you may see")


def forbidden(request, exc) -> HttpResponse:
    return problem(403, "You may not see or change this with your role")


def http_error(request, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        response = problem(
            401,
            "Send a valid, unexpired API token as 'Authorization: Bearer <token>'",
            kind="unauthenticated",
        )
        response["WWW-Authenticate"] = 'Bearer realm="yjs"'
        return response
    if isinstance(exc, Throttled):
        return problem(
            429, "Too many requests for this token: wait and try again", kind="rate-limited"
        )
    status = exc.status_code if 400 <= exc.status_code < 600 else 400
    kind = "malformed" if status == 400 else ""
    return problem(status, str(getattr(exc, "message", exc)), kind=kind)


def unexpected(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem(500, "Something went wrong on the server; nothing was saved")


def install(api) -> None:
    api.add_exception_handler(NinjaValidationError, validation_error)
    api.add_exception_handler(EditConflict, conflict)
    api.add_exception_handler(DjangoValidationError, rules_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Exception, unexpected)
