"""Accessible plan and board pack documents (PSBAR 2018; WCAG 2.2 AA as it applies to documents),
and templates that cannot drop parts of the plan or change an approved one.

The Word files are opened with python-docx and the PDF read as bytes and with poppler, as an
accessibility checker would: alt text, language, tags, bookmarks, text sizes, heading order,
table header rows, document properties.
"""

from __future__ import annotations

import datetime
import html
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from docx.oxml.ns import qn
from docx.shared import Pt

from yjs.governance import documents, selectors, services, template_builder
from yjs.governance.models import PlanTemplate

from .helpers import open_docx

WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _plan_docx(plan, source, **kwargs):
    version = plan.versions.get()
    context, _problems = services.review(version, source)
    return documents.render_plan_docx(context, **kwargs), context


def _pack(northshire, source):
    return selectors.board_pack_context(northshire, "2024-25Q4", source=source)


# --------------------------------------------------------------------------- reading Word


def _size(style):
    """A paragraph style's font size, following its base styles (None: the default)."""
    while style is not None:
        if style.font.size is not None:
            return style.font.size
        style = style.base_style
    return None


def _default_size(doc):
    sz = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:sz"))
    return Pt(int(sz.get(qn("w:val"))) / 2)


def text_sizes(doc) -> dict[float, list[str]]:
    """Every piece of text in the body, tables, headers and footers by its size in points."""
    default = _default_size(doc)
    parts = [doc.element.body]
    for section in doc.sections:
        parts += [section.header._element, section.footer._element]
    from docx.text.paragraph import Paragraph

    sizes: dict[float, list[str]] = {}
    for part in parts:
        for p in part.iter(qn("w:p")):
            para = Paragraph(p, doc._body)
            base = _size(para.style) or default
            for run in para.runs:
                if run.text.strip():
                    size = (run.font.size or base).pt
                    sizes.setdefault(size, []).append(run.text)
    return sizes


def heading_levels(doc) -> list[int]:
    """0 for the title, n for Heading n, in document order."""
    levels = []
    for p in doc.paragraphs:
        name = p.style.name
        if name == "Title":
            levels.append(0)
        elif name.startswith("Heading "):
            levels.append(int(name.split()[1]))
    return levels


def assert_accessible_word(doc, charts: list[dict], title: str, author: str, others=()):
    # Alt text: every picture is a chart, described as the HTML pack describes it, or one
    # of `others` (the organisation chart), described in words.
    described = [d.get("descr") for d in doc.element.body.iter(WP_DOCPR)]
    assert described == [documents.chart_alt(c) for c in charts] + list(others)
    assert all(described) and len(described) == len(charts) + len(others) > 0
    # Text at least 11 pt everywhere (body, tables, notes, footers).
    sizes = text_sizes(doc)
    assert min(sizes) >= 11, {s: t[:3] for s, t in sizes.items() if s < 11}
    # Headings in order: the title first, then no level skipped.
    levels = heading_levels(doc)
    assert levels[0] == 0 and levels.count(0) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # Every table's first row is a header row (repeated on each page, TH in the PDF).
    for table in doc.tables:
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
    # Language and properties: British English; the document's own title and author.
    langs = {el.get(qn("w:val")) for el in doc.styles.element.iter(qn("w:lang"))}
    assert langs == {"en-GB"}
    props = doc.core_properties
    assert (props.title, props.author, props.last_modified_by) == (title, author, author)
    assert props.comments == "" and props.keywords == "" and props.language == "en-GB"


# --------------------------------------------------------------------------- Word


def test_the_plan_in_word_is_accessible(plan, source, people):
    version = plan.versions.get()
    services.save_section(version, "voice", "# Our approach\n\nText.", people["hana"])
    Priority = plan.priorities.model
    Priority.objects.filter(plan=plan, title="Remands").update(narrative="## How\n\nText.")
    when = datetime.datetime(2024, 6, 25, 14, 30)
    data, context = _plan_docx(plan, source, when=when)
    doc = open_docx(data)
    charts = documents._charts_of(context)
    assert len(charts) == 13
    structure = next(p for p in context["parts"] if p["key"] == "service_structure")
    assert_accessible_word(
        doc,
        charts,
        "Youth Justice Plan 2024-2026",
        "Northshire Youth Justice Service",
        [structure["blocks"]["staff_by_role"]["org_chart"]["alt"]],
    )
    assert doc.core_properties.created == doc.core_properties.modified
    assert doc.core_properties.created.replace(tzinfo=None) == when
    # Markdown headings sit one level below their part's heading.
    level = {p.text: p.style.name for p in doc.paragraphs}
    assert level["Our approach"] == "Heading 2" and level["How"] == "Heading 3"
    assert level["10.2 Remands"] == "Heading 2"


def test_the_board_pack_in_word_is_accessible(northshire, source):
    context = _pack(northshire, source)
    doc = open_docx(documents.render_board_pack_docx(context))
    assert_accessible_word(
        doc,
        context["charts"],
        "Management board performance report 2024-25 Q4",
        "Northshire Youth Justice Service",
    )


def test_chart_alt_text_is_the_html_packs(northshire, source):
    context = _pack(northshire, source)
    page = documents.render_board_pack_html(context)
    alts = [html.unescape(a) for a in re.findall(r'<img src="data:[^"]*" alt="([^"]*)"', page)]
    assert alts == [documents.chart_alt(c) for c in context["charts"]]
    assert alts[0] == (
        "First time entrants: 2023-24 Q4 13.0, 2024-25 Q1 14.0, 2024-25 Q2 15.0, "
        "2024-25 Q3 16.0, 2024-25 Q4 17.0"
    )


def test_chart_text_is_legible_at_print_size(northshire, source):
    """Drawn at the width it is printed, so each font size is a size on paper."""
    from matplotlib import pyplot as plt
    from matplotlib.text import Text

    for chart in _pack(northshire, source)["charts"]:
        fig = documents.chart_figure(chart)
        try:
            assert fig.get_figwidth() * 25.4 == pytest.approx(documents.CHART_WIDTH_MM)
            texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            assert len(texts) >= 5 + 5 + 1  # quarters, values, title (and the axis)
            assert min(t.get_fontsize() for t in texts) >= 9
        finally:
            plt.close(fig)
    doc = open_docx(documents.render_board_pack_docx(_pack(northshire, source)))
    widths = {round(s.width.mm) for s in doc.inline_shapes}
    assert widths == {documents.CHART_WIDTH_MM}


# --------------------------------------------------------------------------- PDF


def _pdf_alts(pdf: bytes) -> list[str]:
    return [
        bytes.fromhex(h.decode()).decode("utf-16-be").lstrip("\ufeff")
        for h in re.findall(rb"/Alt<([0-9A-Fa-f]+)>", pdf)
    ]


def test_the_approved_plan_pdf_is_tagged_british_bookmarked_and_identical_each_time(
    plan, source, people, tmp_path
):
    version = plan.versions.get()
    services.approve(version, people["hana"], source)
    first, _ = services.export(version, "pdf")
    second, _ = services.export(version, "pdf")
    assert first == second  # dates and ID from the approval, not the conversion
    assert services.export(version, "docx")[0] == services.export(version, "docx")[0]

    assert b"/StructTreeRoot" in first and b"/MarkInfo<</Marked true>>" in first
    assert re.findall(rb"/Lang\((.*?)\)", first) == [b"en-GB"]
    assert re.search(rb"/Outlines \d+ 0 R", first)
    context = version.frozen_context
    structure = next(p for p in context["parts"] if p["key"] == "service_structure")
    assert _pdf_alts(first) == [documents.chart_alt(c) for c in documents._charts_of(context)] + [
        structure["blocks"]["staff_by_role"]["org_chart"]["alt"]
    ]
    assert rb"/S/TH" in first and rb"/S/H1" in first

    path = tmp_path / "plan.pdf"
    path.write_bytes(first)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Title:\s+Youth Justice Plan 2024-2026", info)
    assert re.search(r"Author:\s+Northshire Youth Justice Service", info)
    approved = version.approved_at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S")
    assert re.findall(rb"/CreationDate\(D:(\d{14})", first) == [approved.encode()]
    # Text at least 11 pt: poppler's word boxes are ascent + descent (1.15 em for Arial).
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True
    ).stdout
    heights = [
        float(b) - float(a)
        for a, b in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', bbox
        )
    ]
    assert len(heights) > 500 and min(heights) >= 11 * 1.1


# --------------------------------------------------------------------------- templates


def word_file(*paragraphs: str) -> bytes:
    import io

    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_a_template_of_just_the_title_is_refused_naming_what_is_missing(northshire):
    with pytest.raises(ValidationError) as refused:
        services.set_template(northshire, "short.docx", word_file("{{ title }}"))
    message = str(refused.value)
    assert "short.docx was not accepted" in message
    assert "leaves out parts every plan must have" in message
    assert "the heading “1. Introduction, vision and strategy”" in message
    assert "and " in message and "more" in message  # the rest counted, not all listed
    assert not PlanTemplate.objects.exists()


def test_a_template_missing_one_table_is_refused_by_that_tables_name(northshire, monkeypatch):
    monkeypatch.setitem(template_builder.BLOCKS, "b5", lambda doc, b: None)
    without_b5 = template_builder.plan_template.__wrapped__()
    with pytest.raises(ValidationError) as refused:
        services.set_template(northshire, "no-b5.docx", without_b5)
    message = str(refused.value)
    assert "the caption “Table 2: B5 – budget costs and contributions" in message
    assert "the rows of Table 2: B5" in message
    assert "heading" not in message and "chart" not in message  # nothing else is missing
    monkeypatch.undo()
    monkeypatch.setitem(template_builder.BLOCKS, "kpi_charts", lambda doc, b: None)
    with pytest.raises(ValidationError, match=r"the KPI trend charts \(0 of 13 printed\)"):
        services.set_template(northshire, "x.docx", template_builder.plan_template.__wrapped__())


def _replace(docx: bytes, old: str, new: str) -> bytes:
    import io
    import zipfile

    src, out = zipfile.ZipFile(io.BytesIO(docx)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "word/document.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            dst.writestr(name, data)
    return out.getvalue()


def test_the_template_is_frozen_with_the_approved_version(plan, source, people):
    """A new upload after approval changes drafts only: the approved plan's bytes stay."""
    version = plan.versions.get()
    services.approve(version, people["hana"], source)
    default = template_builder.plan_template()
    assert bytes(version.template) == default
    assert version.template_sha256 == documents.sha256(default)
    before, _ = services.export(version, "docx")
    assert documents.sha256(before) == version.exports.get().sha256

    branded = _replace(default, "Annual update for", "Our annual update for")
    services.set_template(plan.service, "branded.docx", branded)
    version.refresh_from_db()
    after, _ = services.export(version, "docx")
    assert after == before
    draft = services.start_annual_update(plan, 2025, people["hana"])
    text = "\n".join(
        p.text for p in open_docx(services.export(draft, "docx", source=source)[0]).paragraphs
    )
    assert "Our annual update for" in text


def test_a_template_picture_without_alt_text_is_refused_until_it_has_some(northshire):
    """A logo in a service's header is the template author's to describe: the upload names
    the picture and says how; alt text, or Word's "Mark as decorative", is then accepted."""
    import io as _io

    from docx import Document
    from PIL import Image

    logo = _io.BytesIO()
    Image.new("RGB", (40, 20), (29, 112, 184)).save(logo, format="PNG")

    def with_logo(descr: str | None, decorative: bool = False) -> bytes:
        doc = Document(_io.BytesIO(template_builder.plan_template()))
        doc.sections[0].header.is_linked_to_previous = False
        run = doc.sections[0].header.paragraphs[0].add_run()
        run.add_picture(_io.BytesIO(logo.getvalue()))
        doc_pr = run._r.xpath(".//wp:docPr")[0]
        doc_pr.set("name", "Council logo")
        if descr:
            doc_pr.set("descr", descr)
        if decorative:
            from lxml import etree

            ns = "http://schemas.microsoft.com/office/drawing/2017/decorative"
            ext_lst = etree.SubElement(doc_pr, qn("a:extLst"))
            ext = etree.SubElement(
                ext_lst, qn("a:ext"), uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
            )
            etree.SubElement(ext, f"{{{ns}}}decorative", val="1")
        out = _io.BytesIO()
        doc.save(out)
        return out.getvalue()

    with pytest.raises(ValidationError, match="“Council logo”.*Edit Alt Text"):
        services.set_template(northshire, "branded.docx", with_logo(None))
    services.set_template(northshire, "branded.docx", with_logo("Northshire Council logo"))
    services.set_template(northshire, "branded.docx", with_logo(None, decorative=True))
