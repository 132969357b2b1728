"""Commentary drafted from the figures: every number a figure of the engine, hand-checked."""

from yjs.governance import commentary
from yjs.governance.kpis import Results, StaticSource
from yjs.periods import Quarter

Q = Quarter(2025, 2)  # 2025-26 Q2


def _row(period, value, n, d, dimension="all", category="all", suppressed=False):
    return {
        "kpi": "kpi2",
        "measure": "suitable_end",
        "period": period,
        "dimension": dimension,
        "category": category,
        "numerator": n,
        "denominator": d,
        "value": value,
        "suppressed": suppressed,
        "unit": "percent",
        "label": "Children in suitable ETE at the end of their order",
    }


ROWS = [
    _row("2025-26 Q2", 70.0, 14, 20),
    _row("2025-26 Q1", 62.5, 10, 16),
    _row("2024-25 Q2", 75.0, 18, 24),
    # breakdowns: girls 5 of 5 = 100% is 30 points away but counts under 5? no: 5 is published;
    # boys 9 of 15 = 60%; looked-after children 2 of 3 (suppressed, never quoted)
    _row("2025-26 Q2", 100.0, 5, 5, "sex", "2"),
    _row("2025-26 Q2", 60.0, 9, 15, "sex", "1"),
    _row("2025-26 Q2", 66.7, 2, 3, "care_status", "LOOKED_AFTER", suppressed=True),
]
COMPARATORS = [
    {
        "kpi": "kpi2",
        "measure": "suitable_end",
        "period": "2025-26 Q2",
        "group": "NATIONAL",
        "value": 68.2,
        "rank": "61 of 154",
        "quartile": "2",
    },
    {
        "kpi": "kpi2",
        "measure": "suitable_end",
        "period": "2025-26 Q2",
        "group": "FAMILY_GROUP",
        "value": 72.9,
    },
]


def test_a_percentage_kpi_is_drafted_with_its_counts_trend_comparators_and_breakdown():
    results = Results(StaticSource(ROWS, COMPARATORS))
    draft = commentary.draft_for(results, Q, "kpi2", None)
    assert draft.text == (
        "KPI 2 Education, training and employment (children in suitable ETE at the end of "
        "their order) was 70.0% (14 of 20) in 2025-26 Q2, against 62.5% (10 of 16) in "
        "2025-26 Q1 (improving) and 75.0% (18 of 24) in 2024-25 Q2 (worsening); higher is "
        "better. Compared with England and Wales 68.2% (ranked 61 of 154, second quartile); "
        "YJS family group 72.9%. The breakdown that differs most is sex: 2, 100.0% (5 of 5) "
        "against 70.0% for all children."
    )
    assert "66.7" not in draft.text  # a suppressed breakdown is never quoted


def test_a_suppressed_figure_is_drafted_as_unpublished():
    rows = [_row("2025-26 Q2", 75.0, 3, 4, suppressed=True)]
    draft = commentary.draft_for(Results(StaticSource(rows)), Q, "kpi2", None)
    assert draft.text == (
        "KPI 2 Education, training and employment: in 2025-26 Q2 the figure counts fewer "
        "than 5 children, so it is not published; the board may discuss it in private."
    )
    assert "75" not in draft.text


def test_the_plans_target_band_is_named(plan, source):
    """fte in 2024-25 Q4 is 17 (conftest: 10 x 1 + 7), inside the plan's green band."""
    results = Results(source)
    draft = commentary.draft_for(results, Quarter(2024, 4), "fte", plan)
    assert "was 17 in 2024-25 Q4, against 16 in 2024-25 Q3 (worsening)" in draft.text
    assert "13 in 2023-24 Q4 (worsening); lower is better." in draft.text
    assert "It is in the plan's green band (below 224)." in draft.text
