"""API tokens: hashed at rest, shown once, revocable, expiring; the account page; the rate
limit; the OpenAPI document and the docs page (local files only, under the site's CSP)."""

from __future__ import annotations

import datetime
import hashlib
import re

import pytest
from django.utils import timezone

from tests.api.conftest import ApiClient, is_problem
from tests.conftest import PASSWORD
from yjs.api import services
from yjs.api.models import ApiToken
from yjs.audit.models import AuditEvent


def test_only_the_hash_is_kept(people):
    record, token = services.create_token(people["alice"], name="Script", days=30)
    assert token.startswith("yjs_") and len(token) > 40
    record.refresh_from_db()
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.values_list(flat=False).get(pk=record.pk)]
    assert token not in stored
    assert AuditEvent.objects.filter(action="CREATE", description="API token made: Script").exists()


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nope", "Basic abc", "Bearer " + "x" * 500, "Bearer yjs_\x00"],
)
def test_no_or_unknown_token_is_401(client, jay, header):
    headers = {"Authorization": header} if header is not None else {}
    r = client.get(f"/api/v1/children/{jay.pk}", headers=headers)
    assert is_problem(r, 401)["type"].endswith("unauthenticated")
    assert r["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_does_not_open_the_api(client, people, jay):
    client.login(username="alice", password=PASSWORD)
    is_problem(client.get(f"/api/v1/children/{jay.pk}"), 401)


def test_revoked_and_expired_tokens_are_refused(client, people, jay):
    alice = people["alice"]
    record, token = services.create_token(alice, name="a", days=30)
    api = ApiClient(client, token)
    assert api.get(f"/api/v1/children/{jay.pk}").status_code == 200
    assert services.revoke_token(alice, record)
    is_problem(api.get(f"/api/v1/children/{jay.pk}"), 401)

    record, token = services.create_token(alice, name="b", days=1)
    ApiToken.objects.filter(pk=record.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    is_problem(ApiClient(client, token).get(f"/api/v1/children/{jay.pk}"), 401)

    record, token = services.create_token(alice, name="c", days=1)
    alice.is_active = False
    alice.save()
    is_problem(ApiClient(client, token).get(f"/api/v1/children/{jay.pk}"), 401)


def test_token_expiry_is_bounded(people, settings):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_token(people["alice"], name="x", days=settings.YJS_API_TOKEN_MAX_DAYS + 1)
    with pytest.raises(ValidationError):
        services.create_token(people["alice"], name=" ", days=30)


def test_account_page_makes_shows_once_and_revokes(client, people, jay):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/account/api-tokens/").content.decode()
    assert "You have no API tokens" in page
    page = client.post("/account/api-tokens/", {"name": "Dashboard", "days": "90"}).content
    page = page.decode()
    token = re.search(r'id="new-token" type="text" value="(yjs_[^"]+)"', page).group(1)
    record = ApiToken.objects.get(user=people["alice"])
    assert (
        record.name == "Dashboard"
        and token not in client.get("/account/api-tokens/").content.decode()
    )
    assert ApiClient(client, token).get(f"/api/v1/children/{jay.pk}").status_code == 200
    # bob cannot revoke alice's token
    client.login(username="bob", password=PASSWORD)
    assert client.post(f"/account/api-tokens/{record.pk}/revoke/").status_code == 404
    client.login(username="alice", password=PASSWORD)
    assert client.post(f"/account/api-tokens/{record.pk}/revoke/").status_code == 302
    assert "Revoked" in client.get("/account/api-tokens/").content.decode()
    client.logout()
    is_problem(ApiClient(client, token).get(f"/api/v1/children/{jay.pk}"), 401)


def test_account_page_shows_form_errors(client, people):
    client.login(username="alice", password=PASSWORD)
    page = client.post("/account/api-tokens/", {"name": "", "days": "9999"}).content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a name for the token" in page
    assert not ApiToken.objects.exists()


def test_rate_limit_is_per_token_and_a_429_problem(settings, api_as, jay):
    settings.YJS_API_RATE_LIMIT = 3
    alice, bob = api_as("alice"), api_as("bob")
    for _ in range(3):
        assert alice.get(f"/api/v1/children/{jay.pk}").status_code == 200
    r = alice.get(f"/api/v1/children/{jay.pk}")
    assert is_problem(r, 429)["type"].endswith("rate-limited")
    assert 1 <= int(r["Retry-After"]) <= settings.YJS_API_RATE_WINDOW_SECONDS
    assert bob.get("/api/v1/caseload").status_code == 200  # bob's own window


def test_rate_window_starts_again(people):
    record, _ = services.create_token(people["alice"], name="w", days=1)
    t0 = datetime.datetime(2026, 1, 1, 10, 0, 5, tzinfo=datetime.UTC)
    from django.test import override_settings

    with override_settings(YJS_API_RATE_LIMIT=2, YJS_API_RATE_WINDOW_SECONDS=60):
        assert [services.rate_limited(record, t0) for _ in range(3)] == [0, 0, 55]
        assert services.rate_limited(record, t0 + datetime.timedelta(seconds=60)) == 0


def test_openapi_document_lists_the_endpoints(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["version"] == "1"
    paths = set(doc["paths"])
    assert {
        "/api/v1/children/search",
        "/api/v1/caseload",
        "/api/v1/children/{child_id}",
        "/api/v1/children/{child_id}/records/{record_type}",
        "/api/v1/children/{child_id}/records/{record_type}/{record_id}",
        "/api/v1/children/{child_id}/offences",
        "/api/v1/children/{child_id}/contacts",
        "/api/v1/children/{child_id}/interventions",
        "/api/v1/children/{child_id}/assessments",
        "/api/v1/kpis",
        "/api/v1/kpis/{kpi}/children",
        "/api/v1/plans",
        "/api/v1/plans/{plan_id}",
        "/api/v1/board-packs/{quarter}",
    } <= paths
    assert doc["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_docs_page_needs_sign_in_and_loads_no_outside_file(client, people):
    assert client.get("/api/docs").status_code == 302
    client.login(username="alice", password=PASSWORD)
    r = client.get("/api/docs")
    assert r.status_code == 200
    page = r.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page and "/api/v1/openapi.json" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_cli_makes_lists_and_revokes(people, jay, client):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("api_token", "create", "alice", "--name", "Nightly", "--days", "7", stdout=out)
    token = out.getvalue().splitlines()[-1]
    assert ApiClient(client, token).get(f"/api/v1/children/{jay.pk}").status_code == 200
    record = ApiToken.objects.get(name="Nightly")
    out = io.StringIO()
    call_command("api_token", "list", "alice", stdout=out)
    assert "Nightly" in out.getvalue() and token not in out.getvalue()
    call_command("api_token", "revoke", "alice", "--id", str(record.pk), stdout=io.StringIO())
    is_problem(ApiClient(client, token).get(f"/api/v1/children/{jay.pk}"), 401)
    with pytest.raises(CommandError, match="no user"):
        call_command("api_token", "create", "nobody", "--name", "x")
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("api_token", "create", "alice", "--name", "x", "--days", "0")
