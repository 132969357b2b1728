"""A manager's quarter of workforce, volunteers and resources, in a real browser.

hana (head of service) adds the mandatory course "Safeguarding children" (renewed every 12
months) and records that alice attended it 13 months ago: alice is on the expiry list as
expired. She adds a volunteer, Val Vine, whose DBS check ran out yesterday, and books a panel for
Jay's referral order: the rota refuses Val and names why; with Pat and Ray it is booked. On the
resources page the remand cost is the one worked by hand: Jay was remanded to a secure children's
home at £1,150 a night for 5 nights last quarter – £5,750. Every page passes axe-core.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.conftest import check_accessibility, sign_in
from yjs.casework.models import Intervention, Remand
from yjs.periods import add_months, quarter_of
from yjs.workforce import models as m

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _date(page, prefix, d):
    page.fill(f"#id_{prefix}_0", str(d.day))
    page.fill(f"#id_{prefix}_1", str(d.month))
    page.fill(f"#id_{prefix}_2", str(d.year))


def test_a_managers_workforce_quarter(live_server, browser_page, northshire, people, jay):
    page, base = browser_page, live_server.url
    today = timezone.localdate()
    last_quarter = quarter_of(today).previous()
    Intervention.objects.create(
        child=jay, kind="REFERRAL_ORDER", start_date=today - dt.timedelta(days=30), team=jay.team
    )
    start = last_quarter.start + dt.timedelta(days=10)
    Remand.objects.create(
        child=jay,
        decision="REMAND_IN_CUSTODY",
        start_date=start,
        end_date=start + dt.timedelta(days=5),
        establishment="SCH",
        nightly_cost=Decimal("1150"),
    )
    for name in ("Pat Price", "Ray Reed"):
        m.Volunteer.objects.create(
            service=northshire,
            name=name,
            role="PANEL_MEMBER",
            started_on=dt.date(2023, 1, 1),
            vetted_on=dt.date(2024, 1, 1),
            vetting_expires_on=today + dt.timedelta(days=400),
        )
    sign_in(page, base, "hana")

    page.goto(f"{base}/workforce/courses/new/")
    page.fill("#id_name", "Safeguarding children")
    page.check("#id_mandatory")
    page.fill("#id_renewal_months", "12")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Course added")

    page.goto(f"{base}/workforce/training/new/")
    check_accessibility(page, "workforce-training-form")
    page.select_option("#id_course", label="Safeguarding children")
    page.select_option("#id_person", label="Alice Archer")
    attended = add_months(today, -13)
    _date(page, "attended_on", attended)
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Training recorded")
    row = page.locator("#expiring + table tr", has_text="Alice Archer")
    assert "Expired" in row.inner_text()
    check_accessibility(page, "workforce-index")

    page.goto(f"{base}/volunteers/new/")
    page.fill("#id_name", "Val Vine")
    page.check("text=Referral order panel member")
    _date(page, "started_on", dt.date(2022, 1, 1))
    _date(page, "vetted_on", today - dt.timedelta(days=1100))
    _date(page, "vetting_expires_on", today - dt.timedelta(days=1))
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Volunteer added")
    check_accessibility(page, "volunteers")

    panel_day = today + dt.timedelta(days=7)
    page.goto(f"{base}/volunteers/panels/new/")
    page.select_option("#id_intervention", index=1)
    page.select_option("#id_kind", label="Initial panel")
    _date(page, "day", panel_day)
    page.fill("#id_time", "16:30")
    page.select_option("#id_member_one", label="Val Vine")
    page.select_option("#id_member_two", label="Pat Price")
    page.click("button:has-text('Save')")
    page.wait_for_selector(".govuk-error-summary")
    assert "Val Vine's DBS check is not in date" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "panel-refused")
    page.select_option("#id_member_one", label="Ray Reed")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Panel booked")
    assert "Ray Reed and Pat Price" in page.inner_text("table")

    page.goto(f"{base}/resources/?year={last_quarter.fy.label}")
    row = page.locator("tr", has_text=f"{last_quarter.label} total")
    assert "£5,750.00" in row.inner_text() and "5" in row.inner_text()
    check_accessibility(page, "resources")
