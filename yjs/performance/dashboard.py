"""What the performance dashboard shows: one card per KPI headline with its trend, RAG and
comparators. Reads engine results only; never recomputes a figure."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from django.utils.html import escape

from yjs import periods
from yjs.performance import engine, live

TREND_QUARTERS = 8


@dataclass
class Card:
    kpi: str
    title: str
    measure: str
    label: str
    unit: str
    value: float | None
    numerator: int | None
    denominator: float | None
    suppressed: bool
    window: str
    trend: list[tuple[str, float | None]] = field(default_factory=list)
    rag: str = ""
    band: str = ""
    comparators: list[dict] = field(default_factory=list)
    chart: str = ""

    @property
    def display(self) -> str:
        if self.suppressed and self.value is None:
            return "Not shown"
        return format_value(self.value, self.unit)


def format_value(value, unit: str) -> str:
    if value is None:
        return "No data"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "days":
        return f"{value:,.1f} days"
    if unit in ("rate_per_100000", "count"):
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def default_period(today) -> periods.Quarter:
    """The latest complete quarter: the one before today's."""
    return periods.quarter_of(today).previous()


def period_choices(today) -> list[periods.Quarter]:
    first = periods.parse_quarter("2023-24Q1")
    last = default_period(today)
    return list(reversed(list(periods.quarters_between(first, last))))


def headline_rows(rows: list[dict]) -> dict[str, dict]:
    return {r["kpi"]: r for r in rows if live.is_headline(r)}


def cards(snapshot, period: periods.Quarter, service=None, scope=None) -> list[Card]:
    """One card per KPI; figures pass the reader's output scope (suppression) when given."""
    quarters = [period.previous(n) for n in range(TREND_QUARTERS - 1, -1, -1)]
    results = live.Results(snapshot)

    def allowed(rows):
        return scope.figures(rows, screen=True) if scope is not None else rows

    by_quarter = {q.label: headline_rows(allowed(results.headlines(q))) for q in quarters}
    current = by_quarter[period.label]
    bands = _bands(service, period)
    comparators = _comparators(period, service)
    found = []
    for kpi in engine.KPIS:
        r = current.get(kpi.id)
        if r is None:
            continue
        card = Card(
            kpi=kpi.id,
            title=kpi.title,
            measure=r["measure"],
            label=r["label"],
            unit=r["unit"],
            value=r["value"],
            numerator=r["numerator"],
            denominator=r["denominator"],
            suppressed=r["suppressed"],
            window=r["window"],
        )
        card.trend = [(q.label, by_quarter[q.label].get(kpi.id, {}).get("value")) for q in quarters]
        card.rag, card.band = _rag(bands.get((kpi.id, card.measure), []), card.value)
        card.comparators = comparators.get((kpi.id, card.measure), [])
        card.chart = trend_svg(card)
        found.append(card)
    return found


def _bands(service, period) -> dict:
    """Local target bands from the service's plan covering the period's financial year."""
    if service is None:
        return {}
    from yjs.governance.models import Plan, TargetBand

    year = period.fy.start_year
    plan = (
        Plan.objects.filter(service=service, start_year__lte=year).order_by("-start_year").first()
    )
    if plan is None or year > plan.start_year + plan.years - 1:
        return {}
    out: dict = {}
    for band in TargetBand.objects.filter(plan=plan):
        out.setdefault((band.kpi, band.measure), []).append(band)
    return out


def _rag(bands, value) -> tuple[str, str]:
    if value is None or not bands:
        return "", ""
    for band in bands:
        if band.contains(value):
            return band.rag, band_text(band)
    return "", "outside every target band"


def band_text(band) -> str:
    def fmt(x: Decimal | None):
        return f"{x.normalize():f}" if x is not None else None

    lower, upper = fmt(band.lower), fmt(band.upper)
    if lower is None:
        return f"{band.get_rag_display()}: below {upper}"
    if upper is None:
        return f"{band.get_rag_display()}: {lower} or more"
    return f"{band.get_rag_display()}: {lower} up to (not including) {upper}"


def _comparators(period, service) -> dict:
    """Published figures beside the local value: {(kpi, measure): [{comparator, value...}]}."""
    from yjs.performance.selectors import comparators_for

    return {
        key: [
            {
                "comparator": f.get_comparator_display(),
                "value": f.value,
                "rank": f.rank,
                "quartile": f.quartile,
            }
            for f in figures.values()
        ]
        for key, figures in comparators_for(period, service).items()
    }


def trend_svg(card: Card) -> str:
    """A small line chart of the last eight quarters, as an SVG image drawn from the figures.

    Drawn by hand (no plotting library: that cost a quarter of a second a chart, on every
    request) and kept per distinct trend, so a chart is drawn once, not per request.
    """
    title = f"{card.title}: trend over the last {len(card.trend)} quarters"
    return _trend_img(title, tuple(card.trend))


@lru_cache(maxsize=2048)
def _trend_img(title: str, trend: tuple[tuple[str, float | None], ...]) -> str:
    svg = _trend_svg_text(trend)
    # An image, not inline SVG: the page's Content-Security-Policy refuses inline styles, and
    # inside an image they are the image's own business.
    data = base64.b64encode(svg.encode()).decode()
    return f'<img class="yjs-chart" src="data:image/svg+xml;base64,{data}" alt="{escape(title)}">'


W, H = 360, 150
LEFT, RIGHT, TOP, BOTTOM = 42, 8, 8, 36


def _trend_svg_text(trend) -> str:
    labels = [label.replace("20", "", 1) for label, _ in trend]
    values = [v for _, v in trend]
    known = [v for v in values if v is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    if 0 < low < high - low:  # from zero, unless that would flatten the line
        low = 0.0
    span = high - low
    n = max(len(values) - 1, 1)

    def x(i):
        return LEFT + (W - LEFT - RIGHT) * i / n

    def y(v):
        return TOP + (H - TOP - BOTTOM) * (1 - (v - low) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="Arial, sans-serif">',
        f'<line x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}" '
        'stroke="#0b0c0c" stroke-width="1"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}" '
        'stroke="#0b0c0c" stroke-width="1"/>',
    ]
    for tick in (low, (low + high) / 2, high):
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" font-size="9" text-anchor="end" '
            f'fill="#0b0c0c">{_tick(tick)}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{x(i):.1f}" y="{H - BOTTOM + 12}" font-size="8" text-anchor="end" '
            f'fill="#0b0c0c" transform="rotate(-45 {x(i):.1f} {H - BOTTOM + 12})">'
            f"{escape(label)}</text>"
        )
    points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
        )
    for px, py in points:
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#1d70b8"/>')
    parts.append("</svg>")
    return "".join(parts)


def _tick(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.2f}"
