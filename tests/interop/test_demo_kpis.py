"""The demo service gives every KPI something real to show (issue 3: non-trivial values)."""

from __future__ import annotations

import pytest

from yjs.performance import engine

pytestmark = pytest.mark.django_db

HEADLINES = (
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
LOCAL = ("children_in_care", "secure_remands", "custody_share", "ro_panels", "closed_cohort")


def test_every_kpi_headline_is_non_trivial(full_demo):
    _, folder = full_demo
    values: dict[str, list] = {}
    for period in ("2024-25 Q3", "2025-26 Q2"):
        run = engine.run(folder, period)
        for kpi in HEADLINES + LOCAL:
            result = run.headline(kpi)
            values.setdefault(kpi, []).append(result.value)
            if kpi in LOCAL:  # small quarterly counts: zero now and then is real life
                continue
            assert result.numerator and result.numerator > 0, (period, kpi, result)
            if result.unit != "count":
                assert result.denominator and result.denominator > 0, (period, kpi, result)
                assert result.value is not None, (period, kpi, result)
        # the children behind each child-level number are kept
        assert run.headline("kpi1").denominator_child_ids
    for kpi in LOCAL:
        assert any(values[kpi]), (kpi, values[kpi])
    # a percentage that is always 100 tells nobody anything either
    for kpi, seen in values.items():
        if engine.KPI_BY_ID[kpi].headline.unit == "percent":
            assert min(seen) < 100, (kpi, seen)


def test_disproportionality_has_ratios_to_show(full_demo):
    _, folder = full_demo
    run = engine.run(folder, "2025-26 Q2", kpis=["disproportionality"])
    rri = [r for r in run.results if r.measure == "rri_fte" and r.value is not None]
    assert rri, "some group has an FTE relative rate index"
