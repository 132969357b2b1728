"""Password guessing: five wrong passwords lock a username out from that address for the
cool-off, whatever the sixth attempt is; the page says so without saying if the user exists."""

import datetime as dt
import re

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.utils import timezone

from .conftest import sign_in

pytestmark = pytest.mark.django_db


def _five_wrong(client, username, address="10.0.0.1"):
    for _ in range(5):
        response = sign_in(client, username, "not-my-password", address)
    return response


def test_five_wrong_passwords_then_the_right_one_is_refused(client, people):
    first = sign_in(client, "alice", "not-my-password")
    assert first.status_code == 200 and "Enter a correct username and password" in (
        first.content.decode()
    )
    for _ in range(4):
        sign_in(client, "alice", "still-not-it")

    right = sign_in(client, "alice")
    assert right.status_code == 429
    page = right.content.decode()
    assert "too many attempts to sign in" in page
    assert "Try again in 15 minutes" in page
    assert client.get("/caseload/").status_code == 302  # not signed in


def test_after_the_cool_off_the_right_password_works(client, people):
    _five_wrong(client, "alice")
    assert sign_in(client, "alice").status_code == 429
    # Time passes: the failures are now older than the 15-minute cool-off.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    response = sign_in(client, "alice")
    assert response.status_code == 302
    assert client.get("/caseload/").status_code == 200


def test_an_administrator_reset_lifts_the_lockout(client, people):
    _five_wrong(client, "alice")
    reset(username="alice")
    assert sign_in(client, "alice").status_code == 302


def test_an_unknown_username_gets_the_same_page(client, people):
    known = _five_wrong(client, "alice")
    unknown = _five_wrong(client, "nobody-here")
    assert known.status_code == unknown.status_code == 429

    def without_clock(response):
        return re.sub(r"after \d+:\d\d [ap]\.?m\.?", "", response.content.decode())

    assert without_clock(known) == without_clock(unknown)


def test_the_lockout_is_for_that_username_from_that_address(client, people):
    _five_wrong(client, "alice", address="10.0.0.1")
    assert sign_in(client, "alice", address="10.0.0.1").status_code == 429
    assert sign_in(client, "alice", address="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "bob", address="10.0.0.1").status_code == 302


def test_forwarded_addresses_count_only_behind_a_trusted_proxy(client, people, settings):
    def guess(forwarded):
        return client.post(
            "/sign-in/",
            {"username": "alice", "password": "wrong-password-here"},
            REMOTE_ADDR="10.9.9.9",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    # Untrusted: a client inventing X-Forwarded-For still hits its own address's limit.
    for n in range(5):
        response = guess(f"192.0.2.{n}")
    assert response.status_code == 429
    reset()
    # Behind the proxy, the address it saw (the last entry) is the one throttled.
    settings.TRUST_PROXY_HEADERS = True
    for n in range(5):
        response = guess(f"192.0.2.{n}, 198.51.100.7")
    assert response.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
