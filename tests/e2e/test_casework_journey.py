"""A practitioner signs in, finds a child, records an outcome and sees it on the timeline;
a practitioner of the other team cannot open that child."""

import datetime

import pytest

from tests.e2e.conftest import check_accessibility, sign_in
from yjs.casework.models import Offence, Outcome

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_practitioner_records_outcome_and_other_team_is_refused(
    live_server, browser_page, jay, people
):
    page = browser_page
    base = live_server.url
    Offence.objects.create(
        child=jay,
        offence_date=datetime.date(2025, 3, 1),
        description="Robbery of a mobile phone",
        category="ROBBERY",
        gravity_score=6,
    )

    page.goto(f"{base}/")
    check_accessibility(page, "sign-in")
    sign_in(page, base, "alice")
    page.wait_for_selector("h1:has-text('My caseload')")
    check_accessibility(page, "caseload")

    page.click("a.govuk-service-navigation__link:has-text('Find a child')")
    page.fill("#q", "Smith")
    page.click("button:has-text('Search')")
    page.click("a:has-text('Jay Smith')")
    page.wait_for_selector("h1:has-text('Jay Smith')")
    check_accessibility(page, "child-record")

    page.click("a:has-text('Outcome')")
    page.wait_for_selector("h1:has-text('Record an outcome')")
    # First try an outcome dated before the offence: the error summary explains.
    page.select_option("#id_code", "YRO")
    page.fill("#id_outcome_date_0", "1")
    page.fill("#id_outcome_date_1", "2")
    page.fill("#id_outcome_date_2", "2025")
    page.check("text=Robbery of a mobile phone")
    page.fill("#id_yro_requirements", "Supervision, curfew")
    page.fill("#id_length_months", "12")
    page.check("#id_appeal_status_0")  # No appeal: nothing is ticked for the practitioner
    page.check("#id_residence_0")  # Lives in the service's area
    page.click("button:has-text('Save')")
    summary = page.locator(".govuk-error-summary")
    assert "Outcome date must be the same as or after the offence date" in summary.inner_text()
    check_accessibility(page, "outcome-error")

    page.fill("#id_outcome_date_1", "4")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Jay Smith')")
    timeline = page.locator(".moj-timeline").inner_text()
    assert "Youth rehabilitation order" in timeline
    assert "Requirements: Supervision, curfew" in timeline
    assert Outcome.objects.get(child=jay).code == "YRO"

    page.click("button:has-text('Sign out')")
    sign_in(page, base, "bob")
    page.wait_for_selector("h1:has-text('My caseload')")
    response = page.goto(f"{base}/children/{jay.pk}/")
    assert response.status == 403
    assert "You cannot see this page" in page.inner_text("h1")
    page.goto(f"{base}/children/search/?q=Smith")
    assert "Jay Smith" not in page.inner_text("main")


def test_casework_forms_and_lists_are_accessible(live_server, browser_page, jay, people):
    """Every casework page a practitioner uses, with and without errors, passes axe."""
    page = browser_page
    base = live_server.url
    sign_in(page, base, "mo")
    page.wait_for_selector("h1")
    for path, name in (
        ("/caseload/?view=team", "team-caseload"),
        ("/alerts/", "alerts"),
        ("/children/search/?q=Jay", "search-results"),
    ):
        page.goto(base + path)
        check_accessibility(page, name)
    # A new referral, sent empty: the error summary lists every missing answer.
    page.goto(f"{base}/children/new/")
    page.click("button:has-text('Save')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "There is a problem" in summary and "Enter the date of birth" in summary
    check_accessibility(page, "add-referral-errors")
    # A link in the summary moves focus to the question: the first radio of a group.
    page.goto(f"{base}/children/{jay.pk}/contacts/new/")
    page.click("button:has-text('Save')")
    page.click(".govuk-error-summary a:has-text('Select whether the child attended')")
    assert page.evaluate("document.activeElement.id") == "id_attended_0"
    for path, name in (
        (f"/children/{jay.pk}/interventions/new/", "open-intervention"),
        (f"/children/{jay.pk}/victims/new/", "victim"),
        (f"/children/{jay.pk}/assessments/new/", "assessment"),
        (f"/children/{jay.pk}/oversight/new/", "oversight"),
    ):
        page.goto(base + path)
        page.click("button:has-text('Save')")
        page.wait_for_selector(".govuk-error-summary")
        check_accessibility(page, name + "-errors")
