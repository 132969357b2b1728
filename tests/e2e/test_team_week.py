"""A team's week in a real browser: referrals arrive, the manager queues and allocates them on a
phone, a practitioner corrects one record and voids another, and the figures follow.

- Monday, alice (a practitioner in North) enters two referrals. "Kim Jones" is a child team
  South already works with: the form says so, without naming him, and saves nothing.
  "Lee Brown" is a North child whose case closed in March 2026: the referral is recorded for
  him, reopening his case without a worker.
- Tuesday, on a 375 px phone, the team manager (mo) finds Lee in the referral queue, allocates
  him to alice, then reallocates him to bob in team South when the family moves; every page
  fits the screen and the menu folds behind a button.
- Wednesday, alice corrects Jay's youth rehabilitation order, dated 1 June 2025 instead of
  1 June 2024, and voids an offence and a detention and training order entered on Jay in error
  (the offence only once the order that rests on it is gone).

Figures for 2025-26 Q1 (Apr-Jun 2025), by hand. FTE counts first substantive outcomes from
Apr 2024 to Mar 2025; custody counts custodial sentences from Jul 2024 to Jun 2025.
- As entered: Jay's first outcome is the DTO of 1 May 2025 (outside the FTE window): FTE 0;
  custody 1.
- YRO date corrected to 1 June 2024: his first outcome is in the window: FTE 1; custody 1.
- DTO voided: FTE 1; custody 0. The snapshot's outcomes table holds the YRO only.
"""

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import make_child
from tests.e2e.conftest import ARTIFACTS, check_accessibility, sign_in
from yjs.casework import services
from yjs.casework.models import Assessment, CaseClosure, Child, Offence, Outcome, Referral
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import PopulationEstimate
from yjs.performance.engine import run

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date
PHONE = {"width": 375, "height": 800}
QUARTER = "2025-26 Q1"


def _fits(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"week-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} is {width} px wide on a phone"


def _date(page, prefix, d):
    page.fill(f"#id_{prefix}_0", str(d.day))
    page.fill(f"#id_{prefix}_1", str(d.month))
    page.fill(f"#id_{prefix}_2", str(d.year))


def _referral(page, base, first, last, dob):
    page.goto(f"{base}/children/new/")
    page.fill("#id_first_name", first)
    page.fill("#id_last_name", last)
    _date(page, "date_of_birth", dob)
    page.select_option("#id_sex", "1")
    page.select_option("#id_home_local_authority", index=1)
    page.check("#id_residence_0")
    page.select_option("#id_team", label="North")
    page.select_option("#id_ethnicity", "WHITE_BRITISH")
    _date(page, "received_on", D(2026, 11, 23))
    page.select_option("#id_source", "POLICE")
    page.select_option("#id_pathway", "PREVENTION")
    page.fill("#id_reason", "Arrested with older boys; police ask for prevention work")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1")


def _figures(tmp_path, service, name):
    folder = take_snapshot(tmp_path / name, service=service)
    result = run(folder, QUARTER, kpis=["fte", "custody"])
    outcomes = sorted(pd.read_parquet(folder / "outcomes.parquet")["outcome_code"])
    return (
        result.get("fte", "fte_count").numerator,
        result.get("custody", "custody_count").numerator,
        outcomes,
    )


def test_a_team_week(live_server, browser_page, northshire, people, jay, kim, tmp_path, settings):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    alice, mo = people["alice"], people["mo"]
    north = northshire.teams.get(name="North")
    la = northshire.local_authorities.first()
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(local_authority=la, year=year, age=age, sex=sex, count=625)
        for year in (2024, 2025)
        for age in range(10, 18)
        for sex in ("1", "2")
    )
    lee = make_child(northshire, north, first="Lee", last="Brown", dob=D(2011, 2, 3))
    # Long names and a risk banner are what overflow a phone's width.
    waiting = make_child(northshire, north, first="Alexandra-Louise", last="Montgomery-Smythe")
    Referral.objects.create(
        child=waiting,
        received_on=D(2026, 11, 2),
        source="SOCIAL_CARE",
        pathway="TURNAROUND",
        reason="Found carrying a knife at school",
    )
    Assessment.objects.create(
        child=jay,
        kind="ASSETPLUS",
        completed_on=D(2026, 10, 1),
        likelihood_of_reoffending="MEDIUM",
        risk_of_serious_harm="VERY_HIGH",
        safety_and_wellbeing="HIGH",
        review_due=D(2027, 1, 1),
        needs="Education, training and employment; family relationships",
    )
    services.close_case(mo, lee, closed_on=D(2026, 3, 31), closure_reason="COMPLETED")
    assert CaseClosure.objects.filter(child=lee).count() == 1

    def offence(on, description):
        return services.record_offence(
            alice,
            Offence(
                child=jay,
                offence_date=on,
                description=description,
                category="THEFT_AND_HANDLING",
                gravity_score=3,
            ),
        )

    def outcome(code, on, offences, months):
        return services.record_outcome(
            alice,
            Outcome(
                child=jay,
                code=code,
                outcome_date=on,
                length_months=months,
                residence="LOCAL",
                appeal_status="NONE",
            ),
            offences,
        )

    yro = outcome("YRO", D(2025, 6, 1), [offence(D(2024, 5, 1), "Theft from a shop")], 12)
    wrong_offence = offence(D(2025, 4, 1), "Burglary (another child's)")
    dto = outcome("DTO", D(2025, 5, 1), [wrong_offence], 12)
    assert _figures(tmp_path, northshire, "entered") == (0, 1, ["DTO", "YRO"])

    page = browser_page
    base = live_server.url

    # Monday: two referrals arrive.
    children_before = Child.objects.count()
    sign_in(page, base, "alice")
    _referral(page, base, "Kim", "Jones", kim.date_of_birth)
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "This child may already be known to the service" in banner
    assert "Known to the service – team South" in banner
    assert "Kim Jones" not in banner  # another team's child is never named
    assert Child.objects.count() == children_before
    check_accessibility(page, "week-duplicate-warning")

    _referral(page, base, "Lee", "Brown", lee.date_of_birth)
    page.click("button:has-text('Record this referral for Lee Brown')")
    page.wait_for_selector("h1:has-text('Lee Brown')")
    lee.refresh_from_db()
    assert lee.closed_on is None and lee.allocated_worker is None
    assert Child.objects.count() == children_before

    # Tuesday, on a phone: the queue, an allocation and a reallocation.
    page.click("button:has-text('Sign out')")
    page.set_viewport_size(PHONE)
    sign_in(page, base, "mo")
    page.goto(f"{base}/caseload/")
    page.wait_for_selector("h1:has-text('Team caseload')")
    _fits(page, "caseload")
    check_accessibility(page, "week-phone-caseload")
    # The service navigation folds behind GOV.UK Frontend's "Menu" button on a phone.
    toggle = page.locator(".govuk-service-navigation__toggle")
    menu = page.locator("#navigation")
    assert toggle.is_visible() and not menu.is_visible()
    toggle.click()
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    menu.locator("a:has-text('Referral queue')").click()
    page.wait_for_selector("h1:has-text('Referral queue')")
    assert "Lee Brown" in page.inner_text("main") and "Montgomery-Smythe" in page.inner_text("main")
    _fits(page, "queue")
    page.click("a:has-text('Allocate Lee Brown')")
    page.wait_for_selector("h1")
    _fits(page, "allocate")
    page.select_option("#id_team", label="North")
    page.select_option("#id_worker", label="Alice Archer (North)")
    page.fill("#id_reason", "Re-referral: alice knows the family")
    page.click("button:has-text('Allocate')")
    page.wait_for_selector("h1:has-text('Referral queue')")
    assert "Lee Brown: Allocated to Alice Archer" in page.inner_text(".govuk-notification-banner")
    assert "Lee Brown" not in page.inner_text("table")
    lee.refresh_from_db()
    assert lee.allocated_worker == alice

    page.goto(f"{base}/children/{lee.pk}/allocate/")
    page.select_option("#id_team", label="South")
    page.select_option("#id_worker", label="Bob Baker (South)")
    page.fill("#id_reason", "The family moved to the south of the county")
    page.click("button:has-text('Allocate')")
    page.wait_for_selector("h1")
    lee.refresh_from_db()
    assert (lee.team.name, lee.allocated_worker) == ("South", people["bob"])
    page.goto(f"{base}/children/{lee.pk}/allocate/")
    history = page.locator("table").inner_text()
    assert "Alice Archer" in history and "The family moved" in history
    _fits(page, "allocation-history")
    for name, url in (("workers", "/casework/workers/"), ("alerts", "/alerts/?scope=team")):
        page.goto(f"{base}{url}")
        page.wait_for_selector("h1")
        _fits(page, name)
    page.goto(f"{base}/children/{jay.pk}/")
    _fits(page, "child")
    page.click("button:has-text('Sign out')")

    # Wednesday, at a desk: alice corrects one record and voids two.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "alice")
    page.goto(f"{base}/children/{jay.pk}/")
    page.click(".moj-timeline a:has-text('Youth rehabilitation order')")
    page.wait_for_selector("h1")
    page.click("a.govuk-button:has-text('Change')")
    page.wait_for_selector("#id_outcome_date_2")
    page.fill("#id_outcome_date_2", "2024")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=1 June 2024")
    history = page.inner_text("main")
    assert "Alice Archer" in history
    check_accessibility(page, "week-record-history")
    yro.refresh_from_db()
    assert yro.outcome_date == D(2024, 6, 1)
    assert _figures(tmp_path, northshire, "corrected") == (1, 1, ["DTO", "YRO"])

    # The offence first: the order that rests on it must go before it.
    page.goto(f"{base}/children/{jay.pk}/records/offence/{wrong_offence.pk}/void/")
    page.fill("#id_reason", "Entered on the wrong child")
    page.click("button:has-text('Void this record')")
    page.wait_for_selector(".govuk-error-summary")
    assert "Detention and training order" in page.locator(".govuk-error-summary").inner_text()
    assert Offence.objects.filter(pk=wrong_offence.pk).exists()

    page.goto(f"{base}/children/{jay.pk}/records/outcome/{dto.pk}/")
    page.click("a.govuk-button:has-text('Void')")
    page.click("button:has-text('Void this record')")
    assert "Enter why this record is being voided" in page.inner_text(".govuk-error-summary")
    page.fill("#id_reason", "Entered on the wrong child")
    page.click("button:has-text('Void this record')")
    page.wait_for_selector("text=Outcome voided: it no longer counts anywhere")
    check_accessibility(page, "week-voided-record")
    page.goto(f"{base}/children/{jay.pk}/records/offence/{wrong_offence.pk}/void/")
    page.fill("#id_reason", "Entered on the wrong child")
    page.click("button:has-text('Void this record')")
    page.wait_for_selector("text=Offence voided: it no longer counts anywhere")
    page.goto(f"{base}/children/{jay.pk}/")
    assert "Detention and training order" not in page.locator(".moj-timeline").inner_text()
    assert not Outcome.objects.filter(pk=dto.pk).exists()
    assert Outcome.all_objects.get(pk=dto.pk).void_reason == "Entered on the wrong child"
    assert _figures(tmp_path, northshire, "voided") == (1, 0, ["YRO"])
