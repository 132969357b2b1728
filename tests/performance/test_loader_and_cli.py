"""The loader rejects bad input clearly and loads nothing; `yj kpi` prints JSON and fails with one
readable line."""

import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.performance.builders import Data
from tests.performance.test_kpi01_accommodation import three_children
from yjs.performance.dataset import render_markdown
from yjs.performance.engine import run
from yjs.performance.loader import DatasetError, load_dataset

DOCS = Path(__file__).resolve().parents[2] / "docs" / "dataset.md"


def test_docs_dataset_md_is_generated_from_the_schema():
    assert DOCS.read_text().strip() == render_markdown().strip(), \
        "regenerate: yj kpi --dataset-doc > docs/dataset.md"


def test_bad_code_names_file_row_and_column(dataset_dir):
    d = Data(children=[{"child_id": "A", "date_of_birth": "2007-01-01"}],
             outcomes=[{"outcome_id": "O1", "child_id": "A", "outcome_date": "2023-01-01",
                        "outcome_code": "YRO"},
                       {"outcome_id": "O2", "child_id": "A", "outcome_date": "2023-01-01",
                        "outcome_code": "SPANKING"}])
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(**d))
    assert str(err.value).startswith("outcomes.csv row 2 (line 3), column 'outcome_code': "
                                     "not one of the allowed codes")


@pytest.mark.parametrize("rows,message", [
    ([{"child_id": "A", "date_of_birth": "31/02/2007"}], "column 'date_of_birth': not a date"),
    ([{"child_id": "A", "date_of_birth": ""}], "column 'date_of_birth': required value is empty"),
    ([{"child_id": "A", "date_of_birth": "2007-01-01", "deleted": "perhaps"}],
     "column 'deleted': not true/false"),
    ([{"child_id": "A", "date_of_birth": "2007-01-01"},
      {"child_id": "A", "date_of_birth": "2008-01-01"}], "row 2 (line 3), column 'child_id': "
                                                         "duplicate key"),
    ([{"date_of_birth": "2007-01-01"}], "required column 'child_id' is missing"),
])
def test_bad_children_rows(dataset_dir, rows, message):
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(children=rows))
    assert message in str(err.value) and "children.csv" in str(err.value)


def test_reference_to_a_missing_child(dataset_dir):
    d = Data(children=[{"child_id": "A", "date_of_birth": "2007-01-01"}],
             offences=[{"offence_id": "F1", "child_id": "GHOST", "offence_date": "2023-01-01"}])
    with pytest.raises(DatasetError, match=r"offences.csv row 1 \(line 2\), column 'child_id': "
                                           r"'GHOST' is not in children.child_id"):
        load_dataset(dataset_dir(**d))


def test_1900_dates_mean_no_date_and_text_outcomes_are_remapped(dataset_dir):
    d = Data(children=[{"child_id": "A", "date_of_birth": "2007-01-01"}],
             outcomes=[{"outcome_id": "O1", "child_id": "A", "outcome_date": "2023-01-01",
                        "outcome_code": "OTHER", "outcome_text": "Outcome 22 with YJS"}],
             interventions=[{"intervention_id": "I1", "child_id": "A", "outcome_id": "O1",
                             "start_date": "2023-01-01", "end_date": "1900-01-01"}])
    ds = load_dataset(dataset_dir(**d))
    assert ds.con.execute("SELECT end_date FROM raw.interventions").fetchone() == (None,)
    assert ds.con.execute("SELECT outcome_code FROM raw.outcomes").fetchone() == ("OUTCOME_22",)


def test_parquet_snapshot_with_native_types(tmp_path):
    import datetime as dt

    pq.write_table(pa.table({"child_id": ["A"], "date_of_birth": [dt.date(2007, 1, 1)],
                             "sex": [1], "deleted": [False]}), tmp_path / "children.parquet")
    (tmp_path / "snapshot.json").write_text('{"taken_at": "2024-07-02T09:00:00", "as_at": '
                                            '"2024-07-01"}')
    ds = load_dataset(tmp_path)
    assert ds.con.execute("SELECT sex FROM raw.children").fetchone() == ("1",)
    assert ds.as_at == dt.date(2024, 7, 1)
    assert len(ds.file_hashes["children.parquet"]) == 64


def test_cli_json_on_a_fixture_folder(dataset_dir):
    data = dataset_dir(**three_children(with_d=True))
    out = io.StringIO()
    call_command("kpi", "--period", "2023-24Q2", "--data", str(data), "--format", "json",
                 stdout=out)
    rows = json.loads(out.getvalue())
    kpi1 = next(r for r in rows if r["kpi"] == "kpi1" and r["measure"] == "suitable_end"
                and r["dimension"] == "all")
    assert (kpi1["numerator"], kpi1["denominator"], kpi1["value"]) == (2, 4, 50.0)
    assert kpi1["period"] == "2023-24 Q2"
    assert {r["kpi"] for r in rows} >= {"fte", "reoffending", "custody", "kpi1", "kpi10",
                                         "disproportionality"}


def test_cli_drill_lists_the_children(dataset_dir):
    data = dataset_dir(**three_children(with_d=True))
    out = io.StringIO()
    call_command("kpi", "--drill", "kpi1", "--period", "2023-24 Q2", "--data", str(data),
                 "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["child_id"] for r in rows if r["in_numerator"]] == ["A", "C"]


def test_cli_bad_csv_row_is_one_readable_error(dataset_dir):
    d = dict(three_children())
    d["outcomes"] = [dict(r) for r in d["outcomes"]]
    d["outcomes"][1]["outcome_date"] = "not-a-date"
    with pytest.raises(CommandError, match=r"outcomes.csv row 2 \(line 3\), "
                                           r"column 'outcome_date': not a date"):
        call_command("kpi", "--period", "2023-24Q2", "--data", str(dataset_dir(**d)))


def test_cli_bad_period_and_folder():
    with pytest.raises(CommandError, match="--period"):
        call_command("kpi", "--period", "2023-24Q9", "--data", ".")
    with pytest.raises(CommandError, match="no such folder"):
        call_command("kpi", "--period", "2023-24Q1", "--data", "/no/such/folder")


def test_yj_kpi_exits_non_zero_with_one_readable_line(dataset_dir):
    import subprocess
    import sys

    d = dict(three_children())
    d["children"] = [dict(r) for r in d["children"]]
    d["children"][2]["sex"] = "X"
    yj = Path(sys.executable).parent / "yj"
    proc = subprocess.run([str(yj), "kpi", "--period", "2023-24Q2", "--data",
                           str(dataset_dir(**d))], capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "children.csv row 3 (line 4), column 'sex': not one of the allowed codes" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_lenient_spellings_are_read(dataset_dir):
    d = Data(children=[{"child_id": "A", "date_of_birth": "2007-01-01 00:00:00", "sex": "F",
                        "ethnicity": "black"},
                       {"child_id": "B", "date_of_birth": "15/03/2008", "sex": "Male"}])
    ds = load_dataset(dataset_dir(**d))
    assert ds.con.execute("SELECT child_id, CAST(date_of_birth AS VARCHAR), sex, ethnicity "
                          "FROM raw.children ORDER BY 1").fetchall() == [
        ("A", "2007-01-01", "2", "BLACK"), ("B", "2008-03-15", "1", None)]


def _write(folder: Path, name: str, text: str, bom: bool = False, crlf: bool = False) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = text.strip("\n") + "\n"
    if crlf:
        text = text.replace("\n", "\r\n")
    (folder / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())


def test_csv_as_an_analyst_writes_it(tmp_path):
    """KPIS.md §6.1 example 1 (2/3 = 66.7%) in hand-written CSV: a BOM, CRLF line ends, columns
    in another order, an extra column, quoted and spaced header names, lower-case codes, Y/N
    and 1/0 booleans, empty strings and 1900-01-01 for "no date", optional tables missing and
    one empty (0-byte) file."""
    d = tmp_path / "data"
    _write(d, "children.csv", """
notes,ethnicity,date_of_birth,child_id,deleted
,white_british,2007-01-15,A,N
,,2007-01-15,B,0
"said ""hi"", once",Asian_Indian,15/01/2007,C,
""", bom=True, crlf=True)
    _write(d, "outcomes.csv", """
outcome_date, "outcome_id" ,child_id,outcome_code,residence,appeal_status,is_variation
2023-01-10,O1,A,yro,local,,n
2023-01-10,O2,B,Yro,,none,
2023-01-10,O3,C,YRO,LOCAL,NONE,0
""", crlf=True)
    _write(d, "interventions.csv", """
intervention_id;child_id;outcome_id;start_date;end_date;kpi6_completed
I1;A;O1;2023-01-10;2023-08-31;
I2;B;O2;2023-01-10;2023-08-31;y
I3;C;O3;2023-01-10;31/08/2023;
""")
    _write(d, "accommodation.csv", """
accommodation_id,child_id,accommodation_type,suitability,start_date,end_date
A1,A,living_with_parents,suitable,2023-01-01,1900-01-01
B1,B,LIVING_WITH_PARENTS,SUITABLE,2023-01-01,
B2,B,FOSTER_CARE_LA,unsuitable,2023-05-01,
C1,C,LIVING_WITH_PARENTS,UNSUITABLE,2023-01-01,2023-08-30
C2,C,LIVING_WITH_PARENTS,SUITABLE,2023-08-30,
""", bom=True)
    (d / "victims.csv").write_bytes(b"")
    res = run(d, "2023-24 Q2", kpis=["kpi1"]).headline("kpi1")
    assert (res.numerator, res.denominator, res.value) == (2, 3, 66.7)
    assert res.numerator_child_ids == ["A", "C"]


@pytest.mark.parametrize("last_row,values", [("X9,A,AT_HOME,SUITABLE,2023-01-01,,extra", 7),
                                             ("X9,A,AT_HOME", 3)])
def test_a_ragged_row_is_named_not_taken_for_the_header(tmp_path, last_row, values):
    # DuckDB's sniffer once read such a last row as the header and silently loaded no rows
    d = tmp_path / "data"
    _write(d, "children.csv", "child_id,date_of_birth\nA,2007-01-15")
    _write(d, "accommodation.csv", f"""
accommodation_id,child_id,accommodation_type,suitability,start_date,end_date
X1,A,AT_HOME,SUITABLE,2023-01-01,
{last_row}
""")
    with pytest.raises(DatasetError) as err:
        load_dataset(d)
    assert str(err.value) == (f"accommodation.csv row 2 (line 3): {values} values, but the "
                              f"header has 6 columns")


def test_a_file_that_is_not_utf8_is_one_clear_line(tmp_path):
    d = tmp_path / "data"
    _write(d, "children.csv", "child_id,date_of_birth\nA,2007-01-15")
    (d / "offences.csv").write_bytes(b"offence_id,child_id,offence_date\nF1,A,2023-01-01\n"
                                     b"F2,A,2023-01-02 caf\xe9\n")
    with pytest.raises(DatasetError) as err:
        load_dataset(d)
    assert "\n" not in str(err.value)
    assert str(err.value).startswith("offences.csv: cannot be read:")
    assert "not utf-8 encoded" in str(err.value)


def test_a_fractional_whole_number_is_an_error_not_rounded(tmp_path):
    # a spreadsheet's 3.0 is 3; a gravity score of 5.5 must not become a serious 6
    d = tmp_path / "data"
    _write(d, "children.csv", "child_id,date_of_birth\nA,2007-01-15")
    _write(d, "offences.csv", """
offence_id,child_id,offence_date,category,gravity_score
F1,A,2023-01-01,ROBBERY,3.0
F2,A,2023-01-02,ROBBERY,5.5
""")
    with pytest.raises(DatasetError) as err:
        load_dataset(d)
    assert str(err.value) == ("offences.csv row 2 (line 3), column 'gravity_score': not a whole "
                              "number ('5.5')")


def test_a_two_digit_year_is_an_error_not_an_open_record(tmp_path):
    # '31/08/23' parses as the year 23, before 1901: it must not silently mean "still open"
    d = tmp_path / "data"
    _write(d, "children.csv", "child_id,date_of_birth\nA,2007-01-15")
    _write(d, "accommodation.csv", """
accommodation_id,child_id,accommodation_type,suitability,start_date,end_date
X1,A,AT_HOME,SUITABLE,01/01/2023,31/08/23
""")
    with pytest.raises(DatasetError) as err:
        load_dataset(d)
    assert str(err.value).startswith("accommodation.csv row 1 (line 2), column 'end_date': "
                                     "not a date")


@pytest.mark.parametrize("rows,message", [
    ({"children": [{"child_id": "A", "date_of_birth": "1975-01-01"}]},
     "children.csv row 1 (line 2), column 'date_of_birth': before 1 January 1982 ('1975-01-01')"),
    ({"children": [{"child_id": "A", "date_of_birth": "2099-01-01"}]},
     "column 'date_of_birth': in the future ('2099-01-01')"),
    ({"children": [{"child_id": "A", "date_of_birth": "TODAY"}]},
     "the child would be under 8 today"),
    ({"children": [{"child_id": "A", "date_of_birth": "2007-01-01"}],
      "offences": [{"offence_id": "F1", "child_id": "A", "offence_date": "2006-12-31"}]},
     "offences.csv row 1 (line 2), column 'offence_date': on or before the child's date of "
     "birth (2007-01-01) ('2006-12-31')"),
    ({"children": [{"child_id": "A", "date_of_birth": "1985-01-01"}],
      "offences": [{"offence_id": "F1", "child_id": "A", "offence_date": "1999-06-01"}]},
     "column 'offence_date': before 1 January 2000 ('1999-06-01')"),
    ({"children": [{"child_id": "A", "date_of_birth": "2007-01-01"}],
      "offences": [{"offence_id": "F1", "child_id": "A", "offence_date": "2099-01-01"}]},
     "column 'offence_date': in the future ('2099-01-01')"),
    ({"children": [{"child_id": "A", "date_of_birth": "1990-01-01"}],
      "care_status": [{"care_status_id": "C1", "child_id": "A", "status": "LOOKED_AFTER",
                       "start_date": "2014-01-01", "end_date": "2015-02-01"}]},
     "care_status.csv row 1 (line 2), column 'end_date': on or after the child's 25th birthday "
     "(2015-01-01) ('2015-02-01')"),
    ({"children": [{"child_id": "A", "date_of_birth": "2007-01-01"}],
      "board_meetings": [{"meeting_id": "M1", "meeting_date": "1999-01-01"}]},
     "board_meetings.csv row 1 (line 2), column 'meeting_date': before 1 January 2000"),
], ids=["born-1975", "born-in-future", "under-10", "offence-before-birth", "offence-1999",
        "offence-in-future", "care-at-25", "board-1999"])
def test_implausible_dates_name_file_row_and_column(dataset_dir, rows, message):
    import datetime as dt

    if rows["children"][0]["date_of_birth"] == "TODAY":
        rows["children"][0]["date_of_birth"] = (dt.date.today() - dt.timedelta(days=365 * 5)
                                                ).isoformat()
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(**rows))
    assert message in str(err.value)


def test_a_planned_end_date_may_be_in_the_future(dataset_dir):
    d = Data(children=[{"child_id": "A", "date_of_birth": "2012-01-01"}],
             outcomes=[{"outcome_id": "O1", "child_id": "A", "outcome_date": "2024-01-01",
                        "outcome_code": "YRO"}],
             interventions=[{"intervention_id": "I1", "child_id": "A", "outcome_id": "O1",
                             "start_date": "2024-01-02", "end_date": "2030-01-01"}])
    ds = load_dataset(dataset_dir(**d))
    assert ds.row_counts["interventions"] == 1


def test_a_kept_validated_copy_is_read_instead_of_the_files(dataset_dir, tmp_path, monkeypatch):
    """With ``keep_in`` the files are read and checked once; the same files again come from the
    kept copy (nothing validated), and any change to a file is validated afresh."""
    from yjs.performance import loader

    data = dataset_dir(**three_children(with_d=True))
    keep = tmp_path / "kept"
    first = run(load_dataset(data, keep_in=keep), "2023-24Q2", kpis=["kpi1"])
    assert len(list(keep.glob("*.duckdb"))) == 1
    assert oct(next(keep.glob("*.duckdb")).stat().st_mode)[-3:] == "600"

    validated = []
    real = loader._validate_and_load
    monkeypatch.setattr(loader, "_validate_and_load",
                        lambda *a: validated.append(a) or real(*a))
    again = load_dataset(data, keep_in=keep)
    assert validated == [] and again.row_counts["children"] == 4
    assert [r.as_dict() for r in run(again, "2023-24Q2", kpis=["kpi1"]).results] == \
        [r.as_dict() for r in first.results]
    assert again.file_hashes  # the files are still named, for a return's provenance

    children = data / "children.csv"
    assert "D,2007-01-15" in children.read_text()
    children.write_text(children.read_text().replace("D,2007-01-15", "D,2007-01-16"))
    changed = load_dataset(data, keep_in=keep)
    assert len(validated) == 1 and changed.row_counts["children"] == 4
    assert len(list(keep.glob("*.duckdb"))) == 2


def test_a_kept_copy_is_read_in_place_not_copied_into_memory(dataset_dir, tmp_path):
    """The kept file is attached read-only: no table of the dataset is in memory (at national
    scale the copy was most of the peak), the figures are the same, and the copy can itself be
    kept again (as the live drill-down's snapshot does)."""
    from yjs.performance.loader import restore_validated, save_validated

    data = dataset_dir(**three_children(with_d=True))
    keep = tmp_path / "kept"
    fresh = load_dataset(data, keep_in=keep)
    first = run(fresh, "2023-24Q2", kpis=["kpi1"])
    again = load_dataset(data, keep_in=keep)
    where = dict(again.con.execute(
        "SELECT table_name, database_name FROM duckdb_tables() "
        "WHERE schema_name = 'raw' OR table_name LIKE 'ref%'").fetchall())
    assert where["children"] == where["ref_outcome"] == "validated"
    assert "memory" not in where.values()
    assert [r.as_dict() for r in run(again, "2023-24Q2", kpis=["kpi1"]).results] == \
        [r.as_dict() for r in first.results]

    save_validated(again, tmp_path / "second.duckdb")
    third = restore_validated(tmp_path / "second.duckdb", data)
    assert third.con.execute("SELECT count(*) FROM raw.children").fetchone()[0] == 4
    assert "__row" not in [r[0] for r in third.con.execute("DESCRIBE raw.children").fetchall()]


def test_a_bad_file_is_never_kept(dataset_dir, tmp_path):
    d = Data(children=[{"child_id": "A", "date_of_birth": "2007-01-01"}],
             outcomes=[{"outcome_id": "O1", "child_id": "A", "outcome_date": "2023-01-01",
                        "outcome_code": "SPANKING"}])
    keep = tmp_path / "kept"
    for _ in range(2):  # refused both times: an error is never remembered as "valid"
        with pytest.raises(DatasetError, match="outcome_code"):
            load_dataset(dataset_dir(**d), keep_in=keep)
    assert not list(keep.glob("*.duckdb"))


def test_only_the_latest_validated_copies_are_kept(dataset_dir, tmp_path):
    from yjs.performance.loader import KEEP_VALIDATED

    keep = tmp_path / "kept"
    for n in range(KEEP_VALIDATED + 2):
        d = three_children()
        d["children"][0]["date_of_birth"] = f"2007-01-{n + 10}"
        load_dataset(dataset_dir(**d), keep_in=keep)
    assert len(list(keep.glob("*.duckdb"))) == KEEP_VALIDATED
    assert len(list(keep.glob("*.json"))) == KEEP_VALIDATED


def test_cli_keeps_the_validated_dataset_it_was_given(dataset_dir, settings):
    data = dataset_dir(**three_children(with_d=True))
    for _ in range(2):
        call_command("kpi", "--period", "2023-24Q2", "--data", str(data), "--kpi", "kpi1",
                     "--format", "json", stdout=io.StringIO())
    assert len(list((settings.VAR_DIR / "validated").glob("*.duckdb"))) == 1


def test_a_memory_limit_is_kept_and_spills_to_a_private_folder(dataset_dir, tmp_path):
    data = dataset_dir(**three_children(with_d=True))
    spill = tmp_path / "spill"
    limited = load_dataset(data, memory_limit="300MB", spill_to=spill)
    setting = limited.con.execute("SELECT current_setting('memory_limit'), "
                                  "current_setting('temp_directory')").fetchone()
    assert setting[0].replace(" ", "") in ("286.1MiB", "300.0MB") and setting[1] == str(spill)
    assert oct(spill.stat().st_mode)[-3:] == "700"
    assert [r.as_dict() for r in run(limited, "2023-24Q2", kpis=["kpi1"]).results] == \
        [r.as_dict() for r in run(data, "2023-24Q2", kpis=["kpi1"]).results]
    with pytest.raises(ValueError, match="give a size such as 2GB"):
        load_dataset(data, memory_limit="lots'; DROP TABLE x; --")


def test_cli_memory_limit_bad_value_is_one_readable_line(dataset_dir):
    data = dataset_dir(**three_children())
    with pytest.raises(CommandError, match="^bad input: memory limit 'plenty': give a size"):
        call_command("kpi", "--period", "2023-24Q2", "--data", str(data),
                     "--memory-limit", "plenty", stdout=io.StringIO())


def test_validation_works_in_a_file_under_var_dir_and_leaves_nothing(tmp_path, settings):
    """The files are validated into a DuckDB file in a private folder under VAR_DIR/tmp, not in
    memory (at a million children the tables alone were 1.5 GB beside the validation's own
    memory), and read in place: the folder is gone as soon as the dataset is handed over, and
    after a refused file too. Bad values in a Parquet file are still found, each named by its
    row, in row order."""
    import datetime as dt

    scratch = settings.VAR_DIR / "tmp"
    born = [dt.date(2007, 1, 1)] * 4
    pq.write_table(pa.table({"child_id": ["A", "B", "C", "D"], "date_of_birth": born,
                             "sex": ["1", "X", "2", "Y"],
                             "ethnicity": ["WHITE", "WHITE", "NOPE", None]}),
                   tmp_path / "children.parquet")
    with pytest.raises(DatasetError) as err:
        load_dataset(tmp_path)
    assert [p.split(": not one")[0] for p in err.value.problems] == [
        "children.parquet row 2, column 'sex'", "children.parquet row 3, column 'ethnicity'",
        "children.parquet row 4, column 'sex'"]
    assert err.value.problems[0].endswith("('X')")
    assert list(scratch.iterdir()) == []

    pq.write_table(pa.table({"child_id": ["A", "B"], "date_of_birth": born[:2],
                             "sex": ["1", "2"]}), tmp_path / "children.parquet")
    ds = load_dataset(tmp_path)
    assert list(scratch.iterdir()) == []
    where = dict(ds.con.execute("SELECT table_name, database_name FROM duckdb_tables() "
                                "WHERE schema_name = 'raw' OR table_name LIKE 'ref%'").fetchall())
    assert set(where.values()) == {"validated"}
    assert ds.con.execute("SELECT list(sex ORDER BY child_id) FROM raw.children").fetchone() == \
        (["1", "2"],)
    assert "__row" not in [r[0] for r in ds.con.execute("DESCRIBE raw.children").fetchall()]


def test_every_check_of_a_table_has_its_bit():
    """The load marks the checks a row fails in one BIGINT, at most two checks a column."""
    from yjs.performance.dataset import TABLES

    assert max(2 * len(t.columns) for t in TABLES) < 63


@pytest.mark.parametrize("keys,ascending", [
    (["A", "B", "C"], True),
    (["C", "A", "B"], False),  # out of order: proves nothing, the keys are grouped instead
    (["A", "B", "B"], False),
    (["A"], True),
    ([], False),
])
def test_keys_in_ascending_order_are_unique_without_grouping(keys, ascending):
    """A snapshot writes its rows in key order: one pass over the stored keys proves them
    unique, and anything else (a key out of order, a repeat) leaves it to the GROUP BY."""
    import duckdb

    from yjs.performance.dataset import TABLE_BY_NAME
    from yjs.performance.loader import _keys_ascending

    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute("CREATE TABLE raw.children (child_id VARCHAR)")
    for k in keys:
        con.execute("INSERT INTO raw.children VALUES (?)", [k])
    assert _keys_ascending(con, TABLE_BY_NAME["children"]) is ascending
    con.execute("CREATE TABLE raw.outcome_offences (outcome_id VARCHAR, offence_id VARCHAR)")
    con.executemany("INSERT INTO raw.outcome_offences VALUES (?, ?)",
                    [["O1", "F2"], ["O1", "F3"], ["O2", "F1"], ["O2", "F1"]])
    assert not _keys_ascending(con, TABLE_BY_NAME["outcome_offences"])
    con.execute("DELETE FROM raw.outcome_offences WHERE rowid = 3")
    assert _keys_ascending(con, TABLE_BY_NAME["outcome_offences"])


def test_duplicates_out_of_order_and_one_pass_for_references_and_dates(dataset_dir):
    """Keys out of order are still checked for repeats, each named at its second row; a bad
    reference and a bad date in the same table are found by the one pass over it, the
    reference reported first and the date only once every reference is found."""
    children = [{"child_id": c, "date_of_birth": "2007-01-01"} for c in "CABDB"]
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(children=children))
    assert err.value.problems == [
        "children.csv row 5 (line 6), column 'child_id': duplicate key B"]
    offences = [{"offence_id": "F2", "child_id": "A", "offence_date": "2006-01-01"},
                {"offence_id": "F1", "child_id": "GHOST", "offence_date": "2023-01-01"}]
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(children=children[:4], offences=offences))
    assert err.value.problems == [
        "offences.csv row 2 (line 3), column 'child_id': 'GHOST' is not in children.child_id"]
    offences[1]["child_id"] = "B"
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(children=children[:4], offences=offences))
    assert err.value.problems == [
        "offences.csv row 1 (line 2), column 'offence_date': on or before the child's date of "
        "birth (2007-01-01) ('2006-01-01')"]


def test_problems_come_in_the_order_of_the_tables_whatever_their_size(dataset_dir):
    """Tables are read two at a time, the largest first; the problems still come in the order of
    the tables (children before offences), each table's in row order."""
    children = [{"child_id": "A", "date_of_birth": "2007-01-01", "sex": "X"}]
    offences = [{"offence_id": f"F{i:04d}", "child_id": "A", "offence_date": "2023-01-01",
                 "arrest_date": "soon" if i in (5, 900) else ""} for i in range(1000)]
    with pytest.raises(DatasetError) as err:
        load_dataset(dataset_dir(children=children, offences=offences))
    assert [p.split(":")[0] for p in err.value.problems] == [
        "children.csv row 1 (line 2), column 'sex'",
        "offences.csv row 6 (line 7), column 'arrest_date'",
        "offences.csv row 901 (line 902), column 'arrest_date'"]
