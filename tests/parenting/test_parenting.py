"""Parenting work (issue 11): a parenting order, a parenting contract or voluntary parenting
support, recorded on the child's record with its rules, audited, versioned, voidable, refused to
anyone who may not change the child, and exported to the KPI snapshot without names or text."""

import datetime
import re

import pyarrow.parquet as pq
import pytest

from tests.conftest import PASSWORD, date_fields
from yjs.audit.models import AuditEvent
from yjs.interop.snapshot import take_snapshot
from yjs.organisation.models import Role, Service, Team, User
from yjs.parenting.models import ParentingWork
from yjs.performance import dataset

D = datetime.date
MADE, START = D(2025, 3, 3), D(2025, 3, 10)


def _errors(response) -> list[str]:
    page = response.content.decode()
    assert "govuk-error-summary" in page
    return re.findall(
        r'govuk-error-message">\s*<span[^>]*>Error:</span>\s*(.*?)\s*</p>', page, re.S
    )


def _form(**values) -> dict:
    data = {
        "kind": "PARENTING_ORDER",
        "programme": "TRIPLE_P_GROUP",
        "parent_or_carer": "Mother",
        "court": "Northshire Youth Court",
        **date_fields("order_made_on", MADE),
        **date_fields("start_date", START),
        **date_fields("planned_end_date", D(2025, 6, 9)),
        "notes": "Eight group sessions at the family centre",
    }
    for key, value in values.items():
        if isinstance(value, datetime.date):
            data.update(date_fields(key, value))
        elif value is None:  # leave the answer out
            for k in [k for k in data if k == key or k.startswith(f"{key}_")]:
                del data[k]
        else:
            data[key] = value
    return data


def _post(client, child, **values):
    return client.post(f"/children/{child.pk}/parenting/new/", _form(**values))


def _work(child, **extra) -> ParentingWork:
    values = {
        "child": child,
        "kind": "VOLUNTARY",
        "programme": "ONE_TO_ONE",
        "parent_or_carer": "Father",
        "start_date": START,
        **extra,
    }
    return ParentingWork.objects.create(**values)


def test_a_parenting_order_is_recorded_audited_and_shown(client, jay, people):
    client.login(username="alice", password=PASSWORD)
    response = _post(client, jay, worker=people["alice"].pk)
    assert response.status_code == 302
    work = ParentingWork.objects.get(child=jay)
    assert (work.kind, work.order_made_on, work.court, work.worker) == (
        "PARENTING_ORDER",
        MADE,
        "Northshire Youth Court",
        people["alice"],
    )
    assert work.end_date is None and work.completed_successfully is None
    created = AuditEvent.objects.get(action="CREATE", object_type="parenting work")
    assert created.child_id == jay.pk and created.actor == people["alice"]
    page = client.get(f"/children/{jay.pk}/?show=all").content.decode()
    assert "Parenting work" in page and "Triple P, group: Mother" in page
    assert f"/children/{jay.pk}/parenting/new/" in page  # the record link
    assert "Made by Northshire Youth Court on 3 March 2025" in page  # the timeline
    record = client.get(f"/children/{jay.pk}/records/parenting/{work.pk}/")
    assert record.status_code == 200
    assert "Parenting order (Crime and Disorder Act 1998 s.8)" in record.content.decode()


def test_impossible_parenting_work_is_refused_with_the_error_summary(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = _post(
        client, jay, end_date=D(2025, 3, 9), end_reason="COMPLETED", completed_successfully="True"
    )
    assert _errors(r) == [
        "Date the work ended must be the same as or after the date the work started"
    ]
    r = _post(client, jay, completed_successfully="True")
    assert _errors(r) == ["Enter the date the work ended before saying whether it was completed"]
    r = _post(client, jay, end_date=D(2025, 5, 1))
    assert _errors(r) == [
        "Select why the work ended",
        "Select whether the work was completed successfully",
    ]
    r = _post(
        client, jay, end_date=D(2025, 5, 1), end_reason="COMPLETED", completed_successfully="False"
    )
    assert _errors(r)[0].startswith("Work that ended as completed was completed successfully")
    r = _post(client, jay, order_made_on=None, court="")
    assert _errors(r) == [
        "Enter the date the court made the parenting order",
        "Enter the court that made the parenting order",
    ]
    r = _post(client, jay, start_date=D(2025, 3, 2))
    assert _errors(r) == [
        "Date the work started must be the same as or after the date the court made the "
        "order (3 March 2025)"
    ]
    r = _post(client, jay, kind="PARENTING_CONTRACT")
    assert _errors(r) == [
        "Only a parenting order has a date the court made it: leave it blank",
        "Only a parenting order has a court: leave it blank",
    ]
    r = _post(client, jay, kind="", parent_or_carer="")
    assert _errors(r)[:2] == [
        "Select the kind of parenting work",
        "Enter who receives the parenting work",
    ]
    future = datetime.date.today() + datetime.timedelta(days=30)
    r = _post(
        client,
        jay,
        kind="VOLUNTARY",
        order_made_on=None,
        court="",
        start_date=future,
        planned_end_date=future + datetime.timedelta(days=60),
    )
    assert _errors(r) == ["Date the work started must be today or in the past"]
    assert not ParentingWork.all_objects.exists()
    # ended and completed, with a planned end ahead of today: accepted
    ok = _post(
        client,
        jay,
        kind="VOLUNTARY",
        order_made_on=None,
        court="",
        end_date=D(2025, 5, 5),
        end_reason="COMPLETED",
        completed_successfully="True",
        planned_end_date=datetime.date.today() + datetime.timedelta(days=10),
    )
    assert ok.status_code == 302
    assert ParentingWork.objects.get().completed_successfully is True


def test_changed_on_its_record_page_once_and_voided(client, jay, people):
    work = _work(jay)
    url = f"/children/{jay.pk}/records/parenting/{work.pk}/"
    opened = work.revision
    client.login(username="alice", password=PASSWORD)
    ended = {
        **_form(
            kind="VOLUNTARY",
            order_made_on=None,
            court="",
            programme="ONE_TO_ONE",
            parent_or_carer="Father",
            end_date=D(2025, 4, 28),
            end_reason="DISENGAGED",
            completed_successfully="False",
        ),
        "revision": opened,
    }
    assert client.post(f"{url}edit/", ended).status_code == 302
    work.refresh_from_db()
    assert (work.end_date, work.completed_successfully, work.end_reason) == (
        D(2025, 4, 28),
        False,
        "DISENGAGED",
    )
    assert AuditEvent.objects.filter(action="UPDATE", object_type="parenting work").exists()
    # mo opened the page before alice saved: his change is refused, not saved over hers
    client.login(username="mo", password=PASSWORD)
    stale = client.post(f"{url}edit/", {**ended, "end_reason": "MOVED"})
    assert stale.status_code == 200
    assert "This record was changed by Alice Archer" in stale.content.decode()
    work.refresh_from_db()
    assert work.end_reason == "DISENGAGED"
    client.login(username="alice", password=PASSWORD)
    voided = client.post(f"{url}void/", {"reason": "Wrong child", "revision": work.revision})
    assert voided.status_code == 302
    assert not ParentingWork.objects.exists() and ParentingWork.all_objects.get().voided


@pytest.fixture
def zed(db):
    service = Service.objects.create(name="Southshire Youth Justice Service", code="southshire")
    team = Team.objects.create(service=service, name="West")
    return User.objects.create_user(
        username="zed", password=PASSWORD, service=service, team=team, role=Role.PRACTITIONER
    )


@pytest.mark.parametrize("who", ["bob", "zed", "ana", "bea"])
def test_another_team_service_an_analyst_or_a_board_member_is_refused(
    client, jay, people, zed, who
):
    work = _work(jay)
    record = f"/children/{jay.pk}/records/parenting/{work.pk}/"
    client.login(username=who, password=PASSWORD)
    refused = (403, 404)
    assert client.get(f"/children/{jay.pk}/parenting/new/").status_code in refused
    assert client.post(f"/children/{jay.pk}/parenting/new/", _form()).status_code in refused
    assert client.get(record).status_code in refused
    assert client.post(f"{record}edit/", {**_form(), "revision": work.revision}).status_code in (
        refused
    )
    assert client.post(
        f"{record}void/", {"reason": "x", "revision": work.revision}
    ).status_code in (refused)
    assert ParentingWork.objects.count() == 1 and not ParentingWork.all_objects.get().voided


@pytest.mark.parametrize("who", ["alice", "mo", "hana"])
def test_the_team_and_the_managers_may_record(client, jay, people, who):
    client.login(username=who, password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/parenting/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Record parenting work" in html and "Was it completed successfully?" in html
    # kind, why it ended and completed: GOV.UK radios, none ticked on a new record
    assert html.count('class="govuk-radios__input"') == 3 + 6 + 2
    assert "checked" not in html


def test_the_kinds_are_the_datasets_codes():
    column = dataset.TABLE_BY_NAME["parenting"].column("kind")
    assert set(column.codes) == set(ParentingWork.Kind.values)


def test_the_snapshot_carries_kind_dates_and_completion_only(jay, kim, tmp_path):
    kim.residence = "OTHER"
    kim.save()
    _work(
        jay,
        kind="PARENTING_ORDER",
        order_made_on=MADE,
        court="Eastmoor Youth Court",
        parent_or_carer="Grandmother Edna Smith",
        notes="Secret notes about the family",
        end_date=D(2025, 6, 2),
        completed_successfully=True,
        end_reason="COMPLETED",
    )
    _work(kim)
    gone = _work(jay, kind="PARENTING_CONTRACT")
    ParentingWork.all_objects.filter(pk=gone.pk).update(
        voided_at=datetime.datetime.now(datetime.UTC)
    )
    folder = take_snapshot(tmp_path, as_at=D(2025, 7, 1))
    table = pq.read_table(folder / "parenting.parquet")
    assert table.column_names == [
        "parenting_id",
        "child_id",
        "kind",
        "start_date",
        "end_date",
        "completed",
        "residence",
        "voided",
    ]
    rows = sorted(table.to_pylist(), key=lambda r: r["kind"])
    assert [(r["kind"], r["end_date"], r["completed"], r["residence"]) for r in rows] == [
        ("PARENTING_ORDER", D(2025, 6, 2), True, "LOCAL"),
        ("VOLUNTARY", None, None, "OTHER"),
    ]
    text = repr(table.to_pylist())
    for private in ("Edna", "Secret", "Eastmoor", "Smith", "Jones", "ONE_TO_ONE", "Father"):
        assert private not in text
