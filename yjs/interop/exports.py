"""Exports of the canonical dataset: pseudonymised by default, named only for the service's lead.

The pseudonymised export is the dataset as a snapshot holds it (``yjs.interop.snapshot``):
children only under their keyed pseudonym (``yjs.interop.pseudonyms``, an HMAC with the
installation's own key, stable between exports), and with the month of birth in place of the
date of birth. No name, reference, PNC number or address is part of it. The named export adds
the child's reference, names, full date of birth and PNC number to the children table and is
for those who may see every child of the service by name (``performance.export_named_dataset``).
Every export is audited; a named one once per child as well, so each child's access log shows it.
Files are written through ``yjs.outputs`` (formula injection guarded).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from yjs import outputs
from yjs.performance import dataset

NAMED_COLUMNS = ("reference", "first_name", "last_name", "date_of_birth", "pnc_number")
FORMATS = {"csv": ("zip", "application/zip"), "xlsx": ("xlsx", outputs.XLSX_TYPE)}


def _cell(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def birth_month(dob: dt.date | None) -> str | None:
    return f"{dob:%Y-%m}" if dob else None


def dataset_tables(service, *, named: bool = False) -> tuple[dict, int]:
    """Every table of the dataset for one service, as (header, rows), and the children count."""
    from yjs.interop.snapshot import _Reader

    reader = _Reader(service)
    tables: dict[str, tuple[list[str], list[list]]] = {}
    identity = {}
    if named:
        identity = {
            reader.cid(r["pk"]): r for r in reader.live_children().values("pk", *NAMED_COLUMNS)
        }
    for table in dataset.TABLES:
        columns = table.column_names
        rows = list(getattr(reader, table.name)())
        if table.name == "children":
            if named:
                header = ["child_id", *NAMED_COLUMNS[:3], *columns[1:], "pnc_number"]
                body = [
                    [
                        r["child_id"],
                        *(identity[r["child_id"]][c] for c in NAMED_COLUMNS[:3]),
                        *(_cell(r[c]) for c in columns[1:]),
                        identity[r["child_id"]]["pnc_number"],
                    ]
                    for r in rows
                ]
            else:
                header = ["birth_month" if c == "date_of_birth" else c for c in columns]
                body = [
                    [birth_month(r[c]) if c == "date_of_birth" else _cell(r[c]) for c in columns]
                    for r in rows
                ]
            children = len(rows)
        else:
            header = columns
            body = [[_cell(r[c]) for c in columns] for r in rows]
        tables[table.name] = (header, body)
    return tables, children


def export(service, fmt: str, *, named: bool = False) -> tuple[bytes, str, str, int]:
    """(file bytes, file name, content type, children) of one service's dataset export."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: csv (a zip of CSV files) or xlsx")
    tables, children = dataset_tables(service, named=named)
    extension, content_type = FORMATS[fmt]
    data = outputs.tables_zip(tables) if fmt == "csv" else outputs.tables_xlsx(tables)
    kind = "named" if named else "pseudonymised"
    name = f"dataset-{service.code}-{dt.date.today():%Y-%m-%d}-{kind}.{extension}"
    return data, name, content_type, children
