"""Plans and board in a real browser: the head of service writes the plan and produces the board
pack; a board member reads them but cannot change anything. Every page passes axe."""

import datetime as dt
import io

import pytest

from tests.conftest import PASSWORD
from tests.e2e.conftest import check_accessibility, sign_in
from yjs.governance.demo import create_demo_plans
from yjs.governance.models import Action, BoardMeeting, Plan, Risk
from yjs.governance.structure import APPENDICES, SECTIONS
from yjs.interop.demo import load_demo
from yjs.organisation.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo_service(settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    load_demo(seed=5, children=120, today=TODAY)
    for username in ("hana", "bea"):
        user = User.objects.get(username=username)
        user.set_password(PASSWORD)
        user.save()
    service = User.objects.get(username="hana").service
    plan = create_demo_plans(service, today=TODAY)
    # One section left empty: a consistency problem the author must see.
    plan.versions.get().sections.filter(key="child_first").update(narrative="")
    return service, plan


def sign_out(page):
    page.click("button:has-text('Sign out')")


def error_summary(page) -> str:
    summary = page.locator(".govuk-error-summary")
    # A click submits the form but does not wait for the answer: wait for the summary.
    summary.first.wait_for()
    assert summary.count() == 1
    # Every message links to a field on the page (GOV.UK pattern).
    for link in summary.locator("a").all():
        target = link.get_attribute("href")
        assert target.startswith("#")
        assert page.locator(target).count() == 1, target
    return summary.inner_text()


def fill_date(page, prefix, date):
    page.fill(f"#{prefix}_0", str(date.day))
    page.fill(f"#{prefix}_1", str(date.month))
    page.fill(f"#{prefix}_2", str(date.year))


def test_head_of_service_and_board_member(live_server, browser_page, demo_service):
    _service, plan = demo_service
    page = browser_page
    page.set_default_timeout(60_000)
    base = live_server.url
    version = plan.versions.get()

    # ---------------------------------------------------------------- head of service
    sign_in(page, base, "hana")
    page.click("a.govuk-service-navigation__link:has-text('Plans and board')")
    page.wait_for_selector("h1:has-text('Plans and board')")
    check_accessibility(page, "governance-index")

    # The consistency checks tell the author what to fix, each linked to its section.
    page.click(f"a:has-text('{plan}')")
    page.wait_for_selector(f"h1:has-text('{plan.title}')")
    problems = page.locator(".govuk-error-summary")
    assert "problem to fix before approval" in problems.inner_text()
    assert "Child First: The section is empty" in problems.inner_text()
    assert page.locator("button:has-text('Approve this version')").is_disabled()
    assert "kpi_table" not in page.inner_text("main")
    check_accessibility(page, "governance-plan")

    # Write the empty section: a reference to an appendix that does not exist is refused.
    page.click(".govuk-error-summary a:has-text('Child First')")
    page.click("#child_first ~ p a:has-text('Edit the text')")
    page.wait_for_selector("h1:has-text('Child First')")
    page.fill("#id_narrative", "Our approach is set out in [[appendix:nowhere]].")
    page.click("button:has-text('Save')")
    assert "There is no appendix called “nowhere”" in error_summary(page)
    check_accessibility(page, "governance-section-error")
    page.fill(
        "#id_narrative",
        "## Children as children\n\nWe will **divert children from the justice system** "
        "wherever it is safe; see [[appendix:action_plan]].\n\n- Diversion first\n- Plans "
        "written with the child",
    )
    page.click("button:has-text('Save')")
    page.wait_for_selector(f"h1:has-text('{plan.title}')")
    section = page.locator("section:has(#child_first)")
    assert section.locator("h3:has-text('Children as children')").count() == 1
    assert "divert children from the justice system" in section.inner_text()
    assert "[[" not in section.inner_text()
    assert page.locator(".govuk-error-summary").count() == 0
    assert page.locator("button:has-text('Approve this version')").is_enabled()

    # Action plan: add an action, first without the required answers.
    page.click("a[href$='/data/actions/']")
    page.wait_for_selector("h1:has-text('Service development and action plan')")
    check_accessibility(page, "governance-actions-list")
    page.click("a.govuk-button:has-text('Add')")
    page.wait_for_selector("#id_ref")
    page.fill("#id_ref", "1.1")  # already in the plan
    page.click("button:has-text('Save')")
    text = error_summary(page)
    assert "There is already a record with this ref" in text
    assert "Enter the action" in text
    assert "Enter a date or say how often" in text
    assert "Constraint" not in text and "required" not in text
    check_accessibility(page, "governance-action-error")
    page.fill("#id_ref", "E2E-1")
    page.fill("#id_outcome", "Fewer children remanded")
    page.fill("#id_action", "Review every remand within 48 hours")
    page.fill("#id_lead_owners", "Head of service")
    fill_date(page, "id_due_date", dt.date(2027, 3, 31))
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Service development and action plan')")
    assert "Review every remand within 48 hours" in page.inner_text("main")
    assert Action.objects.filter(plan=plan, ref="E2E-1").exists()

    # A risk with a likelihood out of range, then a good one.
    page.goto(f"{base}/governance/plans/{plan.pk}/data/risks/")
    check_accessibility(page, "governance-risks-list")
    page.click("a.govuk-button:has-text('Add')")
    page.wait_for_selector("#id_description")
    page.fill("#id_description", "Court delays in listing remand hearings")
    page.fill("#id_likelihood", "9")
    page.fill("#id_impact", "3")
    page.fill("#id_owner", "Head of service")
    fill_date(page, "id_review_date", dt.date(2027, 1, 31))
    page.click("button:has-text('Save')")
    assert "Likelihood must be a number from 1 to 5" in error_summary(page)
    check_accessibility(page, "governance-risk-error")
    page.fill("#id_likelihood", "4")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Challenges, risks and issues')")
    assert Risk.objects.get(plan=plan, description__startswith="Court delays").score == 12
    row = page.locator("tr:has-text('Court delays')")
    assert "12" in row.inner_text() and "31 January 2027" in row.inner_text()

    # Attendance at a board meeting.
    page.goto(f"{base}/governance/")
    page.click("a:has-text('Record attendance') >> nth=0")
    page.wait_for_selector("h1:has-text('Attendance on')")
    check_accessibility(page, "governance-attendance")
    page.check("#id_HEALTH__attendance_0")  # Senior
    page.check("#id_PROBATION__disproportionality_data")
    page.click("button:has-text('Save attendance')")
    page.wait_for_selector("text=Attendance saved")
    meeting = BoardMeeting.objects.filter(service=_service).order_by("-meeting_date").first()
    health = meeting.attendance.get(sector="HEALTH")
    assert health.attendance == "SENIOR"
    assert meeting.attendance.get(sector="PROBATION").disproportionality_data

    # The board pack as a web page, for a quarter.
    page.goto(f"{base}/governance/")
    page.select_option("#id_quarter", "2026Q2")
    page.check("input[name=format][value=html]")
    page.click("button:has-text('Produce the board pack')")
    page.wait_for_selector("h1:has-text('performance report')")
    assert "2026-27 Q2" in page.inner_text("body")
    check_accessibility(page, "governance-board-pack")

    # The plan as a Word document, with numbered headings in order.
    page.goto(f"{base}/governance/plans/{plan.pk}/")
    with page.expect_download() as info:
        page.click("a:has-text('Download Word')")
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    from docx import Document

    data = open(download.path(), "rb").read()
    assert data[:2] == b"PK"
    doc = Document(io.BytesIO(data))
    found = [p.text for p in doc.paragraphs if p.style.name == "Heading 1" and p.text != "Contents"]
    expected = [f"{i}. {part.title}" for i, part in enumerate(SECTIONS, start=1)]
    expected += [f"Appendix {i}: {part.title}" for i, part in enumerate(APPENDICES, start=1)]
    assert found == expected
    assert any("Child First" in p.text for p in doc.paragraphs)
    sign_out(page)

    # ---------------------------------------------------------------- board member
    sign_in(page, base, "bea")
    page.goto(f"{base}/governance/plans/{plan.pk}/")
    page.wait_for_selector(f"h1:has-text('{plan.title}')")
    # on a phone the plan, its tables and its long snapshot names never push the page sideways
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size({"width": 1280, "height": 900})
    main = page.locator("main")
    assert main.locator("a:has-text('Edit the text')").count() == 0
    assert main.locator("button").count() == 0
    assert main.locator("a:has-text('Record an approval')").count() == 0
    page.goto(f"{base}/governance/plans/{plan.pk}/data/actions/")
    assert page.locator("main a.govuk-button:has-text('Add')").count() == 0
    assert page.locator("main a:has-text('Change')").count() == 0
    response = page.goto(f"{base}/governance/plans/{plan.pk}/v{version.number}/sections/voice/")
    assert response.status == 403
    response = page.goto(f"{base}/governance/plans/{plan.pk}/data/actions/new/")
    assert response.status == 403
    page.goto(f"{base}/governance/board-pack/?quarter=2026Q2&format=html")
    page.wait_for_selector("h1:has-text('performance report')")
    assert Plan.objects.filter(pk=plan.pk).exists()
