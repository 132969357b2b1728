"""The workforce and resources blocks print in the Youth Justice Plan (Word and web), in their
parts, with no child named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests.conftest import make_child
from tests.governance.conftest import board, plan, source  # noqa: F401 (fixtures)
from tests.governance.helpers import open_docx
from yjs.casework.models import Remand
from yjs.governance import documents, plan_html, services


def test_blocks_print_in_the_plan(plan, source, northshire):  # noqa: F811
    child = make_child(northshire, northshire.teams.get(name="North"), first="Zed")
    # 1 to 11 March 2025 in a young offender institution at £330: 10 nights, £3,300.
    Remand.objects.create(
        child=child,
        decision="REMAND_IN_CUSTODY",
        start_date=dt.date(2025, 3, 1),
        end_date=dt.date(2025, 3, 11),
        establishment="YOI",
        nightly_cost=Decimal("330"),
    )
    context, _problems = services.review(plan.versions.get(), source)
    parts = {p["key"]: p for p in context["parts"]}
    assert {"workforce_training", "workforce_caseload"} <= set(parts["workforce"]["blocks"])
    remand = parts["resources"]["blocks"]["resources_remand_costs"]
    assert ["2024-25 Q4", "Young offender institution (YDA)", "10", "£330.00", "£3,300.00"] in (
        remand["rows"]
    )
    doc = open_docx(documents.render_plan_docx(context))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "£3,300.00" in cells and "Zed" not in "".join(cells)
    html = plan_html.render_plan_html(context)
    assert "Remand nights and costs by quarter" in html and "Zed Smith" not in html
