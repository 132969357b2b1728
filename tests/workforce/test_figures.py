"""The figures of the workforce and resources pages and blocks, worked by hand.

Northshire's people (tests/conftest.py): alice and bob are practitioners, mo a team manager,
hana the head of service.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import make_child
from yjs.casework.models import Intervention, Outcome, Referral, Remand
from yjs.governance import blocks as gblocks
from yjs.periods import Quarter
from yjs.workforce import blocks, selectors, services
from yjs.workforce import models as m

D = dt.date
Q4 = Quarter(2024, 4)  # January to March 2025
Q1 = Quarter(2025, 1)  # April to June 2025


# --------------------------------------------------------------------------- remand costs


def test_a_night_belongs_to_the_date_it_begins():
    # 30 March to 4 April: nights of 30 and 31 March, then 1, 2 and 3 April (home on the 4th).
    assert (
        selectors.nights_between(D(2025, 3, 30), D(2025, 4, 4), Q4.start, Q4.end, D(2026, 1, 1))
        == 2
    )
    assert (
        selectors.nights_between(D(2025, 3, 30), D(2025, 4, 4), Q1.start, Q1.end, D(2026, 1, 1))
        == 3
    )
    # Released on the day it began: no night.
    assert (
        selectors.nights_between(D(2025, 5, 1), D(2025, 5, 1), Q1.start, Q1.end, D(2026, 1, 1)) == 0
    )
    # Still on remand: nights up to, not including, the day it is counted.
    assert selectors.nights_between(D(2025, 6, 28), None, Q1.start, Q1.end, D(2025, 6, 30)) == 2
    assert selectors.nights_between(D(2025, 6, 28), None, Q1.start, Q1.end, D(2025, 9, 1)) == 3


@pytest.fixture
def remands(northshire, people):
    north = northshire.teams.get(name="North")
    a, b, c, d, e = (
        make_child(northshire, north, first=n, reference=f"R{i}")
        for i, n in enumerate(["Ava", "Ben", "Cal", "Dee", "Eve"])
    )
    # A: remanded to youth detention (YOI) at £330 a night, 30 March to 4 April 2025.
    Remand.objects.create(
        child=a,
        decision="REMAND_IN_CUSTODY",
        start_date=D(2025, 3, 30),
        end_date=D(2025, 4, 4),
        establishment="YOI",
        nightly_cost=Decimal("330"),
    )
    # B: remanded to local authority accommodation, 10 to 20 May; no cost on the record, so
    # the service's 2025-26 figure for local authority accommodation (£260).
    Remand.objects.create(
        child=b,
        decision="REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION",
        start_date=D(2025, 5, 10),
        end_date=D(2025, 5, 20),
        establishment="LA",
    )
    # C: secure children's home from 25 March to 6 April, costed by year: £1,150 in 2024-25,
    # £1,200 in 2025-26.
    Remand.objects.create(
        child=c,
        decision="REMAND_IN_CUSTODY",
        start_date=D(2025, 3, 25),
        end_date=D(2025, 4, 6),
        establishment="SCH",
    )
    # D: local authority accommodation 1 to 3 January 2025, with no cost anywhere for 2024-25.
    Remand.objects.create(
        child=d,
        decision="REMAND_TO_LOCAL_AUTHORITY_ACCOMMODATION",
        start_date=D(2025, 1, 1),
        end_date=D(2025, 1, 3),
        establishment="LA",
    )
    # E: bail is not a remand.
    Remand.objects.create(
        child=e,
        decision="CONDITIONAL_BAIL",
        start_date=D(2025, 4, 1),
        end_date=D(2025, 5, 1),
    )
    for year, place, cost in [(2025, "LA", 260), (2024, "SCH", 1150), (2025, "SCH", 1200)]:
        m.RemandNightlyCost.objects.create(
            service=northshire,
            year=year,
            placement=place,
            nightly_cost=Decimal(cost),
            source="Test figure",
        )
    return northshire


def test_remand_costs_by_quarter_worked_by_hand(remands):
    costs = selectors.remand_costs(remands, [Q4, Q1], D(2025, 7, 1))
    q4, q1 = costs["quarters"]
    # Q4: A 2 × £330 = £660; C 7 nights (25-31 March) × £1,150 = £8,050; D 2 nights uncosted.
    assert [(r["placement"], r["nights"], r["cost"], r["total"]) for r in q4["rows"]] == [
        ("Local authority accommodation (RILA)", 2, None, None),
        ("Secure children's home (YDA)", 7, Decimal("1150"), Decimal("8050")),
        ("Young offender institution (YDA)", 2, Decimal("330"), Decimal("660")),
    ]
    assert (q4["nights"], q4["total"], q4["uncosted"]) == (11, Decimal("8710"), 2)
    # Q1: A 3 × £330 = £990; B 10 × £260 = £2,600; C 5 nights (1-5 April) × £1,200 = £6,000.
    assert [(r["nights"], r["total"]) for r in q1["rows"]] == [
        (10, Decimal("2600")),
        (5, Decimal("6000")),
        (3, Decimal("990")),
    ]
    assert (q1["nights"], q1["total"]) == (18, Decimal("9590"))
    assert (costs["nights"], costs["total"], costs["uncosted"]) == (29, Decimal("18300"), 2)


def test_remand_cost_block_shows_nights_times_cost_and_no_child(remands):
    request = gblocks.BlockRequest(remands, Q1.start, Q1.end, Q1)
    data = gblocks.build(gblocks.get("resources_remand_costs"), request)
    assert ["2025-26 Q1", "Young offender institution (YDA)", "3", "£330.00", "£990.00"] in data[
        "rows"
    ]
    assert data["rows"][-1] == ["Year to date", "", "18", "", "£9,590.00"]
    text = str(data)
    assert not any(name in text for name in ("Ava", "Ben", "Cal", "R0", "R1"))


# --------------------------------------------------------------------------- caseload


def test_average_caseload_at_quarter_ends_worked_by_hand(northshire, people, jay, kim):
    north = northshire.teams.get(name="North")
    cal = make_child(northshire, north, first="Cal")
    alice, bob = people["alice"], people["bob"]

    def iv(child, worker, start, end=None):
        Intervention.objects.create(
            child=child, kind="YRO", start_date=start, end_date=end, team=north, worker=worker
        )

    iv(jay, alice, D(2025, 4, 1))  # open
    iv(kim, alice, D(2025, 1, 1), D(2025, 6, 30))  # ends on the quarter's last day: closed
    iv(cal, alice, D(2025, 6, 30))  # starts on the last day: open at the end of it
    iv(kim, bob, D(2025, 5, 1), D(2025, 7, 1))  # ends after: open
    iv(jay, bob, D(2025, 7, 1))  # starts after
    iv(cal, None, D(2025, 6, 1))  # no worker
    q4, q1 = selectors.caseload_by_quarter(northshire, [Q4, Q1])
    # 31 March: alice holds kim's intervention only: 1 / 1 worker.
    assert (q4["interventions"], q4["workers"], q4["average"]) == (1, 1, Decimal("1.0"))
    # 30 June: alice 2 (jay, cal), bob 1 (kim): 3 / 2 = 1.5; one without a worker.
    assert (q1["interventions"], q1["workers"], q1["average"], q1["unallocated"]) == (
        3,
        2,
        Decimal("1.5"),
        1,
    )
    assert q1["by_worker"] == {alice.pk: 2, bob.pk: 1}
    block = blocks.caseload_block(gblocks.BlockRequest(northshire, Q1.start, Q1.end, Q1))
    assert block["rows"] == [["2025-26 Q1", 3, 2, Decimal("1.5"), Decimal("0")]]


# --------------------------------------------------------------------------- training


def test_expiry_is_the_same_date_months_later_clamped_to_the_month_end(northshire):
    yearly = m.Course(service=northshire, name="Safeguarding", mandatory=True, renewal_months=12)
    assert services.training_expiry(yearly, D(2024, 2, 29)) == D(2025, 2, 28)
    assert services.training_expiry(yearly, D(2024, 6, 15)) == D(2025, 6, 15)
    once = m.Course(service=northshire, name="Induction", mandatory=True)
    assert services.training_expiry(once, D(2024, 6, 15)) is None


@pytest.mark.parametrize(
    ("expires", "state"),
    [
        (D(2025, 5, 31), "expired"),  # the day before today
        (D(2025, 6, 1), "expiring"),  # today: still counts today
        (D(2025, 7, 31), "expiring"),  # 60 days ahead
        (D(2025, 8, 1), "current"),  # 61 days ahead
        (None, "current"),  # never expires
    ],
)
def test_training_state_edges(expires, state):
    assert selectors.training_state(expires, True, D(2025, 6, 1)) == state


def test_expiry_list_and_compliance(northshire, people):
    today = D(2025, 6, 1)
    course = services.save(
        people["hana"],
        m.Course(service=northshire, name="Safeguarding", mandatory=True, renewal_months=12),
        today=today,
    )
    m.Course.objects.create(service=northshire, name="Optional", mandatory=False)

    def attend(who, day):
        services.save(
            people["hana"], m.TrainingAttendance(course=course, person=people[who], attended_on=day)
        )

    attend("alice", D(2024, 7, 31))  # expires 31 July 2025: 60 days ahead, listed
    attend("bob", D(2024, 8, 1))  # expires 1 August 2025: 61 days ahead, not listed
    attend("hana", D(2024, 5, 31))  # expired 31 May 2025
    # mo never attended; ana and bea are not casework staff, so not counted.
    listed = [(s.person.username, s.state) for s in selectors.expiry_list(northshire, today)]
    assert listed == [("mo", "missing"), ("hana", "expired"), ("alice", "expiring")]
    assert selectors.training_compliance(northshire, today) == [
        {
            "course": "Safeguarding",
            "staff": 4,
            "in_date": 2,
            "expiring": 1,
            "out_of_date": 2,
            "percent": 50,
        }
    ]


def test_supervision_overdue_when_next_due_has_passed(northshire, people):
    services.save(
        people["mo"],
        m.StaffSupervision(
            staff=people["alice"],
            supervisor=people["mo"],
            held_on=D(2025, 5, 1),
            next_due=D(2025, 5, 29),
        ),
    )
    rows = {
        r["person"].username: r for r in selectors.supervision_status(northshire, D(2025, 5, 29))
    }
    assert rows["alice"]["overdue"] is False  # due today, not yet overdue
    rows = {
        r["person"].username: r for r in selectors.supervision_status(northshire, D(2025, 5, 30))
    }
    assert rows["alice"]["overdue"] is True
    assert rows["bob"]["overdue"] is True and rows["bob"]["last"] is None


def test_vacancies_on_a_day(northshire):
    m.Vacancy.objects.create(
        service=northshire,
        post="Case manager",
        role_category="PRACTITIONER",
        fte_posts=Decimal("1"),
        vacant_since=D(2025, 3, 1),
        filled_on=D(2025, 6, 30),
    )
    m.Vacancy.objects.create(
        service=northshire,
        post="Administrator",
        role_category="ADMINISTRATIVE",
        fte_posts=Decimal("0.5"),
        vacant_since=D(2025, 6, 1),
    )
    assert selectors.vacant_posts(northshire, D(2025, 3, 31)) == Decimal("1")
    assert selectors.vacant_posts(northshire, D(2025, 6, 29)) == Decimal("1.5")
    assert selectors.vacant_posts(northshire, D(2025, 6, 30)) == Decimal("0.5")


# --------------------------------------------------------------------------- reparation, Turnaround


def test_reparation_hours_by_quarter(northshire):
    garden = m.ReparationProject.objects.create(
        service=northshire, name="Community garden", kind="COMMUNITY", started_on=D(2024, 1, 1)
    )
    for day, children, hours in [
        (D(2025, 3, 31), 3, "9"),
        (D(2025, 4, 1), 2, "5.5"),
        (D(2025, 6, 30), 4, "12"),
    ]:
        m.ReparationSession.objects.create(
            project=garden, held_on=day, children=children, hours=Decimal(hours)
        )
    data = selectors.reparation(northshire, [Q1])
    assert (data["quarters"][0]["sessions"], data["quarters"][0]["children"]) == (2, 6)
    assert data["hours"] == Decimal("17.5")
    assert data["projects"][0]["hours"] == Decimal("17.5")


def test_turnaround_quarter_worked_by_hand(northshire, people):
    north = northshire.teams.get(name="North")
    kids = [make_child(northshire, north, first=f"T{i}", reference=f"TA{i}") for i in range(4)]

    def ta(child, start, end=None, completed=None):
        Intervention.objects.create(
            child=child,
            kind="TURNAROUND",
            start_date=start,
            end_date=end,
            completed_successfully=completed,
            team=north,
            worker=people["alice"],
        )

    # T0: community resolution, then Turnaround in Q1, completed in Q1.
    Outcome.objects.create(child=kids[0], code="COMMUNITY_RESOLUTION", outcome_date=D(2025, 3, 20))
    ta(kids[0], D(2025, 4, 2), D(2025, 6, 20), True)
    # T1: a youth caution before starting: not eligible; still open at the end of Q1.
    Outcome.objects.create(child=kids[1], code="YOUTH_CAUTION", outcome_date=D(2025, 2, 1))
    ta(kids[1], D(2025, 5, 1))
    # T2: started in Q4, ended without completing in Q1, then a youth caution in Q1.
    ta(kids[2], D(2025, 1, 10), D(2025, 5, 1), False)
    Outcome.objects.create(child=kids[2], code="YOUTH_CAUTION", outcome_date=D(2025, 6, 1))
    # T3: referred in Q1 and not started yet.
    Referral.objects.create(
        child=kids[3],
        received_on=D(2025, 6, 2),
        source="POLICE",
        pathway="TURNAROUND",
        reason="Released under investigation",
    )
    t = selectors.turnaround(northshire, Q1)
    assert {
        k: t[k]
        for k in (
            "referred",
            "started",
            "eligible",
            "completed",
            "ended_early",
            "open",
            "substantive_after",
        )
    } == {
        "referred": 1,
        "started": 2,
        "eligible": 1,
        "completed": 1,
        "ended_early": 1,
        "open": 1,
        "substantive_after": 1,
    }
    assert dict(t["routes"]) == {
        "Community resolution": 1,
        "Released under investigation, on bail or referred by a partner": 1,
    }
    # In the block, counts of 1 to 4 children never leave as exact numbers.
    row = blocks.turnaround_block(gblocks.BlockRequest(northshire, Q1.start, Q1.end, Q1))["rows"][0]
    assert row[0] == "2025-26 Q1" and set(row[1:]) == {"fewer than 5"}


def test_every_block_is_registered_in_its_part():
    names = {b.name: b.part for b in gblocks.registered()}
    assert names["workforce_training"] == "workforce"
    assert names["workforce_caseload"] == "workforce"
    assert names["resources_remand_costs"] == "resources"
    assert names["resources_reparation"] == "resources"
    assert names["resources_turnaround"] == "resources"


@pytest.mark.parametrize("username", ["hana", "bea"])
def test_resources_page_prints_the_hand_worked_totals(client, remands, username):
    from tests.conftest import PASSWORD

    client.login(username=username, password=PASSWORD)
    page = client.get("/resources/?year=2025-26").content.decode()
    assert "£9,590.00" in page and "£1,200.00" in page
    # Each remand behind the total is listed for the head of service only.
    assert ("R2" in page) == (username == "hana")
    page = client.get("/resources/?year=2024-25").content.decode()
    assert "£8,710.00" in page and "2 nights have no nightly cost recorded" in page


def test_the_blocks_print_in_the_board_pack_and_the_plan(remands, people):
    """Every block of this app goes through the governance pipeline: the board pack's numbered
    sections (Word and HTML) and the plan's workforce and resources parts."""
    from tests.governance.conftest import StaticSource, kpi_rows
    from tests.governance.helpers import open_docx
    from yjs.governance import documents
    from yjs.governance import selectors as gselectors

    source = StaticSource(kpi_rows())
    context = gselectors.board_pack_context(remands, "2025-26Q1", source=source)
    headings = [x["heading"].split(". ", 1)[1] for x in context["extra_sections"]]
    assert {
        "Mandatory training",
        "Caseload and vacancies",
        "Remand costs",
        "Reparation",
        "Turnaround",
    } <= set(headings)
    doc = open_docx(documents.render_board_pack_docx(context))
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "£9,590.00" in text and "Ava" not in text
    html = documents.render_board_pack_html(context)
    assert "£9,590.00" in html and "Remand nights and costs by quarter" in html
