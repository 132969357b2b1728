"""The live dashboard on a small demo service: figures, freshness, drill-down and access."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.casework.models import Child, Offence
from yjs.governance.models import Plan, TargetBand
from yjs.interop.demo import load_demo
from yjs.organisation.models import User
from yjs.performance import dashboard, live

TODAY = dt.date(2026, 11, 25)
PERIOD = "2025-26Q2"


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    # the refresh computes the quarters these tests show (PERIOD and its trend), not all 21
    q = dashboard.periods.parse_quarter(PERIOD)
    shown = list(dashboard.periods.quarters_between(q.previous(7), q))
    monkeypatch.setattr(live, "shown_quarters", lambda today=None: shown)
    load_demo(seed=11, children=160, today=TODAY)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    return Child.objects.first().service


def test_dashboard_shows_every_headline_with_its_snapshot(client, demo):
    client.login(username="hana", password=PASSWORD)
    page = client.get(f"/performance/?period={PERIOD}").content.decode()
    snapshot = live.current_snapshot()
    assert snapshot.name in page
    for title in (
        "First time entrants",
        "Proven reoffending",
        "Use of custody",
        "KPI 1 Suitable accommodation",
        "KPI 10 Victims",
    ):
        assert title in page
    assert page.count('class="yjs-kpi-card"') >= 13
    assert page.count("data:image/svg+xml;base64,") >= 13  # a trend chart per card


def test_snapshot_is_reused_until_the_casework_changes(demo):
    first = live.current_snapshot()
    assert live.current_snapshot() == first
    child = Child.objects.filter(offences__isnull=False).first()
    Offence.objects.create(
        child=child,
        offence_date=dt.date(2025, 9, 1),
        description="Theft",
        category="THEFT_AND_HANDLING",
        gravity_score=2,
    )
    second = live.current_snapshot()
    assert second != first


def test_card_values_are_the_engine_results(demo):
    snapshot = live.current_snapshot()
    rows = live.results(snapshot, PERIOD)
    cards = {c.kpi: c for c in dashboard.cards(snapshot, dashboard.periods.parse_quarter(PERIOD))}
    fte = next(
        r
        for r in rows
        if r["kpi"] == "fte" and r["measure"] == "fte_rate" and r["dimension"] == "all"
    )
    assert (cards["fte"].value, cards["fte"].numerator) == (fte["value"], fte["numerator"])
    assert len(cards["fte"].trend) == 8
    assert cards["fte"].trend[-1] == ("2025-26 Q2", fte["value"])


def test_rag_comes_from_the_plans_target_bands(demo):
    snapshot = live.current_snapshot()
    q = dashboard.periods.parse_quarter(PERIOD)
    value = next(c for c in dashboard.cards(snapshot, q) if c.kpi == "kpi1").value
    plan = Plan.objects.create(service=demo, start_year=2025, years=1)
    TargetBand.objects.create(
        plan=plan,
        kpi="kpi1",
        measure="suitable_end",
        rag="GREEN",
        lower=Decimal(str(value)),
        upper=None,
    )
    TargetBand.objects.create(
        plan=plan,
        kpi="kpi1",
        measure="suitable_end",
        rag="RED",
        lower=None,
        upper=Decimal(str(value)),
    )
    card = next(c for c in dashboard.cards(snapshot, q, demo) if c.kpi == "kpi1")
    assert card.rag == "GREEN"
    assert card.band.startswith("Green: ")


def test_drill_shows_named_children_only_in_reach_and_audits(client, demo):
    alice = User.objects.get(username="alice")
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/performance/drill/kpi1/?period={PERIOD}").content.decode()
    team_children = Child.objects.filter(team=alice.team)
    other = Child.objects.exclude(team=alice.team)
    assert any(f'href="/children/{c.pk}/"' in page for c in team_children)
    assert not any(f'href="/children/{c.pk}/"' in page for c in other)
    assert "belong" in page  # children of the other team are counted, not named
    assert AuditEvent.objects.filter(
        actor=alice, action="VIEW", description__startswith="Drill-down kpi1"
    ).exists()


def test_analyst_drills_to_pseudonyms_and_board_member_not_at_all(client, demo):
    client.login(username="ana", password=PASSWORD)
    page = client.get(f"/performance/drill/kpi1/?period={PERIOD}").content.decode()
    assert "pseudonymous" in page
    assert "/children/" not in page
    assert not any(f">{c.display_name}<" in page for c in Child.objects.all())
    client.login(username="bea", password=PASSWORD)
    assert client.get(f"/performance/?period={PERIOD}").status_code == 200
    assert client.get(f"/performance/drill/kpi1/?period={PERIOD}").status_code == 403


def test_downloads(client, demo):
    client.login(username="bea", password=PASSWORD)
    csv = client.get(f"/performance/download.csv?period={PERIOD}")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("kpi,measure,label,period")
    assert any(line.startswith("fte,fte_rate,") for line in lines)
    xlsx = client.get(f"/performance/download.xlsx?period={PERIOD}")
    assert xlsx.content[:2] == b"PK"


def test_imported_comparators_stand_beside_the_local_value(client, demo, tmp_path):
    from yjs.performance.comparators import import_comparators

    path = tmp_path / "published.csv"
    path.write_text(
        "kpi,measure,period,comparator,value,rank,quartile,source\n"
        "fte,fte_rate,2025-26 Q2,NATIONAL,151.5,,,YJB\n"
        "fte,fte_rate,2025-26 Q2,FAMILY_GROUP,140,12,2,YJB\n"
    )
    assert import_comparators(path) == 2
    q = dashboard.periods.parse_quarter(PERIOD)
    card = next(c for c in dashboard.cards(live.current_snapshot(), q, demo) if c.kpi == "fte")
    assert {(c["comparator"], float(c["value"]), c["rank"]) for c in card.comparators} == {
        ("England and Wales", 151.5, None),
        ("YJS family group", 140.0, 12),
    }
    client.login(username="hana", password=PASSWORD)
    page = client.get(f"/performance/?period={PERIOD}").content.decode()
    assert "England and Wales: 151.5" in page and "(rank 12)" in page


def test_stored_children_are_the_engines_drill_down(demo, monkeypatch):
    """What the refresh stores for a figure is what ``engine.drill`` answers for it: headlines
    of three KPIs and a breakdown with its category."""
    from yjs.performance import engine
    from yjs.performance.loader import load_dataset

    live.refresh(demo)
    snapshot = live.figures(demo).snapshot
    q = dashboard.periods.parse_quarter(PERIOD)
    breakdown = next(
        r
        for r in live.results(snapshot, q)
        if r["kpi"] == "kpi1" and r["dimension"] != "all" and r["numerator"]
    )
    figures = [
        ("fte", "fte_rate", "all", "all"),
        ("kpi1", "suitable_end", "all", "all"),
        ("reoffending", "binary_3m", "all", "all"),
        ("kpi1", breakdown["measure"], breakdown["dimension"], breakdown["category"]),
    ]
    dataset = load_dataset(snapshot)
    expected = [engine.drill(dataset, *f[:1], q, *f[1:]) for f in figures]
    assert all(expected[:2]) and expected[3]  # not a comparison of empty lists
    monkeypatch.setattr(engine, "drill", None)  # the stored answer, not the engine's
    assert [live.drill(snapshot, f[0], q, *f[1:]) for f in figures] == expected


def test_cards_read_the_headline_rows_kept_beside_the_results(demo):
    """The refresh keeps each quarter's headline rows in a file of their own; a snapshot
    computed before such files were kept gets one on first use; the cards are the same."""
    snapshot = live.current_snapshot()
    period = dashboard.periods.parse_quarter(PERIOD)
    cards = dashboard.cards(snapshot, period)
    path = snapshot / "results" / f"{period.yjb_label}.headlines.json"
    rows = live.results(snapshot, PERIOD)
    assert path.exists()
    assert live.Results(snapshot).headlines(period) == [r for r in rows if live.is_headline(r)]
    assert {r["kpi"] for r in live.Results(snapshot).headlines(period)} == {c.kpi for c in cards}
    path.unlink()
    assert dashboard.cards(snapshot, period) == cards
    assert path.exists()
