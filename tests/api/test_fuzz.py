"""Fuzzing the API against its own OpenAPI document (schemathesis): junk in every parameter
and body, as a practitioner and as a board member, never gives a server error, and every
refusal is problem+json."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings

EXAMPLES = 6


def _operations():
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.parametrize("username", ["alice", "bea"])
def test_no_junk_request_is_a_server_error(settings, tokens, jay, username):
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
