"""Signing in, failing to and signing out each write an event; a password never does."""

from __future__ import annotations

import pytest
from django.contrib.auth.signals import user_login_failed

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent


def _events(action):
    return list(
        AuditEvent.objects.filter(action=action)
        .order_by("id")
        .values_list("actor_username", "description")
    )


def test_alice_signs_in_and_out(client, people):
    client.post("/sign-in/", {"username": "alice", "password": PASSWORD})
    client.post("/sign-out/")
    assert _events("SIGN_IN") == [("alice", "Signed in")]
    assert _events("SIGN_OUT") == [("alice", "Signed out")]


def test_a_wrong_password_is_recorded_without_the_password(client, people):
    client.post("/sign-in/", {"username": "alice", "password": "not-her-password-77"})
    event = AuditEvent.objects.get(action="SIGN_IN_FAILED")
    assert (event.actor, event.description) == (None, "Failed sign-in as 'alice'")
    assert "not-her-password" not in str(event.changes) + event.description
    assert _events("SIGN_IN") == []


@pytest.mark.parametrize(
    ("credentials", "description"),
    [
        (None, "Failed sign-in as ''"),
        ({"username": 12345}, "Failed sign-in as ''"),
        ({"username": "x" * 500, "password": "secret"}, f"Failed sign-in as '{'x' * 150}'"),
        ({"username": "eve\x00\n"}, "Failed sign-in as 'eve'"),
        ("not a dict", "Failed sign-in as ''"),
    ],
)
def test_odd_credentials_are_recorded_safely(db, credentials, description):
    user_login_failed.send(sender=__name__, credentials=credentials, request=None)
    assert _events("SIGN_IN_FAILED") == [("", description)]
