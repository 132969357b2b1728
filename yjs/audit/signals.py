"""Sign-in, sign-out and failed sign-in events, from Django's authentication signals."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services as audit

USERNAME_LIMIT = 150


def attempted_username(credentials) -> str:
    """The username tried, whatever shape the credentials come in; never the password."""
    if not isinstance(credentials, dict):
        return ""
    field = get_user_model().USERNAME_FIELD
    value = credentials.get(field, credentials.get("username", ""))
    if not isinstance(value, str):
        return ""
    printable = "".join(ch for ch in value if ch.isprintable())
    return printable[:USERNAME_LIMIT]


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def signed_in(sender, request=None, user=None, **kwargs):
    audit.record(user, "SIGN_IN", user, description="Signed in")


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def signed_out(sender, request=None, user=None, **kwargs):
    if user is not None:
        audit.record(user, "SIGN_OUT", user, description="Signed out")


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender, credentials=None, request=None, **kwargs):
    username = attempted_username(credentials)
    audit.record(None, "SIGN_IN_FAILED", description=f"Failed sign-in as {username!r}")
