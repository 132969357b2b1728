"""After SESSION_IDLE_TIMEOUT seconds without a request a user is signed out and told why;
any request before then keeps them signed in."""

import pytest

from yjs.organisation import middleware

from .conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved on by hand."""
    now = [1_800_000_000.0]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    return now


def test_alice_is_signed_out_after_a_minute_idle(client, people, settings, clock):
    settings.SESSION_IDLE_TIMEOUT = 60
    sign_in(client, "alice")
    for _ in range(3):  # busy: a request every 50 s keeps her in
        clock[0] += 50
        assert client.get("/caseload/").status_code == 200

    clock[0] += 61
    response = client.get("/caseload/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=%2Fcaseload%2F"
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out after 1 minute without activity" in page
    assert "govuk-notification-banner--success" not in page
    assert "_auth_user_id" not in client.session


def test_the_default_is_thirty_minutes(client, people, clock):
    sign_in(client, "alice")
    clock[0] += 29 * 60
    assert client.get("/caseload/").status_code == 200
    clock[0] += 30 * 60 + 1
    response = client.get("/caseload/", follow=True)
    assert "You were signed out after 30 minutes without activity" in response.content.decode()
