"""Rendering: Word via docxtpl, charts via matplotlib, PDF via LibreOffice.

PDF comes from LibreOffice converting the very Word file we produce (not WeasyPrint from a
separate HTML layout), so the PDF and the Word document cannot disagree.
Word output is normalised (fixed zip timestamps and document dates) so rendering the same
frozen context twice gives byte-identical files – an approved plan's export is reproducible.

A Word template is code a user wrote (a service may upload its own), so it is rendered in a
Jinja2 sandbox that sees plain data only: see `TemplateSandbox` and `check_template`.
"""

from __future__ import annotations

import base64
import copy
import datetime
import decimal
import functools
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, RichText, RichTextParagraph
from jinja2 import meta, nodes
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt

from . import template_builder

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
CHART_WIDTH_MM = 76  # two charts side by side within A4 portrait margins
CHART_TEXT_PT = 9  # the smallest chart text, at the size the chart is printed
CHART_STYLE = "print-5"  # part of each cached chart's key: a new drawing, new files
LIBREOFFICE = os.environ.get("YJS_LIBREOFFICE", "libreoffice")
UNO_PYTHON = os.environ.get("YJS_UNO_PYTHON", "")  # else /usr/bin/python3 if it has `uno`


class RenderError(Exception):
    """A document could not be produced (bad template, LibreOffice missing or failing)."""


# --------------------------------------------------------------------------- the sandbox

# What a template may look into: the plain data the render contexts are made of. docxtpl's own
# values (rich text, images) are printed by docxtpl but never looked into: an image holds the
# whole document object, whose methods write files.
PLAIN_TYPES = (str, int, float, bool, type(None), dict, list, tuple, decimal.Decimal, datetime.date)
DOCX_VALUES = (RichText, RichTextParagraph, InlineImage)

# The filters a plan template may use: text and list helpers, none that can build a huge
# string from a small template (center, indent, wordwrap, format…) or mark text as safe XML.
SAFE_FILTERS = {
    "abs", "capitalize", "count", "d", "default", "e", "escape", "first", "float", "int",
    "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
    "replace", "reverse", "round", "select", "selectattr", "sort", "string", "sum", "title",
    "trim", "truncate", "unique", "upper", "wordcount",
}  # fmt: skip
MAX_REPEAT = 10_000  # the longest string or list `*` may make; `**` is refused outright


def _internal(node) -> str | None:
    """What a template node reaches for if it is internal: `_x`, `x._y`, or a '__class__'
    string (for `map(attribute=…)`, `x['__…']`)."""
    if isinstance(node, nodes.Const):
        return node.value if isinstance(node.value, str) and "__" in node.value else None
    key = node.name if isinstance(node, nodes.Name) else node.attr
    return key if key.startswith("_") else None


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja2 for Word templates a user wrote: plain data in, nothing reachable beyond it.

    On top of Jinja2's immutable sandbox: no globals (no `range`, `lipsum`, `cycler`,
    `joiner`, `namespace`, `dict`), a short list of filters, attributes only of plain data,
    any name or attribute starting with "_" refused when the template is compiled (so a branch
    that is never taken is refused too), and an unsafe access raises at once instead of
    printing nothing. With `allowed_names`, a template using any other name is refused too (an
    upload must use the documented context only).
    """

    intercepted_binops = frozenset({"*", "**"})
    DATA_NAME = "the plan's data"  # how a refusal names the data (a letter's sandbox has its own)

    def __init__(self, allowed_names: set[str] | None = None):
        super().__init__(autoescape=True)
        self.globals.clear()
        self.filters = {k: v for k, v in self.filters.items() if k in SAFE_FILTERS}
        self.allowed_names = allowed_names

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Const)):
            internal = _internal(node)
            if internal:
                raise SecurityError(f"{internal!r}: names starting with _ are internal")
        if self.allowed_names is not None:
            unknown = meta.find_undeclared_variables(tree) - self.allowed_names
            if unknown:
                raise SecurityError(
                    f"{', '.join(sorted(unknown))}, which {self.DATA_NAME} does not contain"
                )
        return tree

    def is_safe_attribute(self, obj, attr, value):
        if not isinstance(obj, PLAIN_TYPES + (LoopContext,)):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def is_safe_callable(self, obj):
        return not isinstance(obj, type) and super().is_safe_callable(obj)

    def unsafe_undefined(self, obj, attribute):
        raise SecurityError(f"{attribute!r} of {type(obj).__name__!r}")

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("the ** operator")
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(times, int):
                if len(seq) * times > MAX_REPEAT:
                    raise SecurityError(f"repeating text or a list more than {MAX_REPEAT} times")
        return super().call_binop(context, operator, left, right)


def check_plain(value, where: str = "context") -> None:
    """The render context holds plain data only: no model, queryset or callable to call."""
    if isinstance(value, dict):
        for k, v in value.items():
            check_plain(v, f"{where}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            check_plain(v, f"{where}[{i}]")
    elif not isinstance(value, PLAIN_TYPES + DOCX_VALUES):
        raise RenderError(f"{where} is a {type(value).__name__}, not plain data")


# --------------------------------------------------------------------------- Markdown


_md = MarkdownIt("commonmark", {"html": False})


def markdown_html(text: str) -> str:
    """Narrative as HTML for the web (raw HTML in the Markdown is not passed through)."""
    return _md.render(text or "")


def _rich(token) -> RichText:
    rt = RichText()
    bold = italic = False
    for child in token.children or []:
        t = child.type
        if t in ("strong_open", "strong_close"):
            bold = t == "strong_open"
        elif t in ("em_open", "em_close"):
            italic = t == "em_open"
        elif t in ("text", "code_inline"):
            rt.add(child.content, bold=bold, italic=italic)
        elif t in ("softbreak", "hardbreak"):
            rt.add(" ")
    return rt


def markdown_paragraphs(text: str, heading: str = "Heading2") -> RichTextParagraph:
    """Markdown as Word paragraphs: headings, paragraphs, bullet and numbered lists, quotes.

    Uses docxtpl's RichTextParagraph (styles by id: Heading2, ListBullet …), so a branded
    template's own styles apply. Every Markdown heading becomes `heading`, the level below the
    text's own heading, so the document's heading levels never skip one.
    """
    out = RichTextParagraph()
    lists: list[str] = []
    style = None
    for token in _md.parse(text or ""):
        if token.type == "heading_open":
            style = heading
        elif token.type == "bullet_list_open":
            lists.append("ListBullet")
        elif token.type == "ordered_list_open":
            lists.append("ListNumber")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "blockquote_open":
            style = "Quote"
        elif token.type == "blockquote_close":
            style = None
        elif token.type == "inline":
            out.add(_rich(token), parastyle=style or (lists[-1] if lists else None))
            if style == heading:
                style = None
        elif token.type in ("fence", "code_block"):
            out.add(token.content.strip())
    return out


# --------------------------------------------------------------------------- charts


def png_data_uri(png: bytes) -> str:
    """A PNG inside an HTML page or file (the CSP allows img-src data:)."""
    return "data:image/png;base64," + base64.b64encode(png).decode()


def chart_png(chart: dict) -> bytes:
    """A small line chart of one KPI's headline over the last quarters.

    Drawn once per distinct chart (title, unit and points) and kept in ``VAR_DIR/charts``: the
    same figures make the same chart for every pack and export, drawing costs far more than
    filling the document, and the background refresh draws the next board pack's and the
    draft plans' charts ahead (``draw_ahead``). The bytes are the same either way, so approved
    exports stay identical.
    """
    from django.conf import settings

    key = json.dumps(
        [
            CHART_STYLE,
            chart["title"],
            chart["unit"],
            [(p["period"], p["value"]) for p in chart["points"]],
        ],
        default=str,
    )
    folder = Path(settings.VAR_DIR) / "charts"
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()}.png"
    if path.exists():
        os.utime(path)  # in use: kept by prune_charts
        return path.read_bytes()
    data = _draw_chart(chart)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return data


def prune_charts(days: int = 30) -> int:
    """Charts not drawn or used for ``days`` go (figures move on); returns how many."""
    import time

    from django.conf import settings

    folder = Path(settings.VAR_DIR) / "charts"
    if not folder.exists():
        return 0
    cutoff = time.time() - days * 86400
    old = [p for p in folder.glob("*.png") if p.stat().st_mtime < cutoff]
    for p in old:
        p.unlink(missing_ok=True)
    return len(old)


def _draw_chart(chart: dict) -> bytes:
    from matplotlib import pyplot as plt

    fig = chart_figure(chart)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


def chart_figure(chart: dict):
    """The chart as a matplotlib figure, at print size: every text at least CHART_TEXT_PT."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = _period_labels([p["period"] for p in chart["points"]])
    values = [p["value"] for p in chart["points"]]
    small, large = CHART_TEXT_PT, CHART_TEXT_PT + 1
    # Drawn at the size it is printed (CHART_WIDTH_MM wide), so a font size is a print size.
    width = CHART_WIDTH_MM / 25.4
    fig, ax = plt.subplots(figsize=(width, width * 0.72), dpi=200)
    xs = [i for i, v in enumerate(values) if v is not None]
    ys = [v for v in values if v is not None]
    ax.plot(xs, ys, marker="o", color="#1d70b8", linewidth=2)
    for x, y in zip(xs, ys, strict=True):
        text = f"{y:.1f}" if chart["unit"] == "percent" else f"{y:g}"
        ax.annotate(
            text, (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=small
        )
    ax.set_xticks(range(len(labels)), labels, fontsize=small)
    if chart["points"]:
        first, last = chart["points"][0]["period"], chart["points"][-1]["period"]
        ax.set_xlabel(f"{first} to {last}", fontsize=small)
    ax.tick_params(axis="y", labelsize=small)
    percent = chart["unit"] == "percent"
    title = chart["title"] if percent else f"{chart['title']} ({chart['unit'].replace('_', ' ')})"
    ax.set_title(_wrap_title(title), fontsize=large, loc="left", fontweight="bold")
    if percent:  # the unit on the axis; other units are in the title (no axis label: room)
        ax.yaxis.set_major_formatter("{x:g}%")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_xlim(-0.5, len(labels) - 0.5)  # room for the first and last values
    if ys:
        top = max(ys)
        ax.set_ylim(0, top * 1.25 if top else 1)
    fig.tight_layout()
    return fig


def _period_labels(periods: list[str]) -> list[str]:
    """'Q4' for '2023-24 Q4': five quarters side by side in print-size text (the years are
    the axis label)."""
    return [period.rpartition(" ")[2] for period in periods]


def _wrap_title(title: str, width: int = 30) -> str:
    """A long KPI name on two lines rather than in a smaller font."""
    import textwrap

    return "\n".join(textwrap.wrap(title, width)[:3])


ORG_CHART_WIDTH_MM = 200  # across a landscape A4 page within its margins


def org_chart_png(chart: dict) -> bytes:
    """The organisation chart (Appendix 2), cached like the KPI charts."""
    from django.conf import settings

    key = json.dumps([CHART_STYLE, "org", chart["tiers"]])
    folder = Path(settings.VAR_DIR) / "charts"
    path = folder / f"{hashlib.sha256(key.encode()).hexdigest()}.png"
    if path.exists():
        os.utime(path)
        return path.read_bytes()
    from matplotlib import pyplot as plt

    fig = org_chart_figure(chart)
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    plt.close(fig)
    data = out.getvalue()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
    return data


def org_chart_figure(chart: dict):
    """Tiers of boxes (role and number of people), each tier joined to the one above; drawn
    at print size so CHART_TEXT_PT is the printed size."""
    import textwrap

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    tiers = chart["tiers"]
    width = ORG_CHART_WIDTH_MM / 25.4
    height = 0.95 * len(tiers)
    fig, ax = plt.subplots(figsize=(width, height), dpi=200)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, len(tiers))
    ax.axis("off")
    centres: list[list[float]] = []
    for level, tier in enumerate(tiers):
        y = len(tiers) - level - 0.5
        slot = 1 / max(len(tier), 1)
        xs = [slot * (i + 0.5) for i in range(len(tier))]
        centres.append(xs)
        box_w = min(slot * 0.9, 0.3)
        for x, box in zip(xs, tier, strict=True):
            ax.add_patch(
                FancyBboxPatch(
                    (x - box_w / 2, y - 0.3),
                    box_w,
                    0.6,
                    boxstyle="round,pad=0.005",
                    facecolor="#f3f2f1" if level else "#d2e2f1",
                    edgecolor="#0b0c0c",
                    linewidth=1,
                )
            )
            label = "\n".join(textwrap.wrap(box["role"], 18 if len(tier) > 4 else 30))
            ax.text(
                x, y, f"{label}\n({box['people']})", ha="center", va="center",
                fontsize=CHART_TEXT_PT, linespacing=1.1,
            )  # fmt: skip
        if level:  # joined to the tier above: down from its middle, across, down to each box
            above = len(tiers) - level + 0.5 - 0.3
            mid = y + 0.3 + (above - y - 0.3) / 2
            top_x = sum(centres[level - 1]) / len(centres[level - 1])
            ax.plot([top_x, top_x], [above, mid], color="#0b0c0c", linewidth=1)
            ax.plot([min(xs + [top_x]), max(xs + [top_x])], [mid, mid], color="#0b0c0c", lw=1)
            for x in xs:
                ax.plot([x, x], [mid, y + 0.3], color="#0b0c0c", linewidth=1)
    fig.tight_layout(pad=0.2)
    return fig


def chart_alt(chart: dict) -> str:
    """A chart's alternative text: its title and every point, as the HTML pack's `alt` says."""
    points = ", ".join(
        f"{p['period']} {'no result' if p['value'] is None else p['value']}"
        for p in chart["points"]
    )
    return f"{chart['title']}: {points}"


# --------------------------------------------------------------------------- Word


def _images(tpl: DocxTemplate, charts: list[dict]) -> list[dict]:
    return [
        {**c, "image": InlineImage(tpl, io.BytesIO(chart_png(c)), width=Mm(CHART_WIDTH_MM))}
        for c in charts
    ]


def _charts_of(context: dict) -> list[dict]:
    """Every chart a plan or board pack context draws."""
    charts = list(context.get("charts", []))
    for part in context.get("parts", []):
        charts += part["blocks"].get("kpi_charts", {}).get("charts", [])
    return charts


WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def describe_images(document, charts: list[dict], org_charts: list[dict] | None = None) -> None:
    """Give each chart picture its alternative text (wp:docPr descr, which Word shows as Alt
    Text and LibreOffice tags as the PDF figure's /Alt). A chart is known by its PNG bytes,
    so a branded template may print the charts in any order."""
    alt = {
        hashlib.sha256(chart_png(c)).hexdigest(): (f"Chart: {c['title']}", chart_alt(c))
        for c in charts
    }
    for org in org_charts or []:
        alt[hashlib.sha256(org_chart_png(org)).hexdigest()] = ("Organisation chart", org["alt"])
    part = document.part
    for drawing in document.element.body.iter(f"{{{WP}}}inline", f"{{{WP}}}anchor"):
        blip = next(drawing.iter(f"{{{A}}}blip"), None)
        doc_pr = drawing.find(f"{{{WP}}}docPr")
        if blip is None or doc_pr is None:
            continue
        image = part.related_parts.get(blip.get(f"{{{R}}}embed"))
        found = alt.get(hashlib.sha256(image.blob).hexdigest()) if image is not None else None
        if found:
            name, descr = found
            doc_pr.set("descr", descr)
            if "title" in doc_pr.attrib:  # LibreOffice would put it before the alt text
                del doc_pr.attrib["title"]
            doc_pr.set("name", name[:250])


def plan_render_context(tpl: DocxTemplate, context: dict) -> dict:
    ctx = copy.deepcopy(context)
    for part in ctx["parts"]:
        part["narrative_doc"] = markdown_paragraphs(part["narrative"])
        for entry in part["blocks"].get("priorities", {}).get("entries", []):
            entry["narrative_doc"] = markdown_paragraphs(entry["narrative"], "Heading3")
        charts = part["blocks"].get("kpi_charts")
        if charts:
            charts["charts"] = _images(tpl, charts["charts"])
        org = part["blocks"].get("staff_by_role", {}).get("org_chart")
        if org and org["tiers"]:
            org["image"] = InlineImage(
                tpl, io.BytesIO(org_chart_png(org)), width=Mm(ORG_CHART_WIDTH_MM)
            )
    ctx["sections"] = [p for p in ctx["parts"] if not p["appendix"]]
    ctx["appendices"] = [p for p in ctx["parts"] if p["appendix"]]
    ctx["footer"] = f"{ctx['service']} – {ctx['title']} {ctx['period_label']}"
    return ctx


MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 500


def check_docx(data: bytes) -> None:
    """A small, sound Word file, checked before anything unpacks it (no zip bomb)."""
    if len(data) > MAX_TEMPLATE_BYTES:
        raise RenderError(f"The file is larger than {MAX_TEMPLATE_BYTES // 1024 // 1024} MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise RenderError("The file is not a Word document (.docx)") from None
    if len(members) > MAX_MEMBERS:
        raise RenderError(f"The Word file has more than {MAX_MEMBERS} parts")
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise RenderError(
            f"The Word file unpacks to more than {MAX_UNPACKED_BYTES // 1024 // 1024} MB"
        )
    if not {"[Content_Types].xml", "word/document.xml"} <= {m.filename for m in members}:
        raise RenderError("The file is not a Word document (.docx)")


def _fill(template_bytes: bytes, build_context, context: dict, names: bool = False):
    """The template rendered in the sandbox, or RenderError: never a partial document."""
    check_docx(template_bytes)
    try:
        tpl = DocxTemplate(io.BytesIO(template_bytes))
        tpl.render_init()
        ctx = build_context(tpl, context)
    except Exception as exc:
        raise RenderError(f"The Word template could not be read: {exc}") from exc
    check_plain(ctx)
    try:
        tpl.render(ctx, jinja_env=TemplateSandbox(set(ctx) if names else None))
    except SecurityError as exc:
        raise RenderError(f"The Word template uses something that is not allowed: {exc}") from exc
    except Exception as exc:  # a service's own template may have broken tags
        message = exc.message if isinstance(exc, TemplateError) else exc
        raise RenderError(f"The Word template could not be filled in: {message}") from exc
    return tpl


def _render(template_bytes: bytes, build_context, context: dict, title: str, when):
    """Fill the template, then make the file accessible and its properties the plan's: chart
    alt text, British English, and title/author/dates from the document (not python-docx's
    "generated by python-docx" defaults, nor a service template's own author)."""
    tpl = _fill(template_bytes, build_context, context)
    org_charts = [
        part["blocks"]["staff_by_role"]["org_chart"]
        for part in context.get("parts", [])
        if part["blocks"].get("staff_by_role", {}).get("org_chart", {}).get("tiers")
    ]
    describe_images(tpl.docx, _charts_of(context), org_charts)
    widths_from_cells(tpl.docx)
    template_builder.set_language(tpl.docx)
    if template_builder.has_contents_field(tpl.docx):  # a service's own template's too
        template_builder.update_fields_on_open(tpl.docx)
    props = tpl.docx.core_properties
    props.created = props.modified = when
    props.author = props.last_modified_by = context.get("service", "")
    props.title = title
    props.subject = title
    props.language = "en-GB"
    props.keywords = props.comments = props.category = props.content_status = ""
    props.identifier = props.version = ""
    props.revision = 1
    for printed in props._element.findall(qn("cp:lastPrinted")):  # a template's own
        props._element.remove(printed)
    out = io.BytesIO()
    tpl.save(out)
    return normalise_docx(out.getvalue())


def widths_from_cells(document) -> None:
    """A table whose columns the data made (a registered block's, marked by its w:tblCaption)
    gets its grid from its first row's cell widths: docxtpl's {%tc %} loop only shares the
    template's width out evenly, and LibreOffice draws the grid."""
    for tbl in document.element.body.iter(qn("w:tbl")):
        tbl_pr = tbl.find(qn("w:tblPr"))
        if tbl_pr is None or tbl_pr.find(qn("w:tblCaption")) is None:
            continue
        grid = tbl.find(qn("w:tblGrid"))
        first = tbl.find(qn("w:tr"))
        if grid is None or first is None:
            continue
        widths = [tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}") for tc in first.findall(qn("w:tc"))]
        cols = grid.findall(qn("w:gridCol"))
        if len(cols) != len(widths) or any(w is None for w in widths):
            continue
        for col, w in zip(cols, widths, strict=True):
            col.set(qn("w:w"), w.get(qn("w:w")))


def plan_title(context: dict) -> str:
    return f"{context['title']} {context['period_label']}".strip()


DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"


def images_without_alt_text(document) -> list[str]:
    """The pictures of a template (body, headers and footers: a logo, say) that have neither
    alternative text nor Word's "Mark as decorative": a published plan is read by screen
    readers, and only the template's author knows what its own pictures show."""
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    missing = []
    for root in roots:
        for doc_pr in root.iter(f"{{{WP}}}docPr"):
            decorative = any(d.get("val") in ("1", "true") for d in doc_pr.iter(DECORATIVE))
            if not (doc_pr.get("descr") or "").strip() and not decorative:
                missing.append(doc_pr.get("name") or "a picture")
    return missing


def check_plan_template(template_bytes: bytes, context: dict) -> None:
    """An uploaded plan template: sound, it renders `context` (a plan with every part filled
    in) in the sandbox using only the names the context has, and it prints every part of the
    plan. RenderError, naming what is missing, if not: a template of just `{{ title }}` would
    otherwise become every approved plan's one-line document."""
    tpl = _fill(template_bytes, plan_render_context, context, names=True)
    unlabelled = images_without_alt_text(DocxTemplate(io.BytesIO(template_bytes)).get_docx())
    if unlabelled:
        raise RenderError(
            "The Word template has pictures with no alt text ("
            + ", ".join(f"“{n}”" for n in unlabelled[:5])
            + "): in Word, right-click each picture, choose Edit Alt Text and describe it, "
            "or tick Mark as decorative"
        )
    missing = missing_from_plan(tpl.docx, context)
    if missing:
        more = f"; and {len(missing) - 8} more" if len(missing) > 8 else ""
        shown = "; ".join(missing[:8]) + more
        raise RenderError(f"The Word template leaves out parts every plan must have: {shown}")


# The values that make a table's row recognisable: both must be printed in one row.
ROW_PROBES = {
    "previous_actions": ("ref", "action"),
    "b5": ("agency", "total"),
    "funding_streams": ("name", "funder"),
    "targets": ("kpi", "bands"),
    "kpi_table": ("title", "latest"),
    "standards": ("standard", "rating"),
    "risks": ("description", "owner"),
    "board_members": ("name", "position"),
    "board_attendance": ("date", "papers_due"),
    "staff_by_role": ("role", "people"),
    "b8": ("group",),
    "actions": ("ref", "action"),
    "glossary": ("term", "definition"),
}

BLOCK_NAMES = {
    "kpi_charts": "the KPI trend charts",
    "glossary": "the glossary table",
    "priorities": "the priorities",
    "sign_off": "the sign-off",
}


def _texts(document) -> list[str]:
    """Each paragraph's text (body and tables), spaces collapsed, in lower case."""
    out = []
    for para in document.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in para.iter(qn("w:t")))
        out.append(" ".join(text.split()).lower())
    return out


def missing_from_plan(document, context: dict) -> list[str]:
    """What a filled-in plan does not print of `context`: the title, each part's heading (in
    the contents too) and text, each table's caption and rows, each chart, the priorities
    and the sign-off. Named as a reader would name them."""
    paragraphs = _texts(document)
    text = "\n".join(paragraphs)
    rows_printed = paragraphs + [
        " ".join(" ".join(t.text or "" for t in tr.iter(qn("w:t"))).split()).lower()
        for tr in document.element.body.iter(qn("w:tr"))
    ]

    def shows(value) -> bool:
        return " ".join(str(value).split()).lower() in text

    missing = []
    if not shows(context["title"]):
        missing.append(f"the title “{context['title']}”")
    toc = template_builder.has_contents_field(document)
    no_contents = []
    for part in context["parts"]:
        heading = part["heading"]
        if not shows(heading):
            missing.append(f"the heading “{heading}”")
        elif not toc and sum(heading.lower() in p for p in paragraphs) < 2:
            no_contents.append(heading)
        if part["narrative"] and not shows(part["narrative"].strip().replace("**", "")):
            missing.append(f"the text of “{heading}”")
        for name, block in part["blocks"].items():
            label = block.get("caption") or BLOCK_NAMES.get(name, f"the {name} table")
            if block.get("caption") and not shows(block["caption"]):
                missing.append(f"the caption “{label}”")
            rows = block.get("rows") or []
            if rows and name in ROW_PROBES:
                probe = [" ".join(str(rows[0][k]).split()).lower() for k in ROW_PROBES[name]]
                if not any(all(v in row for v in probe) for row in rows_printed):
                    missing.append(f"the rows of {label}")
        for entry in part["blocks"].get("priorities", {}).get("entries", []):
            if not shows(entry["title"]):
                missing.append(f"the priority “{entry['title']}”")
        sign_off = part["blocks"].get("sign_off")
        if sign_off and not (shows(sign_off["name"]) and shows(sign_off["date"])):
            missing.append("the sign-off (name and date)")
    if no_contents:
        missing.append(f"the contents ({len(no_contents)} headings not listed)")
    charts = _charts_of(context)
    if charts:
        pngs = {hashlib.sha256(chart_png(c)).hexdigest() for c in charts}
        printed = {
            hashlib.sha256(part.blob).hexdigest()
            for part in document.part.related_parts.values()
            if getattr(part, "content_type", "").startswith("image/")
        }
        shown_charts = len(pngs & printed)
        if shown_charts < len(pngs):
            missing.append(f"{BLOCK_NAMES['kpi_charts']} ({shown_charts} of {len(pngs)} printed)")
    return missing


def render_plan_docx(
    context: dict, template_bytes: bytes | None = None, when: datetime.datetime | None = None
) -> bytes:
    return _render(
        template_bytes or template_builder.plan_template(),
        plan_render_context,
        context,
        plan_title(context),
        when or datetime.datetime(2000, 1, 1),
    )


def normalise_docx(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps so equal content gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            new = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o644 << 16
            dst.writestr(new, src.read(info.filename))
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- PDF


# Tagged PDF (structure, reading order, figure alt text, table headers), bookmarks from the
# headings, the document title in the window: LibreOffice's writer_pdf_Export options.
PDF_OPTIONS = {
    "UseTaggedPDF": True,
    "ExportBookmarks": True,
    "ExportNotes": False,
    "DisplayPDFDocumentTitle": True,
    "OpenBookmarkLevels": -1,
}


def _pdf_filter() -> str:
    def option(value):
        kind = "boolean" if isinstance(value, bool) else "long"
        return {"type": kind, "value": str(value).lower() if kind == "boolean" else str(value)}

    options = json.dumps({k: option(v) for k, v in PDF_OPTIONS.items()}, separators=(",", ":"))
    return f"pdf:writer_pdf_Export:{options}"


@functools.cache
def uno_python() -> str | None:
    """A Python that can drive LibreOffice (has its `uno` module), or None.

    Through it the PDF's contents are updated with page numbers (`lo_convert`); without it the
    plain `--convert-to` prints the contents as the Word file lists them, without numbers.
    """
    for candidate in filter(None, [UNO_PYTHON, "/usr/bin/python3"]):
        path = shutil.which(candidate)
        if path:
            check = subprocess.run([path, "-I", "-c", "import uno"], capture_output=True)
            if check.returncode == 0:
                return path
    return None


def docx_to_pdf(docx: bytes, when: datetime.datetime | None = None) -> bytes:
    """Convert with LibreOffice in its own profile (safe beside other conversions).

    With `when` (an approved plan's approval time) the PDF's dates are that time and its ID
    is a hash of its content, so converting the same Word file again gives the same bytes.
    """
    if not shutil.which(LIBREOFFICE):
        raise RenderError("LibreOffice is not installed: PDF export needs `libreoffice`")
    with tempfile.TemporaryDirectory(prefix="yjs-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        pdf = Path(tmp) / "document.pdf"
        uno = uno_python()
        if uno:  # the contents get their page numbers
            cmd = [uno, "-I", str(Path(__file__).with_name("lo_convert.py")), LIBREOFFICE]
            cmd += [f"file://{profile}", str(src), str(pdf), json.dumps(PDF_OPTIONS)]
        else:
            cmd = [
                LIBREOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                _pdf_filter(),
                "--outdir",
                tmp,
                str(src),
            ]
        try:
            env = {**os.environ, "TZ": "UTC"}  # dates written the same way wherever it runs
            run = subprocess.run(cmd, capture_output=True, timeout=240, check=False, env=env)
        except subprocess.TimeoutExpired as exc:
            raise RenderError("LibreOffice took too long to convert the document") from exc
        if run.returncode != 0 or not pdf.exists():
            message = (run.stderr or run.stdout).decode(errors="replace").strip()
            raise RenderError(f"LibreOffice could not convert the document: {message[:200]}")
        return fix_pdf(pdf.read_bytes(), when)


_PDF_DATE = re.compile(rb"/(?:CreationDate|ModDate)\s*\(D:(\d{14})")
_PDF_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")
_PDF_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})")


def fix_pdf(pdf: bytes, when: datetime.datetime | None) -> bytes:
    """The conversion's own time and random ID replaced in place (same length, so every
    byte offset in the file stays right): dates from `when`, the ID and LibreOffice's
    checksum from a hash of the rest of the file."""
    data = bytearray(pdf)

    def put(match, group, value: bytes):
        start, end = match.span(group)
        assert end - start == len(value)
        data[start:end] = value

    if when is not None:
        stamp = when.strftime("%Y%m%d%H%M%S").encode()
        for m in _PDF_DATE.finditer(pdf):
            put(m, 1, stamp)
    ids = list(_PDF_ID.finditer(pdf)) + list(_PDF_CHECKSUM.finditer(pdf))
    blank = b"0" * 32
    for m in ids:
        for g in range(1, m.re.groups + 1):
            put(m, g, blank)
    digest = hashlib.md5(bytes(data), usedforsecurity=False).hexdigest().upper().encode()
    for m in ids:
        for g in range(1, m.re.groups + 1):
            put(m, g, digest)
    return bytes(data)


# --------------------------------------------------------------------------- board pack


def board_pack_render_context(tpl: DocxTemplate, context: dict) -> dict:
    ctx = copy.deepcopy(context)
    ctx["charts"] = _images(tpl, ctx["charts"])
    ctx["footer"] = f"{ctx['service']} – board performance report {ctx['quarter']}"
    return ctx


def render_board_pack_docx(
    context: dict, template_bytes: bytes | None = None, when: datetime.datetime | None = None
) -> bytes:
    return _render(
        template_bytes or template_builder.board_pack_template(),
        board_pack_render_context,
        context,
        f"Management board performance report {context['quarter']}",
        when or datetime.datetime.now().replace(microsecond=0),
    )


def render_board_pack_html(context: dict) -> str:
    """A standalone HTML page (charts inline as PNG data) for e-mail or the web."""

    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    ctx = copy.deepcopy(context)
    for c in ctx["charts"]:
        c["data_uri"] = png_data_uri(chart_png(c))
    # Read in the platform (with a way back) the page links its stylesheet: the CSP refuses
    # inline styles. The e-mailed file carries it inline, to stand alone.
    if not ctx.get("back_url"):
        ctx["stylesheet"] = Path(finders.find("yjs/board-pack.css")).read_text()
    return render_to_string("governance/board_pack_document.html", ctx)
