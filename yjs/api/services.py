"""API tokens: made (shown once), revoked, checked; and the per-token rate limit."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yjs.audit import services as audit

from .models import ApiToken

PREFIX = "yjs_"
MAX_TOKEN_LENGTH = 200


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_problems(name: str, days: int | None) -> dict[str, str]:
    problems = {}
    if not (name or "").strip():
        problems["name"] = "Enter a name for the token, such as the program that will use it"
    limit = settings.YJS_API_TOKEN_MAX_DAYS
    if days is None or not 1 <= days <= limit:
        problems["days"] = f"The token must expire in between 1 and {limit} days"
    return problems


@transaction.atomic
def create_token(actor, *, name: str, days: int) -> tuple[ApiToken, str]:
    """A new token for the actor; returns the record and the token, which is never stored."""
    if problems := token_problems(name, days):
        raise ValidationError(problems)
    token = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=actor,
        name=name.strip()[:80],
        token_hash=_hash(token),
        prefix=token[: len(PREFIX) + 4],
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit.record(actor, "CREATE", record, description=f"API token made: {record.name}")
    return record, token


@transaction.atomic
def revoke_token(actor, token: ApiToken) -> bool:
    """Revoke one of the actor's own tokens; False if it was revoked already."""
    if token.user_id != actor.pk:
        raise ValidationError("This is not your token")
    done = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if done:
        audit.record(actor, "DELETE", token, description=f"API token revoked: {token.name}")
    return bool(done)


def tokens_of(user):
    return ApiToken.objects.filter(user=user)


def token_user(token: str) -> tuple[ApiToken, object] | None:
    """The token record and its user, or None: unknown, revoked, expired, or an inactive user.
    Its last use is kept (to the minute, so not every request writes the row)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    record = (
        ApiToken.objects.select_related("user", "user__service", "user__team")
        .filter(token_hash=_hash(token), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if record is None or record.expires_at <= now or not record.user.is_active:
        return None
    if record.last_used_at is None or now - record.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record, record.user


def rate_limited(record: ApiToken, now: datetime.datetime | None = None) -> int:
    """Count one request in the token's fixed window; seconds to wait if over the limit, else
    0. One conditional UPDATE per request, so concurrent workers never lose a count."""
    limit = settings.YJS_API_RATE_LIMIT
    window = settings.YJS_API_RATE_WINDOW_SECONDS
    now = now or timezone.now()
    start = now - datetime.timedelta(
        seconds=int(now.timestamp()) % window, microseconds=now.microsecond
    )
    counted = ApiToken.objects.filter(pk=record.pk, window_start=start).update(
        window_count=F("window_count") + 1
    )
    if not counted:
        ApiToken.objects.filter(pk=record.pk).exclude(window_start=start).update(
            window_start=start, window_count=1
        )
    count = ApiToken.objects.filter(pk=record.pk).values_list("window_count", flat=True).first()
    if count is not None and count > limit:
        return max(1, int((start + datetime.timedelta(seconds=window) - now).total_seconds()))
    return 0
