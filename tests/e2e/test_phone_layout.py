"""On a 375 px phone a team manager's pages fit the screen and the menu folds behind a button."""

import datetime

import pytest

from tests.conftest import make_child
from tests.e2e.conftest import ARTIFACTS, check_accessibility, sign_in
from yjs.casework.models import Assessment, Contact, Intervention, Referral

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = datetime.date
PHONE = {"width": 375, "height": 800}


def _fits(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide"


def test_pages_fit_a_phone_and_the_menu_folds(live_server, browser_page, northshire, people, jay):
    north = people["alice"].team
    Intervention.objects.create(
        child=jay,
        kind="YRO",
        team=north,
        start_date=D(2025, 1, 6),
        planned_end_date=D(2026, 1, 5),
    )
    Assessment.objects.create(
        child=jay,
        kind="ASSETPLUS",
        completed_on=D(2025, 1, 20),
        likelihood_of_reoffending="MEDIUM",
        risk_of_serious_harm="VERY_HIGH",
        safety_and_wellbeing="HIGH",
        needs="Education, training and employment; family relationships",
        review_due=D(2025, 4, 20),
    )
    Contact.objects.create(
        child=jay,
        contact_date=D(2025, 5, 1),
        contact_type="SUPERVISION",
        mode="PHONE",
        attended=True,
    )
    waiting = make_child(northshire, north, first="Alexandra-Louise", last="Montgomery-Smythe")
    Referral.objects.create(
        child=waiting,
        received_on=D(2025, 5, 1),
        source="SOCIAL_CARE",
        pathway="TURNAROUND",
        reason="x",
    )
    page = browser_page
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "mo")

    page.goto(f"{base}/caseload/")
    page.wait_for_selector("h1:has-text('Team caseload')")
    _fits(page, "caseload")
    check_accessibility(page, "phone-caseload-axe")

    # The service navigation folds behind GOV.UK Frontend's "Menu" button on a phone.
    toggle = page.locator(".govuk-service-navigation__toggle")
    menu = page.locator("#navigation")
    assert toggle.is_visible() and not menu.is_visible()
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    menu.locator("a:has-text('Referral queue')").click()
    page.wait_for_selector("h1:has-text('Referral queue')")
    assert "Montgomery-Smythe" in page.inner_text("main")
    _fits(page, "queue")

    for name, url in (
        ("workers", "/casework/workers/"),
        ("alerts", "/alerts/"),
        ("child", f"/children/{jay.pk}/"),
        ("allocate", f"/children/{waiting.pk}/allocate/?from=queue"),
    ):
        page.goto(f"{base}{url}")
        page.wait_for_selector("h1")
        _fits(page, name)
    check_accessibility(page, "phone-allocate-axe")
