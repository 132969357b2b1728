"""The demo service: deterministic, the promised volumes and mixes, and every date rule kept."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import authenticate

from yjs import codes, periods
from yjs.casework import models as cw
from yjs.governance.models import BoardAttendance, BoardMeeting
from yjs.interop import demo, demo_journey
from yjs.organisation.models import EthnicPopulation, PopulationEstimate, Role, User

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_staff_have_every_role_and_sign_in_with_the_demo_password(full_demo):
    roles = set(User.objects.values_list("role", flat=True))
    assert roles == {r.value for r in Role}
    alice = authenticate(username="alice", password=demo.DEMO_PASSWORD)
    assert alice is not None and alice.team.name == "North"
    assert User.objects.get(username="bob").team.name == "South"
    assert User.objects.get(username="sam").role == Role.TEAM_MANAGER
    assert User.objects.get(username="admin").is_superuser


def test_volumes_and_people_mixes(full_demo):
    summary, _ = full_demo
    children = cw.Child.objects.all()
    n = children.count()
    assert n == demo.DEFAULT_CHILDREN
    assert {c.team.name for c in children.select_related("team")} == {"North", "South"}
    assert set(children.values_list("home_local_authority__name", flat=True)) == {
        "Northshire",
        "Eastmoor",
    }
    boys = children.filter(sex="1").count() / n
    assert 0.74 <= boys <= 0.86
    first = {}  # the child's first contact: earliest referral or offence
    for model, column in ((cw.Referral, "received_on"), (cw.Offence, "offence_date")):
        for child, date in model.objects.values_list("child_id", column):
            first[child] = min(date, first.get(child, date))
    dobs = dict(children.values_list("pk", "date_of_birth"))
    ages = Counter(periods.age_on(dobs[c], d) for c, d in first.items())
    assert set(ages) <= set(range(10, 18))
    assert sum(ages[a] for a in (14, 15, 16, 17)) / sum(ages.values()) > 0.6
    # Black and Mixed children are over-represented against the 10-17 population.
    latest = {}
    for child, eth in cw.EthnicityRecord.objects.order_by("recorded_on", "id").values_list(
        "child_id", "ethnicity"
    ):
        latest[child] = codes.ethnicity_group(eth)
    groups = Counter(latest.values())
    pop = Counter()
    for group, count in EthnicPopulation.objects.values_list("ethnicity_group", "count"):
        pop[group] += count
    for group in ("BLACK", "MIXED"):
        assert groups[group] / n > 1.5 * pop[group] / sum(pop.values())
    looked_after = cw.CareStatus.objects.filter(status="LOOKED_AFTER").values("child").distinct()
    assert 0.12 <= looked_after.count() / n <= 0.25
    assert set(cw.CareStatus.objects.values_list("status", flat=True)) == {
        c for c, _ in codes.CARE_STATUS_CHOICES
    }
    send = cw.SendRecord.objects.filter(identified="YES").values("child").distinct().count()
    assert 0.28 <= send / n <= 0.45
    assert cw.SendRecord.objects.filter(support="EHCP", formal_plan="YES").exists()
    assert cw.ExploitationConcern.objects.filter(nrm_referred_on__isnull=False).exists()


def test_journeys_cover_every_outcome_group_and_the_work_that_follows(full_demo):
    outcome_codes = Counter(cw.Outcome.objects.values_list("code", flat=True))
    groups = {codes.OUTCOME_BY_CODE[c].group for c in outcome_codes}
    assert {"PRE_COURT", "FIRST_TIER", "COMMUNITY", "CUSTODY"} <= groups
    for code in (
        "COMMUNITY_RESOLUTION",
        "OUTCOME_22",
        "OUTCOME_22_DEFERRED",
        "OUTCOME_20_21",
        "YOUTH_CAUTION",
        "YOUTH_CONDITIONAL_CAUTION",
        "REFERRAL_ORDER",
        "YRO",
        "DTO",
        "FINE",
        "CONDITIONAL_DISCHARGE",
    ):
        assert outcome_codes[code] > 0, code
    court = [
        c
        for c in outcome_codes
        if codes.OUTCOME_BY_CODE[c].group in ("FIRST_TIER", "COMMUNITY", "CUSTODY")
    ]
    assert max(court, key=outcome_codes.get) == "REFERRAL_ORDER"  # the most common court order
    assert cw.Outcome.objects.exclude(appeal_status="NONE").exists()
    assert cw.Outcome.objects.filter(code="YRO").exclude(yro_requirements="").exists()
    kinds = set(cw.Intervention.objects.values_list("kind", flat=True))
    assert {
        "PREVENTION",
        "TURNAROUND",
        "DIVERSION",
        "OOCD",
        "REFERRAL_ORDER",
        "YRO",
        "CUSTODY",
        "RESETTLEMENT",
        "BAIL_SUPPORT",
    } <= kinds
    oocd = cw.Intervention.objects.filter(kind__in=("DIVERSION", "OOCD"), end_date__isnull=False)
    assert oocd.filter(completed_successfully=True).exists()
    assert oocd.filter(completed_successfully=False).exists()
    assert oocd.filter(completed_successfully__isnull=True).exists()
    # Reoffending: children with substantive outcomes on different dates.
    dates = {}
    for child, date in cw.Outcome.objects.values_list("child_id", "outcome_date"):
        dates.setdefault(child, set()).add(date)
    assert sum(len(d) > 1 for d in dates.values()) > 60


def test_remands_custody_victims_panels_and_alerts_have_something_to_show(full_demo):
    remands = cw.Remand.objects.all()
    assert remands.filter(decision__in=codes.SECURE_REMANDS, nightly_cost__gt=0).exists()
    assert remands.filter(decision__startswith="REMAND_TO_LOCAL_AUTHORITY").exists()
    assert remands.filter(decision__endswith="BAIL").exists()
    assert cw.CustodyEpisode.objects.filter(release_date__isnull=False).exists()
    assert set(cw.Victim.objects.values_list("victim_type", flat=True)) == {
        "INDIVIDUAL",
        "ORGANISATION",
    }
    assert cw.Victim.objects.filter(consent_to_contact="YES", rj_engaged="YES").exists()
    assert cw.Victim.objects.filter(support_requested="YES", support_provided="YES").exists()
    late = on_time = 0
    for panel in cw.ReferralOrderPanel.objects.filter(panel_type="INITIAL").select_related(
        "intervention"
    ):
        days = periods.working_days_between(panel.intervention.start_date, panel.panel_date)
        late, on_time = late + (days > 20), on_time + (days <= 20)
    assert on_time > 4 * late > 0
    # Overdue assessments on open work (an alert the casework pages show).
    latest_review = {}
    for child, due in cw.Assessment.objects.order_by("completed_on").values_list(
        "child_id", "review_due"
    ):
        latest_review[child] = due
    open_children = set(
        cw.Intervention.objects.filter(end_date__isnull=True).values_list("child_id", flat=True)
    )
    assert sum(latest_review.get(c, TODAY) < TODAY for c in open_children) > 5
    assert cw.TransitionDecision.objects.filter(decision="TRANSFER_TO_PROBATION").exists()
    assert cw.Child.objects.filter(closure_reason="TRANSFERRED_TO_PROBATION").exists()
    assert cw.Child.objects.filter(closed_on__isnull=False).count() > 300
    assert cw.ChildPlan.objects.count() > 500 and cw.ManagementOversight.objects.exists()
    assert cw.AccommodationRecord.objects.filter(
        accommodation_type__in=("BED_AND_BREAKFAST", "NO_FIXED_ABODE")
    ).exists()
    assert cw.EteRecord.objects.filter(provision="NONE").exists()
    assert cw.MentalHealthRecord.objects.filter(attended_start__isnull=False).exists()
    assert cw.SubstanceMisuseRecord.objects.filter(offered_on__isnull=False).exists()


def test_population_and_board(full_demo):
    for year in range(2021, 2026):
        total = sum(PopulationEstimate.objects.filter(year=year).values_list("count", flat=True))
        assert 17_000 <= total <= 19_500, year
    assert PopulationEstimate.objects.filter(year=2023).count() == 2 * 8 * 2  # LA x age x sex
    assert EthnicPopulation.objects.filter(year=2021).count() == 10
    meetings = BoardMeeting.objects.count()
    assert meetings >= 18  # quarterly since April 2022
    sectors = set(
        BoardAttendance.objects.filter(attendance="SENIOR").values_list("sector", flat=True)
    )
    assert set(codes.STATUTORY_BOARD_SECTORS) <= sectors
    assert BoardAttendance.objects.filter(attendance="DELEGATED").exists()


def test_every_casework_date_rule_holds(full_demo):
    dobs = dict(cw.Child.objects.values_list("pk", "date_of_birth"))
    offence_dates = {}
    for pk, child, date, arrest, gravity in cw.Offence.objects.values_list(
        "pk", "child_id", "offence_date", "arrest_date", "gravity_score"
    ):
        assert 10 <= periods.age_on(dobs[child], date) <= 17, pk
        assert date <= TODAY and (arrest is None or date <= arrest <= TODAY)
        assert gravity is None or 1 <= gravity <= 8
        offence_dates[pk] = (child, date)
    through = cw.Outcome.offences.through.objects.values_list("outcome_id", "offence_id")
    linked = {}
    for outcome, offence in through:
        linked.setdefault(outcome, []).append(offence)
    for pk, child, code, date, hearing in cw.Outcome.objects.values_list(
        "pk", "child_id", "code", "outcome_date", "first_hearing_date"
    ):
        assert date <= TODAY
        assert hearing is None or hearing <= date
        if codes.OUTCOME_BY_CODE[code].group is not None:
            assert linked.get(pk), f"outcome {pk} has no offence"
        for offence in linked.get(pk, []):
            offence_child, offence_date = offence_dates[offence]
            assert offence_child == child and offence_date <= date, pk
    # Statutory lengths (services.outcome_problems), and nothing a form asks left unanswered.
    for pk, code, months in cw.Outcome.objects.values_list("pk", "code", "length_months"):
        assert codes.order_length_problem(code, months) is None, pk
    assert not cw.Outcome.objects.filter(residence="").exists()
    assert not cw.Outcome.objects.filter(appeal_status="").exists()
    assert not cw.Child.objects.filter(residence="").exists()
    for model in (
        cw.CareStatus,
        cw.SendRecord,
        cw.AccommodationRecord,
        cw.EteRecord,
        cw.Intervention,
        cw.Remand,
    ):
        for start, end in model.objects.values_list("start_date", "end_date"):
            assert start <= TODAY and (end is None or start <= end <= TODAY), model.__name__
    for start, planned in cw.Intervention.objects.values_list("start_date", "planned_end_date"):
        assert planned is None or planned >= start
    for start, release, licence in cw.CustodyEpisode.objects.values_list(
        "start_date", "release_date", "licence_end_date"
    ):
        assert (release is None or start <= release) and (licence is None or release <= licence)
    for model in (cw.MentalHealthRecord, cw.SubstanceMisuseRecord):
        for need, offered, start, end in model.objects.values_list(
            "need_identified_on", "offered_on", "attended_start", "attended_end"
        ):
            assert offered is None or need <= offered
            assert end is None or (start is not None and start <= end)
    for done, due in cw.Assessment.objects.values_list("completed_on", "review_due"):
        assert done <= TODAY < due or due > done
    for v in cw.Victim.objects.all():
        assert v.rj_engaged != "YES" or v.consent_to_contact == "YES"
        assert v.progress_provided != "YES" or v.progress_requested == "YES"
        assert v.support_provided != "YES" or v.support_requested == "YES"
    # A closed case has no open intervention (services.close_case refuses it).
    closed = set(cw.Child.objects.filter(closed_on__isnull=False).values_list("pk", flat=True))
    open_work = set(
        cw.Intervention.objects.filter(end_date__isnull=True).values_list("child_id", flat=True)
    )
    assert not closed & open_work
    assert not cw.Child.objects.filter(closed_on__gt=TODAY).exists()


def test_the_load_is_audited_once_per_child(full_demo):
    from yjs.audit.models import AuditEvent

    events = AuditEvent.objects.filter(description__startswith="Demo data load")
    assert events.count() == cw.Child.objects.count()


def test_demo_pages_render_for_the_team_and_not_for_the_other(full_demo, client):
    """The richest child of team North opens for alice and stays closed to bob."""
    from django.db.models import Count

    alice = User.objects.get(username="alice")
    child = (
        cw.Child.objects.filter(team__name="North")
        .annotate(n=Count("outcomes"))
        .order_by("-n", "pk")
        .first()
    )
    client.force_login(alice)
    for url in ("/caseload/", "/alerts/", child.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
    client.force_login(User.objects.get(username="bob"))
    assert client.get(child.get_absolute_url()).status_code in (403, 404)


def test_allocation_history_matches_each_childs_worker_and_some_wait_in_the_queue(full_demo):
    latest = {}
    for a in cw.Allocation.objects.order_by("allocated_on", "id"):
        assert a.allocated_on <= TODAY
        latest[a.child_id] = (a.team_id, a.worker_id)
    children = cw.Child.objects.all()
    assert set(latest) == {c.pk for c in children}
    assert all(latest[c.pk] == (c.team_id, c.allocated_worker_id) for c in children)
    waiting = children.filter(closed_on__isnull=True, allocated_worker__isnull=True)
    assert waiting.exists() and not cw.Intervention.objects.filter(child__in=waiting).exists()
    transferred = set(
        children.filter(closure_reason="TRANSFERRED_YJS").values_list("pk", "closed_on")
    )
    out = set(cw.Transfer.objects.filter(direction="OUT").values_list("child_id", "transfer_date"))
    assert transferred == out


# The statutory journey (issue 10): court work, panels, supervision -------------------------


def test_issue_10_records_pass_the_rules_their_forms_apply(full_demo, monkeypatch):
    """Every hearing, report, panel, requirement, appointment, warning, breach, decided referral
    and variation of the demo is one the services would accept on TODAY."""
    from yjs.casework import services
    from yjs.court.models import Hearing, PreSentenceReport
    from yjs.diversion.models import OutOfCourtPanel
    from yjs.supervision.models import Appointment, Breach, Requirement, Warning

    monkeypatch.setattr(services, "today", lambda: TODAY)
    checked = Counter()
    for model, related, with_offences in (
        (Hearing, ("child",), True),
        (PreSentenceReport, ("child", "requested_at", "outcome"), False),
        (OutOfCourtPanel, ("child", "referral"), True),
        (Requirement, ("child", "order"), False),
        (Appointment, ("child", "order", "requirement"), False),
        (Warning, ("child", "order", "appointment"), False),
        (Breach, ("child", "order"), False),
        (cw.Referral, ("child",), False),
    ):
        rows = model.objects.select_related(*related)
        if with_offences:
            rows = rows.prefetch_related("offences")
        for record in rows:
            offences = record.offences.all() if with_offences else None
            problems = services.record_problems(record, offences=offences)
            assert not problems, (model.__name__, record.pk, problems)
            checked[model.__name__] += 1
    for variation in cw.Outcome.objects.filter(is_variation=True).select_related("child"):
        assert not services.record_problems(variation, offences=variation.offences.all())
        assert not services.variation_problems(variation, child=variation.child)
        checked["Variation"] += 1
    assert min(checked.values()) > 0, checked


def test_court_work_follows_the_court_outcomes_and_remands(full_demo):
    from yjs.court.models import Hearing, PreSentenceReport

    hearings = {}
    for h in Hearing.objects.prefetch_related("offences"):
        for offence in h.offences.all():
            hearings.setdefault(offence.pk, []).append(h)
    court = cw.Outcome.objects.filter(
        is_variation=False, first_hearing_date__isnull=False
    ).prefetch_related("offences")
    for outcome in court:
        held = {h for f in outcome.offences.all() for h in hearings.get(f.pk, [])}
        dates = sorted(h.hearing_date for h in held)
        assert dates[0] == outcome.first_hearing_date, outcome.pk  # no KPI date moves
        assert outcome.outcome_date in dates, outcome.pk  # sentenced at a hearing
    # Every bail or remand decision is kept once, on the remand record the demo made.
    linked = Hearing.objects.exclude(bail_decision="").select_related("remand")
    assert linked.count() == cw.Remand.objects.count() > 0
    for h in linked:
        assert (h.remand.decision, h.remand.start_date) == (h.bail_decision, h.hearing_date)
    reports = list(PreSentenceReport.objects.select_related("outcome", "gatekept_by", "child"))
    sentenced = [r for r in reports if r.outcome_id]
    assert all(r.submitted_on and r.gatekept_by.role == Role.TEAM_MANAGER for r in sentenced)
    assert all(r.gatekept_by.team_id == r.child.team_id for r in sentenced)
    concordant = sum(r.concordant for r in sentenced) / len(sentenced)
    assert 0.6 < concordant < 0.95
    assert any(r.submitted_on is None and r.due_on >= TODAY for r in reports)


def test_panels_decide_the_pre_court_outcomes_already_recorded(full_demo):
    from yjs.diversion.models import CHARGE, OutOfCourtPanel

    panels = OutOfCourtPanel.objects.select_related("outcome").prefetch_related(
        "attendees", "offences"
    )
    decisions = Counter()
    for panel in panels:
        decisions[panel.police_decision or "none"] += 1
        if panel.police_decision in ("", CHARGE):
            assert panel.outcome is None
        else:  # the outcome is the demo's own, for the same offences
            assert panel.outcome.code == panel.police_decision, panel.pk
            assert panel.outcome.outcome_date == panel.decided_on
            assert set(panel.outcome.offences.all()) == set(panel.offences.all())
        if panel.panel_date <= TODAY:
            assert {"POLICE", "YJS"} <= {a.agency for a in panel.attendees.all()}
    assert decisions["none"] and decisions[CHARGE] and decisions["YOUTH_CAUTION"]
    linked = panels.exclude(outcome=None).values_list("outcome_id", flat=True)
    assert len(linked) == len(set(linked))  # one panel per outcome
    assert OutOfCourtPanel.objects.filter(police_decision="", panel_date__gte=TODAY).exists()
    assert OutOfCourtPanel.objects.filter(police_decision="", panel_date__lt=TODAY).exists()


def test_supervision_breaches_variations_referrals_and_the_pnc_flag(full_demo):
    from yjs.supervision.models import Appointment, Breach, Requirement, Warning

    assert Requirement.objects.filter(order__code="YRO", ordered__isnull=False).exists()
    assert Requirement.objects.filter(order__code="REFERRAL_ORDER", kind="REPARATION").exists()
    attendance = Counter(Appointment.objects.values_list("attendance", flat=True))
    assert attendance["KEPT"] > 10 * (attendance["ACCEPTABLE"] + attendance["UNACCEPTABLE"]) / 2
    assert Warning.objects.count() <= attendance["UNACCEPTABLE"]
    # Every order the demo ended as breached (within the supervised year) has its breach.
    since = TODAY - dt.timedelta(days=demo_journey.SUPERVISED_WITHIN_DAYS)
    breached = cw.Intervention.objects.filter(
        end_reason="BREACHED", kind__in=("YRO", "REFERRAL_ORDER"), end_date__gte=since
    ).values_list("outcome_id", flat=True)
    assert set(breached) <= set(Breach.objects.values_list("order_id", flat=True))
    assert Breach.objects.filter(result="").count() == 1
    variations = cw.Outcome.objects.filter(is_variation=True).select_related("varies")
    assert 1 <= variations.count() <= 3
    assert all(
        v.varies.code == v.code == "YRO" and v.child_id == v.varies.child_id for v in variations
    )
    decisions = Counter(cw.Referral.objects.values_list("decision", flat=True))
    assert decisions["ACCEPTED"] > 10 * (decisions["NFA"] + decisions["SIGNPOSTED"]) > 0
    assert not cw.Referral.objects.filter(decided_by__isnull=True).exists()
    assert not cw.Referral.objects.exclude(decision="ACCEPTED").filter(decision_reason="").exists()
    flagged = cw.Child.objects.filter(previous_substantive_outcome=True)
    assert flagged.exists()
    substantive = [o.code for o in codes.OUTCOMES if o.substantive]
    assert not cw.Outcome.objects.filter(child__in=flagged, code__in=substantive).exists()


def test_managers_see_every_new_kind_of_alert_and_the_court_and_panel_lists(full_demo):
    from yjs.casework import selectors
    from yjs.court.selectors import court_list
    from yjs.diversion.selectors import coordinator_lists

    kinds = Counter()
    for username in ("mo", "sam"):
        manager = User.objects.get(username=username)
        kinds.update(a.kind for a in selectors.alerts(selectors.manager_children(manager), TODAY))
        by_worker, by_team = selectors.alert_counts(manager, TODAY)
        assert sum(by_team.values()) > 0
    assert {"hearing", "report", "breach", "warnings", "requirement"} <= set(kinds), kinds
    hana = User.objects.get(username="hana")
    listed = court_list(hana, TODAY)
    assert listed.hearings and listed.reports
    lists = coordinator_lists(hana, TODAY, TODAY - dt.timedelta(days=90), TODAY)
    assert lists.upcoming and lists.awaiting_decision and lists.decided


def test_parenting_work_passes_its_rules_and_orders_are_rare(full_demo, monkeypatch):
    """Issue 11: the demo's parenting work is what the form would accept on TODAY; mostly
    voluntary support, a few contracts, parenting orders rare (as the seed plans say)."""
    from yjs.casework import services
    from yjs.parenting.models import ParentingWork

    monkeypatch.setattr(services, "today", lambda: TODAY)
    kinds = Counter()
    for work in ParentingWork.objects.select_related("child"):
        assert not services.record_problems(work), (work.pk, services.record_problems(work))
        kinds[work.kind] += 1
    assert kinds["VOLUNTARY"] > kinds["PARENTING_CONTRACT"] > kinds["PARENTING_ORDER"] > 0
