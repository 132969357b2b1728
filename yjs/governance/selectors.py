"""Reads for governance: the plan's document context and the board's records.

`plan_context()` is the single description of a plan document: the Word template, the web
preview and the consistency checks all read it, so numbering, totals and figures agree by
construction. It is JSON-serialisable so an approved plan can be frozen and re-rendered.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone

from yjs import codes
from yjs.organisation.models import Service
from yjs.performance import statements
from yjs.periods import (
    FinancialYear,
    Quarter,
    last_ended_quarter,
    parse_quarter,
    quarter_problem,
)
from yjs.permissions import OutputScope, count_text

from . import blocks, structure
from .kpis import (
    COMPARATOR_GROUPS,
    REPORTED_KPIS,
    EngineSource,
    Figure,
    KpiSource,
    Results,
    trend_word,
)
from .models import (
    B5_AGENCIES,
    B8_ETHNICITY_GROUPS,
    B8_ROLES,
    B8_SEXES,
    RAG_STATUSES,
    Action,
    BoardMeeting,
    BoardMember,
    BudgetLine,
    FundingStream,
    Plan,
    PlanVersion,
    StaffRecord,
    TargetBand,
)

TREND_QUARTERS = 5
SECTOR_LABELS = dict(codes.BOARD_SECTORS)
PLACEHOLDER = re.compile(r"\[\[(kpi|section|appendix):([^\]]+)\]\]")


# --------------------------------------------------------------------------- small helpers


def plain(value: Decimal) -> str:
    """340.00 → "340", 12.50 → "12.5" (bounds as people write them)."""
    return format(Decimal(value).normalize(), "f")


def money(value: Decimal | int | None) -> str:
    return f"{Decimal(value or 0):,.0f}"


def posts(value: Decimal | None) -> str:
    return f"{Decimal(value or 0):.2f}"


def long_date(d) -> str:
    return f"{d.day} {d:%B %Y}" if d else ""


def plans_for(service: Service) -> QuerySet[Plan]:
    return Plan.objects.filter(service=service).prefetch_related("versions")


def latest_version(plan: Plan) -> PlanVersion | None:
    return plan.versions.order_by("-number").first()


def is_welsh(service: Service) -> bool:
    """Welsh services carry the Welsh Government row of B5 and Welsh speakers in B8."""
    return service.local_authorities.filter(ons_code__startswith="W").exists()


def default_kpi_quarter(version: PlanVersion) -> Quarter:
    """A plan for 2025-26, written in spring 2025, quotes 2024-25 Q4 unless told otherwise;
    never a quarter that has not ended (an annual update drafted early quotes the last one
    that has)."""
    if version.kpi_quarter:
        return parse_quarter(version.kpi_quarter)
    return min(Quarter(version.year - 1, 4), last_ended_quarter(timezone.localdate()))


def current_plan(service: Service, on_year: int) -> Plan | None:
    return (
        Plan.objects.filter(service=service, start_year__lte=on_year)
        .order_by("-start_year")
        .first()
    )


# --------------------------------------------------------------------------- tables


def b5_table(service: Service, year: int) -> dict:
    """Table B5: every row total and column total computed here, from the budget lines."""
    lines = {b.agency: b for b in BudgetLine.objects.filter(service=service, year=year)}
    welsh = is_welsh(service)
    rows = []
    totals = {
        "staffing_costs": Decimal(0),
        "payments_in_kind": Decimal(0),
        "other_delegated_funds": Decimal(0),
        "total": Decimal(0),
    }
    for code, label in B5_AGENCIES:
        if code == "WELSH_GOVERNMENT" and not welsh and code not in lines:
            continue
        line = lines.get(code)
        values = {
            "staffing_costs": line.staffing_costs if line else Decimal(0),
            "payments_in_kind": line.payments_in_kind if line else Decimal(0),
            "other_delegated_funds": line.other_delegated_funds if line else Decimal(0),
        }
        values["total"] = sum(values.values(), Decimal(0))
        for k, v in values.items():
            totals[k] += v
        rows.append(
            {
                "agency": label,
                **{k: money(v) for k, v in values.items()},
                "raw": {k: str(v) for k, v in values.items()},
            }
        )
    return {
        "year": FinancialYear(year).label,
        "columns": [
            "Agency",
            "Staffing costs",
            "Payments in kind",
            "Other delegated funds",
            "Total",
        ],
        "rows": rows,
        "total": {k: money(v) for k, v in totals.items()},
        "raw_total": {k: str(v) for k, v in totals.items()},
        "empty": not lines,
    }


def funding_streams(service: Service, year: int) -> list[dict]:
    return [
        {
            "name": f.name,
            "funder": f.funder,
            "amount": money(f.amount),
            "end_date": long_date(f.end_date) or "No end date",
            "purpose": f.purpose,
        }
        for f in FundingStream.objects.filter(service=service, year=year)
    ]


def b8_table(service: Service) -> dict:
    """Table B8: people by role and sex (columns) and ethnicity group (rows), totals computed."""
    staff = list(StaffRecord.objects.filter(service=service, left_on__isnull=True))
    counts = Counter((s.ethnicity_group, s.role_category, s.sex) for s in staff)
    columns = [(role, sex) for role, _ in B8_ROLES for sex, _ in B8_SEXES]
    rows = []
    for group, label in B8_ETHNICITY_GROUPS:
        cells = [counts[(group, role, sex)] for role, sex in columns]
        by_sex = [sum(counts[(group, r, sex)] for r, _ in B8_ROLES) for sex, _ in B8_SEXES]
        rows.append({"group": label, "cells": cells + by_sex})
    column_totals = [sum(r["cells"][i] for r in rows) for i in range(len(columns) + 2)]
    welsh = None
    if is_welsh(service):
        wc = Counter((s.role_category, s.sex) for s in staff if s.welsh_speaker)
        cells = [wc[(role, sex)] for role, sex in columns]
        welsh = cells + [sum(wc[(r, sex)] for r, _ in B8_ROLES) for sex, _ in B8_SEXES]
    return {
        "roles": [label for _, label in B8_ROLES] + ["Total"],
        "sexes": [s[0] for _, s in B8_SEXES],
        "rows": rows,
        "total": column_totals,
        "welsh_speakers": welsh,
        "people": len(staff),
        "fte_posts": posts(sum((s.fte_posts for s in staff), Decimal(0))),
    }


def staff_by_role(service: Service) -> list[dict]:
    staff = StaffRecord.objects.filter(service=service, left_on__isnull=True)
    out = []
    for role, label in B8_ROLES:
        members = [s for s in staff if s.role_category == role]
        if members:
            out.append(
                {
                    "role": label,
                    "people": len(members),
                    "fte_posts": posts(sum((s.fte_posts for s in members), Decimal(0))),
                }
            )
    return out


# The organisation chart's tiers, top down: who leads whom among the B8 roles.
ORG_TIERS = (
    ("MANAGER_STRATEGIC",),
    ("MANAGER_OPERATIONAL",),
    (
        "PRACTITIONER",
        "ADMINISTRATIVE",
        "SESSIONAL",
        "STUDENT",
        "REFERRAL_ORDER_PANEL_VOLUNTEER",
        "OTHER_VOLUNTEER",
    ),
)
ORG_NAMES = {  # how the chart and its alternative text name each role: one, many
    "MANAGER_STRATEGIC": ("strategic manager", "strategic managers"),
    "MANAGER_OPERATIONAL": ("operational manager", "operational managers"),
    "PRACTITIONER": ("practitioner", "practitioners"),
    "ADMINISTRATIVE": ("administrative officer", "administrative staff"),
    "SESSIONAL": ("sessional worker", "sessional workers"),
    "STUDENT": ("student", "students"),
    "REFERRAL_ORDER_PANEL_VOLUNTEER": (
        "referral order panel volunteer",
        "referral order panel volunteers",
    ),
    "OTHER_VOLUNTEER": ("other volunteer", "other volunteers"),
}


def org_chart(service: Service) -> dict:
    """The organisation chart (Appendix 2) from the staff records: tiers of roles with the
    number of people in each, and the same in words for its alternative text."""
    counts = Counter(
        StaffRecord.objects.filter(service=service, left_on__isnull=True).values_list(
            "role_category", flat=True
        )
    )
    tiers = [
        [{"role": ORG_NAMES[r][counts[r] != 1], "people": counts[r]} for r in tier if counts[r]]
        for tier in ORG_TIERS
    ]
    tiers = [tier for tier in tiers if tier]
    if not tiers:
        return {"tiers": [], "alt": ""}
    words = [", ".join(f"{b['people']} {b['role']}" for b in tier) for tier in tiers]
    if counts["MANAGER_STRATEGIC"] == 1:  # the one strategic manager leads the service
        tiers[0][0]["role"] = "head of service"
    for tier in tiers:
        for box in tier:
            box["role"] = box["role"][:1].upper() + box["role"][1:]
    top = tiers[0]
    alt = "Organisation chart: " + ", ".join(f"{b['role']} ({b['people']})" for b in top)
    if len(words) > 1:
        alt += f" {'leads' if sum(b['people'] for b in top) == 1 else 'lead'} {words[1]}"
    if len(words) > 2:
        alt += f", who lead {words[2]}"
    return {"tiers": tiers, "alt": alt + "."}


def board_members(service: Service) -> list[dict]:
    return [
        {
            "position": m.position,
            "name": m.name,
            "organisation": m.organisation,
            "sector": SECTOR_LABELS.get(m.sector, m.sector),
            "role": m.get_board_role_display(),
            "named_deputy": m.named_deputy or "–",
        }
        for m in BoardMember.objects.filter(service=service, left_on__isnull=True).order_by(
            "board_role", "sector", "name"
        )
    ]


def board_attendance(service: Service, start, end) -> dict:
    """Attendance by meeting (rows) and statutory sector (columns), SENIOR / DELEGATED / NONE."""
    meetings = BoardMeeting.objects.filter(
        service=service, meeting_date__range=(start, end)
    ).prefetch_related("attendance")
    sectors = list(codes.STATUTORY_BOARD_SECTORS)
    short = {"SENIOR": "Senior", "DELEGATED": "Delegate", "NONE": "Absent"}
    rows = []
    for m in sorted(meetings, key=lambda m: m.meeting_date):
        by_sector = {a.sector: a for a in m.attendance.all()}
        rows.append(
            {
                "date": long_date(m.meeting_date),
                "cells": [
                    short[by_sector[s].attendance] if s in by_sector else "Not recorded"
                    for s in sectors
                ],
                "papers_due": long_date(m.papers_due),
                "minutes_due": long_date(m.minutes_due),
            }
        )
    return {"sectors": [SECTOR_LABELS[s] for s in sectors], "rows": rows}


def action_rows(plan: Plan | None) -> list[dict]:
    if plan is None:
        return []
    return [
        {
            "ref": a.ref,
            "outcome": a.outcome,
            "action": a.action,
            "impact": a.impact,
            "lead_owners": a.lead_owners,
            "by_when": a.by_when,
            "measure": a.measure,
            "progress": a.progress,
            "rag": a.get_rag_display(),
            "rag_code": a.rag,
            "source": a.get_source_display() + (f" ({a.source_detail})" if a.source_detail else ""),
            "due_date": a.due_date.isoformat() if a.due_date else "",
        }
        for a in Action.objects.filter(plan=plan).order_by("ref")
    ]


def rag_counts(rows: list[dict]) -> list[dict]:
    counts = Counter(r["rag_code"] for r in rows)
    return [{"rag": label, "count": counts[code]} for code, label in RAG_STATUSES]


def risk_rows(plan: Plan) -> list[dict]:
    return [
        {
            "kind": r.get_kind_display(),
            "description": r.description,
            "likelihood": r.likelihood,
            "impact": r.impact,
            "score": r.score,
            "mitigations": r.mitigations,
            "owner": r.owner,
            "review_date": f"{r.review_date.day} {r.review_date:%b %Y}",
            "review_iso": r.review_date.isoformat(),
        }
        for r in sorted(plan.risks.all(), key=lambda r: (-r.score, r.pk))
    ]


def band_text(band: TargetBand, unit_suffix: str = "") -> str:
    lo, hi = band.lower, band.upper
    if lo is None and hi is None:
        return "any value"
    if lo is None:
        return f"below {plain(hi)}{unit_suffix}"
    if hi is None:
        return f"{plain(lo)}{unit_suffix} and above"
    return f"{plain(lo)}{unit_suffix} to below {plain(hi)}{unit_suffix}"


def bands_by_measure(plan: Plan | None) -> dict[tuple[str, str], list[TargetBand]]:
    out: dict[tuple[str, str], list[TargetBand]] = {}
    if plan is None:
        return out
    for b in plan.target_bands.all():
        out.setdefault((b.kpi, b.measure), []).append(b)
    for bands in out.values():
        bands.sort(key=lambda b: (b.lower is not None, b.lower or 0))
    return out


def rag_for(bands: list[TargetBand], figure: Figure | None) -> str:
    if not bands or figure is None or figure.value is None or figure.suppressed:
        return ""
    for b in bands:
        if b.contains(figure.value):
            return b.get_rag_display()
    return ""


# --------------------------------------------------------------------------- KPI blocks


def with_counts(figure: Figure) -> str:
    """A percentage as a document prints it: with the children it counts, "33.3% (9 of 27)";
    a suppressed or missing figure prints alone ("*", "–")."""
    if figure.unit == "percent" and figure.counts_text and figure.text not in ("*", "–"):
        return f"{figure.text} ({figure.counts_text})"
    return figure.text


def measure_label(kpi: str, measure: str) -> str:
    """A measure in words, as its KPI definition names it ("fte_rate" is never printed)."""
    from yjs.performance.engine import KPI_BY_ID

    try:
        return KPI_BY_ID[kpi].measure(measure).label
    except KeyError:
        return measure


def kpi_label(kpi: str) -> str:
    from yjs.performance.engine import KPI_BY_ID

    k = KPI_BY_ID.get(kpi)
    return k.title if k else kpi


def kpi_rows(
    results: Results, q: Quarter, plan: Plan | None, quoted: list[dict], compare_quarters: int = 4
) -> list[dict]:
    """One row per reported KPI headline: latest, an earlier value, trend, comparators, RAG.

    Plans compare with the same quarter a year before; board packs with the previous quarter.
    """
    bands = bands_by_measure(plan)
    rows = []
    for kpi in REPORTED_KPIS:
        latest = results.reported(q, kpi)
        if latest is None:
            continue
        year_before = results.get(q.previous(compare_quarters), kpi, latest.measure)
        quoted.append(latest.as_dict())
        if year_before:
            quoted.append(year_before.as_dict())
        comparators = []
        for group, label in COMPARATOR_GROUPS:
            c = results.comparator(q, kpi, latest.measure, group)
            comparators.append(
                {
                    "group": label,
                    "text": "–"
                    if c is None or c.value is None
                    else Figure.from_row(
                        {
                            **c.__dict__,
                            "unit": latest.unit,
                            "dimension": "all",
                            "category": "all",
                            "suppressed": False,
                        }
                    ).text,
                    "rank": c.rank if c else "",
                }
            )
        rows.append(
            {
                "kpi": kpi,
                "title": kpi_label(kpi),
                "measure": latest.label,
                "window": latest.window or latest.period,
                "latest": with_counts(latest),
                "counts": latest.counts_text,
                "latest_ref": latest.ref,
                "year_before": with_counts(year_before) if year_before else "–",
                "previous": with_counts(year_before) if year_before else "–",
                "year_before_ref": year_before.ref if year_before else "",
                "trend": trend_word(kpi, latest, year_before),
                "comparators": comparators,
                "target_rag": rag_for(bands.get((kpi, latest.measure), []), latest) or "No target",
            }
        )
    return rows


def kpi_trends(results: Results, q: Quarter, quoted: list[dict], kpis=REPORTED_KPIS) -> list[dict]:
    """Headline values for the last quarters, for the charts (each point is one result row)."""
    charts = []
    quarters = [q.previous(n) for n in range(TREND_QUARTERS - 1, -1, -1)]
    for kpi in kpis:
        latest = results.reported(q, kpi)
        if latest is None or latest.unit == "count":
            continue
        points = []
        for quarter in quarters:
            f = results.get(quarter, kpi, latest.measure)
            if f is None or f.value is None or f.suppressed:
                points.append({"period": quarter.label, "value": None, "ref": ""})
                continue
            quoted.append(f.as_dict())
            points.append({"period": quarter.label, "value": f.value, "ref": f.ref})
        if sum(p["value"] is not None for p in points) >= 2:
            charts.append(
                {
                    "kpi": kpi,
                    "title": kpi_label(kpi),
                    "measure": latest.label,
                    "unit": latest.unit,
                    "points": points,
                }
            )
    return charts


def target_rows(plan: Plan) -> list[dict]:
    rows = []
    for (kpi, measure), bands in sorted(bands_by_measure(plan).items()):
        suffix = "%" if measure in _percent_measures(kpi) else ""
        rows.append(
            {
                "kpi": kpi_label(kpi),
                "measure": measure_label(kpi, measure),
                "bands": "; ".join(f"{b.get_rag_display()}: {band_text(b, suffix)}" for b in bands),
            }
        )
    return rows


def _percent_measures(kpi: str) -> set[str]:
    from yjs.performance.engine import KPI_BY_ID

    k = KPI_BY_ID.get(kpi)
    return {m.id for m in k.measures if m.unit == "percent"} if k else set()


# --------------------------------------------------------------------------- the plan context


def numbered_block(data: dict, caption) -> dict:
    """A registered block's caption numbered in the document's run of tables (none if the
    block has no table to caption)."""
    data["caption"] = caption(data["caption"]) if data["rows"] and data["caption"] else ""
    return data


def plan_context(version: PlanVersion, source: KpiSource | None = None) -> dict:
    """Everything the plan document shows, numbered, totalled and sourced."""
    plan = version.plan
    service = plan.service
    source = source or EngineSource(service=service)
    results = Results(source)
    q = default_kpi_quarter(version)
    quoted: list[dict] = []
    numbered = structure.numbered()
    labels = {n.part.key: n.label for n in numbered}
    narratives = {s.key: s.narrative for s in version.sections.all()}
    fy = version.financial_year

    tables = 0

    def caption(text: str) -> str:
        nonlocal tables
        tables += 1
        return f"Table {tables}: {text}"

    previous_rows = action_rows(plan.previous)
    actions = action_rows(plan)
    b8 = b8_table(service)
    blocks_data: dict[str, dict] = {}

    def block(name: str) -> dict:
        if name == "board":
            kpi7 = results.headline(q, "kpi7")
            if kpi7:
                quoted.append(kpi7.as_dict())
            members = board_members(service)
            return {
                "members": len(members),
                "appendix": labels["board_membership"],
                "kpi7": kpi7.text if kpi7 else "–",
                "kpi7_period": q.label,
                "kpi7_ref": kpi7.ref if kpi7 else "",
            }
        if name == "previous_actions":
            return {
                "rows": previous_rows,
                "counts": rag_counts(previous_rows),
                "plan": str(plan.previous) if plan.previous else "",
                "caption": caption("Progress on the previous plan's actions")
                if previous_rows
                else "",
            }
        if name == "b5":
            return {
                **b5_table(service, version.year),
                "caption": caption(f"B5 – budget costs and contributions {fy.label} (£)"),
            }
        if name == "funding_streams":
            rows = funding_streams(service, version.year)
            return {"rows": rows, "caption": caption("Additional funding streams") if rows else ""}
        if name == "targets":
            rows = target_rows(plan)
            return {"rows": rows, "caption": caption("Local target bands") if rows else ""}
        if name == "kpi_table":
            rows = kpi_rows(results, q, plan, quoted)
            return {
                "rows": rows,
                "period": q.label,
                "year_before": q.previous(4).label,
                "groups": [label for _, label in COMPARATOR_GROUPS],
                "caption": caption(f"National key performance indicators, {q.label}"),
                "errors": list(results.errors),
            }
        if name == "kpi_charts":
            return {"charts": kpi_trends(results, q, quoted)}
        if name == "priorities":
            return {
                "entries": [
                    {
                        "title": p.title,
                        "area": p.get_area_display() if p.area else "",
                        "narrative": p.narrative,
                    }
                    for p in plan.priorities.all()
                ]
            }
        if name == "standards":
            rows = [
                {
                    "standard": f"{s.standard[-1]}. {s.get_standard_display()}",
                    "rating": s.get_rating_display(),
                    "assessed_on": long_date(s.assessed_on),
                    "summary": s.summary,
                }
                for s in plan.standards.all()
            ]
            return {
                "rows": rows,
                "caption": caption("National Standards self-assessment") if rows else "",
            }
        if name == "staffing_summary":
            return {
                "people": b8["people"],
                "fte_posts": b8["fte_posts"],
                "appendix": labels["staffing"],
            }
        if name == "action_summary":
            return {
                "counts": rag_counts(actions),
                "total": len(actions),
                "appendix": labels["action_plan"],
                "off_track": [a for a in actions if a["rag_code"] == "OFF_TRACK"],
            }
        if name == "risks":
            rows = risk_rows(plan)
            return {
                "rows": rows,
                "caption": caption("Challenges, risks and issues") if rows else "",
            }
        if name == "sign_off":
            return {
                "name": version.signed_off_by,
                "role": version.signed_off_role,
                "date": long_date(version.signed_off_on),
                "date_iso": version.signed_off_on.isoformat() if version.signed_off_on else "",
                "approvals": [
                    {
                        "body": a.get_body_display(),
                        "date": long_date(a.decided_on),
                        "date_iso": a.decided_on.isoformat(),
                        "notes": a.notes,
                    }
                    for a in version.approvals.all()
                ],
                "caption": caption("Approval chain"),
            }
        if name == "board_members":
            return {"rows": board_members(service), "caption": caption("Board membership")}
        if name == "board_attendance":
            return {
                **board_attendance(service, fy.start, fy.end),
                "caption": caption(f"Board attendance {fy.label} by statutory sector"),
            }
        if name == "staff_by_role":
            rows = staff_by_role(service)
            return {
                "rows": rows,
                "caption": caption("Staff by role") if rows else "",
                "org_chart": org_chart(service),
                "people": b8["people"],
                "fte_posts": b8["fte_posts"],
            }
        if name == "b8":
            return {
                **b8,
                "caption": caption("B8 – staffing by role, sex and ethnicity (number of people)"),
            }
        if name == "actions":
            return {
                "rows": actions,
                "caption": caption(f"Service development and action plan {plan.period_label}")
                if actions
                else "",
            }
        if name == "glossary":
            return {"rows": [{"term": t, "definition": d} for t, d in structure.GLOSSARY]}
        extension = blocks.get(name)
        if extension is None:
            raise KeyError(name)
        request = blocks.BlockRequest(service, fy.start, fy.end, q, plan=plan)
        return numbered_block(blocks.build(extension, request), caption)

    parts = []
    for n in numbered:
        names = [*n.part.blocks, *blocks.names_for(n.part.key)]
        data = {name: block(name) for name in names}
        blocks_data.update(data)
        parts.append(
            {
                "key": n.part.key,
                "number": n.number,
                "title": n.part.title,
                "heading": n.heading,
                "appendix": n.part.appendix,
                "needs_narrative": n.part.needs_narrative,
                "narrative": narratives.get(n.part.key, ""),
                "blocks": data,
            }
        )

    # Placeholders in narratives: [[kpi:fte/fte_rate]], [[appendix:staffing]].
    unresolved: list[str] = []
    for p in parts:
        p["narrative"] = expand_placeholders(p["narrative"], labels, results, q, quoted, unresolved)
        for item in p["blocks"].get("priorities", {}).get("entries", []):
            item["narrative"] = expand_placeholders(
                item["narrative"], labels, results, q, quoted, unresolved
            )

    for p in parts:
        if "glossary" in p["blocks"]:
            p["blocks"]["glossary"]["rows"] = glossary_of([x for x in parts if x is not p])

    return {
        "title": plan.title,
        "service": service.name,
        "period_label": plan.period_label,
        "plan_start": plan.start.isoformat(),
        "plan_end": plan.end.isoformat(),
        "year": fy.label,
        "version_number": version.number,
        "status": version.get_status_display(),
        "service_lead": plan.service_lead,
        "board_chair": plan.board_chair,
        "kpi_quarter": q.label,
        # Why the quoted quarter's figures are not final yet ("" once it has ended).
        "provisional": quarter_problem(q, timezone.localdate()) or "",
        "contents": [
            {"number": p["number"], "heading": p["heading"], "appendix": p["appendix"]}
            for p in parts
        ],
        "parts": parts,
        "quoted": quoted,
        "unresolved": unresolved,
        "kpi_errors": list(results.errors),
        "snapshot_ref": getattr(source, "snapshot_ref", ""),
        "provenance": provenance(source, q),
        # a newer snapshot's figures are being computed (a draft's page says so)
        "refreshing": bool(getattr(source, "refreshing", False)),
    }


def _strings(value) -> list[str]:
    """Every piece of text in a document context (dicts, lists and strings, nested)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list | tuple):
        return [t for v in value for t in _strings(v)]
    return []


def glossary_of(context) -> list[dict]:
    """The glossary of the terms a document uses, and only those: a term is used when it
    appears as a word of its own anywhere in the document's text ("FTE" in "FTE rate" but not
    in "FTEs" or "often")."""
    text = "\n".join(_strings(context))
    rows = []
    for term, definition in structure.GLOSSARY:
        word = term.split(" (")[0]  # "FTE (posts)" is used where "FTE posts" is
        pattern = re.escape(term if "(" not in term else word + " posts")
        if re.search(rf"(?<![\w-]){pattern}(?![\w-])", text, flags=0 if word.isupper() else re.I):
            rows.append({"term": term, "definition": definition})
    return rows


def expand_placeholders(
    text: str, labels: dict, results: Results, q: Quarter, quoted: list[dict], unresolved: list[str]
) -> str:
    """Cross-references and KPI figures in narrative come from the same place as the tables."""

    def sub(m: re.Match) -> str:
        kind, arg = m.group(1), m.group(2).strip()
        if kind in ("section", "appendix"):
            if arg in labels:
                return labels[arg]
            unresolved.append(m.group(0))
            return m.group(0)
        kpi, _, measure = arg.partition("/")
        f = results.get(q, kpi, measure) if measure else results.reported(q, kpi)
        if f is None:
            unresolved.append(m.group(0))
            return m.group(0)
        quoted.append(f.as_dict())
        return f.text

    return PLACEHOLDER.sub(sub, text or "")


# --------------------------------------------------------------------------- the board pack

BOARD_PACK_HEADINGS = (
    ("summary", "Key performance indicators"),
    ("trends", "Trends"),
    ("disproportionality", "Disproportionality"),
    ("remand", "Remand and custody episodes"),
    ("fte", "First time entrants"),
    ("budget", "Budget position"),
    ("actions", "Action plan progress"),
)


def _child_label(child, named: bool) -> str:
    """A child by name only in a named pack; otherwise by the YJS reference."""
    return f"{child.display_name} ({child.reference})" if named else child.reference


def _in_scope(rows: list[dict], scope: OutputScope, named: bool) -> list[dict]:
    """The child-level rows this output may carry: only children in the user's reach, only for
    casework roles (board members and analysts get the aggregate tables alone), free text only
    in a named pack."""
    if not scope.child_level or not scope.named:
        return []
    out = []
    for row in rows:
        child = row.pop("_child")
        if scope.includes(child):
            row["child"] = _child_label(child, named)
            if not (named and scope.free_text):
                row["circumstances"] = ""
            out.append(row)
    return out


def _episodes(service: Service, q: Quarter) -> list[dict]:
    """Every remand and custody episode open at any time in the quarter (all the service's
    children; what an output may show of them is decided by `_in_scope`)."""
    from yjs.casework.models import CustodyEpisode, Remand
    from yjs.periods import age_on

    episodes = []
    remands = (
        Remand.objects.filter(child__service=service, start_date__lte=q.end)
        .exclude(end_date__lt=q.start)
        .select_related("child")
    )
    for r in remands:
        if r.decision in ("UNCONDITIONAL_BAIL", "CONDITIONAL_BAIL", "BAIL_WITH_ISS"):
            continue
        episodes.append(
            {
                "_child": r.child,
                "kind": r.get_decision_display(),
                "age": age_on(r.child.date_of_birth, r.start_date),
                "start_iso": r.start_date.isoformat(),
                "start": long_date(r.start_date),
                "end": long_date(r.end_date) or "Open",
                "nights": r.nights if r.nights is not None else "",
                "circumstances": r.circumstances,
            }
        )
    custody = (
        CustodyEpisode.objects.filter(child__service=service, start_date__lte=q.end)
        .exclude(release_date__lt=q.start)
        .select_related("child", "outcome")
    )
    for c in custody:
        nights = (c.release_date - c.start_date).days if c.release_date else ""
        episodes.append(
            {
                "_child": c.child,
                "kind": f"Custody: {c.outcome.get_code_display()} "
                f"({c.get_establishment_display()})",
                "age": age_on(c.child.date_of_birth, c.start_date),
                "start_iso": c.start_date.isoformat(),
                "start": long_date(c.start_date),
                "end": long_date(c.release_date) or "In custody",
                "nights": nights,
                "circumstances": "",
            }
        )
    return sorted(episodes, key=lambda e: (e["start_iso"], e["_child"].reference))


def _summary(rows: list[dict], key: str) -> list[dict]:
    """Episodes and children per kind, counts of 1-4 not shown."""
    kinds: dict[str, tuple[int, set]] = {}
    for row in rows:
        n, children = kinds.get(row[key], (0, set()))
        children.add(row["_child"].pk)
        kinds[row[key]] = (n + 1, children)
    return [
        {"kind": kind, "episodes": count_text(n), "children": count_text(len(children))}
        for kind, (n, children) in sorted(kinds.items())
    ]


def custody_and_remand(
    service: Service, q: Quarter, named: bool, scope: OutputScope | None = None
) -> dict:
    """Remand and custody in the quarter: a summary by kind for everyone, and the episodes of
    the children in the user's reach for casework roles."""
    scope = scope or OutputScope(service.pk, named=True, child_level=True, free_text=True)
    episodes = _episodes(service, q)
    summary = _summary(episodes, "kind")
    rows = _in_scope(episodes, scope, named)
    return {"summary": summary, "rows": rows, "outside": len(episodes) - len(rows)}


def _first_substantive(service: Service, q: Quarter) -> list[dict]:
    from yjs.casework.models import Outcome
    from yjs.periods import age_on

    substantive = [c.code for c in codes.OUTCOMES if c.substantive]
    first: dict[int, Outcome] = {}
    for o in (
        Outcome.objects.filter(child__service=service, code__in=substantive)
        .exclude(appeal_status="SUCCESSFUL")
        .exclude(is_variation=True)
        .exclude(child__previous_substantive_outcome=True)  # the PNC shows an earlier one
        .select_related("child")
        .order_by("outcome_date", "id")
    ):
        first.setdefault(o.child_id, o)
    in_quarter = [o for o in first.values() if o.outcome_date in q]
    prefetch_related_objects(
        in_quarter, "offences", "child__referrals", "child__interventions", "child__outcomes"
    )
    rows = []
    for o in in_quarter:
        child = o.child
        known = statements.known_before(child, o)
        rows.append(
            {
                "_child": child,
                "age": age_on(child.date_of_birth, o.outcome_date),
                "outcome": o.get_code_display(),
                "date": long_date(o.outcome_date),
                "date_iso": o.outcome_date.isoformat(),
                "known_before": ("Yes: " + ", ".join(known)) if known else "No",
            }
        )
    return sorted(rows, key=lambda r: (r["date_iso"], r["_child"].reference))


def first_time_entrants(
    service: Service, q: Quarter, named: bool, scope: OutputScope | None = None
) -> dict:
    """Children whose first substantive outcome fell in the quarter, for the board's FTE review.

    A review list from the case records, not the FTE KPI (which the engine computes from the
    snapshot over a lagged 12 months); "known before" is `statements.known_before`: contact
    that ended before the offence was committed. Everyone gets the counts; casework roles also
    get the children in their reach.
    """
    scope = scope or OutputScope(service.pk, named=True, child_level=True, free_text=True)
    everyone = _first_substantive(service, q)
    known = sum(1 for f in everyone if f["known_before"] != "No")
    rows = _in_scope(everyone, scope, named)
    return {
        "count": len(everyone),
        "known": known,
        "rows": rows,
        "outside": len(everyone) - len(rows),
    }


DIMENSION_LABELS = {
    "ethnicity_group": "Ethnicity",
    "sex": "Sex",
    "age_band": "Age",
    "care_status": "Care status",
}
CATEGORY_LABELS = {
    **codes.ETHNICITY_GROUP_LABELS,
    "LOOKED_AFTER": "Looked after",
    "NOT_LOOKED_AFTER": "Not looked after",
}


def disproportionality_rows(results: Results, q: Quarter, quoted: list[dict]) -> list[dict]:
    """Relative rate indices the engine could compute (groups too small to rate are left out)."""
    rows = []
    for f in sorted(results.all(q), key=lambda f: (f.measure, f.dimension, f.category)):
        if f.kpi != "disproportionality" or f.dimension == "all" or f.value is None:
            continue
        quoted.append(f.as_dict())
        rows.append(
            {
                "measure": f.label.removeprefix("RRI: ").capitalize(),
                "dimension": DIMENSION_LABELS.get(f.dimension, f.dimension),
                "group": CATEGORY_LABELS.get(f.category, f.category),
                "counts": f.counts_text,
                "value": f.text,
                "rri": f.value,
                "ref": f.ref,
            }
        )
    return rows


def unrated_groups(results: Results, q: Quarter) -> int:
    """Groups whose index was not computed (too few children in it or its reference group)."""
    return sum(
        1
        for f in results.all(q)
        if f.kpi == "disproportionality" and f.dimension != "all" and f.value is None
    )


def snapshot_name(ref: str) -> str:
    """The snapshot's date and time in words (its folder is named ``2026-11-25T153659``)."""
    import datetime
    from pathlib import PurePath

    if not ref:
        return "the latest snapshot"
    name = PurePath(ref).name
    try:
        taken = datetime.datetime.strptime(name[:17], "%Y-%m-%dT%H%M%S")
    except ValueError:
        return name
    return f"{taken.day} {taken:%B %Y} at {taken:%H:%M}"


FIGURES_SOURCE = (
    "the service's case records, as exported to the KPI snapshot; comparators imported from "
    "the YJB's published figures"
)
SUPPRESSION_RULE = (
    "Counts of 1 to 4 children are shown as * (fewer than 5); zero is shown. A relative rate "
    "index is not computed when the group or its reference group has fewer than 5 children."
)


def provenance(source: KpiSource, q: Quarter) -> dict:
    """ "About these figures": which snapshot, which quarter, where from, defined where, and
    what is suppressed – printed beside the figures in the plan and the board pack."""
    from django.conf import settings

    ref = getattr(source, "snapshot_ref", "")
    definitions = settings.KPI_DEFINITIONS_URL
    as_at = getattr(source, "as_at", None)
    return {
        "snapshot": snapshot_name(ref),
        # the figures' as-at date, when not the snapshot's own (a past quarter's pack)
        "as_at": long_date(as_at) if as_at else "",
        "snapshot_ref": ref or "latest",
        "period": f"{q.label} ({q.months_label}); each KPI's own counting window is shown "
        "beside its value",
        "source": FIGURES_SOURCE[:1].upper() + FIGURES_SOURCE[1:],
        "definitions": definitions,
        "definitions_is_url": definitions.startswith(("https://", "http://")),
        "suppression": SUPPRESSION_RULE,
    }


def _audience(named: bool) -> str:
    return "named: for service use only" if named else "by YJS reference"


def _outside_note(outside: int, rows: list) -> str:
    """Says that some children are left out of a list, without saying how few."""
    if not rows or not outside:
        return ""
    return "Children outside your caseload are counted in the totals but not listed."


def pack_source(service: Service, q: Quarter, snapshot: str | None = None) -> EngineSource:
    """The pack's figures: for a quarter that has ended, as known at its end (records dated
    later ignored, as `yj snapshot --as-at` would have it), so a past quarter's pack says
    what the board could have known then; a quarter in progress reads today's figures."""
    ended = quarter_problem(q, timezone.localdate()) is None
    return EngineSource(snapshot, service=service, as_at=q.end if ended else None)


def board_pack_context(
    service: Service,
    quarter: Quarter | str,
    *,
    named: bool = False,
    scope: OutputScope | None = None,
    source: KpiSource | None = None,
) -> dict:
    """The quarterly performance report for the management board.

    ``scope`` (yjs.permissions.output_scope of the reader) decides which children may appear
    at all; without one (the CLI, run by the service's operator) the whole service is in reach.
    A pack is named only if asked for and the scope may name children.
    """
    from .models import FinancePosition

    q = parse_quarter(quarter)
    source = source or pack_source(service, q)
    results = Results(source)
    quoted: list[dict] = []
    plan = current_plan(service, q.fy_start)
    extensions = [b for b in blocks.registered() if b.board_pack]
    headings = {
        key: f"{i}. {title}"
        for i, (key, title) in enumerate(
            [*BOARD_PACK_HEADINGS, *((b.name, b.title) for b in extensions)], start=1
        )
    }
    tables = 4  # the pack's own tables are 1 to 4

    def caption(text: str) -> str:
        nonlocal tables
        tables += 1
        return f"Table {tables}: {text}"

    request = blocks.BlockRequest(service, q.start, q.end, q, plan=plan, named=False)
    extra_sections = [
        {
            "key": b.name,
            "heading": headings[b.name],
            "block": numbered_block(blocks.build(b, request), caption),
        }
        for b in extensions
    ]
    kpis = kpi_rows(results, q, plan, quoted, compare_quarters=1)
    charts = kpi_trends(results, q, quoted)
    scope = scope or OutputScope(service.pk, named=True, child_level=True, free_text=True)
    named = named and scope.named
    ftes = first_time_entrants(service, q, named, scope)
    episodes = custody_and_remand(service, q, named, scope)
    fte_kpi = results.headline(q, "fte")
    if fte_kpi:
        quoted.append(fte_kpi.as_dict())
    fte_summary = (
        f"{count_text(ftes['count'])} children received their first caution or conviction in "
        f"the quarter; {count_text(ftes['known'])} of them were known to the service before."
    )
    if fte_kpi:
        fte_summary += (
            f" The FTE KPI for {q.label} ({fte_kpi.window or 'the lagged 12 months'})"
            f" is {fte_kpi.text} per 100,000 children aged 10-17."
        )
    finance = FinancePosition.objects.filter(service=service, quarter=q.label).first()
    actions = action_rows(plan)
    counts = rag_counts(actions)
    summary = (
        (
            f"{plan}: {len(actions)} actions – "
            + ", ".join(f"{c['count']} {c['rag'].lower()}" for c in counts)
            + "."
        )
        if plan
        else "No plan covers this quarter."
    )
    from .commentary import disproportionality_reading

    disproportionality = {
        "rows": disproportionality_rows(results, q, quoted),
        "unrated": unrated_groups(results, q),
        "caption": f"Table 2: Relative rate index, {q.label}",
    }
    disproportionality["reading"] = disproportionality_reading(disproportionality, q.label)
    return {
        "service": service.name,
        "quarter": q.label,
        "months": q.months_label,
        # Why the figures are not final yet ("" for a quarter that has ended).
        "provisional": quarter_problem(q, timezone.localdate()) or "",
        "snapshot_date": snapshot_name(getattr(source, "snapshot_ref", "")),
        "named": named,
        "audience_note": "named children (service use only)"
        if named
        else "children shown by reference only",
        "contents": list(headings.values()),
        "h": headings,
        "kpis": {
            "rows": kpis,
            "caption": f"Table 1: KPI summary, {q.label}",
            "errors": list(results.errors),
        },
        "charts": charts,
        "disproportionality": disproportionality,
        "provenance": provenance(source, q),
        "episode_summary": episodes["summary"],
        "episode_summary_caption": f"Table 3: Remand and custody episodes open in {q.label}",
        "episodes": episodes["rows"],
        "episodes_caption": f"The children in Table 3 ({_audience(named)})",
        "episodes_outside": _outside_note(episodes["outside"], episodes["rows"]),
        "ftes": ftes["rows"],
        "ftes_outside": _outside_note(ftes["outside"], ftes["rows"]),
        "fte_summary": fte_summary,
        "small_numbers_note": "Counts of 1 to 4 children are shown as \u201cfewer than 5\u201d "
        "to protect the children concerned.",
        "finance": {
            "year": q.fy.label,
            "budget": money(finance.budget),
            "spend_to_date": money(finance.spend_to_date),
            "forecast_outturn": money(finance.forecast_outturn),
            "variance": ("+" if finance.variance > 0 else "") + money(finance.variance),
            "commentary": finance.commentary,
        }
        if finance
        else None,
        "actions": {
            "rows": actions,
            "summary": summary,
            "caption": "Table 4: Action plan progress",
        },
        # sections registered by other apps (yjs.governance.blocks), after the pack's own
        "extra_sections": extra_sections,
        "quoted": quoted,
    }
