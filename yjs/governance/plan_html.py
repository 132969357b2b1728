"""The plan as HTML: its page and its standalone HTML file, from the Word document's context.

Both read the context `services.context_for` gives the Word and PDF exports (an approved
version's frozen one), and print each block with one partial (`governance/blocks/_<name>.html`)
in the order the Word template prints them, so the web and the document cannot disagree.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

from django.template.loader import render_to_string

from . import documents
from .models import B8_SEXES

CHARTS_CAPTION = "KPI trends over the last five quarters"  # the Word template's caption

_MD_CLASSES = {
    "p": "govuk-body",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "blockquote": "govuk-inset-text",
}


def govuk_html(html: str, below: int = 2) -> str:
    """Narrative HTML in the GOV.UK styles, its headings below the heading level `below` (the
    section's own <h2>, or a priority's <h3>), so the page's heading levels never skip one."""

    def heading(m: re.Match) -> str:
        level = min(6, max(below + 1, int(m.group(2)) + below - 1))
        size = "govuk-heading-s" if level == 3 else "govuk-body govuk-!-font-weight-bold"
        return f'<h{level} class="{size}">' if not m.group(1) else f"</h{level}>"

    html = re.sub(r"<(/?)h([1-6])>", heading, html)
    for tag, cls in _MD_CLASSES.items():
        html = re.sub(rf"<{tag}(?=[\s>])", f'<{tag} class="{cls}"', html)
    return html


def narrative_html(text: str, below: int = 2) -> str:
    return govuk_html(documents.markdown_html(text), below)


def block_order(parts: list[dict]) -> list[str]:
    """The blocks in the order the Word template prints them: it loops over the sections (and
    then the appendices) with one list of blocks, each first met in part order."""
    names: list[str] = []
    for part in parts:
        names += [n for n in part["blocks"] if n not in names]
    return names


def chart_image(chart: dict) -> dict:
    """A chart as the board pack's HTML shows it: the Word file's PNG, inline, with its alt."""
    png = documents.chart_png(chart)
    return {
        **chart,
        "data_uri": documents.png_data_uri(png),
        "alt": documents.chart_alt(chart),
    }


def _b8_cells(block: dict) -> None:
    """Each B8 cell with the column it is in, in words ("Managers, female"): a phone shows
    the table stacked, each value under its column's name."""
    sexes = [label.lower() for _, label in B8_SEXES]
    labels = [f"{role}, {sex}" for role in block["roles"] for sex in sexes]
    for row in block["rows"]:
        row["labelled"] = list(zip(labels, row["cells"], strict=False))
    block["labelled_total"] = list(zip(labels, block["total"], strict=False))
    if block.get("welsh_speakers"):
        block["labelled_welsh"] = list(zip(labels, block["welsh_speakers"], strict=False))


def web_parts(context: dict) -> list[dict]:
    """The context's parts ready for the templates: narratives as HTML, charts inline, and
    each part's blocks as (partial, data) in the document's order."""
    parts = copy.deepcopy(context["parts"])
    order = {
        appendix: block_order([p for p in parts if p["appendix"] == appendix])
        for appendix in (False, True)
    }
    for part in parts:
        part["html"] = narrative_html(part["narrative"])
        blocks = part["blocks"]
        for entry in blocks.get("priorities", {}).get("entries", []):
            entry["html"] = narrative_html(entry["narrative"], below=3)
        if "kpi_charts" in blocks:
            blocks["kpi_charts"]["charts"] = [
                chart_image(c) for c in blocks["kpi_charts"]["charts"]
            ]
            blocks["kpi_charts"]["caption"] = CHARTS_CAPTION
        if "kpi_table" in blocks:
            blocks["kpi_table"]["provenance"] = context.get("provenance")
        org = blocks.get("staff_by_role", {}).get("org_chart")
        if org and org.get("tiers"):
            org["data_uri"] = documents.png_data_uri(documents.org_chart_png(org))
        if "b8" in blocks:
            _b8_cells(blocks["b8"])
        if "board_attendance" in blocks:
            attendance = blocks["board_attendance"]
            for row in attendance["rows"]:
                row["labelled"] = list(zip(attendance["sectors"], row["cells"], strict=False))
        part["web_blocks"] = [
            {
                "name": name,
                "template": "governance/blocks/_extension.html"
                if blocks[name].get("extension")
                else f"governance/blocks/_{name}.html",
                "data": blocks[name],
            }
            for name in order[part["appendix"]]
            if name in blocks
        ]
    return parts


def render_plan_html(context: dict) -> str:
    """The plan as one standalone HTML file (styles and charts inside it), to e-mail or
    publish: the same partials as the plan's page."""
    from django.contrib.staticfiles import finders

    return render_to_string(
        "governance/plan_document.html",
        {
            "doc": context,
            "parts": web_parts(context),
            "stylesheet": Path(finders.find("yjs/plan-document.css")).read_text(),
        },
    )
