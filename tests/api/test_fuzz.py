"""Fuzzing the API against its own OpenAPI document (schemathesis): junk in every parameter
and body, as a practitioner and as a board member, never gives a server error, and every
refusal is problem+json."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings

EXAMPLES = 6


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.fixture
def connection_kept():
    """schemathesis calls the WSGI app itself: unlike Django's test client it leaves the
    request signals connected, and their close_old_connections would close the test's
    PostgreSQL connection (and its transaction) after the first call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("username", ["alice", "bea"])
def test_no_junk_request_is_a_server_error(settings, tokens, jay, username, connection_kept):
    settings.YJS_API_RATE_LIMIT = 10**6
    headers = {"Authorization": f"Bearer {tokens[username]}"}
    operations = _operations()
    assert len(operations) >= 14
    seen = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @hsettings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            response = case.call(headers=headers)
            seen.append(response.status_code)
            assert response.status_code < 500, (case.as_curl_command(), response.text[:300])
            if response.status_code >= 400:
                assert response.headers["content-type"][0] == "application/problem+json", (
                    case.as_curl_command()
                )

        call()
    assert any(s == 200 for s in seen) and any(400 <= s < 500 for s in seen)
