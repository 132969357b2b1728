"""The documents' contents with page numbers, data provenance, organisation chart and the
drafted disproportionality reading (issue 12)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from docx.oxml.ns import qn

from yjs.governance import documents, selectors, services
from yjs.governance.structure import APPENDICES, SECTIONS

from .helpers import open_docx, rows, table_after

needs_pdf = pytest.mark.skipif(
    not (shutil.which("libreoffice") and shutil.which("pdftotext") and documents.uno_python()),
    reason="needs LibreOffice, its Python bridge and pdftotext",
)


def _plan_docx(plan, source) -> bytes:
    context, _problems = services.review(plan.versions.get(), source)
    return documents.render_plan_docx(context)


def _pdf_text(docx: bytes, tmp_path) -> str:
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(documents.docx_to_pdf(docx))
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_contents_is_a_word_toc_field_that_asks_to_be_updated(plan, source):
    doc = open_docx(_plan_docx(plan, source))
    instr = [t.text for t in doc.element.body.iter() if t.tag.endswith("}instrText")]
    assert ' TOC \\o "1-2" \\h \\z \\u ' in instr
    kinds = [
        c.get(documents.qn("w:fldCharType"))
        for c in doc.element.body.iter(documents.qn("w:fldChar"))
    ]
    assert kinds[:3] == ["begin", "separate", "end"]  # the TOC, before the footer's PAGE
    update = doc.settings.element.find(documents.qn("w:updateFields"))
    assert update is not None and update.get(documents.qn("w:val")) == "true"


@needs_pdf
def test_plan_pdf_contents_lines_end_with_page_numbers(plan, source, tmp_path):
    text = _pdf_text(_plan_docx(plan, source), tmp_path)
    first_page = text.split("\f")[0]
    expected = [f"{i}. {s.title}" for i, s in enumerate(SECTIONS, start=1)]
    expected += [f"Appendix {i}: {a.title}" for i, a in enumerate(APPENDICES, start=1)]
    pages = {}
    for heading in expected:
        line = re.search(rf"^\s*{re.escape(heading[:40])}.*?(\d+)\s*$", text, re.M)
        assert line, f"no contents line for {heading!r}"
        pages[heading] = int(line.group(1))
    assert "Contents" in first_page or "Contents" in text.split("\f")[1]
    numbers = list(pages.values())
    assert numbers == sorted(numbers) and numbers[0] >= 2  # in order, after the cover
    # the page a heading is listed at is the page it is printed on
    sheets = text.split("\f")
    for heading in (expected[0], expected[-1]):
        assert heading in sheets[pages[heading] - 1]


def _pack(northshire, source):
    return selectors.board_pack_context(northshire, "2024-25Q4", source=source)


def _docx_text(doc) -> str:
    body = doc.element.body
    paras = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]
    return "\n".join(paras)


ABOUT = [
    ("Snapshot", "2025-05-01 (snapshot snapshots/2025-05-01)"),
    (
        "Period",
        "2024-25 Q4 (Jan–Mar 2025); each KPI's own counting window is shown beside its value",
    ),
    (
        "Source",
        "The service's case records, as exported to the KPI snapshot; comparators imported "
        "from the YJB's published figures",
    ),
    ("Definitions", "docs/kpis.md"),
]


def test_plan_and_pack_say_where_the_figures_come_from(plan, source, northshire):
    context, _p = services.review(plan.versions.get(), source)
    assert context["provenance"]["snapshot_ref"] == "snapshots/2025-05-01"
    plan_doc = open_docx(documents.render_plan_docx(context))
    pack = _pack(northshire, source)
    pack_doc = open_docx(documents.render_board_pack_docx(pack))
    for doc in (plan_doc, pack_doc):
        table = rows(table_after(doc, "About these figures"))
        assert table[0] == ["About these figures", "Details"]
        assert table[1:5] == [list(r) for r in ABOUT]
        assert table[5][0] == "Small numbers" and "1 to 4 children are shown as *" in table[5][1]
    page = documents.render_board_pack_html(pack)
    assert "<caption>About these figures</caption>" in page
    assert "2025-05-01 (snapshot snapshots/2025-05-01)" in page
    assert "docs/kpis.md" in page and 'href="docs/kpis.md"' not in page  # a path, not a link


def test_definitions_url_is_a_link_in_the_html_pack(northshire, source, settings):
    settings.KPI_DEFINITIONS_URL = "https://example.org/kpis"
    page = documents.render_board_pack_html(_pack(northshire, source))
    assert '<a href="https://example.org/kpis">https://example.org/kpis</a>' in page


ORG_ALT = (
    "Organisation chart: Head of service (1) leads 1 operational manager, who lead "
    "3 practitioners, 1 administrative officer, 1 referral order panel volunteer."
)


def test_organisation_chart_in_appendix_2_with_alt_text_in_words(plan, source):
    context, _p = services.review(plan.versions.get(), source)
    appendix = next(p for p in context["parts"] if p["key"] == "service_structure")
    org = appendix["blocks"]["staff_by_role"]["org_chart"]
    # conftest staff: 1 strategic, 1 operational manager, 3 practitioners, 1 admin, 1 ROP
    assert org["tiers"] == [
        [{"role": "Head of service", "people": 1}],
        [{"role": "Operational manager", "people": 1}],
        [
            {"role": "Practitioners", "people": 3},
            {"role": "Administrative officer", "people": 1},
            {"role": "Referral order panel volunteer", "people": 1},
        ],
    ]
    assert org["alt"] == ORG_ALT
    doc = open_docx(documents.render_plan_docx(context))
    assert len(doc.inline_shapes) == 14  # 13 KPI charts and the organisation chart
    described = {
        d.get("name"): d.get("descr") for d in doc.element.body.iter(f"{{{documents.WP}}}docPr")
    }
    assert described["Organisation chart"] == ORG_ALT
    org_png = documents.org_chart_png(org)
    blobs = [p.blob for p in doc.part.related_parts.values() if hasattr(p, "blob")]
    assert org_png in blobs


def test_organisation_chart_text_is_at_least_9_point_at_print_size():
    fig = documents.org_chart_figure(
        {
            "tiers": [
                [{"role": "Head of service", "people": 1}],
                [{"role": "Sessional workers", "people": 12}],
            ]
        }
    )
    assert abs(fig.get_size_inches()[0] - documents.ORG_CHART_WIDTH_MM / 25.4) < 0.01
    sizes = [t.get_fontsize() for t in fig.axes[0].texts]
    assert sizes and min(sizes) >= 9


def test_drafted_reading_of_the_rri_table(northshire, source):
    pack = _pack(northshire, source)
    reading = pack["disproportionality"]["reading"]
    # conftest: Black children, first time entrants, RRI 2.4 from 6 of 40
    assert reading == (
        "In 2024-25 Q4 these groups are over-represented (relative rate index above 1.25) – "
        "first time entrants: Black or Black British (ethnicity) 2.40, 6 of 40 children."
    )
    doc = open_docx(documents.render_board_pack_docx(pack))
    assert f"Draft reading, drafted from the figures: {reading}" in _docx_text(doc)
    page = documents.render_board_pack_html(pack)
    assert "Draft reading: drafted from the figures" in page and reading in page


def _row(group, rri, counts="6 of 40"):
    return {
        "measure": "Remand",
        "dimension": "Ethnicity",
        "group": group,
        "counts": counts,
        "value": f"{rri:.2f}",
        "rri": rri,
    }


def test_reading_says_when_no_group_is_over_represented_or_groups_are_suppressed():
    from yjs.governance.commentary import disproportionality_reading as read

    block = {"rows": [_row("Mixed", 1.25), _row("Asian", 0.8)], "unrated": 2}
    assert read(block, "Q") == (
        "In Q no group's relative rate index is above 1.25 at any stage: no group is "
        "over-represented by this measure. 2 groups had fewer than 5 children (in the group "
        "or its reference group) and are not rated."
    )
    assert read({"rows": [], "unrated": 3}, "Q").startswith(
        "No relative rate index could be computed for Q: every group had fewer than 5"
    )
    assert read({"rows": [], "unrated": 0}, "Q") == "No relative rate index is available for Q."
    over = read({"rows": [_row("Mixed", 1.26), _row("Black", 3.1, "9 of 30")], "unrated": 1}, "Q")
    assert over == (
        "In Q these groups are over-represented (relative rate index above 1.25) – remand: "
        "Black (ethnicity) 3.10, 9 of 30 children, Mixed (ethnicity) 1.26, 6 of 40 children. "
        "1 group had fewer than 5 children (in the group or its reference group) and is not "
        "rated."
    )
