"""Reading generated Word documents back, as a reader of the plan would."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def headings(doc, level: int = 1) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def contents(doc) -> list[str]:
    return [p.text for p in doc.paragraphs if p.style.name == "Contents Entry"]


def table_after(doc, caption_start: str):
    """The table that follows the caption paragraph containing `caption_start`."""
    body = doc.element.body
    seen = False
    for el in body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in el.iter() if t.tag.endswith("}t"))
            style = el.find(".//" + qn("w:pStyle"))
            is_caption = style is not None and style.get(qn("w:val")) == "Caption"
            if is_caption and caption_start in text:
                seen = True
        elif tag == "tbl" and seen:
            from docx.table import Table

            return Table(el, doc)
    raise AssertionError(f"no table after {caption_start!r}")


def rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows]


def number(text: str) -> int:
    return int(text.replace(",", "") or 0)
