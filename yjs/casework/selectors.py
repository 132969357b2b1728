"""Queries over casework: caseloads, search, the child's timeline and the alerts that matter."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from yjs import periods
from yjs.permissions import visible_children

from .models import (
    Assessment,
    Child,
    Intervention,
    TransitionDecision,
)
from .records import record_url

PANEL_WORKING_DAYS = 20
TRANSITION_AGE_MONTHS = 17 * 12 + 6


def children_for(user) -> QuerySet[Child]:
    return visible_children(user, Child.objects.select_related("team", "allocated_worker"))


def open_interventions() -> Prefetch:
    return Prefetch(
        "interventions",
        queryset=Intervention.objects.filter(end_date__isnull=True),
        to_attr="open_interventions",
    )


def caseload(
    user,
    *,
    mine: bool = False,
    team_id=None,
    worker_id=None,
    kind: str = "",
    include_closed: bool = False,
) -> QuerySet[Child]:
    qs = children_for(user)
    if mine:
        qs = qs.filter(allocated_worker=user)
    if team_id:
        qs = qs.filter(team_id=team_id)
    if worker_id:
        qs = qs.filter(allocated_worker_id=worker_id)
    if kind:
        qs = qs.filter(interventions__kind=kind, interventions__end_date__isnull=True)
    if not include_closed:
        qs = qs.filter(closed_on__isnull=True)
    return qs.distinct().prefetch_related(open_interventions())


# A search costs the same however much is typed: the words are capped and so are the results.
SEARCH_MAX_CHARACTERS = 100
SEARCH_MAX_TERMS = 5
SEARCH_MAX_RESULTS = 50


@dataclass
class SearchResults:
    """The children found (at most SEARCH_MAX_RESULTS), iterable like a list of children."""

    terms: list[str]
    children: list[Child]
    shortened: bool = False  # words beyond the caps were ignored
    more: bool = False  # more children matched than are shown

    @property
    def query(self) -> str:
        return " ".join(self.terms)

    def __iter__(self):
        return iter(self.children)

    def __len__(self) -> int:
        return len(self.children)


def search_terms(query: str) -> tuple[list[str], bool]:
    """The distinct words searched for, within the caps, and whether any were left out."""
    words = query.split()
    kept = query[:SEARCH_MAX_CHARACTERS].split()
    if len(query) > SEARCH_MAX_CHARACTERS and not query[SEARCH_MAX_CHARACTERS].isspace():
        kept = kept[:-1] or kept  # do not search for half a word, unless it is the only one
    terms = list(dict.fromkeys(kept))[:SEARCH_MAX_TERMS]
    return terms, terms != list(dict.fromkeys(words))


def search(user, query: str) -> SearchResults:
    """Children the user may see whose name or reference matches every word searched for."""
    terms, shortened = search_terms(query)
    if not terms:
        return SearchResults(terms, [], shortened)
    qs = children_for(user)
    for word in terms:
        qs = qs.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(reference__iexact=word)
        )
    found = list(qs.prefetch_related(open_interventions())[: SEARCH_MAX_RESULTS + 1])
    return SearchResults(
        terms, found[:SEARCH_MAX_RESULTS], shortened, more=len(found) > SEARCH_MAX_RESULTS
    )


# Timeline ---------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    date: datetime.date
    title: str
    kind: str
    byline: str = ""
    lines: tuple[str, ...] = ()
    tag: str = ""
    url: str = ""  # the record's page: its values, its history, change and void


TIMELINE_VIEWS = {
    "key": (
        "Key events",
        {
            "referral",
            "offence",
            "outcome",
            "intervention",
            "panel",
            "remand",
            "custody",
            "transition",
            "closure",
            "assessment",
            "care",
            "plan",
        },
    ),
    "contacts": ("Contacts", {"contact"}),
    "oversight": ("Management oversight", {"oversight"}),
    "all": ("Everything", None),
}


def timeline(child: Child, view: str = "all") -> list[TimelineEntry]:
    """Events of the child's journey, newest first (MoJ timeline pattern), for one view."""
    kinds = TIMELINE_VIEWS.get(view, TIMELINE_VIEWS["all"])[1]
    return [e for e in _timeline(child) if kinds is None or e.kind in kinds]


def _timeline(child: Child) -> list[TimelineEntry]:
    """Live records only: the default managers leave voided ones out."""
    e: list[TimelineEntry] = []
    for r in child.referrals.all():
        e.append(
            TimelineEntry(
                r.received_on,
                f"Referral from {r.get_source_display().lower()}",
                "referral",
                url=record_url(child, r),
                lines=(
                    f"Pathway: {r.get_pathway_display()}",
                    r.reason,
                    f"Decision: {r.get_decision_display() or 'pending'}",
                ),
            )
        )
    for o in child.offences.all():
        gravity = f"gravity {o.gravity_score}" if o.gravity_score else "gravity not recorded"
        e.append(
            TimelineEntry(
                o.offence_date,
                f"Offence: {o.description}",
                "offence",
                url=record_url(child, o),
                lines=(f"{o.get_category_display()}, {gravity}",),
                tag="Serious violence" if o.serious_violence else "",
            )
        )
    for out in child.outcomes.prefetch_related("offences"):
        lines = [
            f"Tier: {out.tier}",
            "Substantive outcome" if out.substantive else "Not a substantive outcome",
        ]
        if out.court:
            lines.append(f"Court: {out.court}")
        if out.yro_requirements:
            lines.append(f"Requirements: {out.yro_requirements}")
        if out.appeal_status != "NONE":
            lines.append(out.get_appeal_status_display())
        lines.append("For: " + "; ".join(o.description for o in out.offences.all()))
        e.append(
            TimelineEntry(
                out.outcome_date,
                out.get_code_display(),
                "outcome",
                url=record_url(child, out),
                lines=tuple(lines),
                tag=out.tier,
            )
        )
    for i in child.interventions.select_related("worker", "team").prefetch_related("panels"):
        e.append(
            TimelineEntry(
                i.start_date,
                f"{i.get_kind_display()} started",
                "intervention",
                url=record_url(child, i),
                byline=str(i.worker or ""),
                lines=(f"Team: {i.team}",)
                + ((f"Planned end: {i.planned_end_date:%-d %B %Y}",) if i.planned_end_date else ()),
            )
        )
        if i.end_date:
            result = {True: "completed successfully", False: "not completed successfully"}.get(
                i.completed_successfully, ""
            )
            e.append(
                TimelineEntry(
                    i.end_date,
                    f"{i.get_kind_display()} ended",
                    "intervention",
                    url=record_url(child, i),
                    lines=(i.get_end_reason_display() + (f", {result}" if result else ""),),
                )
            )
        for p in i.panels.all():
            e.append(
                TimelineEntry(
                    p.panel_date, p.get_panel_type_display(), "panel", url=record_url(child, p)
                )
            )
    for a in child.assessments.select_related("assessor"):
        e.append(
            TimelineEntry(
                a.completed_on,
                f"{a.get_kind_display()} assessment",
                "assessment",
                url=record_url(child, a),
                byline=str(a.assessor or ""),
                lines=(
                    f"Likelihood of reoffending: {a.get_likelihood_of_reoffending_display()}",
                    f"Risk of serious harm: {a.get_risk_of_serious_harm_display()}",
                    f"Safety and wellbeing: {a.get_safety_and_wellbeing_display()}",
                    a.needs,
                ),
            )
        )
    for p in child.plans.all():
        e.append(
            TimelineEntry(
                p.agreed_on,
                "Plan agreed with the child",
                "plan",
                lines=(p.goals, p.we_will),
                url=record_url(child, p),
            )
        )
    for c in child.contacts.select_related("worker"):
        e.append(
            TimelineEntry(
                c.contact_date,
                c.get_contact_type_display(),
                "contact",
                url=record_url(child, c),
                byline=str(c.worker or ""),
                lines=(
                    c.get_mode_display() + (", attended" if c.attended else ", did not attend"),
                    c.notes,
                ),
                tag="" if c.attended else "Missed",
            )
        )
    for m in child.oversight.select_related("manager"):
        e.append(
            TimelineEntry(
                m.recorded_on,
                "Management oversight",
                "oversight",
                url=record_url(child, m),
                byline=str(m.manager or ""),
                lines=(m.summary, m.actions),
            )
        )
    for r in child.remands.all():
        nights = f", {r.nights} nights" if r.nights is not None else ", ongoing"
        e.append(
            TimelineEntry(
                r.start_date,
                r.get_decision_display(),
                "remand",
                url=record_url(child, r),
                lines=(f"From {r.start_date:%-d %B %Y}{nights}", r.circumstances),
                tag="Secure remand" if r.secure else "",
            )
        )
    for ce in child.custody_episodes.all():
        e.append(
            TimelineEntry(
                ce.start_date,
                f"Custody: {ce.get_establishment_display()}",
                "custody",
                url=record_url(child, ce),
                lines=(
                    f"Released {ce.release_date:%-d %B %Y}" if ce.release_date else "In custody",
                ),
            )
        )
    for s in child.care_statuses.all():
        e.append(
            TimelineEntry(s.start_date, s.get_status_display(), "care", url=record_url(child, s))
        )
    for t in child.transitions.all():
        e.append(
            TimelineEntry(
                t.decided_on,
                "Transition decision",
                "transition",
                url=record_url(child, t),
                lines=(t.get_decision_display(), t.notes),
            )
        )
    if child.closed_on:
        e.append(
            TimelineEntry(
                child.closed_on,
                "Case closed",
                "closure",
                lines=(child.get_closure_reason_display(),),
            )
        )
    for entry in e:
        entry.lines = tuple(line for line in entry.lines if line)
    return sorted(e, key=lambda x: x.date, reverse=True)


# Alerts -----------------------------------------------------------------------------------


@dataclass
class Alert:
    child: Child
    kind: str
    message: str
    due: datetime.date


def alerts(children, on: datetime.date) -> list[Alert]:
    """The alerts that matter, for the children given (already filtered by permission)."""
    children = list(
        children.filter(closed_on__isnull=True)
        .annotate(has_transition=Exists(TransitionDecision.objects.filter(child=OuterRef("pk"))))
        .prefetch_related(
            Prefetch("assessments", queryset=Assessment.objects.order_by("-completed_on")),
            Prefetch(
                "interventions",
                queryset=Intervention.objects.filter(end_date__isnull=True).prefetch_related(
                    "panels", "outcome"
                ),
                to_attr="open_interventions",
            ),
        )
    )
    found: list[Alert] = []
    for child in children:
        found.extend(child_alerts(child, on))
    return sorted(found, key=lambda a: a.due)


def child_alerts(child: Child, on: datetime.date) -> list[Alert]:
    found: list[Alert] = []
    opens = getattr(child, "open_interventions", None)
    if opens is None:
        opens = list(
            child.interventions.filter(end_date__isnull=True).prefetch_related("panels", "outcome")
        )
    latest = next(iter(child.assessments.all()), None)
    if opens and latest and latest.review_due < on:
        found.append(
            Alert(
                child,
                "assessment",
                f"Assessment review overdue since {latest.review_due:%-d %B %Y}",
                latest.review_due,
            )
        )
    for i in opens:
        if i.planned_end_date and i.planned_end_date < on:
            found.append(
                Alert(
                    child,
                    "intervention",
                    f"{i.get_kind_display()} open past its "
                    f"planned end ({i.planned_end_date:%-d %B %Y})",
                    i.planned_end_date,
                )
            )
        if i.kind == Intervention.Kind.REFERRAL_ORDER:
            order_date = i.outcome.outcome_date if i.outcome else i.start_date
            deadline = periods.add_working_days(order_date, PANEL_WORKING_DAYS)
            initial = [p for p in i.panels.all() if p.panel_type == "INITIAL"]
            held = initial[0].panel_date if initial else None
            if (held and held > deadline) or (not held and on > deadline):
                found.append(
                    Alert(
                        child,
                        "panel",
                        "Initial referral order panel beyond 20 working "
                        f"days (due by {deadline:%-d %B %Y})",
                        deadline,
                    )
                )
    turns = periods.add_months(child.date_of_birth, TRANSITION_AGE_MONTHS)
    has_transition = getattr(child, "has_transition", None)
    if has_transition is None:
        has_transition = child.transitions.exists()
    if opens and turns <= on and not has_transition:
        found.append(
            Alert(
                child,
                "transition",
                f"Reached 17½ on {turns:%-d %B %Y} with no transition decision",
                turns,
            )
        )
    return found


def panel_deadline(order_date: datetime.date) -> datetime.date:
    return periods.add_working_days(order_date, PANEL_WORKING_DAYS)
