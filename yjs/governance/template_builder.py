"""Builds the default Word templates (docxtpl, with Jinja tags) with python-docx.

A service can save the default (`yj plan template --out plan.docx`), re-brand it in Word –
fonts, colours, logo, cover – keeping the `{{ }}` / `{% %}` tags, and upload it as its own.
Built in code so the default always matches the context `selectors.plan_context()` produces.
"""

from __future__ import annotations

import io
from functools import cache

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from . import blocks as extension_blocks
from . import structure

GOVUK_BLUE = RGBColor(0x1D, 0x70, 0xB8)
DARK = RGBColor(0x0B, 0x0C, 0x0C)
HEADER_FILL = "DEE0E2"
MIN_TEXT_PT = 11  # the smallest body, table and note text (accessible documents)
KPI_WIDTHS = [4.6, 2.4, 2.6, 2.6, 2.4, 2.5, 2.3, 2.5, 2.3, 2.4]  # cm, 26.6 on landscape A4


# --------------------------------------------------------------------------- low-level helpers


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    for name, size, colour in (
        ("Title", 28, DARK),
        ("Heading 1", 18, DARK),
        ("Heading 2", 14, DARK),
        ("Heading 3", 12, DARK),
    ):
        s = styles[name]
        s.font.name = "Arial"
        s.font.size = Pt(size)
        s.font.bold = True
        s.font.color.rgb = colour
        s.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        s.paragraph_format.space_after = Pt(6)
        rpr = s.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), "Arial")
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            if fonts.get(qn(theme)) is not None:
                del fonts.attrib[qn(theme)]
    styles["Heading 1"].paragraph_format.page_break_before = False
    table_text = styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = Pt(MIN_TEXT_PT)
    table_text.paragraph_format.space_after = Pt(0)
    table_head = styles.add_style("Table Head", WD_STYLE_TYPE.PARAGRAPH)
    table_head.base_style = table_text
    table_head.font.bold = True
    caption = styles["Caption"]
    caption.font.name = "Arial"
    caption.font.size = Pt(12)
    caption.font.italic = False
    caption.font.bold = True
    caption.font.color.rgb = DARK
    caption.paragraph_format.keep_with_next = True
    contents = styles.add_style("Contents Entry", WD_STYLE_TYPE.PARAGRAPH)
    contents.base_style = normal
    contents.paragraph_format.space_after = Pt(2)
    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = Pt(MIN_TEXT_PT)
    note.font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)  # 6.9:1 on white
    subtitle = styles["Subtitle"]
    subtitle.font.name = "Arial"
    subtitle.font.size = Pt(14)
    subtitle.font.italic = False
    subtitle.font.color.rgb = DARK
    for name in ("List Bullet", "List Number", "Quote", "Header", "Footer"):
        styles[name].font.size = Pt(MIN_TEXT_PT)
    set_language(doc)


def set_language(doc, lang: str = "en-GB") -> None:
    """The document's language (British English), so a screen reader and the PDF say so."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(qn("w:lang")) is None:
        rpr.append(OxmlElement("w:lang"))
    for el in styles.iter(qn("w:lang")):
        el.set(qn("w:val"), lang)


def p(doc, text: str = "", style: str | None = None, bold: bool = False):
    """A paragraph whose text is one run, so Jinja tags in it stay whole."""
    para = doc.add_paragraph(style=style)
    if text:
        run = para.add_run(text)
        run.bold = bold or None
    return para


def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def _cell(cell, text: str, style: str = "Table Text", bold: bool = False) -> None:
    para = cell.paragraphs[0]
    para.style = style
    if text:
        run = para.add_run(text)
        if bold:
            run.bold = True


def table(
    doc,
    headers: list[str],
    cells: list[str],
    loop: str,
    *,
    widths=None,
    total: list[str] | None = None,
    header_rows: list[list[str]] | None = None,
    merges: list[tuple[int, int, int]] = (),
):
    """A docxtpl table: header row(s), then one row repeated with `{%tr for … %}`."""
    heads = header_rows or [headers]
    ncols = len(cells)
    t = doc.add_table(rows=0, cols=ncols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for texts in heads:
        row = t.add_row()
        _repeat_header(row)
        for cell, text in zip(row.cells, texts, strict=True):
            _cell(cell, text, "Table Head")
            _shade(cell, HEADER_FILL)
    for row_index, first, last in merges:
        a = t.rows[row_index].cells[first]
        a.merge(t.rows[row_index].cells[last])
    row = t.add_row()
    _cell(row.cells[0], f"{{%tr for {loop} %}}")
    row = t.add_row()
    _no_split(row)
    for cell, text in zip(row.cells, cells, strict=True):
        _cell(cell, text)
    row = t.add_row()
    _cell(row.cells[0], "{%tr endfor %}")
    if total:
        row = t.add_row()
        for cell, text in zip(row.cells, total, strict=True):
            _cell(cell, text, "Table Head")
    if widths:
        set_widths(t, widths)
    return t


def key_values(doc, rows: list[tuple[str, str]], headers: tuple[str, str] = ("Item", "Details")):
    """A two-column table of labels and values, with a header row a screen reader announces."""
    t = doc.add_table(rows=1 + len(rows), cols=2)
    t.style = "Table Grid"
    set_widths(t, [6, 11])
    _repeat_header(t.rows[0])
    for cell, text in zip(t.rows[0].cells, headers, strict=True):
        _cell(cell, text, "Table Head")
        _shade(cell, HEADER_FILL)
    for row, (label, value) in zip(t.rows[1:], rows, strict=True):
        _cell(row.cells[0], label, "Table Head")
        _cell(row.cells[1], value)
    return t


def _narrow_margins(t) -> None:
    """Cell padding of about 1 mm: dense tables (B8, KPIs) then fit on the page."""
    tblpr = t._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def set_widths(t, widths) -> None:
    """Fixed column widths (grid and cells), which LibreOffice and Word both honour."""
    _narrow_margins(t)
    t.autofit = False
    for col, w in zip(t.columns, widths, strict=False):
        col.width = Cm(w)
    for r in t.rows:
        for cell, w in zip(r.cells, widths, strict=False):
            cell.width = Cm(w)


def _page_number_footer(section) -> None:
    para = section.footer.paragraphs[0]
    para.style = "Note"
    para.add_run("{{ footer }} – page ")
    run = para.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _field_char(run, kind: str) -> None:
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    run._r.append(el)


TOC_INSTRUCTION = ' TOC \\o "1-2" \\h \\z \\u '  # headings 1-2, linked, as Word inserts it

# CT_Settings elements that come after w:updateFields (Word refuses settings out of order).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def update_fields_on_open(doc) -> None:
    """Word updates the contents' page numbers on opening (it asks first: the file's fields
    are marked out of date); the PDF export updates them itself (`lo_convert`)."""
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    el = OxmlElement("w:updateFields")
    el.set(qn("w:val"), "true")
    later = {qn(name) if not name.startswith("sl:") else None for name in _AFTER_UPDATE_FIELDS}
    following = next((child for child in settings if child.tag in later), None)
    if following is not None:
        following.addprevious(el)
    else:
        settings.append(el)


def has_contents_field(document) -> bool:
    return any("TOC" in (t.text or "") for t in document.element.body.iter(qn("w:instrText")))


def _contents_field(doc, entry: str, loop: str) -> None:
    """The contents as a Word TOC field. Its saved result lists the headings (without page
    numbers), so the file reads sensibly before any update; Word and the PDF export replace
    it with the headings and their pages."""
    heading = p(doc, "Contents", "Heading 1")
    level = OxmlElement("w:outlineLvl")  # body text level: not listed in its own contents
    level.set(qn("w:val"), "9")
    heading._p.get_or_add_pPr().append(level)
    begin = doc.add_paragraph()
    _field_char(begin.add_run(), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = TOC_INSTRUCTION
    begin.add_run()._r.append(instr)
    _field_char(begin.add_run(), "separate")
    p(doc, f"{{%p for c in {loop} %}}")
    p(doc, entry, "Contents Entry")
    p(doc, "{%p endfor %}")
    _field_char(doc.add_paragraph().add_run(), "end")
    update_fields_on_open(doc)


def _landscape(doc):
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    return section


def _section_end(doc, landscape: bool) -> None:
    """End the section here (a new page follows), portrait or landscape as the first section
    is: a ten-column table in 11 pt text fits a landscape page only."""
    import copy

    sect = copy.deepcopy(doc.sections[0]._sectPr)
    size = sect.find(qn("w:pgSz"))
    if landscape:
        w, h = size.get(qn("w:w")), size.get(qn("w:h"))
        size.set(qn("w:w"), h)
        size.set(qn("w:h"), w)
        size.set(qn("w:orient"), "landscape")
        margins = sect.find(qn("w:pgMar"))
        for side in ("w:left", "w:right"):
            margins.set(qn(side), str(int(Cm(1.5).twips)))
    kind = sect.find(qn("w:type"))
    if kind is not None:
        sect.remove(kind)
    doc.add_paragraph()._p.get_or_add_pPr().append(sect)


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _margins(section) -> None:
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin = section.bottom_margin = Cm(2.0)


def _save(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _wrap(doc, condition: str, body) -> None:
    p(doc, f"{{%p if {condition} %}}")
    body()
    p(doc, "{%p endif %}")


# --------------------------------------------------------------------------- plan blocks


def _block_board(doc, b):
    p(
        doc,
        f"The management board has {{{{ {b}.members }}}} members; {{{{ {b}.appendix }}}} lists "
        "them with the statutory sector each represents, and their attendance.",
    )
    p(
        doc,
        f"Statutory sectors represented by a senior partner in {{{{ {b}.kpi7_period }}}} "
        f"(KPI 7): {{{{ {b}.kpi7 }}}}.",
    )


def _block_previous_actions(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Ref", "Action", "Progress", "RAG"],
        ["{{ r.ref }}", "{{ r.action }}", "{{ r.progress }}", "{{ r.rag }}"],
        f"r in {b}.rows",
        widths=[1.5, 7, 6.5, 2],
    )
    p(doc, "{%p else %}")
    p(doc, "No previous plan is recorded in the system.", "Note")
    p(doc, "{%p endif %}")


def _block_b5(doc, b):
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Agency", "Staffing costs", "Payments in kind", "Other delegated funds", "Total"],
        [
            "{{ r.agency }}",
            "{{ r.staffing_costs }}",
            "{{ r.payments_in_kind }}",
            "{{ r.other_delegated_funds }}",
            "{{ r.total }}",
        ],
        f"r in {b}.rows",
        total=[
            "Total",
            f"{{{{ {b}.total.staffing_costs }}}}",
            f"{{{{ {b}.total.payments_in_kind }}}}",
            f"{{{{ {b}.total.other_delegated_funds }}}}",
            f"{{{{ {b}.total.total }}}}",
        ],
        widths=[5.5, 3, 3, 3, 2.5],
    )


def _block_funding_streams(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Funding stream", "Funder", "Amount (£)", "Ends", "Purpose"],
        ["{{ r.name }}", "{{ r.funder }}", "{{ r.amount }}", "{{ r.end_date }}", "{{ r.purpose }}"],
        f"r in {b}.rows",
        widths=[4, 3.5, 2.2, 2.8, 4.5],
    )
    p(doc, "{%p endif %}")


def _block_targets(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["KPI", "Measure", "Bands"],
        ["{{ r.kpi }}", "{{ r.measure }}", "{{ r.bands }}"],
        f"r in {b}.rows",
        widths=[5, 4, 8],
    )
    p(
        doc,
        "Each band includes its lower bound and excludes its upper bound, so the bands "
        "neither overlap nor leave gaps.",
        "Note",
    )
    p(doc, "{%p endif %}")


def _block_kpi_table(doc, b):
    _section_end(doc, landscape=False)
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        [],
        [
            "{{ r.title }}",
            "{{ r.window }}",
            "{{ r.latest }}",
            "{{ r.year_before }}",
            "{{ r.trend }}",
            "{{ r.comparators[0].text }}",
            "{{ r.comparators[1].text }}",
            "{{ r.comparators[2].text }}",
            "{{ r.comparators[3].text }}",
            "{{ r.target_rag }}",
        ],
        f"r in {b}.rows",
        header_rows=[
            [
                "KPI",
                "Period",
                "Value",
                f"{{{{ {b}.year_before }}}}",
                "Trend",
                "England and Wales",
                "Region",
                "YJS family group",
                "YJS average",
                "Local target",
            ]
        ],
        widths=KPI_WIDTHS,
    )
    p(
        doc,
        "Values are the performance engine's results for the period shown; * marks a count of "
        "one to four, suppressed; – means no result. The trend compares the value with the "
        "same quarter a year before.",
        "Note",
    )
    _about_the_figures(doc)
    _section_end(doc, landscape=True)


def _about_the_figures(doc) -> None:
    """Where the figures come from (the context's `provenance`); left out of a document whose
    context predates it (an approved plan's frozen context)."""
    p(doc, "{%p if provenance %}")
    p(doc, "About these figures", "Caption")
    key_values(
        doc,
        [
            (
                "Snapshot",
                "{{ provenance.snapshot }} (snapshot {{ provenance.snapshot_ref }})"
                "{% if provenance.as_at %}; figures as at {{ provenance.as_at }}, records dated "
                "later left out{% endif %}",
            ),
            ("Period", "{{ provenance.period }}"),
            ("Source", "{{ provenance.source }}"),
            ("Definitions", "{{ provenance.definitions }}"),
            ("Small numbers", "{{ provenance.suppression }}"),
        ],
        ("About these figures", "Details"),
    )
    p(doc, "{%p endif %}")


def _block_kpi_charts(doc, b):
    p(doc, f"{{%p if {b}.charts %}}")
    p(doc, "KPI trends over the last five quarters", "Caption")
    p(doc, f"{{% for c in {b}.charts %}}{{{{ c.image }}}} {{% endfor %}}")
    p(doc, "{%p endif %}")


def _block_priorities(doc, b, number: str):
    p(doc, f"{{%p for e in {b}.entries %}}")
    p(doc, f"{{{{ {number} }}}}.{{{{ loop.index }}}} {{{{ e.title }}}}", "Heading 2")
    p(doc, "{{p e.narrative_doc }}")
    p(doc, "{%p endfor %}")


def _block_standards(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["National Standard", "Self-assessment", "Assessed", "Summary"],
        ["{{ r.standard }}", "{{ r.rating }}", "{{ r.assessed_on }}", "{{ r.summary }}"],
        f"r in {b}.rows",
        widths=[4, 2.8, 2.7, 7.5],
    )
    p(doc, "{%p endif %}")


def _block_staffing_summary(doc, b):
    p(
        doc,
        f"The service has {{{{ {b}.people }}}} people in {{{{ {b}.fte_posts }}}} posts "
        f"(full-time equivalent); table B8 in {{{{ {b}.appendix }}}} shows them by role, sex "
        "and ethnicity.",
    )


def _block_action_summary(doc, b):
    p(
        doc,
        f"The service development and action plan in {{{{ {b}.appendix }}}} has "
        f"{{{{ {b}.total }}}} actions: {{% for c in {b}.counts %}}{{{{ c.count }}}} "
        f"{{{{ c.rag|lower }}}}{{% if not loop.last %}}, {{% endif %}}{{% endfor %}}.",
    )
    p(doc, f"{{%p if {b}.off_track %}}")
    p(doc, "Actions off track:", bold=True)
    p(doc, f"{{%p for a in {b}.off_track %}}")
    p(doc, "{{ a.ref }}: {{ a.action }} ({{ a.lead_owners }}, {{ a.by_when }})", "List Bullet")
    p(doc, "{%p endfor %}")
    p(doc, "{%p endif %}")


def _block_risks(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Type", "Description", "Likelihood", "Impact", "Score", "Mitigations", "Owner", "Review"],
        [
            "{{ r.kind }}",
            "{{ r.description }}",
            "{{ r.likelihood }}",
            "{{ r.impact }}",
            "{{ r.score }}",
            "{{ r.mitigations }}",
            "{{ r.owner }}",
            "{{ r.review_date }}",
        ],
        f"r in {b}.rows",
        widths=[1.9, 3.4, 2.0, 1.5, 1.4, 3.3, 1.8, 1.8],
    )
    p(
        doc,
        "Likelihood and impact are scored 1 (low) to 5 (high); score = likelihood × impact.",
        "Note",
    )
    p(doc, "{%p endif %}")


def _block_sign_off(doc, b):
    key_values(
        doc,
        [
            (f"{{{{ {b}.role }}}} – name", f"{{{{ {b}.name }}}}"),
            ("Signature", ""),
            ("Date", f"{{{{ {b}.date }}}}"),
            ("Plan version", "{{ version_number }} ({{ status|lower }})"),
        ],
        ("Sign-off", "Details"),
    )
    p(doc, "")
    p(doc, f"{{%p if {b}.approvals %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Approved by", "Date", "Notes"],
        ["{{ a.body }}", "{{ a.date }}", "{{ a.notes }}"],
        f"a in {b}.approvals",
        widths=[6, 4, 7],
    )
    p(doc, "{%p endif %}")


def _block_board_members(doc, b):
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Position", "Name", "Organisation", "Sector represented", "Role", "Named deputy"],
        [
            "{{ r.position }}",
            "{{ r.name }}",
            "{{ r.organisation }}",
            "{{ r.sector }}",
            "{{ r.role }}",
            "{{ r.named_deputy }}",
        ],
        f"r in {b}.rows",
        widths=[6, 3.5, 5, 4, 2.5, 4],
    )


def _block_board_attendance(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        [],
        [
            "{{ r.date }}",
            *[f"{{{{ r.cells[{i}] }}}}" for i in range(5)],
            "{{ r.papers_due }}",
            "{{ r.minutes_due }}",
        ],
        f"r in {b}.rows",
        header_rows=[
            [
                "Meeting",
                *[f"{{{{ {b}.sectors[{i}] }}}}" for i in range(5)],
                "Papers due",
                "Minutes due",
            ]
        ],
        widths=[3.2, 3, 3, 2.5, 2.5, 2.5, 3, 3],
    )
    p(
        doc,
        "Papers are due one week before each meeting and minutes within ten working days.",
        "Note",
    )
    p(doc, "{%p endif %}")


def _block_staff_by_role(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        ["Role", "People", "Posts (full-time equivalent)"],
        ["{{ r.role }}", "{{ r.people }}", "{{ r.fte_posts }}"],
        f"r in {b}.rows",
        total=["Total", f"{{{{ {b}.people }}}}", f"{{{{ {b}.fte_posts }}}}"],
        widths=[8, 4, 6],
    )
    p(doc, "{%p endif %}")
    p(doc, f"{{%p if {b}.org_chart and {b}.org_chart.image %}}")
    p(doc, "Organisation chart", "Caption")
    p(doc, f"{{{{ {b}.org_chart.image }}}}")
    p(doc, "{%p endif %}")


def _soft_hyphens(label: str) -> str:
    """A word too long for a B8 column at 11 pt is hyphenated in its middle, not cut anywhere
    (a soft hyphen shows only where the line breaks; screen readers skip it)."""
    return " ".join(
        w if len(w) <= 10 else f"{w[: len(w) // 2]}\u00ad{w[len(w) // 2 :]}" for w in label.split()
    )


def _block_b8(doc, b):
    from .models import B8_ROLES

    roles = [_soft_hyphens(label) for _, label in B8_ROLES] + ["Total"]
    first = ["Ethnicity"]
    for r in roles:
        first += [r, ""]
    second = [""] + ["M", "F"] * len(roles)
    cells = ["{{ r.group }}"] + [f"{{{{ r.cells[{i}] }}}}" for i in range(2 * len(roles))]
    total = ["Total"] + [f"{{{{ {b}.total[{i}] }}}}" for i in range(2 * len(roles))]
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    t = table(
        doc,
        [],
        cells,
        f"r in {b}.rows",
        header_rows=[first, second],
        total=total,
        merges=[(0, 1 + 2 * i, 2 + 2 * i) for i in range(len(roles))],
        widths=[3.2] + [1.25] * (2 * len(roles)),
    )
    for row in t.rows:
        for cell in row.cells[1:]:
            for para in cell.paragraphs:
                para.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p(doc, f"{{%p if {b}.welsh_speakers %}}")
    p(doc, f"Welsh speakers: {{{{ {b}.welsh_speakers|join(', ') }}}}", "Note")
    p(doc, "{%p endif %}")
    p(
        doc,
        f"{{{{ {b}.people }}}} people in {{{{ {b}.fte_posts }}}} posts (full-time "
        "equivalent). Every total is computed from the staff records.",
        "Note",
    )


def _block_actions(doc, b):
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    table(
        doc,
        [
            "Ref",
            "Outcome needed",
            "Action",
            "Impact",
            "Lead owner(s)",
            "By when",
            "How we will know",
            "Progress",
            "RAG",
            "Source",
        ],
        [
            "{{ r.ref }}",
            "{{ r.outcome }}",
            "{{ r.action }}",
            "{{ r.impact }}",
            "{{ r.lead_owners }}",
            "{{ r.by_when }}",
            "{{ r.measure }}",
            "{{ r.progress }}",
            "{{ r.rag }}",
            "{{ r.source }}",
        ],
        f"r in {b}.rows",
        widths=[1.2, 3.5, 3.6, 2.8, 2.4, 2.4, 2.8, 3.0, 1.8, 3.1],  # 26.6 cm
    )
    p(doc, "{%p else %}")
    p(doc, "No actions have been entered.", "Note")
    p(doc, "{%p endif %}")


def _block_glossary(doc, b):
    table(
        doc,
        ["Term", "Meaning"],
        ["{{ r.term }}", "{{ r.definition }}"],
        f"r in {b}.rows",
        widths=[4, 20],
    )


def _block_extension(doc, b):
    """A block registered by another app (yjs.governance.blocks): intro, a table whose
    columns come from the data (docxtpl's {%tc %} loops), quotes and a note."""
    p(doc, f"{{%p if {b}.intro %}}")
    p(doc, f"{{{{ {b}.intro }}}}")
    p(doc, "{%p endif %}")
    p(doc, f"{{%p if {b}.rows %}}")
    p(doc, f"{{{{ {b}.caption }}}}", "Caption")
    t = table(
        doc,
        [f"{{%tc for h in {b}.headers %}}", "{{ h }}", "{%tc endfor %}"],
        ["{%tc for c in r %}", "{{ c }}", "{%tc endfor %}"],
        f"r in {b}.rows",
        widths=[5.6, 5.6, 5.6],
    )
    # Each column's width from the data (blocks.column_twips); the caption is the table's
    # title for a screen reader, and marks it for `documents.widths_from_cells`.
    for row in (t.rows[0], t.rows[2]):
        row.cells[1]._tc.tcPr.find(qn("w:tcW")).set(qn("w:w"), f"{{{{ {b}.twips[loop.index0] }}}}")
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), f"{{{{ {b}.caption }}}}")
    t._tbl.tblPr.append(caption)
    p(doc, "{%p endif %}")
    p(doc, f"{{%p for q in {b}.quotes %}}")
    quote = p(doc, "“{{ q.text }}”")
    quote.runs[0].italic = True
    quote.paragraph_format.left_indent = Cm(1)
    p(doc, "{%p if q.who %}")
    p(doc, "– {{ q.who }}", "Note")
    p(doc, "{%p endif %}")
    p(doc, "{%p endfor %}")
    p(doc, f"{{%p if {b}.note %}}")
    p(doc, f"{{{{ {b}.note }}}}", "Note")
    p(doc, "{%p endif %}")


BLOCKS = {
    "board": _block_board,
    "previous_actions": _block_previous_actions,
    "b5": _block_b5,
    "funding_streams": _block_funding_streams,
    "targets": _block_targets,
    "kpi_table": _block_kpi_table,
    "kpi_charts": _block_kpi_charts,
    "standards": _block_standards,
    "staffing_summary": _block_staffing_summary,
    "action_summary": _block_action_summary,
    "risks": _block_risks,
    "sign_off": _block_sign_off,
    "board_members": _block_board_members,
    "board_attendance": _block_board_attendance,
    "staff_by_role": _block_staff_by_role,
    "b8": _block_b8,
    "actions": _block_actions,
    "glossary": _block_glossary,
}


def _part_loop(doc, loop: str, parts) -> None:
    p(doc, f"{{%p for s in {loop} %}}")
    p(doc, "{{ s.heading }}", "Heading 1")
    p(doc, "{{p s.narrative_doc }}")
    names = []
    for part in parts:
        names += [n for n in part.blocks if n not in names]
        names += [n for n in extension_blocks.names_for(part.key) if n not in names]
    for name in names:
        var = f"s.blocks.{name}"
        if name == "priorities":
            _wrap(
                doc,
                f"'{name}' in s.blocks",
                lambda var=var: _block_priorities(doc, var, "s.number"),
            )
        else:
            write = BLOCKS.get(name, _block_extension)
            _wrap(doc, f"'{name}' in s.blocks", lambda write=write, var=var: write(doc, var))
    p(doc, "{%p endfor %}")


@cache
def plan_template() -> bytes:
    """The default plan template: cover, header block, contents, sections, appendices."""
    doc = Document()
    _styles(doc)
    _margins(doc.sections[0])
    _page_number_footer(doc.sections[0])
    p(doc, "{{ service }}", "Subtitle")
    p(doc, "{{ title }} {{ period_label }}", "Title")
    p(doc, "Annual update for {{ year }} · version {{ version_number }} ({{ status|lower }})")
    p(doc, "{%p if provisional %}")
    p(doc, "PROVISIONAL: {{ provisional }}. The figures quoted will change.", bold=True)
    p(doc, "{%p endif %}")
    key_values(
        doc,
        [
            ("Service", "{{ service }}"),
            ("Service manager / lead", "{{ service_lead }}"),
            ("Chair of the board", "{{ board_chair }}"),
        ],
        ("Plan detail", "Details"),
    )
    p(doc, "")
    _contents_field(doc, "{{ c.heading }}", "contents")
    _page_break(doc)
    _part_loop(doc, "sections", structure.SECTIONS)
    landscape = _landscape(doc)
    landscape.left_margin = landscape.right_margin = Cm(1.5)
    _part_loop(doc, "appendices", structure.APPENDICES)
    return _save(doc)


# --------------------------------------------------------------------------- board pack


@cache
def board_pack_template() -> bytes:
    """The default quarterly board pack (performance report) template."""
    doc = Document()
    _styles(doc)
    _margins(doc.sections[0])
    _page_number_footer(doc.sections[0])
    p(doc, "{{ service }}", "Subtitle")
    p(doc, "Management board performance report", "Title")
    p(
        doc,
        "{{ quarter }} ({{ months }}) · KPI results from the snapshot of {{ snapshot_date }}"
        " · {{ audience_note }}",
    )
    p(doc, "{%p if provisional %}")
    p(doc, "PROVISIONAL: {{ provisional }}. These figures will change.", bold=True)
    p(doc, "{%p endif %}")
    _contents_field(doc, "{{ c }}", "contents")

    _section_end(doc, landscape=False)
    p(doc, "{{ h.summary }}", "Heading 1")
    p(doc, "{{ kpis.caption }}", "Caption")
    table(
        doc,
        [],
        [
            "{{ r.title }}",
            "{{ r.window }}",
            "{{ r.latest }}",
            "{{ r.previous }}",
            "{{ r.trend }}",
            "{{ r.comparators[0].text }}",
            "{{ r.comparators[1].text }}",
            "{{ r.comparators[2].text }}",
            "{{ r.comparators[3].text }}",
            "{{ r.target_rag }}",
        ],
        "r in kpis.rows",
        header_rows=[
            [
                "KPI",
                "Period",
                "Value",
                "Previous quarter",
                "Trend",
                "England and Wales",
                "Region",
                "YJS family group",
                "YJS average",
                "RAG",
            ]
        ],
        widths=KPI_WIDTHS,
    )
    p(
        doc,
        "RAG is the plan's local target band for the value; * marks a count of one to four, "
        "suppressed; – means no result.",
        "Note",
    )
    p(doc, "{%p for e in kpis.errors %}")
    p(doc, "{{ e }}", "Note")
    p(doc, "{%p endfor %}")
    _about_the_figures(doc)
    _section_end(doc, landscape=True)

    p(doc, "{{ h.trends }}", "Heading 1")
    p(doc, "{%p if charts %}")
    p(doc, "{% for c in charts %}{{ c.image }} {% endfor %}")
    p(doc, "{%p else %}")
    p(doc, "Not enough quarters of results to draw trends.", "Note")
    p(doc, "{%p endif %}")

    p(doc, "{{ h.disproportionality }}", "Heading 1")
    p(doc, "{%p if disproportionality.rows %}")
    p(doc, "{{ disproportionality.caption }}", "Caption")
    table(
        doc,
        ["Stage", "Breakdown", "Group", "Children", "Relative rate index"],
        [
            "{{ r.measure }}",
            "{{ r.dimension }}",
            "{{ r.group }}",
            "{{ r.counts }}",
            "{{ r.value }}",
        ],
        "r in disproportionality.rows",
        widths=[4, 3, 4, 3, 3],
    )
    p(
        doc,
        "An index above 1 means the group is over-represented compared with the local "
        "population of children aged 10 to 17. An index of 1.00 marks each breakdown's "
        "reference group (White, aged 10-14, female, not looked after).",
        "Note",
    )
    p(doc, "{%p else %}")
    p(doc, "No disproportionality results for the quarter.", "Note")
    p(doc, "{%p endif %}")
    p(doc, "{%p if disproportionality.reading %}")
    reading = p(doc, "Draft reading, drafted from the figures: ", bold=True)
    reading.add_run("{{ disproportionality.reading }}")
    p(doc, "{%p endif %}")

    p(doc, "{{ h.remand }}", "Heading 1")
    p(doc, "{%p if episode_summary %}")
    p(doc, "{{ episode_summary_caption }}", "Caption")
    table(
        doc,
        ["Episode", "Episodes", "Children"],
        ["{{ s.kind }}", "{{ s.episodes }}", "{{ s.children }}"],
        "s in episode_summary",
        widths=[9, 4, 4],
    )
    p(doc, "{{ small_numbers_note }}", "Note")
    p(doc, "{%p if episodes %}")
    p(doc, "{{ episodes_caption }}", "Caption")
    table(
        doc,
        ["Child", "Age", "Episode", "Start", "End", "Nights", "Circumstances"],
        [
            "{{ e.child }}",
            "{{ e.age }}",
            "{{ e.kind }}",
            "{{ e.start }}",
            "{{ e.end }}",
            "{{ e.nights }}",
            "{{ e.circumstances }}",
        ],
        "e in episodes",
        widths=[2.4, 1, 3.6, 2.2, 2.2, 1.3, 4.3],
    )
    p(doc, "{{ episodes_outside }}", "Note")
    p(doc, "{%p endif %}")
    p(doc, "{%p else %}")
    p(doc, "No child was remanded or in custody in the quarter.")
    p(doc, "{%p endif %}")

    p(doc, "{{ h.fte }}", "Heading 1")
    p(doc, "{{ fte_summary }}")
    p(doc, "{%p if ftes %}")
    table(
        doc,
        ["Child", "Age", "Outcome", "Date", "Known to the service before"],
        ["{{ f.child }}", "{{ f.age }}", "{{ f.outcome }}", "{{ f.date }}", "{{ f.known_before }}"],
        "f in ftes",
        widths=[2.5, 1.2, 5.5, 2.8, 5],
    )
    p(doc, "{{ ftes_outside }}", "Note")
    p(doc, "{%p endif %}")

    p(doc, "{{ h.budget }}", "Heading 1")
    p(doc, "{%p if finance %}")
    key_values(
        doc,
        [
            ("Budget {{ finance.year }} (£)", "{{ finance.budget }}"),
            ("Spent to date (£)", "{{ finance.spend_to_date }}"),
            ("Forecast outturn (£)", "{{ finance.forecast_outturn }}"),
            ("Forecast variance (£)", "{{ finance.variance }}"),
            ("Commentary", "{{ finance.commentary }}"),
        ],
        ("Budget position", "Amount or note"),
    )
    p(doc, "{%p else %}")
    p(doc, "No budget position has been entered for the quarter.", "Note")
    p(doc, "{%p endif %}")

    p(doc, "{{ h.actions }}", "Heading 1")
    p(doc, "{{ actions.summary }}")
    p(doc, "{%p if actions.rows %}")
    p(doc, "{{ actions.caption }}", "Caption")
    table(
        doc,
        ["Ref", "Action", "Lead owner(s)", "By when", "Progress", "RAG"],
        [
            "{{ r.ref }}",
            "{{ r.action }}",
            "{{ r.lead_owners }}",
            "{{ r.by_when }}",
            "{{ r.progress }}",
            "{{ r.rag }}",
        ],
        "r in actions.rows",
        widths=[1.2, 5, 2.8, 2.5, 4.5, 1.5],
    )
    p(doc, "{%p endif %}")

    p(doc, "{%p for x in extra_sections %}")
    p(doc, "{{ x.heading }}", "Heading 1")
    _block_extension(doc, "x.block")
    p(doc, "{%p endfor %}")
    return _save(doc)
