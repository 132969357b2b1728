"""Live figures: computed once per snapshot in the background, never while a page waits.

The service: Northshire with 10,000 children aged 10-17 (ONS 2021, 625 per age and sex).
Reported for 2022-23 Q3, whose FTE window is Oct 2021 - Sep 2022 (one-quarter lag):

- Drew (born 1 Jan 2007) had a youth caution on 1 June 2022, his first substantive outcome:
  one first time entrant, 1 / 10,000 x 100,000 = 10 per 100,000.
- The change: Elliot (born 1 Mar 2008) is given a youth caution on 10 July 2022, also his first:
  two first time entrants, 2 / 10,000 x 100,000 = 20 per 100,000.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import PASSWORD, make_child
from yjs.periods import parse_quarter, quarters_between

QUARTER = parse_quarter("2022-23 Q3")
# The eight quarters the dashboard's trend shows for QUARTER: what the refresh computes here.
SHOWN = list(quarters_between(QUARTER.previous(7), QUARTER))
FTE = ("fte", "fte_rate", QUARTER.label, "all", "all")


@pytest.fixture
def service(northshire, people, settings, tmp_path, monkeypatch):
    from yjs.organisation.models import PopulationEstimate
    from yjs.performance import live

    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    monkeypatch.setattr(live, "shown_quarters", lambda today=None: SHOWN)
    la = northshire.local_authorities.first()
    PopulationEstimate.objects.bulk_create(
        PopulationEstimate(local_authority=la, year=2021, age=age, sex=sex, count=625)
        for age in range(10, 18)
        for sex in ("1", "2")
    )
    caution(people["alice"], northshire, "Drew", dt.date(2007, 1, 1), dt.date(2022, 6, 1))
    return northshire


def caution(actor, service, first, dob, on):
    """A child of team North with a first youth caution for a theft a month earlier."""
    from yjs.casework import services
    from yjs.casework.models import Offence, Outcome

    child = make_child(service, service.teams.get(name="North"), first=first, dob=dob)
    offence = services.record_offence(
        actor,
        Offence(child=child, offence_date=on - dt.timedelta(days=30), description="Theft",
                category="THEFT_AND_HANDLING", gravity_score=2),
    )
    outcome = Outcome(child=child, code="YOUTH_CAUTION", outcome_date=on, residence="LOCAL",
                      appeal_status="NONE")
    services.record_outcome(actor, outcome, [offence])
    return child


@pytest.fixture
def queue_only(settings):
    """Tasks are recorded, not run: a test sees what was queued."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def no_engine(monkeypatch):
    """Make any engine run fail the test: pages must read the figures kept beside the snapshot."""
    from yjs.performance import engine

    def refuse(*args, **kwargs):
        raise AssertionError("a page ran the KPI engine")

    monkeypatch.setattr(engine, "run", refuse)
    monkeypatch.setattr(engine, "run_kpi", refuse)


def fte_card(response):
    return next(c for c in response.context["cards"] if c.kpi == "fte")


def test_after_a_change_the_last_figures_show_and_one_refresh_is_queued(
    client, service, people, queue_only, monkeypatch
):
    from yjs.performance import live
    from yjs.performance.tasks import refresh_figures

    client.login(username="hana", password=PASSWORD)
    first = live.refresh(service)
    url = f"/performance/?period={QUARTER.yjb_label}"
    with monkeypatch.context() as m:
        no_engine(m)
        before = client.get(url)
        assert (fte_card(before).numerator, fte_card(before).value) == (1, 10.0)
        assert not before.context["refreshing"]

        caution(people["alice"], service, "Elliot", dt.date(2008, 3, 1), dt.date(2022, 7, 10))
        pages = [client.get(url) for _ in range(3)]
    for page in pages:  # the previous figures, said to be refreshing, every time
        assert page.context["snapshot"] == first
        assert "Figures as at" in page.content.decode()
        assert "refreshing" in page.content.decode()
    assert (fte_card(pages[0]).numerator, fte_card(pages[0]).value) == (1, 10.0)
    # drawn once for the snapshot shown (yjs/page_cache.py), the same page the next times
    assert "cards" not in pages[1].context
    main = [page.content.decode().split("<main", 1)[1] for page in pages]
    assert main[1] == main[2] == main[0]
    assert [r.task.name for r in queue_only.results] == ["refresh_figures"]  # one, not three

    second = refresh_figures.call(*queue_only.results[0].args)  # what the worker does
    assert second != first
    with monkeypatch.context() as m:
        no_engine(m)
        after = client.get(url)
    assert after.context["snapshot"] == second and not after.context["refreshing"]
    assert (fte_card(after).numerator, fte_card(after).value) == (2, 20.0)
    assert "refreshing" not in after.content.decode()


def test_with_the_immediate_backend_the_next_page_has_the_new_figures(client, service, people):
    """Tests (and a deployment without a worker) run the refresh in the request that asks."""
    from yjs.performance import live

    client.login(username="hana", password=PASSWORD)
    live.refresh(service)
    url = f"/performance/?period={QUARTER.yjb_label}"
    caution(people["alice"], service, "Elliot", dt.date(2008, 3, 1), dt.date(2022, 7, 10))
    assert client.get(url).context["refreshing"]  # this one was drawn before the refresh ran
    after = client.get(url)
    assert not after.context["refreshing"]
    assert fte_card(after).numerator == 2


def test_every_shown_quarter_is_computed_in_one_pass(service, monkeypatch):
    """One load of the dataset for all eight quarters; each quarter's file written, then the
    snapshot marked ready; the figures are the engine's (1 FTE, 10 per 100,000)."""
    from yjs.performance import live

    loads = []
    real_load = live.load_dataset

    def counting_load(folder, **kwargs):
        loads.append(folder)
        return real_load(folder, **kwargs)

    monkeypatch.setattr(live, "load_dataset", counting_load)
    snapshot = live.current_snapshot(service)
    ready = live.compute_all(snapshot, SHOWN)
    assert len(loads) == 1
    assert ready["quarters"] == [q.yjb_label for q in SHOWN]
    assert sorted(p.name for p in (snapshot / "results").iterdir()) == sorted(
        [f"{q.yjb_label}.json" for q in SHOWN]
        + [f"{q.yjb_label}.headlines.json" for q in SHOWN]  # what the dashboard's cards read
        + [f"{q.yjb_label}.members.parquet" for q in SHOWN]
        + ["ready.json", "dataset.duckdb", "dataset.json"]
    )
    rows = live.results(snapshot, QUARTER)
    fte = next(r for r in rows if (r["kpi"], r["measure"], r["dimension"]) == FTE[:2] + ("all",))
    assert (fte["numerator"], fte["denominator"], fte["value"]) == (1, 10_000, 10.0)
    assert "numerator_child_ids" not in fte  # drill-downs ask the engine; the cache is figures

    live.compute_all(snapshot, SHOWN)  # done already: nothing loaded again
    assert len(loads) == 1

    # a drill-down into a quarter the pass did not cover copies back the tables it kept,
    # without reading the files again
    live._loaded.clear()
    children = live.drill(snapshot, "fte", QUARTER.next(), "fte_count")
    assert len(loads) == 1
    assert [(c["in_numerator"], c["in_denominator"]) for c in children] == [(True, False)]


def test_the_draft_plan_reads_the_cached_figures_and_never_runs_the_engine(
    client, service, people, monkeypatch
):
    from yjs.governance import services
    from yjs.governance.models import Plan, PlanVersion
    from yjs.performance import live

    snapshot = live.refresh(service)
    plan = Plan.objects.create(service=service, start_year=2023, years=1)
    version = PlanVersion.objects.create(plan=plan, number=1, year=2023, kpi_quarter=QUARTER.label)
    no_engine(monkeypatch)
    context, _problems = services.review(version)
    assert context["kpi_errors"] == []
    assert context["snapshot_ref"].endswith(snapshot)
    fte = next(f for f in context["quoted"] if f["ref"] == "/".join(FTE))
    assert (fte["numerator"], fte["value"]) == (1, 10.0)
    client.login(username="hana", password=PASSWORD)
    page = client.get(f"/governance/plans/{plan.pk}/v1/")
    assert page.status_code == 200


def test_the_draft_plan_after_a_change_keeps_the_snapshot_it_names(
    client, service, people, queue_only, monkeypatch
):
    """Saving casework (or the plan) does not make the plan page wait for a recompute: it
    quotes the last computed snapshot, named in its context, and a refresh is queued."""
    from yjs.governance import services
    from yjs.governance.models import Plan, PlanVersion
    from yjs.performance import live

    snapshot = live.refresh(service)
    plan = Plan.objects.create(service=service, start_year=2023, years=1)
    version = PlanVersion.objects.create(plan=plan, number=1, year=2023, kpi_quarter=QUARTER.label)
    caution(people["alice"], service, "Elliot", dt.date(2008, 3, 1), dt.date(2022, 7, 10))
    no_engine(monkeypatch)
    context, _problems = services.review(version)
    assert context["snapshot_ref"].endswith(snapshot)
    fte = next(f for f in context["quoted"] if f["ref"] == "/".join(FTE))
    assert fte["numerator"] == 1
    assert len(queue_only.results) == 1
    assert context["refreshing"] is True
    # the page says which figures it shows and that newer ones are coming
    client.force_login(people["hana"])
    page = client.get(f"/governance/plans/{plan.pk}/v1/").content.decode()
    assert "Figures as at" in page and "refreshing" in page


def test_the_shown_snapshot_survives_pruning(service, people, queue_only, settings):
    """While refreshes are pending, newer snapshots without figures never push out the one
    whose figures are on screen."""
    from yjs.performance import live

    shown = live.refresh(service)
    root = settings.SNAPSHOT_DIR / service.code
    for n in range(3):
        caution(people["alice"], service, f"Kid{n}", dt.date(2008, 3, 1), dt.date(2022, 7, 10))
        live.current_snapshot(service)  # a snapshot whose figures are not computed yet
    live.prune(root, keep=1)
    assert (root / shown).exists()
    assert live.figures(service).snapshot.name == shown


def test_the_refresh_draws_the_draft_plans_charts_so_its_export_draws_none(
    service, people, settings, tmp_path, monkeypatch
):
    """The plan quotes QUARTER; its FTE chart has eight points (0 before Drew's quarter, 10 in
    it), drawn by the background refresh; the export then finds every chart already drawn."""
    from yjs.governance import documents, services
    from yjs.governance.models import Plan, PlanVersion
    from yjs.performance.tasks import refresh_figures

    settings.VAR_DIR = tmp_path / "var"
    plan = Plan.objects.create(service=service, start_year=2023, years=1)
    version = PlanVersion.objects.create(plan=plan, number=1, year=2023, kpi_quarter=QUARTER.label)
    refresh_figures.call(service.pk)
    drawn = sorted((settings.VAR_DIR / "charts").glob("*.png"))
    assert drawn

    def refuse(chart):
        raise AssertionError(f"drew {chart['title']} while exporting")

    monkeypatch.setattr(documents, "_draw_chart", refuse)
    no_engine(monkeypatch)
    data, _problems = services.export(version, "docx", people["hana"])
    assert data[:2] == b"PK"


def count_engine_drills(monkeypatch) -> list:
    """Record every membership query the engine runs (``engine.drill``), and refuse to load or
    restore a dataset: a drill-down after the refresh must read what the refresh stored."""
    from yjs.performance import engine, live

    calls = []
    real = engine.drill

    def counting(*args, **kwargs):
        calls.append(args[1:3])
        return real(*args, **kwargs)

    def refuse(*args, **kwargs):
        raise AssertionError("a drill-down loaded the dataset")

    monkeypatch.setattr(engine, "drill", counting)
    monkeypatch.setattr(live, "loaded", refuse)
    return calls


def test_a_drill_down_after_the_refresh_reads_the_stored_children(
    client, service, people, monkeypatch
):
    """The refresh stores each quarter's children behind every figure; the drill-down page is
    then a keyed read: no membership SQL, no dataset, and still audited."""
    from yjs.audit.models import AuditEvent
    from yjs.performance import live

    live.refresh(service)
    live._loaded.clear()
    client.login(username="hana", password=PASSWORD)
    calls = count_engine_drills(monkeypatch)
    no_engine(monkeypatch)
    # the figure on screen is the newest ready snapshot's: no fingerprint of the casework
    monkeypatch.setattr(live, "data_fingerprint", lambda: pytest.fail("took a fingerprint"))
    page = client.get(f"/performance/drill/fte/?period={QUARTER.yjb_label}&measure=fte_count")
    assert page.status_code == 200
    assert [r["child"].first_name for r in page.context["rows"]] == ["Drew"]
    assert page.context["result"]["numerator"] == 1
    assert calls == []
    assert AuditEvent.objects.filter(
        actor=people["hana"], action="VIEW", description__startswith="Drill-down fte fte_count"
    ).count() == 1
    unknown = client.get(f"/performance/drill/fte/?period={QUARTER.yjb_label}&measure=nope")
    assert unknown.status_code == 404


def test_a_change_and_its_refresh_replace_the_stored_children(service, people, monkeypatch):
    """Elliot's caution: after the refresh the figures' snapshot stores both first time
    entrants; the old snapshot keeps its own (one), as its figures do."""
    from yjs.performance import live

    live.refresh(service)
    first = live.figures(service).snapshot
    caution(people["alice"], service, "Elliot", dt.date(2008, 3, 1), dt.date(2022, 7, 10))
    live.refresh(service)
    second = live.figures(service).snapshot
    assert second != first
    calls = count_engine_drills(monkeypatch)
    before = live.drill(first, "fte", QUARTER, "fte_count")
    after = live.drill(second, "fte", QUARTER, "fte_count")
    assert calls == []
    assert len(before) == 1 and len(after) == 2
    assert before[0] in after
