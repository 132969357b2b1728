"""Rendering: Word via docxtpl, charts via matplotlib, PDF via LibreOffice.

PDF comes from LibreOffice converting the very Word file we produce (not WeasyPrint from a
separate HTML layout), so the PDF and the Word document cannot disagree.
Word output is normalised (fixed zip timestamps and document dates) so rendering the same
frozen context twice gives byte-identical files – an approved plan's export is reproducible.

A Word template is code a user wrote (a service may upload its own), so it is rendered in a
Jinja2 sandbox that sees plain data only: see `TemplateSandbox` and `check_template`.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

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
LIBREOFFICE = os.environ.get("YJS_LIBREOFFICE", "libreoffice")


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
    """A small line chart of one KPI's headline over the last quarters.

    Drawn once per distinct chart (title, unit and points) and kept in ``VAR_DIR/charts``: the
    same figures make the same chart for every pack and export, drawing costs far more than
    filling the document, and the background refresh draws the next board pack's and the
    draft plans' charts ahead (``draw_ahead``). The bytes are the same either way, so approved
    exports stay identical.
    """
    from django.conf import settings

    key = json.dumps(
        [chart["title"], chart["unit"], [(p["period"], p["value"]) for p in chart["points"]]],
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


def _render(template_bytes: bytes, build_context, context: dict, when: datetime.datetime):
    tpl = _fill(template_bytes, build_context, context)
    props = tpl.docx.core_properties
    props.created = props.modified = when
    props.last_modified_by = props.author = "Youth justice service platform"
    props.revision = 1
    props.title = context.get("title", "")
    out = io.BytesIO()
    tpl.save(out)
    return normalise_docx(out.getvalue())


def check_plan_template(template_bytes: bytes, context: dict) -> None:
    """An uploaded plan template: sound, and it renders `context` (a plan's documented
    context) in the sandbox using only the names the context has. RenderError if not."""
    _fill(template_bytes, plan_render_context, context, names=True)


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
