"""KPI figures, drill-down, plans and board packs through the API, on one small demo service:
the pages' output scope (suppressed figures never leave; board members and analysts get no
named child) and the pages' audit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api.conftest import ApiClient, is_problem
from yjs.api import services as tokens
from yjs.audit.models import AuditEvent
from yjs.casework.models import Child
from yjs.governance.models import Plan, PlanVersion
from yjs.interop.demo import load_demo
from yjs.organisation.models import Role, Service, User
from yjs.performance import dashboard, live

TODAY = dt.date(2026, 11, 25)
PERIOD = "2025-26Q2"


@pytest.fixture
def demo(db, settings, tmp_path, monkeypatch, client):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    q = dashboard.periods.parse_quarter(PERIOD)
    monkeypatch.setattr(live, "shown_quarters", lambda today=None: [q])
    load_demo(seed=11, children=60, today=TODAY)
    service = Child.objects.first().service
    apis = {
        u.username: ApiClient(client, tokens.create_token(u, name="t", days=5)[1])
        for u in User.objects.filter(username__in=["alice", "ana", "bea", "hana"])
    }
    return service, apis


def test_figures_drill_plans_and_packs_by_role(demo):
    service, api = demo
    # Figures: every role of the service; a suppressed figure leaves blank, whoever asks.
    for username in ("alice", "ana", "bea", "hana"):
        body = api[username].get("/api/v1/kpis", {"period": PERIOD}).json()
        assert body["period"] == "2025-26 Q2" and len(body["items"]) > 13, username
        for f in body["items"]:
            if f["suppressed"] and f["kpi"] != "kpi7":
                assert (f["numerator"], f["denominator"], f["value"]) == (None, None, None)
    assert any(
        f["suppressed"] for f in api["hana"].get("/api/v1/kpis", {"period": PERIOD}).json()["items"]
    )
    one = api["bea"].get("/api/v1/kpis", {"period": PERIOD, "kpi": "kpi1", "dimension": "all"})
    assert {f["kpi"] for f in one.json()["items"]} == {"kpi1"}
    is_problem(api["bea"].get("/api/v1/kpis", {"period": "2025Q9"}), 422)

    # Drill-down: the analyst gets pseudonyms, the board member nothing, the practitioner
    # only children of her team, by name; each read audited.
    url = "/api/v1/kpis/kpi1/children"
    ana = api["ana"].get(url, {"period": PERIOD}).json()
    assert ana["named"] is False and ana["count"] > 0
    assert all(r["name"] is None and r["child_id"] is None for r in ana["items"])
    assert AuditEvent.objects.filter(
        actor__username="ana", description__startswith="API Drill-down kpi1"
    ).exists()
    is_problem(api["bea"].get(url, {"period": PERIOD}), 403)
    alice_user = User.objects.get(username="alice")
    alice = api["alice"].get(url, {"period": PERIOD, "limit": 200}).json()
    team = set(Child.objects.filter(team=alice_user.team).values_list("pk", flat=True))
    assert alice["named"] is True and {r["child_id"] for r in alice["items"]} <= team
    assert alice["count"] + alice["outside_reach"] == ana["count"]
    read = AuditEvent.objects.filter(
        actor=alice_user, action="VIEW", description__startswith="API Drill-down kpi1"
    )
    assert set(read.values_list("child_id", flat=True)) == {r["child_id"] for r in alice["items"]}
    is_problem(api["ana"].get("/api/v1/kpis/nope/children", {"period": PERIOD}), 404)
    is_problem(api["ana"].get(url, {"period": PERIOD, "measure": "nope"}), 404)

    # Plans and the board pack: read by every role of the service, no names for the board.
    plan = Plan.objects.filter(service=service).first() or Plan.objects.create(
        service=service, start_year=2025, years=1
    )
    if not plan.versions.exists():
        PlanVersion.objects.create(plan=plan, number=1, year=2025)
    listed = api["bea"].get("/api/v1/plans").json()
    assert plan.pk in [p["id"] for p in listed["items"]]
    detail = api["bea"].get(f"/api/v1/plans/{plan.pk}")
    assert detail.status_code == 200 and detail.json()["context"]
    pack = api["bea"].get("/api/v1/board-packs/2025-26Q2", {"named": "true"}).json()
    assert pack["named"] is False and pack["quarter"] == "2025-26 Q2"
    text = str(pack)
    assert not any(c.display_name in text or c.last_name in text for c in Child.objects.all())
    assert AuditEvent.objects.filter(
        actor__username="bea", action="EXPORT", description__startswith="Board pack"
    ).exists()

    # A second service sees none of it.
    other = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    sol = User.objects.create_user("sol", service=other, role=Role.HEAD_OF_SERVICE)
    sol_api = ApiClient(api["bea"].client, tokens.create_token(sol, name="t", days=5)[1])
    is_problem(sol_api.get(f"/api/v1/plans/{plan.pk}"), 404)
    assert sol_api.get("/api/v1/plans").json()["items"] == []
    mine = sol_api.get(url, {"period": PERIOD}).json()
    assert mine["items"] == [] or all(r["child_id"] is None for r in mine["items"])
