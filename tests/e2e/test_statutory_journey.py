"""The statutory journey in full, in a real browser (issue 10): Jay Smith (born 1 May 2010, team
North, worker alice) is arrested, diverted at a joint decision-making panel, later charged,
goes through three hearings with a gatekept pre-sentence report, is given a youth
rehabilitation order with three requirements, misses appointments, is warned twice, is taken
back to court for breach, and the court extends the order.

The app's "today" is fixed at Friday 17 April 2026, so every date, alert and figure is stable.

The journey (alice at a desk unless said; mo, her team manager, in a browser of his own):
- Fri 1 Mar 2024 criminal damage (gravity 2); arrested Sat 2 Mar. Police referral Mon 4 Mar,
  accepted Tue 5 Mar.
- Thu 14 Mar 2024 joint decision-making panel (youth justice service and police): the police
  decide Outcome 22 deferred prosecution the same day, which records that outcome. Referral to
  panel: 10 days, 8 working days (5-8 and 11-14 March); panel to decision 0; referral to
  decision 8 working days, within the 20 of the target: 1 of 1 (100%). The deferred
  prosecution's conditions are worked on from 14 Mar to 13 Jun 2024 and completed.
- Sat 6 Jul 2024 robbery of a phone (gravity 6: serious violence); arrested Mon 8 Jul and
  charged: straight to court.
- Tue 23 Jul first appearance, conditional bail (a remand record), next hearing 13 Aug (first
  typed as 16 Jul: refused, "next hearing before the hearing"). Tue 13 Aug plea: guilty,
  adjourned for a pre-sentence report (requested 13 Aug, due Tue 3 Sep, proposing a YRO).
  alice's "submitted 3 Sep" is refused (not gatekept), and she may not gatekeep (403); mo
  gatekeeps it Mon 2 Sep; alice submits it Tue 3 Sep. Tue 10 Sep sentence: a 24-month YRO
  (ends 10 Sep 2026); the report's proposal matched the sentence.
- Requirements from 10 Sep 2024: supervision (to 10 Sep 2026), activity (30 sessions, 12 done,
  to 30 Apr 2026: "ending within 14 days" on 17 Apr 2026; first typed with 35 done: refused),
  curfew 12 hours a day (to 9 Dec 2024).
- 2026: kept 5 Jan; unacceptable absence 12 Jan with a warning; acceptable absence 19 Jan;
  unacceptable 26 Jan, warned 27 Jan (two warnings in 12 months: the court threshold); unacceptable
  2 Feb; breach proceedings Wed 4 Feb (pending): kept 1 of 1 + 3 = 25%, one acceptable absence.
  mo's workers page: alice 1 open order, 2 open alerts (breach pending; activity ending), team
  North 2 (the two-warnings alert is not raised again: the child went back to court after the
  latest warning); once the breach has its result, alice has 1.
- Tue 3 Mar 2026 breach hearing: the order is extended, recorded as the breach's result and as
  a variation of the YRO, 30 months from 10 Sep 2024: it now ends 10 Mar 2027. A review hearing
  is set for Fri 24 Apr 2026 (on the court page, within 14 days).

Figures by hand (population 625 per age and sex: 10,000 children aged 10-17 every year).
A: after the panel's decision, before the second offence.
- Court timeliness 2023-24 Q4 (Jan-Mar 2024), the Outcome 22 of 14 Mar: offence to outcome
  13 days (1 Mar -> 14 Mar), offence to arrest 1; no court step (none known: 0 units).
- KPI 6 2024-25 Q1: the deferred prosecution's work ended 13 Jun, completed: 1 of 1 = 100.0%.
- FTE 2024-25 Q3 (window Oct 2023-Sep 2024): 0. Outcome 22 is no caution or conviction.
- KPI 9 2023-24 Q4: 0 offences in scope (Outcome 22 is a non-substantive OOCD, left out).
- Reoffending 2025-26 Q2 (3-month cohort 2023-24 Q4): 0 children: Outcome 22 is no index event,
  so the robbery of July 2024 will never count as a reoffence after it.
B: after the sentence (taken with the breach pending) and C: after the variation, the same.
- FTE 2024-25 Q3: 1 (the YRO of 10 Sep 2024 is the first substantive outcome, age 14); rate
  1 / 10,000 x 100,000 = 10. FTE 2026-27 Q1 (window Apr 2025-Mar 2026): 0 (a variation is never
  a first outcome).
- Custody 2024-25 Q3 (Jan-Dec 2024) and 2025-26 Q4: 0 (a YRO is a community sentence, bail is
  no sentence, the extension is no new sentence); rate 0.00.
- KPI 9 2024-25 Q2: the robbery (gravity 6), disposed of by the YRO: 1 serious violence offence,
  1 / 10,000 x 10,000 = 1.00 per 10,000; 1 of 1 offences = 100.0%. 2025-26 Q4: 0 (the variation
  is no outcome of the offence).
- Court timeliness 2024-25 Q2, the YRO (first hearing filled from the hearings: 23 Jul):
  offence to arrest 2 (6 -> 8 Jul), arrest to first hearing 15 (8 -> 23 Jul), first hearing to
  outcome 49 (23 Jul -> 10 Sep), offence to outcome 66 = 2 + 15 + 49. The drill-down lists Jay.
  2025-26 Q4: no unit (a variation is no new outcome).
- Secure remands 2024-25 Q2: the bail decision of 23 Jul: 0 secure of 1 decision = 0.0%.
- Reoffending 2025-26 Q4 (3-month cohort 2024-25 Q2; 12-month cohort 2023-24 Q3 to 2024-25 Q2;
  complete on 31 Mar 2026): Jay enters with the YRO of 10 Sep 2024, no offence after it:
  0 of 1 = 0.0%; the 12-month cohort holds 1 child (not 2: Outcome 22 admits no one). The
  breach is no offence and the variation proves none.
"""

import datetime as dt

import pytest

from tests.e2e.conftest import ARTIFACTS, sign_in
from yjs.casework import services as cw_services
from yjs.casework.models import Intervention, Offence, Outcome, Referral, Remand
from yjs.court.models import Hearing, PreSentenceReport
from yjs.diversion.models import OutOfCourtPanel
from yjs.interop.pseudonyms import child_pseudonym
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import PopulationEstimate
from yjs.performance.engine import drill, run
from yjs.performance.loader import load_dataset
from yjs.supervision.models import Appointment, Breach, Requirement, Warning

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

D = dt.date
TODAY = D(2026, 4, 17)  # a Friday
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
COURT = "Northshire Youth Court"


def _date(page, prefix, d):
    for i, part in enumerate((d.day, d.month, d.year) if d else ("", "", "")):
        page.fill(f"#id_{prefix}_{i}", str(part))


def _save(page):
    page.click("button:has-text('Save')")
    page.wait_for_load_state()


def _errors(page) -> str:
    return page.locator(".govuk-error-summary").inner_text()


def _shots(page, name, *, phone=True):
    """Screenshots at desktop width and, with `phone`, at 375 px, where nothing may scroll
    sideways."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"journey-{name}-desktop.png"), full_page=True)
    if phone:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(ARTIFACTS / f"journey-{name}-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        page.set_viewport_size(DESKTOP)
        assert width <= PHONE["width"], f"{name} is {width} px wide on a phone"


def _figures(tmp_path, service, name) -> dict:
    """The hand-worked figures of the module docstring, from a snapshot of the app."""
    data = load_dataset(take_snapshot(tmp_path / name, service=service, as_at=TODAY))
    found = {}

    def take(period, kpis, wanted):
        result = run(data, period, kpis=kpis)
        for kpi, measure in wanted:
            r = result.get(kpi, measure)
            found[(period, kpi, measure)] = (r.numerator, r.denominator, r.value)

    ct = [
        ("court_timeliness", m)
        for m in (
            "offence_to_outcome",
            "offence_to_arrest",
            "arrest_to_first_hearing",
            "first_hearing_to_outcome",
        )
    ]
    take("2023-24 Q4", ["court_timeliness", "kpi9"], [*ct, ("kpi9", "sv_offences_share")])
    take("2024-25 Q1", ["kpi6"], [("kpi6", "completed")])
    take(
        "2024-25 Q2",
        ["court_timeliness", "kpi9", "secure_remands"],
        [
            *ct,
            ("kpi9", "sv_count"),
            ("kpi9", "sv_rate"),
            ("kpi9", "sv_offences_share"),
            ("secure_remands", "secure_share"),
        ],
    )
    take(
        "2024-25 Q3",
        ["fte", "custody"],
        [("fte", "fte_count"), ("fte", "fte_rate"), ("custody", "custody_count")],
    )
    take("2025-26 Q2", ["reoffending"], [("reoffending", "cohort_3m")])
    take(
        "2025-26 Q4",
        ["reoffending", "court_timeliness", "kpi9", "custody"],
        [
            ("reoffending", "cohort_3m"),
            ("reoffending", "binary_3m"),
            ("reoffending", "cohort_12m"),
            ("court_timeliness", "offence_to_outcome"),
            ("kpi9", "sv_count"),
            ("custody", "custody_count"),
        ],
    )
    take("2026-27 Q1", ["fte"], [("fte", "fte_count")])
    found["drill"] = [
        (r["child_id"], r["why"])
        for r in drill(data, "court_timeliness", "2024-25 Q2", "offence_to_outcome")
    ] + [(r["child_id"], r["why"]) for r in drill(data, "fte", "2024-25 Q3", "fte_count")]
    return found


def _expected(jay, *, sentenced: bool) -> dict:
    """The module docstring's figures: (numerator, denominator, value); a count measure has no
    denominator, a mean of days sums the days in its numerator."""
    none = (0, 0, None)
    figures = {
        ("2023-24 Q4", "court_timeliness", "offence_to_outcome"): (13, 1, 13.0),
        ("2023-24 Q4", "court_timeliness", "offence_to_arrest"): (1, 1, 1.0),
        ("2023-24 Q4", "court_timeliness", "arrest_to_first_hearing"): none,
        ("2023-24 Q4", "court_timeliness", "first_hearing_to_outcome"): none,
        ("2023-24 Q4", "kpi9", "sv_offences_share"): none,
        ("2024-25 Q1", "kpi6", "completed"): (1, 1, 100.0),
        ("2024-25 Q2", "court_timeliness", "offence_to_outcome"): none,
        ("2024-25 Q2", "court_timeliness", "offence_to_arrest"): none,
        ("2024-25 Q2", "court_timeliness", "arrest_to_first_hearing"): none,
        ("2024-25 Q2", "court_timeliness", "first_hearing_to_outcome"): none,
        ("2024-25 Q2", "kpi9", "sv_count"): (0, None, 0.0),
        ("2024-25 Q2", "kpi9", "sv_rate"): (0, 10_000, 0.0),
        ("2024-25 Q2", "kpi9", "sv_offences_share"): none,
        ("2024-25 Q2", "secure_remands", "secure_share"): none,
        ("2024-25 Q3", "fte", "fte_count"): (0, None, 0.0),
        ("2024-25 Q3", "fte", "fte_rate"): (0, 10_000, 0.0),
        ("2024-25 Q3", "custody", "custody_count"): (0, None, 0.0),
        ("2025-26 Q2", "reoffending", "cohort_3m"): (0, None, 0.0),
        ("2025-26 Q4", "reoffending", "cohort_3m"): (0, None, 0.0),
        ("2025-26 Q4", "reoffending", "binary_3m"): none,
        ("2025-26 Q4", "reoffending", "cohort_12m"): (0, None, 0.0),
        ("2025-26 Q4", "court_timeliness", "offence_to_outcome"): none,
        ("2025-26 Q4", "kpi9", "sv_count"): (0, None, 0.0),
        ("2025-26 Q4", "custody", "custody_count"): (0, None, 0.0),
        ("2026-27 Q1", "fte", "fte_count"): (0, None, 0.0),
        "drill": [],
    }
    if sentenced:
        figures.update(
            {
                ("2024-25 Q2", "court_timeliness", "offence_to_outcome"): (66, 1, 66.0),
                ("2024-25 Q2", "court_timeliness", "offence_to_arrest"): (2, 1, 2.0),
                ("2024-25 Q2", "court_timeliness", "arrest_to_first_hearing"): (15, 1, 15.0),
                ("2024-25 Q2", "court_timeliness", "first_hearing_to_outcome"): (49, 1, 49.0),
                ("2024-25 Q2", "kpi9", "sv_count"): (1, None, 1.0),
                ("2024-25 Q2", "kpi9", "sv_rate"): (1, 10_000, 1.0),
                ("2024-25 Q2", "kpi9", "sv_offences_share"): (1, 1, 100.0),
                ("2024-25 Q2", "secure_remands", "secure_share"): (0, 1, 0.0),
                ("2024-25 Q3", "fte", "fte_count"): (1, None, 1.0),
                ("2024-25 Q3", "fte", "fte_rate"): (1, 10_000, 10.0),
                ("2025-26 Q4", "reoffending", "cohort_3m"): (1, None, 1.0),
                ("2025-26 Q4", "reoffending", "binary_3m"): (0, 1, 0.0),
                ("2025-26 Q4", "reoffending", "cohort_12m"): (1, None, 1.0),
                "drill": [
                    (
                        child_pseudonym(jay.pk),
                        "offence 2024-07-06, arrest 2024-07-08, first hearing 2024-07-23, "
                        "outcome 2024-09-10 (COMMUNITY): 66 days",
                    ),
                    (child_pseudonym(jay.pk), "first substantive outcome YRO on 2024-09-10"),
                ],
            }
        )
    return figures


def test_the_statutory_journey(
    live_server, browser_page, northshire, people, jay, tmp_path, settings, monkeypatch
):
    monkeypatch.setattr(cw_services, "today", lambda: TODAY)
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    alice, mo = people["alice"], people["mo"]
    north = northshire.teams.get(name="North")
    la = northshire.local_authorities.first()
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(local_authority=la, year=year, age=age, sex=sex, count=625)
        for year in range(2022, 2026)
        for age in range(10, 18)
        for sex in ("1", "2")
    )
    referral = Referral.objects.create(
        child=jay,
        received_on=D(2024, 3, 4),
        source="POLICE",
        pathway="OOCD",
        reason="Arrested for damage to a bus shelter; police ask for a joint decision",
    )
    page = browser_page
    base = live_server.url
    child_url = f"{base}/children/{jay.pk}/"

    # Arrested, referred, discussed at a joint decision-making panel: Outcome 22 deferred.
    sign_in(page, base, "alice")
    page.goto(child_url)
    page.click("a.govuk-link:text-is('Offence')")
    page.fill("#id_description", "Criminal damage to a bus shelter")
    _date(page, "offence_date", D(2024, 3, 1))
    _date(page, "arrest_date", D(2024, 3, 2))
    page.select_option("#id_category", "CRIMINAL_DAMAGE")
    page.fill("#id_gravity_score", "2")
    _save(page)
    damage = Offence.objects.get(child=jay, category="CRIMINAL_DAMAGE")
    assert damage.arrest_date == D(2024, 3, 2)

    page.goto(f"{child_url}records/referral/{referral.pk}/edit/")
    page.select_option("#id_decision", "ACCEPTED")
    _date(page, "decided_on", D(2024, 3, 5))
    page.select_option("#id_decided_by", str(alice.pk))
    page.fill("#id_decision_reason", "Admits the damage; first arrest; suitable for the panel")
    _save(page)
    referral.refresh_from_db()
    assert (referral.decision, referral.decided_by) == ("ACCEPTED", alice)

    page.goto(child_url)
    page.click("a.govuk-link:text-is('Out-of-court panel')")
    page.wait_for_selector("h1:has-text('Record an out-of-court panel')")
    page.select_option("#id_referral", str(referral.pk))
    page.check("label:has-text('Criminal damage to a bus shelter')")
    _date(page, "panel_date", D(2024, 3, 14))
    page.fill("#id_child_views", "Jay says he is sorry and will pay for the glass")
    page.fill("#id_family_views", "His mother wants him kept out of court")
    page.fill("#id_assessment_summary", "Low risk; peers a concern; school engaged")
    page.check("input[name=recommendation][value=OUTCOME_22_DEFERRED]")
    page.select_option("#id_attendee-0-agency", "YJS")
    page.fill("#id_attendee-0-name", "Alice Archer")
    page.fill("#id_attendee-0-role", "Youth justice practitioner")
    page.select_option("#id_attendee-1-agency", "POLICE")
    page.fill("#id_attendee-1-name", "PC Dawn Reed")
    page.fill("#id_attendee-1-role", "Out-of-court disposal decision maker")
    _save(page)
    page.wait_for_selector("h1:has-text('Jay Smith')")
    page.click("a:has-text('Record the police decision')")
    page.check("input[name=police_decision][value=OUTCOME_22_DEFERRED]")
    _date(page, "decided_on", D(2024, 3, 14))
    _save(page)
    assert "Police decision recorded, and the outcome: Outcome 22 deferred prosecution" in (
        page.inner_text(".govuk-notification-banner")
    )
    panel = OutOfCourtPanel.objects.get(child=jay)
    assert panel.outcome.code == "OUTCOME_22_DEFERRED"
    card = page.locator(".govuk-summary-card", has_text="Panel of 14 Mar 2024").inner_text()
    assert "10 days (8 working days)" in card and "within the service's target" in card
    # The deferred prosecution's conditions, worked on and completed (setup: not the point).
    Intervention.objects.create(
        child=jay,
        outcome=panel.outcome,
        kind="OOCD",
        start_date=D(2024, 3, 14),
        end_date=D(2024, 6, 13),
        team=north,
        worker=alice,
        end_reason="COMPLETED",
        completed_successfully=True,
    )
    assert _figures(tmp_path, northshire, "a") == _expected(jay, sentenced=False)

    # Charged with a robbery: three hearings and a pre-sentence report.
    page.goto(child_url)
    page.click("a.govuk-link:text-is('Offence')")
    page.fill("#id_description", "Robbery of a mobile phone")
    _date(page, "offence_date", D(2024, 7, 6))
    _date(page, "arrest_date", D(2024, 7, 8))
    page.select_option("#id_category", "ROBBERY")
    page.fill("#id_gravity_score", "6")
    _save(page)

    def hearing(on, kind, result, *, bail="", next_on=None):
        page.goto(child_url)
        page.click("a.govuk-link:text-is('Court hearing')")
        page.check("label:has-text('Robbery of a mobile phone')")
        page.fill("#id_court", COURT)
        _date(page, "hearing_date", on)
        page.select_option("#id_hearing_type", kind)
        page.fill("#id_result", result)
        page.select_option("#id_bail_decision", bail)
        _date(page, "next_hearing_date", next_on)
        _save(page)

    hearing(
        D(2024, 7, 23),
        "FIRST_APPEARANCE",
        "No plea entered",
        bail="CONDITIONAL_BAIL",
        next_on=D(2024, 7, 16),
    )
    assert "Date of the next hearing must be after the date of the hearing (23 July 2024)" in (
        _errors(page)
    )
    _shots(page, "refused-hearing", phone=False)
    _date(page, "next_hearing_date", D(2024, 8, 13))
    _save(page)
    page.wait_for_selector("h1:has-text('Jay Smith')")
    hearing(
        D(2024, 8, 13),
        "PLEA",
        "Guilty plea; adjourned for a pre-sentence report",
        next_on=D(2024, 9, 10),
    )
    remand = Remand.objects.get(child=jay)
    assert (remand.decision, remand.start_date, remand.first_hearing_date) == (
        "CONDITIONAL_BAIL",
        D(2024, 7, 23),
        D(2024, 7, 23),
    )

    page.goto(child_url)
    page.click("a.govuk-link:text-is('Pre-sentence report')")
    page.select_option("#id_requested_at", label=f"Plea hearing at {COURT} (13 Aug 2024)")
    _date(page, "requested_on", D(2024, 8, 13))
    _date(page, "due_on", D(2024, 9, 3))
    page.select_option("#id_proposal", "YRO")
    _date(page, "submitted_on", D(2024, 9, 3))
    _save(page)
    assert "must be gatekept by a team manager or head of service before it is submitted" in (
        _errors(page)
    )
    _date(page, "submitted_on", None)
    _save(page)
    report = PreSentenceReport.objects.get(child=jay)
    gatekeep_url = f"{child_url}pre-sentence-reports/{report.pk}/gatekeep/"
    assert page.goto(gatekeep_url).status == 403  # a practitioner does not gatekeep

    # mo, in a browser of his own, gatekeeps the report from the child's record.
    manager = page.context.browser.new_context(viewport=DESKTOP).new_page()
    sign_in(manager, base, "mo")
    manager.goto(f"{base}/court/")
    reports = manager.locator("table", has_text="Pre-sentence reports outstanding").inner_text()
    assert "Jay Smith" in reports and "Not gatekept" in reports
    _shots(manager, "court-report-outstanding", phone=False)
    manager.goto(child_url)
    manager.click("a:has-text('Gatekeep')")
    _date(manager, "gatekept_on", D(2024, 9, 2))
    _save(manager)
    assert "Pre-sentence report gatekept" in manager.inner_text(".govuk-notification-banner")

    page.goto(f"{child_url}records/pre-sentence-report/{report.pk}/edit/")
    _date(page, "submitted_on", D(2024, 9, 3))
    _save(page)
    hearing(D(2024, 9, 10), "SENTENCE", "Youth rehabilitation order, 24 months")
    page.click("a.govuk-link:text-is('Outcome')")
    page.select_option("#id_code", "YRO")
    _date(page, "outcome_date", D(2024, 9, 10))
    page.check("label:has-text('Robbery of a mobile phone')")
    page.fill("#id_court", COURT)
    page.fill("#id_length_months", "24")
    page.check("input[name=appeal_status][value=NONE]")
    page.check("input[name=residence][value=LOCAL]")
    _save(page)
    yro = Outcome.objects.get(child=jay, code="YRO")
    Intervention.objects.create(  # the order's supervision, open (setup: not the point)
        child=jay,
        outcome=yro,
        kind="YRO",
        start_date=D(2024, 9, 10),
        planned_end_date=D(2026, 9, 10),
        team=north,
        worker=alice,
    )
    page.goto(f"{child_url}records/pre-sentence-report/{report.pk}/edit/")
    page.select_option("#id_outcome", str(yro.pk))
    _save(page)
    report.refresh_from_db()
    assert (report.gatekept_by, report.submitted_on, report.concordant) == (mo, D(2024, 9, 3), True)
    remand.refresh_from_db()
    assert remand.end_date == D(2024, 9, 10)  # the sentence ended the bail

    # The order's three requirements (one first refused: more done than ordered).
    def requirement(kind, end, *, curfew=None, sessions=None, done=None):
        page.goto(child_url)
        page.click("a.govuk-link:text-is('Requirement of an order')")
        page.select_option("#id_order", str(yro.pk))
        page.select_option("#id_kind", kind)
        _date(page, "start_date", D(2024, 9, 10))
        _date(page, "planned_end_date", end)
        if curfew:
            page.fill("#id_curfew_hours", str(curfew))
        if sessions:
            page.check("input[name=unit][value=SESSIONS]")
            page.fill("#id_ordered", str(sessions))
            page.fill("#id_completed", str(done))
        _save(page)

    requirement("SUPERVISION", D(2026, 9, 10))
    requirement("ACTIVITY", D(2026, 4, 30), sessions=30, done=35)
    assert "Number completed must be the same as or less than the number ordered (30)" in (
        _errors(page)
    )
    page.fill("#id_completed", "12")
    _save(page)
    requirement("CURFEW", D(2024, 12, 9), curfew=12)
    assert Requirement.objects.filter(order=yro).count() == 3

    # Appointments kept and missed, two warnings, then breach proceedings.
    def appointment(on, attendance, kind="SUPERVISION"):
        return Appointment.objects.create(
            child=jay, order=yro, appointment_date=on, kind=kind, attendance=attendance
        )

    appointment(D(2026, 1, 5), "KEPT")
    page.goto(child_url)
    page.click("a.govuk-link:text-is('Appointment kept or missed')")
    page.select_option("#id_order", str(yro.pk))
    _date(page, "appointment_date", D(2026, 1, 12))
    page.select_option("#id_kind", "SUPERVISION")
    page.check("input[name=attendance][value=UNACCEPTABLE]")
    page.check("#id_warning_given")
    page.fill("#id_warning_reason", "Missed supervision with no reason given")
    _save(page)
    appointment(D(2026, 1, 19), "ACCEPTABLE", kind="PROGRAMME")  # ill, with a note from home
    missed = appointment(D(2026, 1, 26), "UNACCEPTABLE")
    page.click("a.govuk-link:text-is('Warning')")
    page.select_option("#id_order", str(yro.pk))
    page.select_option("#id_appointment", str(missed.pk))
    _date(page, "warned_on", D(2026, 1, 27))
    page.fill("#id_reason", "Second missed supervision: told the next goes back to court")
    page.select_option("#id_given_by", str(alice.pk))
    _save(page)
    assert Warning.objects.filter(order=yro).count() == 2
    page.wait_for_selector("h1:has-text('Jay Smith')")
    assert (
        "2 warnings in 12 months: a further unacceptable absence must be taken back to "
        "court" in page.inner_text("main")
    )
    appointment(D(2026, 2, 2), "UNACCEPTABLE")
    page.click("a.govuk-link:text-is('Breach proceedings')")
    page.select_option("#id_order", str(yro.pk))
    _date(page, "breach_date", D(2026, 2, 4))
    page.check("input[name=proceedings][value=COURT]")
    page.fill("#id_reason", "Missed three supervision appointments without an acceptable reason")
    _save(page)
    breach = Breach.objects.get(child=jay)
    assert breach.pending

    manager.goto(f"{base}/casework/workers/")
    row = manager.locator("tr", has_text="Alice Archer").inner_text().split()
    assert row[-2:] == ["1", "2"], row  # 1 open order; alerts: breach pending, activity ending
    assert manager.locator("tr", has_text="North").last.inner_text().split()[-1] == "2"
    _shots(manager, "workers")
    assert _figures(tmp_path, northshire, "b") == _expected(jay, sentenced=True)

    # Back to court: the order is extended (the breach's result and a variation of the YRO).
    hearing(
        D(2026, 3, 3),
        "BREACH",
        "Breach admitted; order extended by 6 months; review set",
        next_on=D(2026, 4, 24),
    )
    page.goto(f"{child_url}records/breach/{breach.pk}/edit/")
    page.select_option("#id_result", "EXTENDED")
    _date(page, "result_date", D(2026, 3, 3))
    _save(page)
    page.goto(child_url)
    page.click("a.govuk-link:text-is('Outcome')")
    page.select_option("#id_code", "YRO")
    _date(page, "outcome_date", D(2026, 3, 3))
    page.fill("#id_court", COURT)
    page.fill("#id_length_months", "30")
    page.select_option("#id_varies", str(yro.pk))
    page.check("input[name=appeal_status][value=NONE]")
    page.check("input[name=residence][value=LOCAL]")
    _save(page)
    variation = Outcome.objects.get(varies=yro)
    assert variation.is_variation

    page.wait_for_selector("h1:has-text('Jay Smith')")
    main = page.inner_text("main")
    assert "must be taken back to court" not in main  # it was, after the latest warning
    for seen in (
        "Ending soon Activity requirement ends on 30 April 2026: 12 of 30 sessions done",
        "Youth rehabilitation order extended or varied",
        "Extends or varies the order of 10 September 2024: not a new outcome",
        "Youth rehabilitation order of 10 September 2024, ends 10 March 2027",
        "25% (1 of 4); 1 acceptable absence",
        "Breach of 4 February 2026: order extended",
        "Gatekept 2 Sep 2024 by Mo Morgan",
        "Concordance: Yes: the sentence matched the proposal",
        "Outcome 22 deferred prosecution on 14 Mar 2024",
    ):
        assert seen in main, seen
    _shots(page, "child")
    page.goto(f"{base}/court/")
    assert "Fri 24 Apr 2026" in page.locator("table").first.inner_text()
    _shots(page, "court")
    page.goto(f"{base}/out-of-court-panels/")
    _date(page, "start", D(2024, 1, 1))
    _date(page, "end", D(2024, 12, 31))
    page.click("button:has-text('Show decisions')")
    page.wait_for_selector("h2:has-text('Decided from 1 Jan 2024 to 31 Dec 2024')")
    decided = page.inner_text("main")
    assert "10 days (8 working days)" in decided and "1 of 1 (100.0%; target 90%)" in decided
    _shots(page, "panels")
    manager.goto(f"{base}/casework/workers/")
    assert manager.locator("tr", has_text="Alice Archer").inner_text().split()[-1] == "1"
    manager.context.close()

    assert _figures(tmp_path, northshire, "c") == _expected(jay, sentenced=True)
    assert Hearing.objects.filter(child=jay).count() == 4
