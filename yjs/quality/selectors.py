"""Reads of quality assurance: who is eligible for a themed audit's sample, the rating summary
(n of N by area and level), and the manager's dashboard. Figures here are counts of audits and
recommendations, never of children's characteristics; blocks built from them name no child."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from yjs import codes
from yjs.casework.models import Child, Outcome, Remand
from yjs.court.models import PreSentenceReport
from yjs.governance.models import Action
from yjs.supervision.models import Breach

from .models import (
    AUDIT_AREAS,
    RATING_LABELS,
    RATING_ORDER,
    CaseAudit,
    Recommendation,
    SeriousIncident,
    ThemedAudit,
)

T = ThemedAudit.Theme
THEME_EVENTS = {
    T.PSR: "a pre-sentence report submitted",
    T.OOCD: "an out-of-court disposal",
    T.BREACH: "breach proceedings",
    T.REMAND: "a remand",
}
OOCD_CODES = [o.code for o in codes.OUTCOMES if o.oocd]
GOOD_OR_BETTER = {"OUTSTANDING", "GOOD"}


def eligible_children(service, theme: str, start: datetime.date, end: datetime.date) -> list[int]:
    """Ids of the service's children (not erased) whose live records show the theme's event in
    the period, both dates included: PSR submitted, OOCD outcome given (not a variation),
    breach proceedings begun, remand started."""
    if theme == T.PSR:
        qs = PreSentenceReport.objects.filter(submitted_on__range=(start, end))
    elif theme == T.OOCD:
        qs = Outcome.objects.filter(
            code__in=OOCD_CODES, outcome_date__range=(start, end), is_variation=False
        )
    elif theme == T.BREACH:
        qs = Breach.objects.filter(breach_date__range=(start, end))
    elif theme == T.REMAND:
        qs = Remand.objects.filter(start_date__range=(start, end))
    else:
        raise ValueError(f"No theme {theme!r}")
    ids = qs.filter(child__service=service, child__erased_at__isnull=True).values_list(
        "child_id", flat=True
    )
    return sorted(set(ids))


# --------------------------------------------------------------------------- rating summary


@dataclass(frozen=True)
class AreaSummary:
    key: str
    label: str
    counts: dict[str, int]  # rating code -> number of audits
    total: int

    @property
    def good_or_better(self) -> int:
        return sum(self.counts[r] for r in GOOD_OR_BETTER)

    @property
    def n_of_n(self) -> str:
        return f"{self.good_or_better} of {self.total}"

    @property
    def percent(self) -> str:
        return f"{round(100 * self.good_or_better / self.total)}%" if self.total else "–"


def audits_in(service, start: datetime.date, end: datetime.date) -> QuerySet:
    return CaseAudit.objects.filter(service=service, audited_on__range=(start, end))


def rating_summary(audits) -> list[AreaSummary]:
    """For each area: how many audits were rated at each level, and how many good or better."""
    audits = list(audits)
    out = []
    for key, label in AUDIT_AREAS:
        counts = Counter(getattr(a, key) for a in audits)
        out.append(
            AreaSummary(key, label, {r: counts.get(r, 0) for r in RATING_ORDER}, len(audits))
        )
    return out


def summary_table(summary: list[AreaSummary]) -> tuple[list[str], list[list[str]]]:
    headers = ["Area", *[RATING_LABELS[r] for r in RATING_ORDER], "Good or better"]
    rows = [
        [s.label, *[str(s.counts[r]) for r in RATING_ORDER], f"{s.n_of_n} ({s.percent})"]
        for s in summary
    ]
    return headers, rows


def recommendation_progress(service) -> list[dict]:
    """One row per inspection: its recommendations by status."""
    rows: dict[tuple, dict] = {}
    for r in Recommendation.objects.filter(service=service).order_by("-inspection_date", "number"):
        row = rows.setdefault(
            (r.inspection, r.inspection_date),
            {"inspection": r.inspection, "date": r.inspection_date, "total": 0}
            | {s: 0 for s in Recommendation.Status.values},
        )
        row["total"] += 1
        row[r.status] += 1
    return list(rows.values())


def quality_actions(service) -> QuerySet:
    """The action plan's rows that came from quality assurance, for this service."""
    return (
        Action.objects.filter(plan__service=service, quality_source__isnull=False)
        .select_related(
            "plan",
            "quality_source__case_audit",
            "quality_source__sub_standard",
            "quality_source__recommendation",
        )
        .order_by("due_date", "ref")
    )


def open_actions(service) -> list[Action]:
    return list(quality_actions(service).exclude(rag="COMPLETED"))


def incidents_for(service) -> list[SeriousIncident]:
    from .services import is_late

    now = timezone.now()
    rows = list(SeriousIncident.objects.filter(service=service).select_related("child"))
    for i in rows:
        i.late = is_late(i, now)
        i.hours_to_notify = (
            round((i.notified_at - i.known_at).total_seconds() / 3600, 1) if i.notified_at else None
        )
    return rows


def dashboard(service, start: datetime.date, end: datetime.date) -> dict:
    """The manager's QA page: audits by rating in the period, open actions, recommendations
    outstanding, serious incidents (open, late notifications) and themed audits."""
    audits = list(audits_in(service, start, end).select_related("child", "auditor", "themed_audit"))
    summary = rating_summary(audits)
    headers, rows = summary_table(summary)
    incidents = incidents_for(service)
    recs = Recommendation.objects.filter(service=service)
    return {
        "audits": audits,
        "summary": summary,
        "summary_headers": headers,
        "summary_rows": rows,
        "open_actions": open_actions(service),
        "recommendations_outstanding": list(recs.exclude(status=Recommendation.Status.COMPLETED)),
        "recommendation_progress": recommendation_progress(service),
        "incidents": incidents,
        "incidents_open": [i for i in incidents if i.status != SeriousIncident.Status.CLOSED],
        "incidents_late": [i for i in incidents if i.late],
        "themed_audits": list(ThemedAudit.objects.filter(service=service)[:10]),
    }


def children_named(dash: dict) -> list[Child]:
    """Every child the dashboard names (for the audit of the read)."""
    return [a.child for a in dash["audits"]] + [i.child for i in dash["incidents"]]


def child_section(child: Child, user, today: datetime.date) -> dict | None:
    """The child record's "Quality assurance" section: managers only (rules.py)."""
    if not user.has_perm("quality.audit"):
        return None
    return {
        "audits": list(CaseAudit.objects.filter(child=child)),
        "incidents": user.has_perm("quality.view_incidents"),
    }
