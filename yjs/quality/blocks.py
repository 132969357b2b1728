"""The plan's and board pack's quality assurance blocks (governance.blocks): case audit ratings
for the period (n of N good or better, by area) and the progress of HMIP recommendations.
Counts of audits and recommendations only: no child is ever named, and no free text leaves."""

from __future__ import annotations

from yjs import periods
from yjs.governance.blocks import BlockRequest, DataBlock

from . import selectors
from .models import RATING_ORDER, Recommendation


def audit_ratings(request: BlockRequest) -> dict:
    audits = list(selectors.audits_in(request.service, request.start, request.end))
    span = f"{periods.long_date(request.start)} to {periods.long_date(request.end)}"
    if not audits:
        return {"intro": f"No case audits were recorded from {span}."}
    summary = selectors.rating_summary(audits)
    headers, rows = selectors.summary_table(summary)
    overall = summary[-1]
    themed = len({a.themed_audit_id for a in audits if a.themed_audit_id})
    return {
        "intro": (
            f"Managers audited {len(audits)} children's cases from {span}"
            + (f", {themed} of them in themed audits" if themed else "")
            + f". {overall.n_of_n} ({overall.percent}) were rated good or outstanding overall."
        ),
        "caption": "Case audit ratings by area",
        "headers": headers,
        "rows": rows,
        "note": "Each audit rates the case in each area on the four-level scale (outstanding, "
        "good, requires improvement, inadequate). Good or better: n of N audits.",
    }


def recommendations(request: BlockRequest) -> dict:
    progress = selectors.recommendation_progress(request.service)
    if not progress:
        return {"intro": "There are no inspection recommendations to report on."}
    S = Recommendation.Status
    rows = [
        [
            f"{p['inspection']} ({p['date']:%B %Y})",
            str(p["total"]),
            str(p[S.COMPLETED]),
            str(p[S.IN_PROGRESS]),
            str(p[S.NOT_STARTED]),
        ]
        for p in progress
    ]
    done = sum(p[S.COMPLETED] for p in progress)
    total = sum(p["total"] for p in progress)
    return {
        "intro": f"{done} of {total} inspection recommendations are completed with evidence.",
        "caption": "Progress on inspection recommendations",
        "headers": ["Inspection", "Recommendations", "Completed", "In progress", "Not started"],
        "rows": rows,
    }


BLOCKS = (
    DataBlock(
        "quality_audit_ratings",
        "Quality assurance: case audits",
        "standards",
        audit_ratings,
        board_pack=True,
        numeric_columns=tuple(range(1, len(RATING_ORDER) + 1)),
    ),
    DataBlock(
        "quality_recommendations",
        "Quality assurance: inspection recommendations",
        "standards",
        recommendations,
        board_pack=True,
        numeric_columns=(1, 2, 3, 4),
    ),
)
