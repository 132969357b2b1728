"""A data block registered by another app (yjs.governance.blocks) prints in the plan's Word
document, its web page and the board pack, from one builder, in the one shape."""

from __future__ import annotations

import pytest

from yjs.governance import blocks, documents, plan_html, selectors, services, template_builder

from .helpers import open_docx, rows, table_after


def _build(request: blocks.BlockRequest) -> dict:
    return {
        "intro": f"Sessions delivered {request.start:%-d %B %Y} to {request.end:%-d %B %Y}.",
        "caption": "Sessions by programme",
        "headers": ["Programme", "Sessions", "Children"],
        "rows": [["Which Way", 6, 11], ["REACH", 4, 7]],
        "quotes": [{"text": "I was listened to.", "who": "a child, 15"}],
        "note": "Counts of children who attended at least once.",
    }


@pytest.fixture
def registered():
    block = blocks.DataBlock(
        "test_sessions", "Programme sessions", "evidence", _build, True, (1, 2)
    )
    # Alone in the registry: the blocks apps register (programmes, voice...) would renumber
    # the sections and tables this test pins.
    others = dict(blocks._REGISTRY)
    blocks._REGISTRY.clear()
    blocks.register_block(block)
    template_builder.plan_template.cache_clear()
    template_builder.board_pack_template.cache_clear()
    yield block
    blocks._REGISTRY.clear()
    blocks._REGISTRY.update(others)
    template_builder.plan_template.cache_clear()
    template_builder.board_pack_template.cache_clear()


def test_a_block_must_name_a_real_part():
    with pytest.raises(ValueError, match="no plan part"):
        blocks.register_block(blocks.DataBlock("x", "X", "nowhere", _build))


def test_registered_block_prints_in_the_plan_word_and_web(registered, plan, source):
    context, _problems = services.review(plan.versions.get(), source)
    part = next(p for p in context["parts"] if p["key"] == "evidence")
    data = part["blocks"]["test_sessions"]
    assert data["caption"].startswith("Table ") and data["caption"].endswith(
        "Sessions by programme"
    )
    doc = open_docx(documents.render_plan_docx(context))
    table = table_after(doc, "Sessions by programme")
    assert rows(table) == [
        ["Programme", "Sessions", "Children"],
        ["Which Way", "6", "11"],
        ["REACH", "4", "7"],
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "“I was listened to.”" in text and "– a child, 15" in text
    assert "Counts of children who attended at least once." in text
    # The header row repeats on each page and is announced as a header.
    assert table.rows[0]._tr.trPr.find(documents.qn("w:tblHeader")) is not None

    html = plan_html.render_plan_html(context)
    assert (
        "Sessions by programme" in html
        and '<td class="govuk-table__cell govuk-table__cell--numeric">11</td>' in html
    )
    assert "I was listened to." in html


def test_registered_block_is_a_numbered_section_of_the_board_pack(registered, plan, source):
    context = selectors.board_pack_context(plan.service, "2024-25Q4", source=source)
    extra = context["extra_sections"]
    assert [x["heading"] for x in extra] == ["8. Programme sessions"]
    assert extra[0]["block"]["caption"] == "Table 5: Sessions by programme"
    assert "8. Programme sessions" in context["contents"]
    doc = open_docx(documents.render_board_pack_docx(context))
    assert rows(table_after(doc, "Table 5: Sessions by programme"))[2] == ["REACH", "4", "7"]
    html = documents.render_board_pack_html(context)
    assert "<td>Which Way</td><td>6</td><td>11</td>" in html


def test_a_row_that_does_not_fit_its_headers_is_refused(plan):
    bad = blocks.DataBlock(
        "bad", "Bad", "evidence", lambda r: {"headers": ["A"], "rows": [["1", "2"]]}
    )
    q = selectors.default_kpi_quarter(plan.versions.get())
    request = blocks.BlockRequest(plan.service, q.start, q.end, q)
    with pytest.raises(ValueError, match="do not match"):
        blocks.build(bad, request)


def test_a_blocks_word_columns_are_as_wide_as_what_they_hold(registered, plan, source):
    """The widths come from the data (a name wide, a count narrow), fill the page and are the
    table grid LibreOffice draws; the caption is the table's title for a screen reader."""
    # "Programme": 9 letters × 1.25 (bold) = 11, + 4; "Sessions": 8 × 1.25 = 10, + 4.
    assert blocks.column_twips(["Programme", "Sessions"], [["Which Way", "6"]]) == [
        blocks.PAGE_WIDTH_TWIPS * 15 // 29,
        blocks.PAGE_WIDTH_TWIPS * 14 // 29,
    ]
    context, _problems = services.review(plan.versions.get(), source)
    doc = open_docx(documents.render_plan_docx(context))
    table = table_after(doc, "Sessions by programme")
    grid = [
        int(c.get(documents.qn("w:w")))
        for c in table._tbl.tblGrid.findall(documents.qn("w:gridCol"))
    ]
    data = next(p for p in context["parts"] if p["key"] == "evidence")["blocks"]["test_sessions"]
    assert grid == data["twips"] and len(grid) == 3
    assert abs(sum(grid) - blocks.PAGE_WIDTH_TWIPS) < 3
    assert grid[0] > grid[2]  # "Which Way" / "Programme" against a count
    title = table._tbl.tblPr.find(documents.qn("w:tblCaption"))
    assert title.get(documents.qn("w:val")) == data["caption"]
