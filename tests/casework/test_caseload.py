"""What a practitioner and a team manager see first: the caseload with what is due, the alerts
of their scope, and the child's record with its risks on top."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, audit_lock_queries, make_child
from yjs.casework import selectors, services
from yjs.casework.models import (
    AccommodationRecord,
    Assessment,
    Contact,
    EteRecord,
    ExploitationConcern,
    Intervention,
    Outcome,
    ReferralOrderPanel,
    TransitionDecision,
)

D = datetime.date
# Counted on the team caseload of 10 children, SQLite; each alert source another app registers
# (casework selectors.register_alert_source) reads all the page's children in one query more.
# One more: the data version of the kept page (yjs/page_cache.py).
CASELOAD_QUERIES = 14 + len(selectors.ALERT_SOURCES) + audit_lock_queries()
# Opened again with nothing changed: session, user, service, the data version; the audit's
# savepoint, chain head, insert and release. No child, alert or filter is read again.
CASELOAD_AGAIN_QUERIES = 8 + audit_lock_queries()


def _assessment(child, completed, review_due, rosh="HIGH", likelihood="MEDIUM"):
    return Assessment.objects.create(
        child=child,
        kind="ASSETPLUS",
        completed_on=completed,
        likelihood_of_reoffending=likelihood,
        risk_of_serious_harm=rosh,
        safety_and_wellbeing="MEDIUM",
        needs="ETE",
        review_due=review_due,
    )


def _contact(child, on, attended=True):
    Contact.objects.create(
        child=child, contact_date=on, contact_type="HOME_VISIT", mode="PHONE", attended=attended
    )


def _row(user, child, on):
    rows = selectors.with_due_dates(selectors.caseload(user, mine=False), on)
    return next(c for c in rows if c.pk == child.pk)


def test_next_due_is_the_earliest_of_review_planned_end_panel_and_transition(jay, people):
    alice = people["alice"]
    # Referral order made Friday 4 April 2025: the initial panel is due by 7 May 2025
    # (20 working days, test_alerts works it out); the review is due 1 June, the YRO's
    # planned end is 1 September. Jay (born 1 May 2010) reaches 17½ on 1 November 2027.
    order = Outcome.objects.create(child=jay, code="REFERRAL_ORDER", outcome_date=D(2025, 4, 4))
    ro = Intervention.objects.create(
        child=jay,
        kind="REFERRAL_ORDER",
        team=jay.team,
        outcome=order,
        start_date=D(2025, 4, 4),
        planned_end_date=D(2025, 9, 1),
    )
    _assessment(jay, D(2025, 3, 1), D(2025, 6, 1), rosh="HIGH", likelihood="LOW")
    _assessment(jay, D(2024, 3, 1), D(2024, 6, 1), rosh="LOW", likelihood="HIGH")
    row = _row(alice, jay, D(2025, 5, 1))
    assert (row.next_due.date, row.next_due.what) == (D(2025, 5, 7), "Initial referral order panel")
    assert not row.next_due_overdue
    assert (row.rosh, row.likelihood) == ("HIGH", "LOW")  # the latest assessment's
    assert [i.kind for i in row.open_orders] == ["REFERRAL_ORDER"]
    ReferralOrderPanel.objects.create(
        intervention=ro, panel_type="INITIAL", panel_date=D(2025, 5, 6)
    )
    row = _row(alice, jay, D(2025, 7, 1))
    assert (row.next_due.date, row.next_due.what) == (D(2025, 6, 1), "Assessment review")
    assert row.next_due_overdue
    _assessment(jay, D(2025, 6, 1), D(2025, 12, 1))
    row = _row(alice, jay, D(2025, 7, 1))
    assert row.next_due.what == "Planned end of referral order"
    Intervention.objects.update(planned_end_date=None)
    assert _row(alice, jay, D(2025, 7, 1)).next_due.date == D(2025, 12, 1)
    Assessment.objects.all().delete()
    assert _row(alice, jay, D(2025, 7, 1)).next_due.what == "Transition decision (17½)"
    TransitionDecision.objects.create(child=jay, decided_on=D(2025, 7, 1), decision="NOT_REQUIRED")
    assert _row(alice, jay, D(2025, 7, 1)).next_due is None


def test_caseload_shows_last_contact_attended_or_not_and_risk(client, jay):
    _contact(jay, D(2025, 5, 1))
    _contact(jay, D(2025, 5, 8), attended=False)
    Intervention.objects.create(child=jay, kind="YRO", team=jay.team, start_date=D(2025, 1, 6))
    _assessment(jay, D(2025, 3, 1), D(2025, 6, 1), rosh="VERY_HIGH")
    client.login(username="alice", password=PASSWORD)
    page = client.get("/caseload/").content.decode()
    assert "8 May 2025" in page
    assert 'govuk-tag govuk-tag--red">Very high' in page
    assert 'govuk-tag govuk-tag--blue">Youth rehabilitation order' in page
    assert "Overdue" in page  # the review was due on 1 June 2025


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _busy_child(service, team, worker, n):
    child = make_child(service, team, first=f"Child{n}", worker=worker)
    order = Outcome.objects.create(child=child, code="REFERRAL_ORDER", outcome_date=D(2025, 4, 4))
    ro = Intervention.objects.create(
        child=child, kind="REFERRAL_ORDER", team=team, outcome=order, start_date=D(2025, 4, 4)
    )
    ReferralOrderPanel.objects.create(
        intervention=ro, panel_type="INITIAL", panel_date=D(2025, 5, 1)
    )
    _assessment(child, D(2025, 3, 1), D(2025, 6, 1))
    _contact(child, D(2025, 5, 1))
    return child


def test_caseload_queries_do_not_grow_with_the_children(client, northshire, people):
    north = people["alice"].team
    client.login(username="alice", password=PASSWORD)
    for n in range(2):
        _busy_child(northshire, north, people["alice"], n)
    few = _queries(client, "/caseload/")
    for n in range(2, 10):
        _busy_child(northshire, north, people["alice"], n)
    assert _queries(client, "/caseload/") == few


def test_team_manager_team_caseload_defaults_to_own_team_head_of_service_sees_all(client, jay, kim):
    client.login(username="mo", password=PASSWORD)
    page = client.get("/caseload/").content.decode()
    assert "Jay Smith" in page and "Kim Jones" not in page
    page = client.get("/caseload/?view=team&team=").content.decode()  # "All teams" chosen
    assert "Jay Smith" in page and "Kim Jones" in page
    client.login(username="hana", password=PASSWORD)
    page = client.get("/caseload/").content.decode()
    assert "Jay Smith" in page and "Kim Jones" in page


def _overdue(child):
    Intervention.objects.create(
        child=child,
        kind="DIVERSION",
        team=child.team,
        start_date=D(2025, 1, 6),
        planned_end_date=D(2025, 4, 6),
    )


def test_alerts_are_scoped_mine_team_service_with_a_worker_column(
    client, northshire, people, jay, kim
):
    north = people["alice"].team
    mo_child = make_child(northshire, north, first="Mo's", last="Child", worker=people["mo"])
    for child in (jay, kim, mo_child):
        _overdue(child)
    client.login(username="alice", password=PASSWORD)
    page = client.get("/alerts/").content.decode()  # a practitioner starts on her own
    assert "Jay Smith" in page and "Mo&#x27;s Child" not in page and "Alice Archer" in page
    page = client.get("/caseload/").content.decode()
    assert "1 alert needs attention in your cases" in page
    page = client.get("/alerts/?scope=team").content.decode()
    assert "Mo&#x27;s Child" in page and "Kim Jones" not in page
    assert "?scope=service" not in page  # a practitioner has no service scope
    client.login(username="mo", password=PASSWORD)
    page = client.get("/alerts/").content.decode()  # a team manager starts on the team
    assert "Jay Smith" in page and "Mo&#x27;s Child" in page and "Kim Jones" not in page
    page = client.get("/caseload/").content.decode()
    assert "2 alerts need attention in team North" in page
    assert "Kim Jones" in client.get("/alerts/?scope=service").content.decode()
    client.login(username="hana", password=PASSWORD)
    page = client.get("/alerts/").content.decode()
    assert "Kim Jones" in page and "Jay Smith" in page
    assert "3 alerts need attention in the service" in client.get("/caseload/").content.decode()


def test_child_record_shows_risks_accommodation_ete_and_grouped_actions(client, jay):
    today = services.today()
    _assessment(jay, D(2025, 3, 1), D(2025, 6, 1), rosh="HIGH", likelihood="MEDIUM")
    ExploitationConcern.objects.create(
        child=jay, concern="COUNTY_LINES", identified_on=D(2025, 2, 1)
    )
    ExploitationConcern.objects.create(
        child=jay, concern="CSE", identified_on=D(2024, 1, 1), ended_on=D(2024, 6, 1)
    )
    AccommodationRecord.objects.create(
        child=jay,
        start_date=D(2024, 1, 1),
        end_date=D(2024, 12, 31),
        accommodation_type="FAMILY_HOME",
        suitability="UNSUITABLE",
    )
    AccommodationRecord.objects.create(
        child=jay,
        start_date=D(2025, 1, 1),
        accommodation_type="FAMILY_HOME",
        suitability="SUITABLE",
    )
    EteRecord.objects.create(
        child=jay,
        start_date=D(2025, 1, 1),
        provision="MAINSTREAM_SCHOOL",
        suitability="SUITABLE",
        hours_offered=25,
        hours_attended=20,
    )
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/").content.decode()
    banner = page[page.index("Risks and warnings") : page.index("About Jay")]
    assert 'Risk of serious harm <strong class="govuk-tag govuk-tag--orange">High' in banner
    assert "1 March 2025" in banner
    assert "County lines" in banner and "sexual exploitation" not in banner
    situation = selectors.current_situation(jay, today)
    assert [r.suitability for r in situation["accommodation"]] == ["SUITABLE"]
    assert "20 of 25 hours a week" in page
    for group in ("Record an event", "Court and orders", "Assessment and plans", "Victims", "Case"):
        assert f">{group}</h3>" in page
    assert f"/children/{jay.pk}/allocate/" not in page  # alice does not allocate
    client.login(username="mo", password=PASSWORD)
    assert f"/children/{jay.pk}/allocate/" in client.get(f"/children/{jay.pk}/").content.decode()


def test_caseload_costs_at_most_a_fixed_number_of_queries(
    client, northshire, people, django_assert_max_num_queries
):
    """Ten children with an open referral order, a panel, an assessment and a contact each
    cost what one does: session, user and service; the filter form's teams and workers; the
    children with their latest assessment and contact (one query); their open interventions
    with their outcomes (one) and panels (one); one audit insert for all ten. The alert count
    reuses the same rows. CASELOAD_QUERIES was counted once and is written here, so a query
    per child (N+1) or a second pass over the children fails."""
    north = people["alice"].team
    client.login(username="alice", password=PASSWORD)
    for n in range(10):
        _busy_child(northshire, north, people["alice"], n)
    with django_assert_max_num_queries(CASELOAD_QUERIES):
        assert client.get("/caseload/?view=team").status_code == 200
    with django_assert_max_num_queries(CASELOAD_QUERIES):
        assert client.get("/caseload/").status_code == 200
    with django_assert_max_num_queries(CASELOAD_AGAIN_QUERIES):
        assert client.get("/caseload/").status_code == 200


def test_the_caseload_filter_reads_its_choices_anew_without_a_server_side_cursor(
    client, northshire, people, monkeypatch
):
    """The teams and workers of the filter are read with one ordinary query each (not
    `QuerySet.iterator()`, a server-side cursor and four round trips on PostgreSQL), and on
    every page: a team added since the last page is offered on the next."""
    from django.db.models.query import QuerySet

    from yjs.organisation.models import Team

    client.login(username="alice", password=PASSWORD)
    assert "Team East" not in client.get("/caseload/?view=team").content.decode()
    Team.objects.create(service=northshire, name="Team East")

    def no_cursor(self, *args, **kwargs):
        raise AssertionError("a choice list read through a server-side cursor")

    monkeypatch.setattr(QuerySet, "iterator", no_cursor)
    assert "Team East" in client.get("/caseload/?view=team").content.decode()


def test_the_page_reads_open_interventions_and_panels_as_the_prefetch_does(jay, kim, people):
    """`caseload_rows` (the page) reads what `caseload`'s prefetch reads, with the same SQL, and
    leaves each child and intervention as the prefetch leaves them."""
    hana = people["hana"]
    on = D(2025, 7, 1)
    for child in (jay, kim):
        order = Outcome.objects.create(
            child=child, code="REFERRAL_ORDER", outcome_date=D(2025, 4, 4)
        )
        ro = Intervention.objects.create(
            child=child, kind="REFERRAL_ORDER", team=child.team, outcome=order,
            start_date=D(2025, 4, 4), planned_end_date=D(2025, 9, 1),
        )  # fmt: skip
        Intervention.objects.create(
            child=child, kind="YRO", team=child.team, start_date=D(2025, 4, 4)
        )
        ReferralOrderPanel.objects.create(
            intervention=ro, panel_type="INITIAL", panel_date=D(2025, 5, 6)
        )
    Intervention.objects.create(  # ended: not read
        child=jay, kind="YRO", team=jay.team, start_date=D(2024, 1, 1), end_date=D(2024, 6, 1)
    )

    def read(rows_of):
        with CaptureQueriesContext(connection) as queries:
            rows = rows_of()
        return queries, [
            (
                c.pk, c.rosh, c.last_contact, c.next_due, c.open_orders,
                [
                    (
                        i.pk, i.child is c, i.outcome,
                        [(p.pk, p.intervention is i) for p in i.panels.all()],
                    )
                    for i in c.open_interventions
                ],
            )
            for c in rows
        ]  # fmt: skip

    prefetched, expected = read(lambda: selectors.with_due_dates(selectors.caseload(hana), on))
    read_by_page, found = read(lambda: selectors.caseload_rows(hana, on))
    assert found == expected and len(found) == 2
    assert [q["sql"] for q in read_by_page] == [q["sql"] for q in prefetched]
    assert len(read_by_page) == 3  # the children, their open interventions, the panels


def test_the_caseload_query_compiled_once_is_the_one_built(jay, kim, people):
    """Each set of filters is compiled once per process; the SQL run is the query built."""
    north = jay.team
    on = D(2025, 7, 1)
    for user, kwargs in (
        (people["alice"], {}),
        (people["alice"], {"mine": True}),
        (people["hana"], {"team_id": north.pk}),
        (people["hana"], {"worker_id": people["bob"].pk}),
        (people["hana"], {"kind": "YRO"}),
    ):
        built = selectors.caseload(user, **kwargs)
        with CaptureQueriesContext(connection) as expected:
            rows = list(built.prefetch_related(None))
        with CaptureQueriesContext(connection) as found:
            assert [c.pk for c in selectors.caseload_rows(user, on, **kwargs)] == [
                c.pk for c in rows
            ]
        assert found[0]["sql"] == expected[0]["sql"], kwargs
