"""Quality assurance in a real browser: the head of service audits a child's case and adds an
action that lands in the plan's action plan; a board member sees counts only. Every page passes
axe."""

import datetime as dt

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import check_accessibility, sign_in
from yjs.casework.models import Child
from yjs.governance.demo import create_demo_plans
from yjs.governance.models import Action
from yjs.interop.demo import load_demo
from yjs.organisation.models import User
from yjs.quality.demo import add_quality

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_service(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    summary = load_demo(seed=5, children=60)
    for username in ("hana", "bea"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
    service = User.objects.get(username="hana").service
    plan = create_demo_plans(service, today=summary.today)
    add_quality(service, summary.today, seed=5)
    return service, plan


def fill_date(page, prefix, date):
    page.fill(f"#id_{prefix}_0", str(date.day))
    page.fill(f"#id_{prefix}_1", str(date.month))
    page.fill(f"#id_{prefix}_2", str(date.year))


def test_manager_audits_a_case_and_board_member_sees_counts(
    live_server, browser_page, demo_service
):
    service, plan = demo_service
    page = browser_page
    base = live_server.url
    sign_in(page, base, "hana")
    page.goto(f"{base}/quality/")
    check_accessibility(page, "quality-dashboard")
    for path, name in (
        ("/quality/standards/", "quality-standards"),
        ("/quality/recommendations/", "quality-recommendations"),
        ("/quality/incidents/", "quality-incidents"),
    ):
        page.goto(base + path)
        check_accessibility(page, name)

    child = Child.objects.filter(service=service, case_audits__isnull=True).order_by("pk").first()
    page.goto(f"{base}/children/{child.pk}/")
    page.click("a:has-text('Audit this case')")
    page.click("button:has-text('Save')")
    page.locator(".govuk-error-summary").first.wait_for()
    assert "Enter the date of the audit" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "quality-audit-errors")
    fill_date(page, "audited_on", dt.date.today() - dt.timedelta(days=1))
    for area, rating in (
        ("assessment", "GOOD"),
        ("planning", "REQUIRES_IMPROVEMENT"),
        ("delivery", "GOOD"),
        ("review", "GOOD"),
        ("overall", "GOOD"),
    ):
        page.check(f"input[name='{area}'][value='{rating}']")
    page.fill("#id_works_well", "The child's voice is clear throughout")
    page.fill("#id_to_improve", "The plan does not use the child's words")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Case audit of')")
    check_accessibility(page, "quality-audit")
    page.click("a:has-text('Add an action')")
    page.fill("#id_outcome", "Plans written with children")
    page.fill("#id_action", "Co-write every plan with the child")
    page.fill("#id_lead_owners", "Team managers")
    fill_date(page, "due_date", plan.end)
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Case audit of')")
    row = Action.objects.get(plan=plan, action="Co-write every plan with the child")
    assert row.ref in page.inner_text("main")

    page.click("button:has-text('Sign out')")
    sign_in(page, base, "bea")
    page.goto(f"{base}/quality/")
    text = page.inner_text("main")
    assert "Good or better" in text and child.last_name not in text
    check_accessibility(page, "quality-board-member")
