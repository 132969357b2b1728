"""The snapshot: the canonical dataset exactly as dataset.py defines it, loadable by the engine."""

from __future__ import annotations

import hashlib
import json
from io import StringIO
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.management import CommandError, call_command

from yjs.casework import models as cw
from yjs.codes import SECURE_REMANDS
from yjs.governance.models import BoardAttendance, BoardMeeting
from yjs.interop.pseudonyms import child_pseudonym
from yjs.interop.snapshot import MANIFEST, arrow_schema, take_snapshot
from yjs.organisation.models import PopulationEstimate
from yjs.parenting.models import ParentingWork
from yjs.performance import dataset
from yjs.performance.loader import load_dataset

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_one_file_per_table_with_the_schema_of_dataset_py(full_demo):
    _, folder = full_demo
    names = {p.name for p in folder.iterdir()}
    assert {f"{t.name}.parquet" for t in dataset.TABLES} <= names
    assert MANIFEST in names and dataset.SNAPSHOT_MANIFEST in names
    for table in dataset.TABLES:
        schema = pq.read_schema(folder / f"{table.name}.parquet")
        assert schema.names == table.column_names, table.name
        assert schema.equals(arrow_schema(table)), table.name


def test_manifest_records_dates_counts_and_hashes(full_demo):
    _, folder = full_demo
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["as_at"] == TODAY.isoformat() and manifest["taken_at"]
    for table in dataset.TABLES:
        entry = manifest["files"][table.name]
        path = folder / entry["file"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (
            entry["rows"] == manifest["row_counts"][table.name] == pq.read_metadata(path).num_rows
        )


def test_row_counts_equal_the_database(full_demo):
    _, folder = full_demo
    rows = json.loads((folder / MANIFEST).read_text())["row_counts"]
    secure_remands = cw.Remand.objects.filter(decision__in=SECURE_REMANDS).count()
    expected = {
        "children": cw.Child.objects.count(),
        "care_status": cw.CareStatus.objects.count(),
        "send": cw.SendRecord.objects.count(),
        "offences": cw.Offence.objects.count(),
        "outcomes": cw.Outcome.objects.count(),
        "outcome_offences": cw.Outcome.offences.through.objects.count(),
        # prevention, Turnaround without an outcome, bail support and resettlement carry no
        # outcome, so they are not orders in the dataset
        "interventions": cw.Intervention.objects.filter(outcome__isnull=False).count(),
        "accommodation": cw.AccommodationRecord.objects.count(),
        "ete": cw.EteRecord.objects.count(),
        "mental_health": cw.MentalHealthRecord.objects.count(),
        "substance_misuse": cw.SubstanceMisuseRecord.objects.count(),
        "remands": cw.Remand.objects.count(),
        "custody_episodes": cw.CustodyEpisode.objects.count() + secure_remands,
        "referral_order_panels": cw.ReferralOrderPanel.objects.count(),
        "parenting": ParentingWork.objects.count(),
        "victims": cw.Victim.objects.count(),
        "victim_offences": cw.Victim.offences.through.objects.count(),
        "board_meetings": BoardMeeting.objects.count(),
        "board_attendance": BoardAttendance.objects.count(),
        "population": PopulationEstimate.objects.count(),
        "population_groups": 5 + 2 * 5,  # 5 ethnic groups; (not) looked after in 2021-2025
    }
    assert rows == expected
    assert all(expected[t] > 0 for t in expected), "every table has rows"


def test_children_are_pseudonymous(full_demo):
    _, folder = full_demo
    children = pq.read_table(folder / "children.parquet").to_pydict()
    assert "first_name" not in children and "last_name" not in children
    ids = set(children["child_id"])
    expected = {child_pseudonym(pk) for pk in cw.Child.objects.values_list("pk", flat=True)}
    assert ids == expected
    blob = b"".join(p.read_bytes() for p in folder.glob("*.parquet"))
    for first, last, ref in cw.Child.objects.values_list("first_name", "last_name", "reference")[
        :50
    ]:
        assert f"{first} {last}".encode() not in blob
        assert ref.encode() not in blob


def test_the_performance_loader_accepts_the_snapshot(full_demo):
    _, folder = full_demo
    loaded = load_dataset(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        assert loaded.row_counts == manifest["row_counts"]
        assert loaded.as_at == TODAY
    finally:
        loaded.con.close()


def test_snapshot_folders_are_dated_and_never_overwritten(tmp_path, settings):
    settings.SNAPSHOT_DIR = tmp_path / "default"
    first = take_snapshot()
    second = take_snapshot()
    service = cw.Child.objects.first().service  # one folder per service
    assert first.parent == second.parent == tmp_path / "default" / service.code
    assert first != second and first.name[:10] == second.name[:10]
    assert not list((tmp_path / "default" / service.code).glob("*.partial"))
    loaded = load_dataset(first)
    assert loaded.row_counts["children"] == cw.Child.objects.count()
    loaded.con.close()


def test_snapshot_command_prints_the_folder(tmp_path):
    out = StringIO()
    call_command("snapshot", "--out", str(tmp_path), "--as-at", "2026-09-30", stdout=out)
    folder = Path(out.getvalue().strip())
    assert folder.parent == tmp_path and (folder / "children.parquet").exists()
    assert json.loads((folder / MANIFEST).read_text())["as_at"] == "2026-09-30"
    with pytest.raises(CommandError, match="not a date"):
        call_command("snapshot", "--as-at", "30/09/2026", stdout=StringIO())
    (tmp_path / "file").write_text("x")
    with pytest.raises(CommandError, match="not a folder"):
        call_command("snapshot", "--out", str(tmp_path / "file"), stdout=StringIO())
