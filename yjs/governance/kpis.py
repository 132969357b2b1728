"""Reading KPI results from the performance engine. Governance never recomputes a KPI.

Every figure a document prints is a `Figure` built from one engine result row and keeps that
row's key (`ref`), so the consistency checks can prove each number has one source and one value.
The engine is reached through a `KpiSource`; tests pass one built from constructed rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from yjs.periods import Quarter, parse_quarter
from yjs.permissions import NOT_CHILD_COUNTS  # suppression: one rule for every output

# Which way is better, per KPI headline (for trend words and RAG by band).
LOWER_IS_BETTER = {
    "fte",
    "reoffending",
    "custody",
    "kpi9",
    "secure_remands",
    "custody_share",
    "children_in_care",
    "closed_cohort",
}


# The KPIs a plan and a board pack report, in the order plans print them (PLAN.md §9).
REPORTED_KPIS = (
    "fte",
    "reoffending",
    "custody",
    "kpi1",
    "kpi2",
    "kpi3",
    "kpi4",
    "kpi5",
    "kpi6",
    "kpi7",
    "kpi8",
    "kpi9",
    "kpi10",
)

# The comparator figures the performance app imports (ComparatorFigure.Comparator).
COMPARATOR_GROUPS = (
    ("NATIONAL", "England and Wales"),
    ("REGION", "Region"),
    ("FAMILY_GROUP", "YJS family group"),
    ("YJS_AVERAGE", "YJS average"),
)


def _get(row: Any, name: str, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


@dataclass(frozen=True)
class Figure:
    """One KPI result row as a document quotes it."""

    kpi: str
    measure: str
    period: str
    dimension: str
    category: str
    numerator: int | None
    denominator: float | None
    value: float | None
    suppressed: bool
    unit: str
    label: str
    window: str = ""

    @property
    def ref(self) -> str:
        return "/".join((self.kpi, self.measure, self.period, self.dimension, self.category))

    @property
    def text(self) -> str:
        """The value as printed: suppressed counts and missing values are never shown."""
        if self.value is None:
            return "–"
        if self.suppressed and self.kpi not in NOT_CHILD_COUNTS:
            return "*"
        return format_value(self.value, self.unit)

    @property
    def counts_text(self) -> str:
        if (self.suppressed and self.kpi not in NOT_CHILD_COUNTS) or self.numerator is None:
            return ""
        if self.denominator in (None, 0) or self.unit.startswith("rate"):
            return f"{self.numerator:,}"
        return f"{self.numerator:,} of {int(self.denominator):,}"

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(ref=self.ref, text=self.text)
        return d

    @classmethod
    def from_row(cls, row: Any) -> Figure:
        return cls(
            kpi=_get(row, "kpi"),
            measure=_get(row, "measure"),
            period=str(_get(row, "period")),
            dimension=_get(row, "dimension") or _get(row, "breakdown_dimension") or "all",
            category=_get(row, "category") or _get(row, "breakdown_value") or "all",
            numerator=_get(row, "numerator"),
            denominator=_get(row, "denominator"),
            value=_get(row, "value"),
            suppressed=bool(_get(row, "suppressed", False)),
            unit=_get(row, "unit", "percent") or "percent",
            label=_get(row, "label", "") or "",
            window=_get(row, "window", "") or "",
        )


def format_value(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{int(value):,}"
    if unit == "rate_per_100000":
        return f"{value:,.0f}"
    return f"{value:,.2f}"


@dataclass(frozen=True)
class Comparator:
    kpi: str
    measure: str
    period: str
    group: str  # one of COMPARATOR_GROUPS
    value: float | None
    rank: str = ""
    quartile: str = ""

    @classmethod
    def from_row(cls, row: Any) -> Comparator:
        return cls(
            kpi=_get(row, "kpi"),
            measure=_get(row, "measure"),
            period=str(_get(row, "period")),
            group=_get(row, "group") or _get(row, "comparator") or "",
            value=_get(row, "value"),
            rank=str(_get(row, "rank", "") or ""),
            quartile=str(_get(row, "quartile", "") or ""),
        )


class KpiSource(Protocol):
    snapshot_ref: str

    def results(self, period: Quarter) -> Iterable[Any]: ...

    def comparators(self, period: Quarter) -> Iterable[Any]: ...


class EngineSource:
    """The performance engine's results over one snapshot of one service.

    Without `data_dir` the figures are the service's live ones: those of the newest snapshot
    whose figures the background refresh has computed (the dashboard's), read from the files
    kept beside it, never recomputed per request; every quarter the document quotes is read
    from that same snapshot (recorded as `snapshot_ref`). `refreshing` says a newer one is
    being computed. A named live snapshot (one the refresh computed) is read the same way.
    """

    def __init__(self, data_dir: str | None = None, *, service=None, as_at=None):
        self.data_dir = data_dir
        self.service = service
        # Figures as known at this date (records dated later ignored): a past quarter's pack.
        self.as_at = as_at
        self.snapshot_ref = str(data_dir or "")
        self.refreshing = False
        self._live = None

    def _folder(self) -> str:
        from yjs.performance import live

        if not self.data_dir:
            shown = live.figures(self.service)
            self.data_dir = str(shown.snapshot)
            self.snapshot_ref = self.data_dir
            self.refreshing = shown.refreshing
            self._live = live.Results(shown.snapshot, self.as_at)
        elif self._live is None and live.has_figures(self.data_dir):
            # a live snapshot: its kept figures
            self._live = live.Results(self.data_dir, self.as_at)
        return self.data_dir

    def results(self, period: Quarter) -> Iterable[Any]:
        from yjs.performance import selectors

        folder = self._folder()
        if self._live is not None:
            return self._live(period)
        out = selectors.kpi_results(period.label, data_dir=folder, as_at=self.as_at)
        return getattr(out, "results", out)

    def comparators(self, period: Quarter) -> Iterable[Any]:
        from yjs.performance import selectors

        rows = []
        found = selectors.comparators_for(period.label, self.service)
        for (kpi, measure), by_group in found.items():
            for group, figure in by_group.items():
                value = getattr(figure, "value", None)
                rows.append(
                    {
                        "kpi": kpi,
                        "measure": measure,
                        "period": period.label,
                        "group": group,
                        "value": float(value) if value is not None else None,
                        "rank": getattr(figure, "rank", None) or "",
                        "quartile": getattr(figure, "quartile", None) or "",
                    }
                )
        return rows


class StaticSource:
    """Results given as rows (tests, or a plan frozen at approval)."""

    def __init__(self, rows: Iterable[Any], comparators: Iterable[Any] = (), snapshot_ref=""):
        self._rows = list(rows)
        self._comparators = list(comparators)
        self.snapshot_ref = snapshot_ref

    def results(self, period: Quarter) -> Iterable[Any]:
        return [r for r in self._rows if str(_get(r, "period")) == period.label]

    def comparators(self, period: Quarter) -> Iterable[Any]:
        return [c for c in self._comparators if str(_get(c, "period")) == period.label]


class Results:
    """Indexed figures for a run of quarters, read once per quarter."""

    def __init__(self, source: KpiSource):
        self.source = source
        self._figures: dict[str, dict[tuple, Figure]] = {}
        self._comparators: dict[str, dict[tuple, Comparator]] = {}
        self.errors: list[str] = []

    def _load(self, q: Quarter) -> None:
        if q.label in self._figures:
            return
        try:
            rows = [Figure.from_row(r) for r in self.source.results(q)]
            comps = [Comparator.from_row(c) for c in self.source.comparators(q)]
        except Exception as exc:  # the engine may have no snapshot for the quarter yet
            self.errors.append(f"No KPI results for {q.label}: {exc}")
            rows, comps = [], []
        self._figures[q.label] = {(f.kpi, f.measure, f.dimension, f.category): f for f in rows}
        self._comparators[q.label] = {(c.kpi, c.measure, c.group): c for c in comps}

    def get(self, q: Quarter | str, kpi: str, measure: str, dimension="all", category="all"):
        q = parse_quarter(q)
        self._load(q)
        return self._figures[q.label].get((kpi, measure, dimension, category))

    def all(self, q: Quarter | str) -> list[Figure]:
        q = parse_quarter(q)
        self._load(q)
        return list(self._figures[q.label].values())

    def headline(self, q: Quarter | str, kpi: str) -> Figure | None:
        """The KPI's headline: the first measure the engine defines, breakdown 'all'."""
        from yjs.performance.engine import KPI_BY_ID

        definition = KPI_BY_ID.get(kpi)
        if definition is None:
            return None
        return self.get(q, kpi, definition.headline.id)

    def reported(self, q: Quarter | str, kpi: str) -> Figure | None:
        """The figure a document prints for the KPI: its headline, or when that is suppressed
        the measure published instead (`statements.PUBLISHABLE_INSTEAD`), if that one is not."""
        from yjs.performance.statements import PUBLISHABLE_INSTEAD

        head = self.headline(q, kpi)
        instead = PUBLISHABLE_INSTEAD.get(kpi)
        if head is not None and instead and head.text == "*":
            other = self.get(q, kpi, instead)
            if other is not None and other.text not in ("*", "–"):
                return other
        return head

    def comparator(self, q: Quarter | str, kpi: str, measure: str, group: str):
        q = parse_quarter(q)
        self._load(q)
        return self._comparators[q.label].get((kpi, measure, group))


def trend_word(kpi: str, latest: Figure | None, earlier: Figure | None) -> str:
    """Improving / worsening / no change, knowing which way is better for the KPI."""
    if not latest or not earlier or latest.value is None or earlier.value is None:
        return "Not available"
    if "*" in (latest.text, earlier.text):  # suppressed small numbers of children
        return "Small numbers"
    if latest.value == earlier.value:
        return "No change"
    lower_better = kpi in LOWER_IS_BETTER
    better = latest.value < earlier.value if lower_better else latest.value > earlier.value
    return "Improving" if better else "Worsening"
