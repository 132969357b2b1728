"""The head of service reads the dashboard, picks a quarter and drills down; it passes axe."""

import datetime as dt

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import check_accessibility, sign_in
from yjs.interop.demo import load_demo
from yjs.organisation.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_dashboard_quarter_picker_and_drill_down(live_server, browser_page, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    load_demo(seed=5, children=120, today=dt.date(2026, 11, 25))
    hana = User.objects.get(username="hana")
    hana.set_password(PASSWORD)
    hana.save()
    page = browser_page
    page.set_default_timeout(120_000)
    sign_in(page, live_server.url, "hana")
    page.click("a.govuk-service-navigation__link:has-text('Performance')")
    page.wait_for_selector("h1:has-text('Performance')")
    page.select_option("#period", "2025Q2")
    page.click("button:has-text('Show quarter')")
    page.wait_for_selector("text=2025-26 Q2")
    assert page.locator(".yjs-kpi-card").count() >= 13
    check_accessibility(page, "performance-dashboard")
    page.click("#kpi-kpi1 a:has-text('Children behind this figure')")
    page.wait_for_selector("h1:has-text('the children behind the figure')")
    assert page.locator("tbody tr").count() >= 1
    check_accessibility(page, "performance-drill")
