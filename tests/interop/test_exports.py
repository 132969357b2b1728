"""Dataset exports: pseudonymised by default, named only for the service's lead, audited."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from yjs.audit.models import AuditEvent
from yjs.interop import exports
from yjs.interop.pseudonyms import child_pseudonym
from yjs.performance import dataset

pytestmark = pytest.mark.django_db
URL = "/performance/dataset.csv"


def _files(response) -> dict[str, list[dict]]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(zf.read(name).decode())))
            for name in zf.namelist()
        }


def _text(response) -> str:
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist())


@pytest.mark.parametrize("username", ["ana", "mo", "hana"])
def test_pseudonymised_export_has_no_names_or_exact_birth_date(client, jay, kim, username):
    client.login(username=username, password=PASSWORD)
    response = client.get(URL)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "pseudonymised.zip" in response["Content-Disposition"]
    files = _files(response)
    assert set(files) == {t.name for t in dataset.TABLES}
    children = {r["child_id"]: r for r in files["children"]}
    assert set(children) == {child_pseudonym(jay.pk), child_pseudonym(kim.pk)}
    assert children[child_pseudonym(jay.pk)]["birth_month"] == "2010-05"
    assert "date_of_birth" not in files["children"][0]
    body = _text(response)
    for marker in ("Jay", "Smith", "Kim", "Jones", jay.reference, "2010-05-01"):
        assert marker not in body
    event = AuditEvent.objects.filter(action="EXPORT").latest("id")
    assert event.actor_username == username
    assert event.description == "Dataset export (pseudonymised, csv): 2 children"


def test_keyed_hash_is_stable_and_depends_on_the_key(client, jay, settings):
    client.login(username="ana", password=PASSWORD)
    first = _files(client.get(URL))["children"][0]["child_id"]
    assert _files(client.get(URL))["children"][0]["child_id"] == first == child_pseudonym(jay.pk)
    settings.PSEUDONYM_KEY = "another installation's key"
    assert _files(client.get(URL))["children"][0]["child_id"] != first


@pytest.mark.parametrize("username", ["alice", "bob", "mo", "ana", "bea"])
def test_named_export_is_refused_without_the_permission(client, jay, username):
    client.login(username=username, password=PASSWORD)
    before = AuditEvent.objects.filter(action="EXPORT").count()
    assert client.get(URL + "?named=1").status_code == 403
    assert client.get("/performance/dataset.xlsx?named=1").status_code == 403
    assert AuditEvent.objects.filter(action="EXPORT").count() == before


@pytest.mark.parametrize("username", ["alice", "bea"])
def test_practitioner_and_board_member_get_no_export_at_all(client, jay, username):
    client.login(username=username, password=PASSWORD)
    assert client.get(URL).status_code == 403


def test_named_export_for_the_head_of_service_is_audited_per_child(client, jay, kim):
    client.login(username="hana", password=PASSWORD)
    response = client.get(URL + "?named=1")
    assert response.status_code == 200 and "named.zip" in response["Content-Disposition"]
    children = {r["reference"]: r for r in _files(response)["children"]}
    assert children[jay.reference]["first_name"] == "Jay"
    assert children[jay.reference]["last_name"] == "Smith"
    assert children[jay.reference]["date_of_birth"] == "2010-05-01"
    assert children[jay.reference]["child_id"] == child_pseudonym(jay.pk)
    events = AuditEvent.objects.filter(action="EXPORT", actor_username="hana")
    assert {e.child_id for e in events if e.child_id} == {jay.pk, kim.pk}
    assert events.filter(description="Dataset export (named, csv): 2 children").exists()


def test_xlsx_export_has_a_sheet_per_table(client, jay):
    client.login(username="ana", password=PASSWORD)
    response = client.get("/performance/dataset.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content), read_only=True)
    assert set(wb.sheetnames) == {t.name[:31] for t in dataset.TABLES}
    rows = list(wb["children"].iter_rows(values_only=True))
    assert rows[0][:2] == ("child_id", "birth_month")
    assert rows[1][:2] == (child_pseudonym(jay.pk), "2010-05")


def test_export_reads_only_the_users_service(client, jay, northshire):
    from tests.conftest import make_child
    from yjs.organisation.models import Service, Team

    south = Service.objects.create(name="Southvale", code="southvale")
    team = Team.objects.create(service=south, name="S")
    make_child(south, team, first="Other", last="Child")
    tables, count = exports.dataset_tables(northshire)
    assert count == 1
    assert [r[0] for r in tables["children"][1]] == [child_pseudonym(jay.pk)]


def test_cli_writes_a_pseudonymised_file_and_audits(jay, tmp_path):
    from django.core.management import CommandError, call_command

    out = tmp_path / "d.zip"
    call_command("export_dataset", out=str(out))
    with zipfile.ZipFile(out) as zf:
        body = "".join(zf.read(n).decode() for n in zf.namelist())
    assert child_pseudonym(jay.pk) in body and "Smith" not in body and "2010-05-01" not in body
    assert AuditEvent.objects.filter(action="EXPORT", description__contains="1 children").exists()
    with pytest.raises(CommandError, match="exists"):
        call_command("export_dataset", out=str(out))
    with pytest.raises(CommandError, match=r"\.zip or \.xlsx"):
        call_command("export_dataset", out=str(tmp_path / "d.txt"))


@pytest.mark.parametrize(
    ("username", "pseudonymised", "named"),
    [("hana", True, True), ("mo", True, False), ("ana", True, False), ("bea", False, False)],
)
def test_dashboard_offers_the_exports_each_role_may_take(
    client, people, settings, tmp_path, username, pseudonymised, named
):
    settings.SNAPSHOT_DIR = tmp_path / "snapshots"
    client.login(username=username, password=PASSWORD)
    page = client.get("/performance/").content.decode()
    assert ("/performance/dataset.csv" in page) is pseudonymised
    assert ("dataset.csv?named=1" in page) is named
