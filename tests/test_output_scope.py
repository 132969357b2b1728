"""One scope rule for everything that leaves: two services never see each other's data, board
members and analysts get aggregates, suppressed figures never leave, the superuser is scoped.

The story: the Northshire demo service, and Southvale, a second service to which 30 of the
demo's children have moved (with their records), with its own head of service sol.
"""

import csv
import datetime as dt
import io
import json

import pytest

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.casework.models import Child, Victim
from yjs.interop.demo import load_demo
from yjs.interop.pseudonyms import child_pseudonym
from yjs.organisation.models import (
    LocalAuthority,
    PopulationEstimate,
    Role,
    Service,
    Team,
    User,
)
from yjs.performance import live
from yjs.permissions import output_scope

TODAY = dt.date(2026, 11, 25)
PERIOD = "2025-26Q2"


@pytest.fixture
def two_services(db, settings, tmp_path):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    load_demo(seed=11, children=160, today=TODAY)
    north = Service.objects.get()
    south = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    la = LocalAuthority.objects.create(service=south, name="Southvale", ons_code="E06000999")
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(local_authority=la, year=p.year, age=p.age, sex=p.sex, count=p.count)
        for p in PopulationEstimate.objects.filter(
            local_authority=north.local_authorities.first()
        )
    )
    team = Team.objects.create(service=south, name="Southvale")
    moved = list(Child.objects.filter(outcomes__isnull=False).distinct().order_by("pk")[:30])
    Child.objects.filter(pk__in=[c.pk for c in moved]).update(
        service=south, team=team, allocated_worker=None, home_local_authority=la
    )
    Victim.objects.filter(offences__child__in=moved).update(service=south)
    User.objects.create_user("sol", password=PASSWORD, service=south, role=Role.HEAD_OF_SERVICE)
    User.objects.create_user("rootuser", password=PASSWORD, is_superuser=True, is_staff=True)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save()
    return north, south, moved


def _pseudonyms(snapshot):
    import pyarrow.parquet as pq

    return set(pq.read_table(snapshot / "children.parquet").column("child_id").to_pylist())


def test_each_service_has_its_own_private_snapshot(two_services):
    north, south, moved = two_services
    north_snap, south_snap = live.current_snapshot(north), live.current_snapshot(south)
    assert north_snap.parent.name == "northshire" and south_snap.parent.name == "southvale"
    moved_ids = {child_pseudonym(c.pk) for c in moved}
    assert _pseudonyms(south_snap) == moved_ids
    assert not _pseudonyms(north_snap) & moved_ids
    assert len(_pseudonyms(north_snap)) == Child.objects.filter(service=north).count()
    manifest = json.loads((south_snap / "manifest.json").read_text())
    assert manifest["service"] == "southvale"
    assert oct(south_snap.stat().st_mode & 0o777) == "0o700"
    assert {oct(f.stat().st_mode & 0o777) for f in south_snap.iterdir()} == {"0o600"}
    with pytest.raises(ValueError, match="several services"):
        live.current_snapshot()


def test_a_manager_drills_only_into_their_own_service(client, two_services):
    north, south, moved = two_services
    client.login(username="hana", password=PASSWORD)
    for kpi in ("fte", "kpi1", "reoffending"):
        page = client.get(f"/performance/drill/{kpi}/?period={PERIOD}").content.decode()
        assert not any(f'href="/children/{c.pk}/"' in page for c in moved)
        # hana reaches every Northshire child: nobody is "outside", so no other service leaks in
        assert "belong" not in page, kpi
    client.logout()
    client.login(username="sol", password=PASSWORD)
    page = client.get(f"/performance/drill/fte/?period={PERIOD}").content.decode()
    assert not any(
        f'href="/children/{c.pk}/"' in page for c in Child.objects.filter(service=north)
    )


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_downloads_are_one_service_and_never_carry_suppressed_numbers(client, two_services):
    north, south, moved = two_services
    client.login(username="sol", password=PASSWORD)
    rows = _csv(client.get(f"/performance/download.csv?period={PERIOD}"))
    south_rows = live.results(live.current_snapshot(south), PERIOD)
    north_rows = live.results(live.current_snapshot(north), PERIOD)

    def headline(rows, kpi="fte", measure="fte_rate"):
        return next(
            r for r in rows if (r["kpi"], r["measure"], r["dimension"]) == (kpi, measure, "all")
        )

    assert headline(rows)["denominator"] == str(headline(south_rows)["denominator"])
    assert headline(south_rows)["numerator"] != headline(north_rows)["numerator"]
    suppressed = [r for r in rows if r["suppressed"] == "True" and r["kpi"] != "kpi7"]
    assert suppressed, "the small service must have suppressed cells to test"
    for r in suppressed:
        assert (r["numerator"], r["denominator"], r["value"]) == ("", "", ""), r
    assert all("child_ids" not in key for key in rows[0])
    assert AuditEvent.objects.filter(
        actor__username="sol", action="EXPORT", description__startswith="KPI figures"
    ).exists()
    assert client.get(f"/performance/download.xlsx?period={PERIOD}").status_code == 200


def _pack(client, username, named=False):
    client.logout()
    client.login(username=username, password=PASSWORD)
    url = "/governance/board-pack/?quarter=2025Q2&format=html" + ("&named=1" if named else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_board_pack_holds_only_what_the_reader_may_see(client, two_services):
    north, south, moved = two_services
    children = list(Child.objects.filter(service=north))
    alice = User.objects.get(username="alice")

    for username in ("bea", "ana"):  # board member, analyst: aggregates only
        page = _pack(client, username, named=True)
        assert "Table 3: Remand and custody episodes" in page
        assert not any(c.reference in page for c in children), username
        assert "The children in Table 3" not in page

    page = _pack(client, "alice", named=True)
    own = [c for c in children if c.team_id == alice.team_id]
    others = [c for c in children if c.team_id != alice.team_id]
    assert not any(c.display_name in page or c.reference in page for c in others)
    assert not any(c.reference in page for c in moved)
    listed = [c for c in own if c.reference in page]
    assert all(c.display_name in page for c in listed)

    page = _pack(client, "hana")  # by reference: no names, no free text
    assert not any(c.display_name in page for c in children)
    assert AuditEvent.objects.filter(
        actor__username="hana", action="EXPORT", description__startswith="Board pack"
    ).exists()


def test_superuser_has_no_child_access_and_no_scope(client, two_services):
    north, south, moved = two_services
    root = User.objects.get(username="rootuser")
    child = Child.objects.filter(service=north).first()
    assert not root.has_perm("casework.view_child", child)
    assert not root.has_perm("performance.view_dashboard")
    assert output_scope(root).empty
    client.login(username="rootuser", password=PASSWORD)
    assert client.get(f"/children/{child.pk}/").status_code == 403
    assert client.get(f"/performance/download.csv?period={PERIOD}").status_code == 403
    assert client.get("/caseload/").status_code == 403


def test_snapshots_are_pruned_but_named_ones_kept(two_services, settings):
    north, south, moved = two_services
    from yjs.governance.models import Plan, PlanVersion
    from yjs.interop.snapshot import take_snapshot

    settings.SNAPSHOT_KEEP = 2
    first = live.current_snapshot(south)
    plan = Plan.objects.create(service=south, start_year=2025, years=1)
    PlanVersion.objects.create(plan=plan, number=1, year=2025, snapshot_ref=str(first))
    taken = [take_snapshot(service=south) for _ in range(3)]
    removed = live.prune(first.parent)
    assert first.exists(), "a snapshot a plan names is kept"
    assert taken[0] in removed and not taken[0].exists()
    assert taken[-1].exists() and taken[-2].exists()


def test_board_member_dashboard_never_shows_a_small_number(client, two_services):
    from yjs.performance import dashboard

    north, south, moved = two_services
    snapshot = live.current_snapshot(south)
    q = dashboard.periods.parse_quarter(PERIOD)
    exact = {c.kpi: c for c in dashboard.cards(snapshot, q)}
    small = [c for c in exact.values() if c.suppressed and c.kpi != "kpi7"]
    assert small, "Southvale is small: some headline must be suppressed"
    bea = User.objects.create_user("bella", service=south, role=Role.BOARD_MEMBER)
    shown = {c.kpi: c for c in dashboard.cards(snapshot, q, south, output_scope(bea))}
    for card in small:
        assert shown[card.kpi].value is None and shown[card.kpi].numerator is None
        assert shown[card.kpi].display == "Not shown"
    sol = User.objects.get(username="sol")  # who may see the children sees exact figures
    assert dashboard.cards(snapshot, q, south, output_scope(sol))[0].value == next(
        iter(exact.values())
    ).value


def test_comparators_and_ranks_belong_to_one_service(two_services, tmp_path):
    from yjs.performance.comparators import ComparatorImportError, import_comparators
    from yjs.performance.selectors import comparators_for

    north, south, moved = two_services
    path = tmp_path / "ranks.csv"
    path.write_text("kpi,measure,period,comparator,value,rank\nfte,,2025-26Q2,NATIONAL,180,7\n")
    with pytest.raises(ComparatorImportError, match="several services"):
        import_comparators(path)
    assert import_comparators(path, south) == 1
    theirs = comparators_for(PERIOD, south)[("fte", "fte_rate")]["NATIONAL"]
    assert theirs.rank == 7
    mine = comparators_for(PERIOD, north).get(("fte", "fte_rate"), {}).get("NATIONAL")
    assert mine is None or mine.rank != 7
