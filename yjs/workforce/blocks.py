"""The plan's and the board pack's data blocks for the workforce and resources parts
(yjs.governance.blocks). They print figures only, never a child or a member of staff by name;
counts of children of 1 to 4 are printed as "fewer than 5" (KPIS.md §1.6).

Each block covers the financial year up to the request's quarter (a plan's latest data quarter,
or a board pack's quarter): the year to date a board and the YJB read.
"""

from __future__ import annotations

from django.utils import timezone

from yjs.governance.blocks import BlockRequest, DataBlock
from yjs.permissions import count_text

from . import selectors
from .selectors import money


def _quarters(request: BlockRequest):
    return selectors.year_to_date(request.quarter)


def training_block(request: BlockRequest) -> dict:
    today = min(request.end, timezone.localdate())
    rows = selectors.training_compliance(request.service, today)
    return {
        "intro": (
            "Mandatory training of the service's staff on "
            f"{today.day} {today:%B %Y}: in date (including training that expires within "
            f"{selectors.EXPIRY_WARNING_DAYS} days) and expired or never attended."
        ),
        "caption": "Mandatory training compliance",
        "headers": ["Course", "Staff", "In date", "Expiring soon", "Out of date", "Compliance"],
        "rows": [
            [
                r["course"],
                r["staff"],
                r["in_date"],
                r["expiring"],
                r["out_of_date"],
                f"{r['percent']}%" if r["percent"] is not None else "",
            ]
            for r in rows
        ],
        "note": "" if rows else "No mandatory courses are recorded.",
    }


def caseload_block(request: BlockRequest) -> dict:
    quarters = _quarters(request)
    loads = selectors.caseload_by_quarter(request.service, quarters)
    rows = []
    for c in loads:
        q = c["quarter"]
        rows.append(
            [
                q.label,
                c["interventions"],
                c["workers"],
                c["average"] if c["average"] is not None else "",
                selectors.vacant_posts(request.service, q.end),
            ]
        )
    return {
        "intro": (
            "Caseload at the end of each quarter: open interventions held by the service's "
            "workers, and the average per worker holding a case; posts vacant on the same day."
        ),
        "caption": "Average caseload and vacancies at the end of each quarter",
        "headers": [
            "Quarter",
            "Open interventions",
            "Workers holding cases",
            "Average caseload",
            "Vacant posts (full-time equivalent)",
        ],
        "rows": rows,
    }


def remand_cost_block(request: BlockRequest) -> dict:
    quarters = _quarters(request)
    as_at = min(timezone.localdate(), request.quarter.end + selectors.ONE_DAY)
    costs = selectors.remand_costs(request.service, quarters, as_at)
    rows = []
    for q in costs["quarters"]:
        for r in q["rows"]:
            rows.append(
                [
                    q["quarter"].label,
                    r["placement"],
                    r["nights"],
                    money(r["cost"]),
                    money(r["total"]),
                ]
            )
        rows.append([f"{q['quarter'].label} total", "", q["nights"], "", money(q["total"])])
    rows.append(["Year to date", "", costs["nights"], "", money(costs["total"])])
    note = "A night counts on the date it begins; the night of the release day does not."
    if costs["uncosted"]:
        note += f" {costs['uncosted']} nights have no nightly cost recorded and are not costed."
    return {
        "intro": (
            "The cost of remands (to youth detention accommodation and to local authority "
            "accommodation): nights in each quarter multiplied by the nightly cost."
        ),
        "caption": "Remand nights and costs by quarter",
        "headers": ["Quarter", "Placement", "Nights", "Cost per night", "Cost"],
        "rows": rows,
        "note": note,
    }


def reparation_block(request: BlockRequest) -> dict:
    data = selectors.reparation(request.service, _quarters(request))
    rows = [
        [r["quarter"].label, r["sessions"], r["children"], f"{r['hours']:g}"]
        for r in data["quarters"]
    ]
    rows.append(
        [
            "Year to date",
            sum(r["sessions"] for r in data["quarters"]),
            sum(r["children"] for r in data["quarters"]),
            f"{data['hours']:g}",
        ]
    )
    projects = "; ".join(f"{p['project'].name} ({p['hours']:g} hours)" for p in data["projects"])
    return {
        "intro": "Reparation sessions delivered and the hours children gave.",
        "caption": "Reparation delivered by quarter",
        "headers": ["Quarter", "Sessions", "Children's attendances", "Hours delivered"],
        "rows": rows,
        "note": f"Projects: {projects}." if projects else "No reparation projects ran.",
    }


def turnaround_block(request: BlockRequest) -> dict:
    rows = []
    for q in _quarters(request):
        t = selectors.turnaround(request.service, q)
        rows.append(
            [
                q.label,
                count_text(t["referred"]) if t["referred"] else "0",
                *[
                    count_text(t[k]) if t[k] else "0"
                    for k in ("started", "eligible", "completed", "ended_early", "open")
                ],
                count_text(t["substantive_after"]) if t["substantive_after"] else "0",
            ]
        )
    return {
        "intro": (
            "The Turnaround programme's figures for its funder, the Ministry of Justice: "
            "children referred, starting, completing and still open, whether those starting "
            "were eligible (no caution or conviction before starting), and how many who ended "
            "went on to a caution or conviction."
        ),
        "caption": "Turnaround by quarter",
        "headers": [
            "Quarter",
            "Referred",
            "Started",
            "Eligible on starting",
            "Completed",
            "Ended without completing",
            "Open at quarter end",
            "Caution or conviction after starting",
        ],
        "rows": rows,
        "note": "Counts of 1 to 4 children are shown as fewer than 5.",
    }


BLOCKS = (
    DataBlock(
        "workforce_training",
        "Mandatory training",
        "workforce",
        training_block,
        True,
        (1, 2, 3, 4, 5),
    ),
    DataBlock(
        "workforce_caseload",
        "Caseload and vacancies",
        "workforce",
        caseload_block,
        True,
        (1, 2, 3, 4),
    ),
    DataBlock(
        "resources_remand_costs", "Remand costs", "resources", remand_cost_block, True, (2, 3, 4)
    ),
    DataBlock("resources_reparation", "Reparation", "resources", reparation_block, True, (1, 2, 3)),
    DataBlock(
        "resources_turnaround",
        "Turnaround",
        "resources",
        turnaround_block,
        True,
        (1, 2, 3, 4, 5, 6, 7),
    ),
)
