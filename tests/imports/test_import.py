"""`yj import`: bad input refused with a report and nothing written, dry run, idempotence,
updates audited, people matched, a mapping's translations, XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from yjs.audit import services as audit
from yjs.audit.models import AuditEvent
from yjs.casework import models as cw
from yjs.interop import bulk
from yjs.interop.importer import TABLES, import_source, load_mapping
from yjs.interop.models import SourceRecord

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

FILES = {
    "children": [
        ["child_id", "date_of_birth", "sex", "ethnicity", "first_name", "last_name"],
        ["C1", "2010-03-01", "1", "WHITE_BRITISH", "Ari", "Stone"],
        ["C2", "2011-07-15", "F", "ASIAN_INDIAN", "Bo", "Lane"],
    ],
    "offences": [
        ["offence_id", "child_id", "offence_date", "category", "gravity_score", "description"],
        ["O1", "C1", "2025-02-01", "THEFT_AND_HANDLING", "2", "Shop theft"],
        ["O2", "C2", "01/03/2025", "criminal_damage", "2", "Damaged a fence"],
    ],
    "outcomes": [
        ["outcome_id", "child_id", "outcome_date", "outcome_code"],
        ["OC1", "C1", "2025-03-01", "YOUTH_CAUTION"],
    ],
    "outcome_offences": [["outcome_id", "offence_id"], ["OC1", "O1"]],
    "interventions": [
        ["intervention_id", "child_id", "outcome_id", "start_date", "end_date", "kpi6_completed"],
        ["I1", "C1", "OC1", "2025-03-05", "2025-06-01", "yes"],
    ],
}


def write(folder: Path, files=None, *, encoding="utf-8") -> Path:
    folder.mkdir(exist_ok=True)
    for name, rows in (files or FILES).items():
        with open(folder / f"{name}.csv", "w", newline="", encoding=encoding) as fh:
            csv.writer(fh).writerows(rows)
    return folder


def changed(table: str, row: int, column: str, value: str) -> dict:
    files = {name: [list(r) for r in rows] for name, rows in FILES.items()}
    header = files[table][0]
    files[table][row - 1][header.index(column)] = value
    return files


def nothing_written(service) -> bool:
    return (
        not cw.Child.objects.filter(service=service).exists()
        and not SourceRecord.objects.filter(service=service).exists()
    )


def test_the_sample_imports_and_links_everything(northshire, tmp_path):
    result = import_source(write(tmp_path / "src"), service=northshire)
    assert not result.errors
    assert result.counts["children"]["created"] == 2
    ari = cw.Child.objects.get(first_name="Ari")
    assert ari.reference.startswith("YJ") and ari.team.name == "North"
    assert cw.Child.objects.get(first_name="Bo").sex == "2"  # F read as 2
    outcome = ari.outcomes.get()
    assert list(outcome.offences.values_list("description", flat=True)) == ["Shop theft"]
    intervention = ari.interventions.get()
    assert intervention.kind == "OOCD" and intervention.completed_successfully is True
    assert ari.ethnicity_history.get().ethnicity == "WHITE_BRITISH"
    assert cw.Offence.objects.get(description="Damaged a fence").offence_date == dt.date(2025, 3, 1)
    # one audit event per new child, naming the source row
    assert AuditEvent.objects.filter(child=ari, action="CREATE").count() == 1
    # written by the import's own writer, still chained and verifiable like any event
    verdict = audit.verify()
    assert verdict.intact and verdict.count >= 2, verdict.problem


BAD = {
    "ragged row": (
        "offences",
        lambda files: files["offences"][2].append("extra"),
        ("offences.csv", 3, "", ""),
        "7 values, but the header has 6 columns",
    ),
    "formula in a cell": (
        "offences",
        lambda files: files["offences"][1].__setitem__(5, '=HYPERLINK("http://x","y")'),
        ("offences.csv", 2, "description", '=HYPERLINK("http://x","y")'),
        "a formula",
    ),
    "unknown code": (
        "offences",
        lambda files: files["offences"][1].__setitem__(3, "SHOPLIFTING"),
        ("offences.csv", 2, "category", "SHOPLIFTING"),
        "not one of the allowed codes",
    ),
    "date in the future": (
        "offences",
        lambda files: files["offences"][2].__setitem__(2, "2099-01-01"),
        ("offences.csv", 3, "offence_date", "2099-01-01"),
        "must be today or in the past",
    ),
    "child aged 9 at the offence": (
        "offences",
        lambda files: files["offences"][1].__setitem__(2, "2019-06-01"),
        ("offences.csv", 2, "offence_date", "2019-06-01"),
        "The child was 9 on the offence date",
    ),
    "duplicate id": (
        "offences",
        lambda files: files["offences"].append(["O1", "C2", "2025-02-02", "OTHER", "", "x"]),
        ("offences.csv", 4, "offence_id", "O1"),
        "duplicate id: also on row 2",
    ),
    "outcome before its offence": (
        "outcomes",
        lambda files: files["outcomes"][1].__setitem__(2, "2025-01-15"),
        ("outcomes.csv", 2, "outcome_date", "2025-01-15"),
        "Outcome date must be the same as or after the offence date",
    ),
    "unknown child": (
        "interventions",
        lambda files: files["interventions"][1].__setitem__(1, "C9"),
        ("interventions.csv", 2, "child_id", "C9"),
        "no children row with this id",
    ),
    # the field checks a form makes (judged without Django's per-field machinery when they
    # plainly pass, by Django itself otherwise: its own messages)
    "name too long": (
        "children",
        lambda files: files["children"][1].__setitem__(4, "A" * 81),
        ("children.csv", 2, "first_name", "A" * 81),
        "Ensure this value has at most 80 characters (it has 81)",
    ),
    "PNC number in the wrong format": (
        "children",
        lambda files: [
            row.append(v)
            for row, v in zip(files["children"], ("pnc_number", "X1", ""), strict=True)
        ],
        ("children.csv", 2, "pnc_number", "X1"),
        "Enter a PNC number in the right format",
    ),
    "not a date": (
        "children",
        lambda files: files["children"][1].__setitem__(1, "31/02/2010"),
        ("children.csv", 2, "date_of_birth", "31/02/2010"),
        "not a date",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_reported_and_nothing_written(case, northshire, tmp_path):
    table, spoil, where, reason = BAD[case]
    files = {name: [list(r) for r in rows] for name, rows in FILES.items()}
    spoil(files)
    result = import_source(write(tmp_path / "src", files), service=northshire)
    found = [(p.file, p.row, p.column, p.value) for p in result.errors]
    assert where in found, [p.line() for p in result.errors]
    problem = result.errors[found.index(where)]
    assert reason in problem.reason
    assert not result.written and nothing_written(northshire)


def test_wrong_encoding_is_reported(northshire, tmp_path):
    files = changed("children", 2, "first_name", "Zoë")
    result = import_source(write(tmp_path / "src", files, encoding="latin-1"), service=northshire)
    (problem,) = result.errors
    assert (problem.file, problem.row) == ("children.csv", 2)
    assert "not UTF-8 text" in problem.reason
    assert nothing_written(northshire)
    # the mapping can name the encoding
    mapping = tmp_path / "m.toml"
    mapping.write_text('[source]\nencoding = "latin-1"\n')
    result = import_source(tmp_path / "src", service=northshire, mapping=load_mapping(mapping))
    assert not result.errors
    assert cw.Child.objects.filter(first_name="Zoë").exists()


def test_a_missing_mapping_column_is_reported(northshire, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[tables.children.columns]\nchild_id = "child_id"\ndate_of_birth = "Born"\n')
    result = import_source(
        write(tmp_path / "src"), service=northshire, mapping=load_mapping(mapping)
    )
    assert len(result.errors) == 1, [p.line() for p in result.errors]
    problem = result.errors[0]
    assert (problem.file, problem.row, problem.column) == ("children.csv", 1, "Born")
    assert "not in the file's header" in problem.reason
    assert nothing_written(northshire)


def test_the_command_exits_with_one_line_and_writes_the_report(northshire, tmp_path):
    files = changed("offences", 2, "category", "SHOPLIFTING")
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError) as caught:
        call_command("import", str(write(tmp_path / "src", files)), "--report", str(report))
    assert "\n" not in str(caught.value)
    assert "1 problem in" in str(caught.value) and "nothing imported" in str(caught.value)
    rows = list(csv.DictReader(report.open()))
    assert rows == [
        {
            "file": "offences.csv",
            "row": "2",
            "column": "category",
            "value": "SHOPLIFTING",
            "severity": "error",
            "reason": rows[0]["reason"],
        }
    ]
    assert nothing_written(northshire)


def test_dry_run_reports_and_writes_nothing(northshire, tmp_path, capsys):
    call_command(
        "import", str(write(tmp_path / "src")), "--dry-run", "--report", str(tmp_path / "r.csv")
    )
    out = capsys.readouterr().out
    assert "would be children: 2 created" in out and "would be offences: 2 created" in out
    assert nothing_written(northshire)
    assert not AuditEvent.objects.exists()


def test_reimport_changes_nothing_and_an_update_is_audited(northshire, tmp_path):
    src = write(tmp_path / "src")
    import_source(src, service=northshire)
    events = AuditEvent.objects.count()
    rows = {m: list(m.objects.values()) for m in (cw.Child, cw.Offence, cw.Outcome)}
    again = import_source(src, service=northshire)
    assert not again.errors and again.counts["children"]["unchanged"] == 2
    assert again.counts["offences"]["unchanged"] == 2 and not again.counts["offences"]["created"]
    assert AuditEvent.objects.count() == events
    assert {m: list(m.objects.values()) for m in rows} == rows
    # one changed value: that record is updated, audited as an import with old and new values
    write(src, changed("offences", 2, "gravity_score", "4"))
    result = import_source(src, service=northshire)
    assert result.summary()[:2] == ["children: 2 unchanged", "offences: 1 updated, 1 unchanged"]
    offence = cw.Offence.objects.get(description="Shop theft")
    assert offence.gravity_score == 4 and offence.revision == 2
    event = AuditEvent.objects.get(action="UPDATE", object_id=str(offence.pk))
    assert event.description.startswith("Updated by import from dataset")
    assert event.changes == {"gravity_score": [2, 4]}
    assert cw.Offence.objects.count() == 2


def test_a_possible_duplicate_is_reported_not_guessed(northshire, jay, tmp_path):
    files = changed("children", 2, "first_name", "Jay")
    files["children"][1][5] = "Smith"
    files["children"][1][1] = "2010-05-01"  # jay's date of birth
    result = import_source(write(tmp_path / "src", files), service=northshire)
    problems = result.errors  # only the child's: the rows resting on it are not reported
    assert len(problems) == 1, [p.line() for p in result.problems]
    problem = problems[0]
    assert problem.row == 2 and jay.reference in problem.reason
    assert "same date of birth and a similar name" in problem.reason
    assert cw.Child.objects.count() == 1
    # the service says who it is: their reference links the row to the child
    files["children"][0].append("reference")
    files["children"][1].append(jay.reference)
    files["children"][2].append("")
    result = import_source(write(tmp_path / "src", files), service=northshire)
    assert not result.errors, [p.line() for p in result.errors]
    assert cw.Child.objects.count() == 2  # jay and Bo
    assert jay.offences.get().description == "Shop theft"
    assert SourceRecord.objects.get(table="children", source_id="C1").object_id == jay.pk


def test_the_vendor_mapping_translates_codes_dates_and_links(northshire, tmp_path):
    mapping = load_mapping(EXAMPLES / "casebook.toml")
    result = import_source(EXAMPLES / "casebook", service=northshire, mapping=mapping)
    assert not result.errors, [p.line() for p in result.errors]
    ellis = cw.Child.objects.get(first_name="Ellis", last_name="Marsh")
    assert (ellis.sex, ellis.residence, ellis.pnc_number) == ("1", "LOCAL", "21/004512K")
    assert ellis.date_of_birth == dt.date(2009, 3, 14)
    assert ellis.ethnicity_history.get().ethnicity == "WHITE_BRITISH"
    sam = cw.Child.objects.get(first_name="Sam")
    assert (sam.sex, sam.residence, sam.ethnicity_history.get().ethnicity) == (
        "0",
        "NOT_KNOWN",
        "NOT_STATED",
    )
    order = ellis.outcomes.get(code="REFERRAL_ORDER")
    assert order.length_months == 6 and order.first_hearing_date == dt.date(2025, 9, 24)
    nfa = cw.Outcome.objects.get(code="NO_FURTHER_ACTION")
    assert sorted(nfa.offences.values_list("category", flat=True)) == [
        "CRIMINAL_DAMAGE",
        "PUBLIC_ORDER",
    ]
    assert ellis.interventions.get(outcome=order).kind == "REFERRAL_ORDER"
    assert (
        cw.Intervention.objects.get(
            outcome__code="YOUTH_CONDITIONAL_CAUTION"
        ).completed_successfully
        is False
    )
    assert SourceRecord.objects.filter(system="casebook").count() == 6 + 8 + 7 + 5


def test_an_xlsx_workbook_is_read_and_its_formulas_refused(northshire, tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name in ("children", "offences"):
        sheet = book.create_sheet(name)
        for row in FILES[name]:
            sheet.append(row)
    book["children"]["B2"] = dt.datetime(2010, 3, 1)  # a date cell
    path = tmp_path / "export.xlsx"
    book.save(path)
    result = import_source(path, service=northshire)
    assert not result.errors and cw.Child.objects.count() == 2
    book["offences"]["F3"] = "=SUM(1,2)"
    book.save(path)
    result = import_source(path, service=northshire)
    assert [(p.file, p.row, p.column) for p in result.errors] == [
        ("export.xlsx[offences]", 3, "description")
    ]


def test_the_template_mapping_names_every_table_and_reads(northshire, tmp_path):
    template = EXAMPLES / "mapping-template.toml"
    assert set(load_mapping(template).tables) == set(TABLES)
    # as its reader would: keep the columns the export has, delete the others
    have = {name for rows in FILES.values() for name in rows[0]}
    lines, table = [], None
    for line in template.read_text().splitlines():
        if found := re.match(r"^\[tables\.(\w+)", line):
            table = found.group(1)
        if table in FILES and (not re.match(r'^(\w+) = "\1"', line) or line.split()[0] in have):
            lines.append(line)
        elif table is None:
            lines.append(line)
    (tmp_path / "mine.toml").write_text("\n".join(lines))
    mapping = load_mapping(tmp_path / "mine.toml")
    result = import_source(write(tmp_path / "src"), service=northshire, mapping=mapping)
    assert not result.errors, [p.line() for p in result.errors]
    assert result.counts["interventions"]["created"] == 1


def test_a_mapping_naming_an_unknown_column_is_one_readable_line(northshire, tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[tables.offences.columns]\nwhen = "Date"\n')
    with pytest.raises(CommandError) as caught:
        call_command("import", str(write(tmp_path / "src")), "--mapping", str(mapping))
    assert "names 'when', not a column of offences" in str(caught.value)
    assert nothing_written(northshire)


def foreign_keys_deferred(service) -> bool:
    """A record may name a child not written yet until the transaction ends (the foreign keys'
    own setting), as before an import."""
    try:
        with transaction.atomic():
            cw.EthnicityRecord.objects.create(
                child_id=10**9, ethnicity="WHITE_BRITISH", recorded_on=dt.date(2025, 1, 1)
            )
            transaction.set_rollback(True)
    except IntegrityError:
        return False
    return True


def test_an_import_leaves_the_foreign_keys_as_they_were(northshire, tmp_path):
    result = import_source(write(tmp_path / "src"), service=northshire)
    assert result.written and cw.Child.objects.filter(service=northshire).count() == 2
    assert foreign_keys_deferred(northshire)


def test_a_batch_the_database_refuses_leaves_nothing(northshire, tmp_path, monkeypatch):
    """The rows go in batch by batch (on PostgreSQL from a thread of their own, while the next
    batch is prepared): when the database refuses one, its error is raised and nothing the
    import wrote before it stays."""
    write_rows = bulk._write

    def without_descriptions(cursor, statement, rows):
        if "casework_offence" in statement:  # the children went in before
            at = re.findall(r'"(\w+)"', statement.split("(", 1)[1]).index("description")
            rows = [[None if i == at else v for i, v in enumerate(row)] for row in rows]
        return write_rows(cursor, statement, rows)

    monkeypatch.setattr(bulk, "_write", without_descriptions)
    with pytest.raises(IntegrityError):
        import_source(write(tmp_path / "src"), service=northshire)
    assert nothing_written(northshire)
    assert not AuditEvent.objects.exists()
    assert foreign_keys_deferred(northshire)


def test_erasing_a_child_forgets_what_the_import_kept_of_them(northshire, people, tmp_path):
    from yjs.casework import erasure

    import_source(write(tmp_path / "src"), service=northshire)
    ari = cw.Child.objects.get(first_name="Ari")
    cw.Child.objects.filter(pk=ari.pk).update(closed_on=dt.date(2025, 7, 1))
    ari.refresh_from_db()
    summary = erasure.erase_child(people["hana"], ari, "Retention period ended")
    # Ari's child, offence, outcome and intervention rows: their ids and value hashes go
    assert summary["records"]["source ids"] == 4
    assert set(SourceRecord.objects.values_list("table", "source_id")) == {
        ("children", "C2"),
        ("offences", "O2"),
    }
