"""Commentary drafted from the figures, for the author to edit: never published by itself.

One paragraph a KPI or local indicator: the quarter against the last one and a year before,
where it sits in the plan's target bands, how it compares with England and Wales, the region
and the family group (with this service's rank and quartile), the counts behind every
percentage, and the breakdown that differs most. Every number comes from a `Figure`, so a
draft says nothing the engine did not compute.
"""

from __future__ import annotations

from dataclasses import dataclass

from yjs.periods import Quarter

from .kpis import COMPARATOR_GROUPS, LOWER_IS_BETTER, Figure, Results, trend_word
from .models import Plan
from .selectors import (
    CATEGORY_LABELS,
    DIMENSION_LABELS,
    band_text,
    bands_by_measure,
    kpi_label,
    rag_for,
    with_counts,
)

ORDINAL_QUARTILE = {1: "first", 2: "second", 3: "third", 4: "fourth"}
# Measures whose direction is plain to the reader without a comparison sentence.
SKIPPED = {"disproportionality"}  # the RRI has a section and a reading of its own


@dataclass(frozen=True)
class Draft:
    kpi: str
    title: str
    text: str


def _sentence_change(kpi: str, latest: Figure, other: Figure | None, when: str) -> str:
    if other is None or other.value is None:
        return f"there is no figure for {when}"
    word = trend_word(kpi, latest, other).lower()
    if word in ("not available", "small numbers"):
        return f"{with_counts(other)} in {when} (too few children to compare)"
    return f"{with_counts(other)} in {when} ({word})"


def _band(plan: Plan | None, latest: Figure, unit_suffix: str) -> str:
    bands = bands_by_measure(plan).get((latest.kpi, latest.measure), [])
    rag = rag_for(bands, latest)
    if not rag:
        return ""
    band = next(b for b in bands if b.get_rag_display() == rag)
    return f" It is in the plan's {rag.lower()} band ({band_text(band, unit_suffix)})."


def _comparators(results: Results, q: Quarter, latest: Figure) -> str:
    parts = []
    for group, label in COMPARATOR_GROUPS:
        c = results.comparator(q, latest.kpi, latest.measure, group)
        if c is None or c.value is None:
            continue
        shown = Figure.from_row(
            {**c.__dict__, "unit": latest.unit, "dimension": "all", "category": "all"}
        ).text
        where = []
        if c.rank:
            where.append(f"ranked {c.rank}")
        if c.quartile and c.quartile.isdigit():
            where.append(f"{ORDINAL_QUARTILE.get(int(c.quartile), c.quartile)} quartile")
        parts.append(f"{label} {shown}" + (f" ({', '.join(where)})" if where else ""))
    if not parts:
        return ""
    return " Compared with " + "; ".join(parts) + "."


def _breakdown(results: Results, q: Quarter, latest: Figure) -> str:
    """The published breakdown whose value is furthest from the whole group's."""
    rows = [
        f
        for f in results.all(q)
        if f.kpi == latest.kpi
        and f.measure == latest.measure
        and f.dimension != "all"
        and f.value is not None
        and f.text != "*"
    ]
    if not rows or latest.value is None:
        return ""
    far = max(rows, key=lambda f: (abs(f.value - latest.value), f.dimension, f.category))
    if far.value == latest.value:
        return ""
    dimension = DIMENSION_LABELS.get(far.dimension, far.dimension.replace("_", " ")).lower()
    category = CATEGORY_LABELS.get(far.category, far.category.replace("_", " ").lower())
    return (
        f" The breakdown that differs most is {dimension}: {category}, "
        f"{with_counts(far)} against {latest.text} for all children."
    )


def draft_for(results: Results, q: Quarter, kpi: str, plan: Plan | None) -> Draft | None:
    latest = results.reported(q, kpi)
    if latest is None:
        return None
    title = kpi_label(kpi)
    if latest.text == "*":
        return Draft(
            kpi,
            title,
            f"{title}: in {q.label} the figure counts fewer than 5 children, so it is not "
            "published; the board may discuss it in private.",
        )
    if latest.value is None:
        return None
    suffix = "%" if latest.unit == "percent" else ""
    direction = "lower" if kpi in LOWER_IS_BETTER else "higher"
    before = q.previous()
    year_before = q.previous(4)
    last = _sentence_change(kpi, latest, results.get(before, kpi, latest.measure), before.label)
    year = _sentence_change(
        kpi, latest, results.get(year_before, kpi, latest.measure), year_before.label
    )
    measure = latest.label[:1].lower() + latest.label[1:]
    text = (
        f"{title} ({measure}) was {with_counts(latest)} in {q.label}, against {last} and "
        f"{year}; {direction} is better."
    )
    text += _band(plan, latest, suffix)
    text += _comparators(results, q, latest)
    text += _breakdown(results, q, latest)
    return Draft(kpi, title, text)


def drafts(results: Results, q: Quarter, plan: Plan | None, kpis=None) -> list[Draft]:
    """A draft for each KPI and local indicator with a figure for the quarter."""
    from yjs.performance.engine import KPIS

    ids = kpis or [k.id for k in KPIS if k.id not in SKIPPED]
    return [d for kpi in ids if (d := draft_for(results, q, kpi, plan)) is not None]


def section_drafts(version, key: str, source=None) -> list[Draft]:
    """The drafts offered while writing a plan section: the national KPIs for "kpis", the
    local indicators for "performance", none for any other section."""
    from yjs.performance.engine import KPIS

    from . import selectors
    from .kpis import REPORTED_KPIS

    if key == "kpis":
        ids = list(REPORTED_KPIS)
    elif key == "performance":
        ids = [k.id for k in KPIS if k.id not in REPORTED_KPIS and k.id not in SKIPPED]
    else:
        return []
    plan = version.plan
    results = Results(source or selectors.EngineSource(service=plan.service))
    return drafts(results, selectors.default_kpi_quarter(version), plan, kpis=ids)


# An index above this reads as over-representation (docs/kpis.md, the RRI reading):
# far enough above 1 that a one- or two-child change in a small group does not cross it.
RRI_OVER_REPRESENTED = 1.25


def disproportionality_reading(block: dict, quarter: str) -> str:
    """A drafted reading of the relative rate index table (board_pack_context's
    ``disproportionality``): which groups are over-represented at which stage, with the counts
    behind each index, and how many groups could not be rated. Labelled as drafted from the
    figures wherever it is printed: the board reads it, the service owns the interpretation."""
    over = [
        r for r in block["rows"] if r.get("rri") is not None and r["rri"] > RRI_OVER_REPRESENTED
    ]
    unrated = block.get("unrated", 0)
    groups, are = ("group", "is") if unrated == 1 else ("groups", "are")
    not_rated = (
        f" {unrated} {groups} had fewer than 5 children (in the group or its reference "
        f"group) and {are} not rated."
        if unrated
        else ""
    )
    if not block["rows"]:
        if unrated:
            return (
                f"No relative rate index could be computed for {quarter}: every group had "
                "fewer than 5 children (in the group or its reference group), so the figures "
                "are suppressed."
            )
        return f"No relative rate index is available for {quarter}."
    if not over:
        return (
            f"In {quarter} no group's relative rate index is above {RRI_OVER_REPRESENTED:.2f} "
            "at any stage: no group is over-represented by this measure." + not_rated
        )
    stages: dict[str, list[str]] = {}
    for r in sorted(over, key=lambda r: (r["measure"], -r["rri"])):
        counts = f", {r['counts']} children" if r["counts"] else ""
        stages.setdefault(r["measure"], []).append(
            f"{r['group']} ({r['dimension'].lower()}) {r['value']}{counts}"
        )
    found = "; ".join(f"{stage.lower()}: {', '.join(items)}" for stage, items in stages.items())
    return (
        f"In {quarter} these groups are over-represented (relative rate index above "
        f"{RRI_OVER_REPRESENTED:.2f}) – {found}." + not_rated
    )
