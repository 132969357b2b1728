"""Data blocks other apps add to the plan and the board pack (voice of the child, programmes,
quality assurance, workforce...), without editing governance.

An app registers a `DataBlock` from its AppConfig.ready(). Every registered block has one shape
– an introduction, a captioned table of text cells, an optional list of quotes and a note – so
one Word template fragment, one HTML partial and one consistency check serve them all, and the
plan, its web page and the board pack print the same figures from one builder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from yjs.periods import Quarter


@dataclass(frozen=True)
class BlockRequest:
    """What a block is built for: one service's plan year (`start`..`end`), or a board pack's
    quarter (the same dates). `named` is False for anything published or read by the board:
    blocks then print no child's name."""

    service: Any
    start: dt.date
    end: dt.date
    quarter: Quarter
    plan: Any = None
    named: bool = False


@dataclass(frozen=True)
class DataBlock:
    """`build(request)` returns a dict with any of: intro (str), caption (str, unnumbered),
    headers (list of str), rows (list of lists of str, one per table row), quotes (list of
    {"text", "who"}), note (str). A block with no rows and no quotes prints only its intro."""

    name: str
    title: str
    part: str
    build: Callable[[BlockRequest], dict]
    board_pack: bool = True
    numeric_columns: tuple[int, ...] = field(default=())


_REGISTRY: dict[str, DataBlock] = {}


def register_block(block: DataBlock) -> None:
    from . import structure

    if block.part not in structure.PART_BY_KEY:
        raise ValueError(f"There is no plan part called {block.part!r}")
    _REGISTRY[block.name] = block


def registered() -> list[DataBlock]:
    return list(_REGISTRY.values())


def get(name: str) -> DataBlock | None:
    return _REGISTRY.get(name)


def names_for(part_key: str) -> list[str]:
    return [b.name for b in _REGISTRY.values() if b.part == part_key]


def build(block: DataBlock, request: BlockRequest) -> dict:
    """The block's data in the one shape every renderer expects (missing keys filled)."""
    data = dict(block.build(request))
    data.setdefault("intro", "")
    data.setdefault("caption", "")
    data.setdefault("headers", [])
    data["rows"] = [[str(c) for c in row] for row in data.get("rows") or []]
    data.setdefault("quotes", [])
    data.setdefault("note", "")
    data["title"] = block.title
    data["numeric"] = list(block.numeric_columns)
    data["extension"] = True
    for row in data["rows"]:
        if len(row) != len(data["headers"]):
            raise ValueError(f"Block {block.name}: a row's cells do not match its headers")
    data["twips"] = column_twips(data["headers"], data["rows"])
    return data


PAGE_WIDTH_TWIPS = 9638  # 17 cm: a portrait A4 page inside its margins


def column_twips(headers: list[str], rows: list[list[str]]) -> list[int]:
    """Word column widths in proportion to what each column holds (its longest word or cell,
    capped), so a question is wide and a count narrow; they fill the page's width."""
    weights = []
    for i, head in enumerate(headers):
        # a heading is bold, so its longest word needs a little more room than plain text
        longest_word = round(1.25 * max((len(w) for w in head.split()), default=1))
        longest_cell = max((len(r[i]) for r in rows), default=0)
        weights.append(min(max(longest_word, longest_cell, 4), 40) + 4)
    total = sum(weights) or 1
    return [PAGE_WIDTH_TWIPS * w // total for w in weights]
