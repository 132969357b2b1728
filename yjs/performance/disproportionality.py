"""Relative rate index (RRI) with a 95% confidence interval and suppression (KPIS.md §5).

``disproportionality.sql`` supplies events (numerator) and population (denominator) per group;
this turns them into RRIs against each dimension's reference group.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _round2(x: float) -> float:
    return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rri_with_ci(events: int, population: float, ref_events: int, ref_population: float
                ) -> tuple[float, float, float, float]:
    """RRI, standard error of ln RRI, and the lower and upper 95% limits."""
    rri = (events / population) / (ref_events / ref_population)
    se = math.sqrt(1 / events - 1 / population + 1 / ref_events - 1 / ref_population)
    return rri, se, math.exp(math.log(rri) - 1.96 * se), math.exp(math.log(rri) + 1.96 * se)


def relative_rate_index(results, reference: dict[str, str], min_count: int = 5):
    """Fill value (the RRI) and extra (rate, CI, flag) on each group's result."""
    by_key = {(r.measure, r.dimension, r.category): r for r in results}
    for r in results:
        ref = by_key.get((r.measure, r.dimension, reference.get(r.dimension)))
        r.extra = {"reference": reference.get(r.dimension)}
        r.value = None
        r.suppressed = r.numerator < min_count
        if r.denominator:
            r.extra["rate_per_1000"] = _round2(r.numerator / r.denominator * 1000)
        if ref is None or not r.denominator or not ref.denominator:
            continue
        r.extra.update(reference_events=ref.numerator, reference_population=ref.denominator)
        r.suppressed = r.numerator < min_count or ref.numerator < min_count
        if r.numerator == 0 or ref.numerator == 0 or r.suppressed:
            continue
        if r is ref:  # the reference group is 1 by definition: no interval, no flag
            r.value = 1.0
            r.extra.update(is_reference=True, disproportionate=False, direction=None)
            continue
        rri, se, low, high = rri_with_ci(r.numerator, r.denominator, ref.numerator,
                                         ref.denominator)
        r.value = _round2(rri)
        flag = "over-represented" if low > 1 else "under-represented" if high < 1 else ""
        r.extra.update(se=round(se, 4), ci_low=_round2(low), ci_high=_round2(high),
                       disproportionate=bool(flag), direction=flag or None)
    return results
