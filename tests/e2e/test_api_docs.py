"""The API in a real browser: alice makes a token on her account's GOV.UK page (accessible),
reads the API reference at /api/docs (Swagger UI from the site's own files, under the CSP:
the browser_page fixture fails on any violation), and the token she copied opens the API."""

import json
import urllib.request

import pytest

from tests.conftest import make_child
from tests.e2e.conftest import check_accessibility, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_token_page_docs_and_a_call(live_server, browser_page, northshire, people):
    jay = make_child(northshire, northshire.teams.get(name="North"), worker=people["alice"])
    page, base = browser_page, live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/account/api-tokens/")
    page.click("button:has-text('Make a token')")  # nothing filled in: the error summary
    page.wait_for_selector(".govuk-error-summary")
    assert "Enter a name for the token" in page.inner_text(".govuk-error-summary")
    page.fill("#id_name", "Team dashboard")
    page.check("input[name=days][value='90']")
    page.click("button:has-text('Make a token')")
    page.wait_for_selector("#new-token")
    token = page.input_value("#new-token")
    check_accessibility(page, "api-tokens")

    page.goto(f"{base}/api/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    text = page.inner_text("#swagger-ui")
    for path in ("/api/v1/caseload", "/api/v1/children/{child_id}", "/api/v1/kpis"):
        assert path in text

    request = urllib.request.Request(
        f"{base}/api/v1/children/{jay.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310 (the test server)
        assert json.load(response)["reference"] == jay.reference
