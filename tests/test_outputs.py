"""Formula injection: every CSV and XLSX writer of the platform goes through yjs/outputs.py."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from yjs import outputs

PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rcmd"]
ROOT = Path(__file__).resolve().parents[1] / "yjs"


def _csv_cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def _xlsx_cells(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    cells = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                cells.append("" if cell.value is None else str(cell.value))
    return cells


def _zip_cells(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [c for n in zf.namelist() for c in _csv_cells(zf.read(n).decode())]


# Each writer: (payload, request fixtures) -> every cell it wrote.


def w_csv_writer(p, **_):
    out = io.StringIO()
    outputs.csv_writer(out).writerow(["ok", p, 3])
    return _csv_cells(out.getvalue())


def w_dict_writer(p, **_):
    out = io.StringIO()
    w = outputs.dict_writer(out, ["a", "b"])
    w.writeheader()
    w.writerows([{"a": p, "b": -1}])
    return _csv_cells(out.getvalue())


def w_tables_zip(p, **_):
    return _zip_cells(outputs.tables_zip({"t": (["h"], [[p]])}))


def w_tables_xlsx(p, **_):
    return _xlsx_cells(outputs.tables_xlsx({"t": (["h"], [[p]])}))


def w_audit_export(p, client, people, **_):
    from yjs.audit import services as audit

    audit.record(people["alice"], "VIEW", description=p)
    client.login(username="hana", password=PASSWORD)
    return _csv_cells(client.get("/audit/export.csv").content.decode())


def _fake_figures(monkeypatch, p):
    from yjs.performance import live

    snap = SimpleNamespace(name="snap")
    monkeypatch.setattr(live, "figures", lambda service: SimpleNamespace(snapshot=snap))
    monkeypatch.setattr(live, "snapshot_taken_at", lambda s: "then")
    monkeypatch.setattr(
        live,
        "results",
        lambda s, period: [{"kpi": "kpi1", "measure": "m", "label": p, "value": 1.0}],
    )


def w_dashboard_csv(p, client, people, monkeypatch, **_):
    _fake_figures(monkeypatch, p)
    client.login(username="ana", password=PASSWORD)
    return _csv_cells(client.get("/performance/download.csv?period=2024-25Q1").content.decode())


def w_dashboard_xlsx(p, client, people, monkeypatch, **_):
    _fake_figures(monkeypatch, p)
    client.login(username="ana", password=PASSWORD)
    return _xlsx_cells(client.get("/performance/download.xlsx?period=2024-25Q1").content)


def _result(p):
    from yjs.performance.engine import KpiResult

    fields = KpiResult.__dataclass_fields__
    values = {name: None for name in fields}
    values.update(
        kpi="kpi1",
        measure="m",
        label=p,
        dimension="all",
        category="all",
        unit="percent",
        suppressed=False,
        window=p,
        numerator_child_ids=[],
        denominator_child_ids=[],
        extra={},
    )
    return KpiResult(**{k: v for k, v in values.items() if k in fields})


def w_kpi_return(p, tmp_path, monkeypatch, **_):
    from yjs.performance import kpi_return

    run = SimpleNamespace(period="2024-25 Q1", as_at=dt.date(2024, 7, 1), results=[_result(p)])
    monkeypatch.setattr(kpi_return, "run", lambda *a, **k: run)
    data = SimpleNamespace(path=Path(p), taken_at=p, row_counts={}, files={}, file_hashes={})
    out = kpi_return.write_return(data, "2024-25Q1", tmp_path / "r.xlsx")
    return _xlsx_cells(out.read_bytes())


def w_kpi_command_csv(p, **_):
    from yjs.performance.management.commands.kpi import Command

    out = io.StringIO()
    Command(stdout=out)._csv(SimpleNamespace(results=[_result(p)]), {})
    return _csv_cells(out.getvalue())


def w_cld_extract(p, tmp_path, **_):
    from yjs.interop import cld
    from yjs.periods import parse_quarter

    tables = {t.name: [] for t in cld.TABLES}
    tables["children"] = [{"child_id": "C1", "gender": p}]
    extract = cld.Extract(parse_quarter("2024-25Q1"), tables)
    cld.write(extract, cld.validate(extract), tmp_path / "cld")
    return [c for f in (tmp_path / "cld").glob("*.csv") for c in _csv_cells(_read(f))]


def _read(path: Path) -> str:
    with open(path, newline="") as fh:  # a carriage return in a cell stays one
        return fh.read()


def w_dataset_export(p, monkeypatch, northshire, **_):
    from yjs.interop import exports

    monkeypatch.setattr(
        exports,
        "dataset_tables",
        lambda s, named=False: ({"children": (["child_id", "x"], [["C1", p]])}, 1),
    )
    zipped, *_ = exports.export(northshire, "csv")
    workbook, *_ = exports.export(northshire, "xlsx")
    return _zip_cells(zipped) + _xlsx_cells(workbook)


WRITERS = [
    w_csv_writer,
    w_dict_writer,
    w_tables_zip,
    w_tables_xlsx,
    w_audit_export,
    w_dashboard_csv,
    w_dashboard_xlsx,
    w_kpi_return,
    w_kpi_command_csv,
    w_cld_extract,
    w_dataset_export,
]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", PAYLOADS, ids=repr)
@pytest.mark.parametrize("writer", WRITERS, ids=lambda w: w.__name__[2:])
def test_formula_injection_is_neutralised(writer, payload, request, tmp_path, monkeypatch):
    fixtures = {}
    if writer in (w_audit_export, w_dashboard_csv, w_dashboard_xlsx, w_dataset_export):
        fixtures = {
            name: request.getfixturevalue(name) for name in ("client", "people", "northshire")
        }
    cells = writer(payload, tmp_path=tmp_path, monkeypatch=monkeypatch, **fixtures)
    assert "'" + payload in cells, cells
    assert not [c for c in cells if c.startswith(outputs.FORMULA_START) and not _number(c)]


def _number(text: str) -> bool:
    """A number (written as a number: a spreadsheet reads -1 as minus one, not a formula)."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_numbers_stay_numbers():
    assert outputs.safe_cell(-3) == -3 and outputs.safe_cell(2.5) == 2.5
    assert outputs.safe_text(None) == "" and outputs.safe_text("-3") == "'-3"


def test_no_module_writes_csv_or_xlsx_around_the_helper():
    """csv.writer / DictWriter only in yjs/outputs.py; any module that builds a workbook
    writes its cells through the helper."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if path.name == "outputs.py" and path.parent == ROOT:
            continue
        text = path.read_text()
        if re.search(r"csv\.(writer|DictWriter)\(", text):
            offenders.append(f"{path}: csv writer")
        if re.search(r"\bWorkbook\(", text) and "yjs.outputs" not in text:
            offenders.append(f"{path}: workbook without yjs.outputs")
        if re.search(r"\b(ws|sheet|summary|snap|meta)\.append\(", text):
            offenders.append(f"{path}: worksheet.append")
    assert offenders == []
