"""Rendering: Word via docxtpl, charts via matplotlib, PDF via LibreOffice.

PDF comes from LibreOffice converting the very Word file we produce (not WeasyPrint from a
separate HTML layout), so the PDF and the Word document cannot disagree.
Word output is normalised (fixed zip timestamps and document dates) so rendering the same
frozen context twice gives byte-identical files – an approved plan's export is reproducible.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage, RichText, RichTextParagraph
from markdown_it import MarkdownIt

from . import template_builder

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
CHART_WIDTH_MM = 76  # two charts side by side within A4 portrait margins
LIBREOFFICE = os.environ.get("YJS_LIBREOFFICE", "libreoffice")


class RenderError(Exception):
    """A document could not be produced (bad template, LibreOffice missing or failing)."""


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


def markdown_paragraphs(text: str) -> RichTextParagraph:
    """Markdown as Word paragraphs: headings, paragraphs, bullet and numbered lists, quotes.

    Uses docxtpl's RichTextParagraph (styles by id: Heading3, ListBullet …), so a branded
    template's own styles apply.
    """
    out = RichTextParagraph()
    lists: list[str] = []
    style = None
    for token in _md.parse(text or ""):
        if token.type == "heading_open":
            style = "Heading3"
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
            if style == "Heading3":
                style = None
        elif token.type in ("fence", "code_block"):
            out.add(token.content.strip())
    return out


# --------------------------------------------------------------------------- charts


def chart_png(chart: dict) -> bytes:
    """A small line chart of one KPI's headline over the last quarters."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = [p["period"].replace(" ", "\n", 1) for p in chart["points"]]
    values = [p["value"] for p in chart["points"]]
    fig, ax = plt.subplots(figsize=(3.3, 2.2), dpi=150)
    xs = [i for i, v in enumerate(values) if v is not None]
    ys = [v for v in values if v is not None]
    ax.plot(xs, ys, marker="o", color="#1d70b8", linewidth=2)
    for x, y in zip(xs, ys, strict=True):
        text = f"{y:.1f}" if chart["unit"] == "percent" else f"{y:g}"
        ax.annotate(
            text, (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=6.5
        )
    ax.set_xticks(range(len(labels)), labels, fontsize=6)
    ax.tick_params(axis="y", labelsize=6.5)
    ax.set_title(chart["title"], fontsize=8, loc="left", fontweight="bold")
    ax.set_ylabel(
        "%" if chart["unit"] == "percent" else chart["unit"].replace("_", " "), fontsize=6.5
    )
    ax.spines[["top", "right"]].set_visible(False)
    if ys:
        top = max(ys)
        ax.set_ylim(0, top * 1.25 if top else 1)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png", metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


# --------------------------------------------------------------------------- Word


def _images(tpl: DocxTemplate, charts: list[dict]) -> list[dict]:
    return [
        {**c, "image": InlineImage(tpl, io.BytesIO(chart_png(c)), width=Mm(CHART_WIDTH_MM))}
        for c in charts
    ]


def plan_render_context(tpl: DocxTemplate, context: dict) -> dict:
    ctx = copy.deepcopy(context)
    for part in ctx["parts"]:
        part["narrative_doc"] = markdown_paragraphs(part["narrative"])
        for entry in part["blocks"].get("priorities", {}).get("entries", []):
            entry["narrative_doc"] = markdown_paragraphs(entry["narrative"])
        charts = part["blocks"].get("kpi_charts")
        if charts:
            charts["charts"] = _images(tpl, charts["charts"])
    ctx["sections"] = [p for p in ctx["parts"] if not p["appendix"]]
    ctx["appendices"] = [p for p in ctx["parts"] if p["appendix"]]
    ctx["footer"] = f"{ctx['service']} – {ctx['title']} {ctx['period_label']}"
    return ctx


def _render(template_bytes: bytes, build_context, context: dict, when: datetime.datetime):
    try:
        tpl = DocxTemplate(io.BytesIO(template_bytes))
        tpl.render(build_context(tpl, context), autoescape=True)
    except Exception as exc:  # a service's own template may have broken tags
        raise RenderError(f"The Word template could not be filled in: {exc}") from exc
    props = tpl.docx.core_properties
    props.created = props.modified = when
    props.last_modified_by = props.author = "Youth justice service platform"
    props.revision = 1
    props.title = context.get("title", "")
    out = io.BytesIO()
    tpl.save(out)
    return normalise_docx(out.getvalue())


def render_plan_docx(
    context: dict, template_bytes: bytes | None = None, when: datetime.datetime | None = None
) -> bytes:
    return _render(
        template_bytes or template_builder.plan_template(),
        plan_render_context,
        context,
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


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert with LibreOffice in its own profile (safe beside other conversions)."""
    if not shutil.which(LIBREOFFICE):
        raise RenderError("LibreOffice is not installed: PDF export needs `libreoffice`")
    with tempfile.TemporaryDirectory(prefix="yjs-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(docx)
        profile = Path(tmp) / "profile"
        cmd = [
            LIBREOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=240, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderError("LibreOffice took too long to convert the document") from exc
        pdf = Path(tmp) / "document.pdf"
        if run.returncode != 0 or not pdf.exists():
            message = (run.stderr or run.stdout).decode(errors="replace").strip()
            raise RenderError(f"LibreOffice could not convert the document: {message[:200]}")
        return pdf.read_bytes()


# --------------------------------------------------------------------------- board pack


def board_pack_render_context(tpl: DocxTemplate, context: dict) -> dict:
    ctx = copy.deepcopy(context)
    ctx["charts"] = _images(tpl, ctx["charts"])
    ctx["footer"] = f"{ctx['service']} – board performance report {ctx['quarter']}"
    return ctx


def render_board_pack_docx(context: dict, template_bytes: bytes | None = None) -> bytes:
    return _render(
        template_bytes or template_builder.board_pack_template(),
        board_pack_render_context,
        context,
        datetime.datetime(2000, 1, 1),
    )


def render_board_pack_html(context: dict) -> str:
    """A standalone HTML page (charts inline as PNG data) for e-mail or the web."""
    import base64

    from django.contrib.staticfiles import finders
    from django.template.loader import render_to_string

    ctx = copy.deepcopy(context)
    for c in ctx["charts"]:
        c["data_uri"] = "data:image/png;base64," + base64.b64encode(chart_png(c)).decode()
    # Read in the platform (with a way back) the page links its stylesheet: the CSP refuses
    # inline styles. The e-mailed file carries it inline, to stand alone.
    if not ctx.get("back_url"):
        ctx["stylesheet"] = Path(finders.find("yjs/board-pack.css")).read_text()
    return render_to_string("governance/board_pack_document.html", ctx)
