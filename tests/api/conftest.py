"""API tests: Northshire's people each with a token, and a client that sends one."""

from __future__ import annotations

import json

import pytest

from yjs.api import services


class ApiClient:
    """Django's test client with a Bearer token and JSON bodies."""

    def __init__(self, client, token: str = ""):
        self.client = client
        self.token = token

    def _headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, url, params=None):
        return self.client.get(url, params or {}, headers=self._headers())

    def post(self, url, body=None, *, raw: str | None = None):
        data = raw if raw is not None else json.dumps(body or {})
        return self.client.post(url, data, content_type="application/json", headers=self._headers())


@pytest.fixture
def tokens(people):
    return {
        name: services.create_token(user, name="tests", days=30)[1] for name, user in people.items()
    }


@pytest.fixture
def api_as(client, tokens):
    def make(username: str) -> ApiClient:
        return ApiClient(client, tokens[username])

    return make


def is_problem(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail"}
    assert body["status"] == status
    return body
