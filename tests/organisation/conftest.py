"""Signing in through the real pages: password, then (for managers) the TOTP code."""

from __future__ import annotations

import time

from django_otp.oath import TOTP

from tests.conftest import PASSWORD


def sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def current_code(key: bytes, at: float | None = None) -> str:
    """The 6-digit code an authenticator app with this key shows now (or at a given time)."""
    totp = TOTP(key)
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"
