"""Consistency checks shown to the author before export and required to pass for approval.

They catch what the seeds got wrong: totals that do not add up, one figure with two values,
target bands that overlap or leave gaps, empty sections, dates outside the plan's period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from yjs.periods import FinancialYear, long_date

from .models import (
    APPROVAL_ORDER,
    BoardMeeting,
    BoardMember,
    FundingStream,
    Plan,
    PlanVersion,
    TargetBand,
)
from .selectors import plain


@dataclass(frozen=True)
class Problem:
    level: str  # "error" blocks approval; "warning" is shown only
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check_plan(plan: Plan, context: dict, version: PlanVersion | None = None) -> list[Problem]:
    problems: list[Problem] = []
    problems += check_sections(context)
    problems += check_totals(context)
    problems += check_figures(context)
    problems += check_dates(context)
    problems += check_bands(plan.target_bands.all())
    if version is not None:
        problems += check_records(plan, version)
    return problems


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def check_sections(context: dict) -> list[Problem]:
    out = []
    for part in context["parts"]:
        if part["needs_narrative"] and not (part["narrative"] or "").strip():
            out.append(Problem("error", part["heading"], "The section is empty: write its text"))
    for p in context["parts"]:
        for item in p["blocks"].get("priorities", {}).get("entries", []):
            if not (item["narrative"] or "").strip():
                out.append(
                    Problem("error", p["heading"], f"The priority “{item['title']}” has no text")
                )
    return out


def _dec(s: str) -> Decimal:
    return Decimal(str(s))


def check_totals(context: dict) -> list[Problem]:
    """Recompute every printed total from its rows."""
    out = []
    for part in context["parts"]:
        b5 = part["blocks"].get("b5")
        if b5:
            keys = ("staffing_costs", "payments_in_kind", "other_delegated_funds")
            for row in b5["rows"]:
                if sum(_dec(row["raw"][k]) for k in keys) != _dec(row["raw"]["total"]):
                    out.append(Problem("error", "Table B5", f"{row['agency']}: row total is wrong"))
            for k in (*keys, "total"):
                if sum(_dec(r["raw"][k]) for r in b5["rows"]) != _dec(b5["raw_total"][k]):
                    out.append(Problem("error", "Table B5", f"column {k} does not add up"))
            if b5["empty"]:
                out.append(
                    Problem("error", "Table B5", f"No budget has been entered for {b5['year']}")
                )
        b8 = part["blocks"].get("b8")
        if b8:
            n = len(b8["total"])
            for i in range(n):
                if sum(r["cells"][i] for r in b8["rows"]) != b8["total"][i]:
                    out.append(Problem("error", "Table B8", f"column {i + 1} does not add up"))
            for r in b8["rows"]:
                by_role = sum(r["cells"][: n - 2])
                if by_role != sum(r["cells"][n - 2 :]):
                    out.append(Problem("error", "Table B8", f"{r['group']}: row does not add up"))
            if b8["people"] == 0:
                out.append(Problem("error", "Table B8", "No staff records have been entered"))
    return out


def check_figures(context: dict) -> list[Problem]:
    """Every KPI figure quoted comes from one result row and has one value everywhere."""
    out = []
    seen: dict[str, object] = {}
    for f in context["quoted"]:
        ref = f.get("ref")
        if not ref:
            out.append(Problem("error", "KPI figures", "A figure does not come from a KPI result"))
            continue
        if ref in seen and seen[ref] != f["value"]:
            out.append(
                Problem(
                    "error",
                    "KPI figures",
                    f"{ref} is quoted with two values: {seen[ref]} and {f['value']}",
                )
            )
        seen.setdefault(ref, f["value"])
    for text in context.get("unresolved", []):
        out.append(Problem("error", "Narrative", f"{text} does not match any section or KPI"))
    for text in context.get("kpi_errors", []):
        out.append(Problem("warning", "KPI figures", text))
    if context.get("provisional"):
        out.append(
            Problem(
                "error",
                "Sign-off and KPI quarter",
                f"{context['provisional']}: quote a quarter that has ended",
            )
        )
    kpi_part = next((p for p in context["parts"] if "kpi_table" in p["blocks"]), None)
    if kpi_part and not kpi_part["blocks"]["kpi_table"]["rows"]:
        out.append(
            Problem(
                "error",
                kpi_part["heading"],
                f"No KPI results for {context['kpi_quarter']}: take a snapshot first",
            )
        )
    return out


def check_dates(context: dict) -> list[Problem]:
    start = datetime.date.fromisoformat(context["plan_start"])
    end = datetime.date.fromisoformat(context["plan_end"])
    period = f"the plan period ({start:%d %B %Y} to {end:%d %B %Y})"
    out = []
    for part in context["parts"]:
        for row in part["blocks"].get("actions", {}).get("rows", []):
            if row["due_date"] and not start <= datetime.date.fromisoformat(row["due_date"]) <= end:
                out.append(
                    Problem("error", "Action plan", f"Action {row['ref']} is due outside {period}")
                )
        for row in part["blocks"].get("risks", {}).get("rows", []):
            if not start <= datetime.date.fromisoformat(row["review_iso"]) <= end:
                out.append(
                    Problem(
                        "error",
                        "Risks",
                        f"“{row['description'][:40]}” is reviewed outside {period}",
                    )
                )
        sign = part["blocks"].get("sign_off")
        if sign:
            latest_ok = end
            earliest_ok = start.replace(year=start.year - 1)
            for step in sign["approvals"]:
                d = datetime.date.fromisoformat(step["date_iso"])
                if not earliest_ok <= d <= latest_ok:
                    out.append(
                        Problem(
                            "error",
                            "Approval chain",
                            f"{step['body']} on {step['date']} is outside the year "
                            f"before the plan starts or its period",
                        )
                    )
            if sign["date_iso"] and not (
                earliest_ok <= datetime.date.fromisoformat(sign["date_iso"]) <= latest_ok
            ):
                out.append(Problem("error", "Sign-off", "The sign-off date is outside the plan"))
    return out


def check_bands(bands) -> list[Problem]:
    """Bands for one measure must tile the number line: each starts where the last ended."""
    by_measure: dict[tuple[str, str], list[TargetBand]] = {}
    for b in bands:
        by_measure.setdefault((b.kpi, b.measure), []).append(b)
    out = []
    for (kpi, measure), group in sorted(by_measure.items()):
        where = f"Target bands for {kpi} {measure}"
        group.sort(key=lambda b: (b.lower is not None, b.lower if b.lower is not None else 0))
        for b in group:
            if b.lower is not None and b.upper is not None and b.lower >= b.upper:
                out.append(Problem("error", where, f"{b.get_rag_display()} band is empty"))
        for prev, nxt in zip(group, group[1:], strict=False):
            if prev.upper is None or nxt.lower is None or nxt.lower < prev.upper:
                out.append(
                    Problem(
                        "error",
                        where,
                        f"the {prev.get_rag_display()} and {nxt.get_rag_display()} bands overlap",
                    )
                )
            elif nxt.lower > prev.upper:
                out.append(
                    Problem(
                        "error",
                        where,
                        f"there is a gap between {plain(prev.upper)} and "
                        f"{plain(nxt.lower)} ({prev.get_rag_display()} / "
                        f"{nxt.get_rag_display()})",
                    )
                )
        if len({b.rag for b in group}) != len(group):
            out.append(Problem("error", where, "two bands have the same RAG"))
    return out


def _name(text: str) -> str:
    """A person as a plan names them: "Priya Nandra, Director of Children's Services" is
    Priya Nandra."""
    return (text or "").split(",")[0].strip().casefold()


def check_records(plan: Plan, version: PlanVersion) -> list[Problem]:
    """One fact, one value: what the plan says of its board and approval agrees with the
    board's own records.

    - the chair in the plan's header, in the sign-off and in the board's membership
      (Appendix 1) is one person;
    - an approval by the management board was given at a board meeting on that date;
    - the approval chain runs in order (board, scrutiny, cabinet, submission to the YJB) and
      the chair signs off after the board and scrutiny, before the plan goes to the YJB;
    - each funding stream the plan quotes has not ended before the year it funds.
    """
    out = []
    service = plan.service
    chairs = list(
        BoardMember.objects.filter(
            service=service, board_role="CHAIR", left_on__isnull=True
        ).values_list("name", flat=True)
    )
    if plan.board_chair and chairs and _name(plan.board_chair) not in map(_name, chairs):
        out.append(
            Problem(
                "error",
                "Chair of the board",
                f"The plan names {plan.board_chair} as chair; the board's membership names "
                f"{' and '.join(chairs)}",
            )
        )
    chair = plan.board_chair or (chairs[0] if chairs else "")
    signer = version.signed_off_by
    if signer and chair and "chair" in (version.signed_off_role or "").casefold():
        if _name(signer) != _name(chair):
            out.append(
                Problem(
                    "error",
                    "Sign-off",
                    f"Signed off by {signer} as {version.signed_off_role}, but the chair is "
                    f"{chair}",
                )
            )
    steps = sorted(version.approvals.all(), key=lambda a: APPROVAL_ORDER.index(a.body))
    meetings = set(
        BoardMeeting.objects.filter(service=service).values_list("meeting_date", flat=True)
    )
    for step in steps:
        if step.body == "BOARD" and step.decided_on not in meetings:
            out.append(
                Problem(
                    "error",
                    "Approval chain",
                    f"Approved by the management board on {long_date(step.decided_on)}, but "
                    "the board's records hold no meeting on that date",
                )
            )
    for earlier, later in zip(steps, steps[1:], strict=False):
        if later.decided_on < earlier.decided_on:
            out.append(
                Problem(
                    "error",
                    "Approval chain",
                    f"{later.get_body_display()} ({long_date(later.decided_on)}) is dated "
                    f"before {earlier.get_body_display().lower()} "
                    f"({long_date(earlier.decided_on)}), which comes first",
                )
            )
    signed = version.signed_off_on
    if signed:
        for step in steps:
            before_sign_off = step.body in ("BOARD", "SCRUTINY")
            if (
                (step.decided_on > signed)
                if before_sign_off
                else (step.body == "YJB" and step.decided_on < signed)
            ):
                out.append(
                    Problem(
                        "error",
                        "Sign-off",
                        f"Signed off on {long_date(signed)}, "
                        + (
                            f"before {step.get_body_display().lower()} "
                            if before_sign_off
                            else "after the plan was submitted to the YJB "
                        )
                        + f"({long_date(step.decided_on)})",
                    )
                )
    year = FinancialYear(version.year)
    for stream in FundingStream.objects.filter(service=service, year=version.year):
        if stream.end_date and stream.end_date < year.start:
            out.append(
                Problem(
                    "error",
                    "Funding streams",
                    f"{stream.name} ends on {long_date(stream.end_date)}, before {year.label} "
                    "which it funds",
                )
            )
    return out
