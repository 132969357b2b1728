"""Tasks: started by the journey's workflows (a new order's start tasks, a pre-sentence report,
a victim) or added by hand; shown on "My work" overdue first, with the team's overdue tasks for
its manager."""

import datetime

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, date_fields
from yjs.casework import services as casework
from yjs.casework.models import Offence, Outcome, Victim
from yjs.court import services as court
from yjs.court.models import Hearing, PreSentenceReport
from yjs.diary.models import Task

D = datetime.date
K = Task.Kind


@pytest.fixture
def on_4_march_2026(monkeypatch):
    """Casework's today is Wednesday 4 March 2026 (no bank holiday in March 2026)."""
    monkeypatch.setattr(casework, "today", lambda: D(2026, 3, 4))


OFFENCE_DATE, ORDER_DATE = D(2026, 1, 10), D(2026, 3, 2)


def _offence(child, on=OFFENCE_DATE):
    return casework.record_offence(
        None,
        Offence(child=child, offence_date=on, description="Theft", category="THEFT_AND_HANDLING"),
    )


def _order(actor, child, code="YRO", on=ORDER_DATE, months=12):
    outcome = Outcome(
        child=child,
        code=code,
        outcome_date=on,
        length_months=months,
        appeal_status="NONE",
        residence="LOCAL",
    )
    return casework.record_outcome(actor, outcome, [_offence(child)])


def test_a_new_yro_starts_its_tasks_due_in_working_days(on_4_march_2026, jay, people):
    # Monday 2 March 2026: +5 working days is Monday 9 March, +15 is Monday 23 March.
    order = _order(people["mo"], jay)
    tasks = list(Task.objects.order_by("due_date", "id"))
    assert [(t.kind, t.due_date, t.owner, t.child, t.source) for t in tasks] == [
        (K.FIRST_APPOINTMENT, D(2026, 3, 9), people["alice"], jay, "WORKFLOW"),
        (K.INITIAL_ASSESSMENT, D(2026, 3, 23), people["alice"], jay, "WORKFLOW"),
        (K.PLAN_AGREED, D(2026, 3, 23), people["alice"], jay, "WORKFLOW"),
    ]
    assert {t.origin for t in tasks} == {f"outcome:{order.pk}"}
    assert all(t.created_by == people["mo"] for t in tasks)
    # a change to the order starts nothing new
    order.court = "Northshire Youth Court"
    casework.update_record(people["mo"], order, offences=list(order.offences.all()))
    assert Task.objects.count() == 3


def test_a_referral_order_has_its_first_panel_task(on_4_march_2026, jay, people):
    _order(people["alice"], jay, code="REFERRAL_ORDER", months=6)
    panel = Task.objects.get(kind=K.PANEL_MEETING)
    assert panel.due_date == D(2026, 3, 30)  # 20 working days after Monday 2 March


def test_no_start_tasks_for_an_old_order_or_a_fine(on_4_march_2026, jay, people):
    _order(people["alice"], jay, on=D(2026, 2, 1))  # 31 days before it is recorded: history
    _order(people["alice"], jay, code="FINE", months=None)
    assert not Task.objects.exists()


def test_a_report_requested_and_a_victim_recorded_start_their_tasks(on_4_march_2026, jay, people):
    offence = _offence(jay)
    hearing = Hearing.objects.create(
        child=jay, court="Northshire Youth Court", hearing_date=D(2026, 3, 3), hearing_type="FIRST"
    )
    hearing.offences.set([offence])
    court.record_report(
        people["alice"],
        PreSentenceReport(
            child=jay, requested_at=hearing, requested_on=D(2026, 3, 3), due_on=D(2026, 3, 24)
        ),
    )
    psr = Task.objects.get(kind=K.PSR_DUE)
    assert (psr.due_date, psr.owner, psr.title) == (
        D(2026, 3, 24),
        people["alice"],
        "Pre-sentence report due",
    )
    casework.record_victim(
        people["alice"],
        Victim(service=jay.service, victim_type="INDIVIDUAL", name="Vic Tim"),
        [offence],
    )
    victim = Task.objects.get(kind=K.VICTIM_CONTACT)
    assert victim.due_date == D(2026, 3, 18)  # 10 working days after Wednesday 4 March
    # a victim who said no to contact starts no task
    casework.record_victim(
        people["alice"],
        Victim(
            service=jay.service, victim_type="INDIVIDUAL", name="Val Ue", consent_to_contact="NO"
        ),
        [offence],
    )
    assert Task.objects.filter(kind=K.VICTIM_CONTACT).count() == 1


def _task(owner, due, title, child=None, status="TO_DO"):
    return Task.objects.create(
        owner=owner, child=child, title=title, kind="OTHER", due_date=due, status=status
    )


def test_my_work_shows_overdue_first_then_this_week(client, jay, kim, people):
    today = timezone.localdate()
    _task(people["alice"], today + datetime.timedelta(days=30), "Later task", jay)
    _task(people["alice"], today - datetime.timedelta(days=2), "Overdue by two days", jay)
    _task(people["alice"], today - datetime.timedelta(days=9), "Overdue by nine days")
    _task(people["alice"], today - datetime.timedelta(days=1), "Done already", status="DONE")
    _task(people["bob"], today - datetime.timedelta(days=3), "Overdue task of Bob", kim)
    client.login(username="alice", password=PASSWORD)
    page = client.get("/my-work/").content.decode()
    assert "Overdue tasks: 2" in page
    assert page.index("Overdue by nine days") < page.index("Overdue by two days")
    assert page.index("Overdue by two days") < page.index("Later task")
    assert page.count("govuk-tag--red") == 2
    assert "Done already" not in page and "Bob" not in page
    assert "Overdue tasks of the team" not in page


def test_a_team_manager_sees_the_teams_overdue_tasks(client, jay, kim, people):
    today = timezone.localdate()
    _task(people["alice"], today - datetime.timedelta(days=2), "Overdue task of Alice", jay)
    _task(people["bob"], today - datetime.timedelta(days=3), "Overdue task of Bob", kim)
    client.login(username="mo", password=PASSWORD)
    page = client.get("/my-work/").content.decode()
    assert "Overdue tasks of the team: 1" in page
    assert "Overdue task of Alice" in page and "Alice Archer" in page
    assert "Overdue task of Bob" not in page  # team South is not mo's team


def test_a_task_is_added_by_hand_and_marked_done(client, jay, kim, people):
    client.login(username="alice", password=PASSWORD)
    due = timezone.localdate() + datetime.timedelta(days=3)
    r = client.post(
        "/my-work/tasks/new/",
        {
            "title": "Review assessment",
            "kind": "REVIEW_ASSESSMENT",
            **date_fields("due_date", due),
            "owner": people["alice"].pk,
            "child": jay.pk,
        },
    )
    assert r.status_code == 302
    task = Task.objects.get()
    assert (task.source, task.created_by, task.status) == ("HAND", people["alice"], "TO_DO")
    # Kim is not in alice's reach: she cannot be chosen
    r = client.post(
        "/my-work/tasks/new/",
        {
            "title": "X",
            "kind": "OTHER",
            **date_fields("due_date", due),
            "owner": people["alice"].pk,
            "child": kim.pk,
        },
    )
    assert "Select a valid choice" in r.content.decode()
    # bob cannot finish alice's task; alice can
    client.login(username="bob", password=PASSWORD)
    assert client.post(f"/my-work/tasks/{task.pk}/done/").status_code == 403
    client.login(username="alice", password=PASSWORD)
    assert client.get(f"/my-work/tasks/{task.pk}/done/").status_code == 405
    assert (
        client.post(f"/my-work/tasks/{task.pk}/done/", {"revision": task.revision}).status_code
        == 302
    )
    task.refresh_from_db()
    assert task.status == "DONE" and task.done_at is not None
