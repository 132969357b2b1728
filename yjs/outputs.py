"""Spreadsheet-safe output: the one guard every CSV and XLSX writer uses (formula injection).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice when the file is opened, so text from a record (a name, a
description, an offence) could run code on the reader's machine. Text cells that start so are
written with a leading apostrophe, which spreadsheets show as text; numbers, dates and booleans
are written as they are (a negative number is a number, not a formula).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """A value fit for a spreadsheet cell: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_text(value: Any) -> str:
    """A CSV cell as text (None is empty), guarded like ``safe_cell``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""

    def __init__(self, fh, **kwargs):
        self._writer = csv.writer(fh, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose every value goes through ``safe_cell``."""

    def writerow(self, rowdict):
        return super().writerow({k: safe_cell(v) for k, v in rowdict.items()})

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def csv_writer(fh, **kwargs) -> SafeCsvWriter:
    return SafeCsvWriter(fh, **kwargs)


def dict_writer(fh, fieldnames: Sequence[str], **kwargs) -> SafeDictWriter:
    return SafeDictWriter(fh, fieldnames=fieldnames, **kwargs)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """One CSV document (header then rows) as text."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def append_row(ws, values: Iterable[Any]) -> None:
    """``ws.append`` for an openpyxl worksheet, every cell guarded."""
    ws.append(safe_row(values))


def tables_zip(tables: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A zip of CSV files, one per table (``name.csv``)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, (header, rows) in tables.items():
            zf.writestr(f"{name}.csv", csv_text(header, rows))
    return buf.getvalue()


def tables_xlsx(tables: dict[str, tuple[Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """An XLSX workbook, one sheet per table (names cut to Excel's 31 characters)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, (header, rows) in tables.items():
        ws = wb.create_sheet(title=name[:31])
        append_row(ws, header)
        for row in rows:
            append_row(ws, row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
