"""A programme cohort run and reported in a real browser (issue 14's judging scenario, part):

- hana (head of service) adds Which Way to the catalogue: 6 sessions, completed with 4.
- alice (practitioner, North) starts Cohort 1, adds its first session, enrols Jay (her child)
  and takes the register: Jay present, 4 at the start and 7 at the end.
- bea (board member) reads the cohort report: figures, no child named.
Each page passes axe-core's WCAG 2.2 AA rules.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import make_child
from tests.e2e.conftest import check_accessibility, sign_in
from yjs.programmes.models import Attendance, Programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _date(page, prefix, d):
    page.fill(f"#id_{prefix}_0", str(d.day))
    page.fill(f"#id_{prefix}_1", str(d.month))
    page.fill(f"#id_{prefix}_2", str(d.year))


def test_a_cohort_run_and_reported(live_server, browser_page, northshire, people):
    page, base = browser_page, live_server.url
    jay = make_child(northshire, northshire.teams.get(name="North"), worker=people["alice"])
    start = timezone.localdate() - dt.timedelta(days=14)

    sign_in(page, base, "hana")
    page.click("a.govuk-service-navigation__link:has-text('Service')")
    page.click("main a:has-text('Programmes and groups')")
    page.click("text=Add a programme")
    page.fill("#id_name", "Which Way")
    page.fill("#id_sessions", "6")
    page.fill("#id_sessions_to_complete", "7")
    page.click("button:has-text('Save')")
    assert "must be 6 (the number of sessions) or fewer" in page.inner_text(".govuk-error-summary")
    check_accessibility(page, "programmes-form-error")
    page.fill("#id_sessions_to_complete", "4")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=at least 4 of 6 sessions")
    check_accessibility(page, "programmes-index")
    page.click("button:has-text('Sign out')")

    sign_in(page, base, "alice")
    page.goto(f"{base}/programmes/")
    page.click("text=Start a cohort")
    page.fill("#id_name", "Cohort 1")
    _date(page, "start_date", start)
    page.check("label:has-text('Alice Archer')")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h1:has-text('Cohort 1')")
    page.click("text=Add a session")
    page.fill("#id_topic", "County lines")
    _date(page, "date", start)
    page.click("button:has-text('Save')")
    page.click("text=Enrol a child")
    page.select_option("#id_child_choice", str(jay.pk))
    page.fill("#id_score_before", "3")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Jay Smith enrolled")
    check_accessibility(page, "programmes-cohort")
    page.click("text=Take the register")
    page.check(f"#id_present_{jay.enrolments.get().pk}")
    page.fill(f"#id_start_{jay.enrolments.get().pk}", "4")
    page.fill(f"#id_end_{jay.enrolments.get().pk}", "7")
    check_accessibility(page, "programmes-register")
    page.click("button:has-text('Save')")
    page.wait_for_selector("text=Register saved: 1 present")
    a = Attendance.objects.get()
    assert (a.attended, a.score_start, a.score_end) == (True, 4, 7)
    page.click("button:has-text('Sign out')")

    sign_in(page, base, "bea")
    cohort = Programme.objects.get().cohorts.get()
    page.goto(f"{base}/programmes/cohorts/{cohort.pk}/report/")
    text = page.inner_text("main")
    assert "Jay" not in text
    assert "Children enrolled\n1" in text or "Children enrolled\t1" in text
    assert "County lines" in text
    check_accessibility(page, "programmes-report")
