"""The plan's and board pack's "Programmes and groups" block: one row per programme, no child
named, counts of 1 to 4 children not shown."""

from __future__ import annotations

import datetime as dt

from tests.conftest import make_child
from yjs.governance import blocks
from yjs.periods import parse_quarter

from .conftest import attend, enrol, offence


def _request(service, start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31)):
    return blocks.BlockRequest(service, start, end, parse_quarter("2024-25Q4"))


def test_block_is_registered_on_the_evidence_part():
    block = blocks.get("programmes")
    assert block is not None and block.part == "evidence" and block.board_pack


def test_block_rows_by_hand(cohort9, northshire, people):
    north = northshire.teams.get(name="North")
    kids = [make_child(northshire, north, first=f"Child{i}", last="Zed") for i in range(6)]
    # five complete (4+ sessions), one does not; score changes +3 each for five, none for one
    for i, child in enumerate(kids):
        e = enrol(cohort9, child, 4, 7 if i < 5 else None)
        attend(e, {1, 2, 3, 4} if i < 5 else {1})
        if i < 2:
            offence(child, dt.date(2024, 8, 1))  # two offended in the 12 months before
    data = blocks.build(blocks.get("programmes"), _request(northshire))
    assert data["headers"][0] == "Programme"
    assert data["rows"] == [
        [
            "Which Way",
            "1",
            "6",
            "5",
            "83.3%",
            "+3.0",
            "fewer than 5 of 6",  # 2 children offended before: suppressed
            "–",  # nobody 3 months past 14 February by 31 March 2025
        ]
    ]
    text = str(data)
    assert "Child" not in text.replace("Children", "").replace("children", "")
    assert "Zed" not in text


def test_block_for_a_year_without_cohorts_says_so(cohort9, northshire):
    data = blocks.build(
        blocks.get("programmes"), _request(northshire, dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    )
    assert data["rows"] == [] and data["intro"].startswith("No programme cohort started")


def test_small_cohort_counts_are_not_shown(cohort9, jay, kim, northshire):
    for child in (jay, kim):
        attend(enrol(cohort9, child, 3, 5), {1, 2, 3, 4})
    row = blocks.build(blocks.get("programmes"), _request(northshire))["rows"][0]
    assert row[2:6] == ["fewer than 5", "fewer than 5", "–", "–"]
