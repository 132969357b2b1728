"""Queries over casework: caseloads, search, the child's timeline and the alerts that matter."""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from yjs import periods
from yjs.compiled import CompiledQuery, OneParentRead, fill_prefetch_cache
from yjs.organisation.models import Role, User
from yjs.permissions import OutputScope, output_scope

from . import extensions
from .models import (
    Allocation,
    Assessment,
    CareStatus,
    CaseClosure,
    CaseRecord,
    Child,
    Contact,
    CustodyEpisode,
    ExploitationConcern,
    Intervention,
    ManagementOversight,
    Outcome,
    Referral,
    ReferralOrderPanel,
    Remand,
    Transfer,
    TransitionDecision,
    normalise_pnc,
)

PANEL_WORKING_DAYS = 20
TRANSITION_AGE_MONTHS = 17 * 12 + 6


def live_children() -> QuerySet[Child]:
    """Children with a record of their own: a duplicate merged into another record is not."""
    return Child.objects.filter(merged_into__isnull=True)


def record_url(child, record) -> str:
    """The record's page (`records.record_url`), imported late: records -> forms -> services
    -> selectors would otherwise go round in a circle."""
    from .records import record_url as url

    return url(child, record)


def children_for(user) -> QuerySet[Child]:
    return _children_in(output_scope(user))


def _children_in(scope: OutputScope) -> QuerySet[Child]:
    return scope.children(live_children().select_related("team", "allocated_worker"))


def open_interventions() -> Prefetch:
    return Prefetch(
        "interventions",
        queryset=Intervention.objects.filter(end_date__isnull=True),
        to_attr="open_interventions",
    )


# Interventions that carry a court order the child is serving (the "open order" of a caseload).
ORDER_KINDS = (
    Intervention.Kind.REFERRAL_ORDER,
    Intervention.Kind.YRO,
    Intervention.Kind.CUSTODY,
    Intervention.Kind.LICENCE,
)


def home_team_id(user):
    """The team a user's team views default to: a team manager's own team; for the head of
    service and administrators None (the whole service); a practitioner's reach is their team
    already."""
    return user.team_id if user.role in (Role.TEAM_MANAGER, Role.PRACTITIONER) else None


def caseload(
    user,
    *,
    mine: bool = False,
    team_id=None,
    worker_id=None,
    kind: str = "",
    include_closed: bool = False,
) -> QuerySet[Child]:
    """The children of a caseload, each with what its table shows, in a fixed number of queries:
    `last_contact`, the latest assessment's `rosh`, `likelihood` and `review_due`, whether a
    transition decision exists, and the open interventions with their panels."""
    scope = output_scope(user)
    values = _caseload_values(user, scope, mine, team_id, worker_id)
    return _caseload_query(scope, values, kind, include_closed).prefetch_related(
        open_interventions_with_panels()
    )


def caseload_rows(
    user, on: datetime.date, *, mine: bool = False, team_id=None, worker_id=None, kind: str = ""
) -> list[Child]:
    """The caseload page's rows: `caseload`'s children (its query compiled once per process for
    each set of filters), read with `with_open_interventions`, with their due dates."""
    scope = output_scope(user)
    values = _caseload_values(user, scope, mine, team_id, worker_id)
    if kind or scope.empty or not scope.named:  # a kind (text), or no children: built each time
        children = _caseload_query(scope, values, kind, include_closed=False)
    else:
        names = tuple(name for name, value in values.items() if value is not None)
        compiled = _CASELOAD_QUERIES.get(names)
        if compiled is None:
            compiled = _CASELOAD_QUERIES[names] = CompiledQuery(
                lambda *ids: _caseload_query(scope, dict(zip(names, ids, strict=True)), "", False),
                *(int for _ in names),
            )
        children = compiled(*(values[name] for name in names))
    return with_due_dates(with_open_interventions(list(children)), on)


# Building and compiling the caseload's query (five subqueries) costs more CPU than PostgreSQL
# takes to answer it: the page's is compiled once per process for each set of filters it has.
_CASELOAD_QUERIES: dict[tuple, CompiledQuery] = {}


def _caseload_values(user, scope: OutputScope, mine, team_id, worker_id) -> dict:
    """What the caseload's query is built from: ids, None where there is no such filter."""
    return {
        "service_id": scope.service_id,
        "scope_team_id": scope.team_id,
        "mine": user.pk if mine else None,
        "team_id": team_id or None,
        "worker_id": worker_id or None,
    }


def _caseload_query(scope: OutputScope, values: dict, kind: str, include_closed: bool):
    """The caseload's query from the values of its filters (None: not filtered on)."""
    scope = dataclasses.replace(
        scope, service_id=values["service_id"], team_id=values.get("scope_team_id")
    )
    qs = _children_in(scope)
    if values.get("mine"):
        qs = qs.filter(allocated_worker_id=values["mine"])
    if values.get("team_id"):
        qs = qs.filter(team_id=values["team_id"])
    if values.get("worker_id"):
        qs = qs.filter(allocated_worker_id=values["worker_id"])
    if kind:
        qs = qs.filter(interventions__kind=kind, interventions__end_date__isnull=True)
    if not include_closed:
        qs = qs.filter(closed_on__isnull=True)
    latest = Assessment.objects.filter(child=OuterRef("pk")).order_by("-completed_on", "-id")
    return qs.distinct().annotate(
        last_contact=Subquery(
            Contact.objects.filter(child=OuterRef("pk"))
            .order_by("-contact_date")
            .values("contact_date")[:1]
        ),
        rosh=Subquery(latest.values("risk_of_serious_harm")[:1]),
        likelihood=Subquery(latest.values("likelihood_of_reoffending")[:1]),
        review_due=Subquery(latest.values("review_due")[:1]),
        has_transition=Exists(TransitionDecision.objects.filter(child=OuterRef("pk"))),
    )


@dataclass
class Due:
    """The next thing due on a child's case."""

    date: datetime.date
    what: str

    def overdue(self, on: datetime.date) -> bool:
        return self.date < on


def due_items(child: Child, on: datetime.date) -> list[Due]:
    """What falls due on a case with open work, read from `caseload`'s annotations: the
    assessment review, each open intervention's planned end, a referral order's initial panel
    (20 working days from the order) while none is held, and the transition decision due at
    17½ while none is recorded."""
    opens = child.open_interventions
    if not opens:
        return []
    due = []
    if child.review_due:
        due.append(Due(child.review_due, "Assessment review"))
    for i in opens:
        if i.planned_end_date:
            due.append(Due(i.planned_end_date, f"Planned end of {i.get_kind_display().lower()}"))
        if i.kind == Intervention.Kind.REFERRAL_ORDER and not any(
            p.panel_type == "INITIAL" for p in i.panels.all()
        ):
            order_date = i.outcome.outcome_date if i.outcome else i.start_date
            due.append(Due(panel_deadline(order_date), "Initial referral order panel"))
    if not child.has_transition:
        turns = periods.add_months(child.date_of_birth, TRANSITION_AGE_MONTHS)
        due.append(Due(turns, "Transition decision (17½)"))
    return sorted(due, key=lambda d: d.date)


def with_due_dates(children, on: datetime.date) -> list[Child]:
    """Children of `caseload` with `next_due` (a Due or None) and `open_orders` set."""
    children = list(children)
    for child in children:
        due = due_items(child, on)
        child.next_due = due[0] if due else None
        child.next_due_overdue = bool(due) and due[0].overdue(on)
        child.open_orders = [i for i in child.open_interventions if i.kind in ORDER_KINDS]
    return children


# Referral queue and worker caseloads (managers) ---------------------------------------------


def manager_children(user) -> QuerySet[Child]:
    """Open children a manager's queue and counts cover: their team (team manager) or the
    service (head of service, administrator)."""
    qs = children_for(user).filter(closed_on__isnull=True)
    team_id = home_team_id(user)
    return qs.filter(team_id=team_id) if team_id else qs


def referral_queue(user) -> list[Child]:
    """Open children without a worker, oldest referral first, each with `referred_on` (their
    latest referral), `days_waiting`, and that referral's `source` and `pathway` labels."""
    latest = Referral.objects.filter(child=OuterRef("pk")).order_by("-received_on", "-id")
    children = list(
        manager_children(user)
        .filter(allocated_worker__isnull=True)
        .annotate(
            referred_on=Subquery(latest.values("received_on")[:1]),
            referral_source=Subquery(latest.values("source")[:1]),
            referral_pathway=Subquery(latest.values("pathway")[:1]),
        )
        .order_by(F("referred_on").asc(nulls_last=True), "last_name", "first_name")
    )
    sources = dict(Referral._meta.get_field("source").choices)
    pathways = dict(Referral._meta.get_field("pathway").choices)
    today = timezone.localdate()
    for child in children:
        child.days_waiting = (today - child.referred_on).days if child.referred_on else None
        child.referral_source_label = sources.get(child.referral_source, "Not recorded")
        child.referral_pathway_label = pathways.get(child.referral_pathway, "Not recorded")
    return children


def worker_caseloads(user) -> tuple[list[User], int]:
    """Each case worker of the manager's team (or service) with `open_cases` and `open_orders`
    (open court orders of their open cases), and the number of open children with no worker."""
    children = manager_children(user)
    team_id = home_team_id(user)
    workers = User.objects.filter(
        service_id=user.service_id,
        role__in=[Role.PRACTITIONER, Role.TEAM_MANAGER],
        is_active=True,
    ).select_related("team")
    if team_id:
        workers = workers.filter(team_id=team_id)
    mine = Q(caseload__in=children)
    workers = workers.annotate(
        open_cases=Count("caseload", filter=mine, distinct=True),
        open_orders=Count(
            "caseload__interventions",
            filter=mine
            & Q(
                caseload__interventions__end_date__isnull=True,
                caseload__interventions__kind__in=ORDER_KINDS,
            ),
            distinct=True,
        ),
    ).order_by("team__name", "first_name", "last_name")
    return list(workers), children.filter(allocated_worker__isnull=True).count()


def alert_counts(user, on: datetime.date) -> tuple[Counter, Counter]:
    """Open alerts of the children a manager's counts cover (`manager_children`), every kind
    (those of the registered sources too), by allocated worker (None: no worker) and by team."""
    found = alerts(manager_children(user), on)
    return (
        Counter(a.child.allocated_worker_id for a in found),
        Counter(a.child.team_id for a in found),
    )


# A search costs the same however much is typed: the words are capped and so are the results.
SEARCH_MAX_CHARACTERS = 100
SEARCH_MAX_TERMS = 5
SEARCH_MAX_RESULTS = 50


@dataclass
class KnownElsewhere:
    """Children of the service outside the user's reach who match: only their team is said."""

    team: str
    count: int


@dataclass
class SearchResults:
    """The children found (at most SEARCH_MAX_RESULTS), iterable like a list of children.

    `out_of_reach` are matching children of the user's service the user may not see: the page
    shows only `known_elsewhere` (their teams), never who they are.
    """

    terms: list[str]
    children: list[Child]
    shortened: bool = False  # words beyond the caps were ignored
    more: bool = False  # more children matched than are shown
    out_of_reach: list[Child] = field(default_factory=list)

    @property
    def query(self) -> str:
        return " ".join(self.terms)

    @property
    def known_elsewhere(self) -> list[KnownElsewhere]:
        teams: dict[str, int] = {}
        for child in self.out_of_reach:
            teams[str(child.team)] = teams.get(str(child.team), 0) + 1
        return [KnownElsewhere(team, n) for team, n in sorted(teams.items())]

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


def _matching(qs: QuerySet[Child], words, dates, *, whole_names: bool) -> QuerySet[Child]:
    for d in dates:
        qs = qs.filter(date_of_birth=d)
    for word in words:
        exact = Q(reference__iexact=word) | Q(pnc_number=normalise_pnc(word))
        if whole_names:
            names = (
                Q(first_name__iexact=word)
                | Q(last_name__iexact=word)
                | Q(preferred_name__iexact=word)
            )
        else:
            names = (
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(preferred_name__icontains=word)
            )
        qs = qs.filter(exact | names)
    return qs


def search(user, query: str) -> SearchResults:
    """Children of the user's service whose name, date of birth, YJS reference or PNC number
    matches everything searched for.

    Children in the user's reach are found by any part of a name. The service's other children
    are found only by a whole name, a date of birth, a reference or a PNC number, and come back
    as `out_of_reach` (their team only), so nobody can list another team's children by typing a
    letter; another service's children are never looked at.
    """
    terms, shortened = search_terms(query)
    dates, rest = periods.split_dates(" ".join(terms))
    words = rest.split()
    if not terms or getattr(user, "service_id", None) is None:
        return SearchResults(terms, [], shortened)
    visible = children_for(user)
    qs = _matching(visible, words, dates, whole_names=False)
    found = list(qs.prefetch_related(open_interventions())[: SEARCH_MAX_RESULTS + 1])
    elsewhere = _matching(
        live_children()
        .filter(service_id=user.service_id, erased_at__isnull=True)
        .exclude(pk__in=visible.values("pk")),
        words,
        dates,
        whole_names=True,
    ).select_related("team")
    return SearchResults(
        terms,
        found[:SEARCH_MAX_RESULTS],
        shortened,
        more=len(found) > SEARCH_MAX_RESULTS,
        out_of_reach=list(elsewhere[:SEARCH_MAX_RESULTS]),
    )


# Merging duplicate records ---------------------------------------------------------------


def record_relations() -> list:
    """Every casework model with a foreign key to the child (new models are included as they
    come), and every journey record of another app (court work, ...): what a merge moves. The
    audit trail stays where it was written."""
    return [
        rel
        for rel in Child._meta.related_objects
        if rel.one_to_many
        and (
            rel.related_model._meta.app_label == Child._meta.app_label
            or issubclass(rel.related_model, CaseRecord)
        )
        and rel.related_model is not Child
    ]


def all_rows(model):
    """Every row of a model, voided or not (a default manager may hide some)."""
    return getattr(model, "all_objects", model._base_manager)


def record_counts(child: Child) -> list[tuple[str, int]]:
    """How many records of each kind the child has, for the merge confirmation page."""
    counts = []
    for rel in record_relations():
        n = all_rows(rel.related_model).filter(**{rel.field.name: child}).count()
        if n:
            name = str(rel.related_model._meta.verbose_name_plural)
            counts.append((name[:1].upper() + name[1:], n))
    return sorted(counts)


# Likely matches of a new referral ---------------------------------------------------------

# How alike two names must be (difflib's ratio of the normalised full names) to be a likely
# match when the date of birth is the same.
NAME_SIMILARITY = 0.8


@dataclass
class LikelyMatch:
    child: Child
    reason: str


def normalised_name(name: str) -> str:
    """A name as compared: no accents, case, spaces, hyphens or apostrophes."""
    plain = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in plain if c.isalpha() and not unicodedata.combining(c)).casefold()


def names_alike(first: str, last: str, child: Child) -> bool:
    """The name given and the child's are alike: similar as a whole (either order, first or
    preferred name), or the same last name with one first name starting the other."""
    first, last = normalised_name(first), normalised_name(last)
    their_last = normalised_name(child.last_name)
    firsts = {normalised_name(n) for n in (child.first_name, child.preferred_name) if n}
    for theirs in firsts:
        if last == their_last and first and (first.startswith(theirs) or theirs.startswith(first)):
            return True
        for given in (first + last, last + first):
            if difflib.SequenceMatcher(None, given, theirs + their_last).ratio() >= NAME_SIMILARITY:
                return True
    return False


def _swapped(d: datetime.date) -> datetime.date | None:
    """The date with day and month swapped (a common slip), if that is a different date."""
    try:
        other = d.replace(day=d.month, month=d.day)
    except ValueError:
        return None
    return other if other != d else None


def likely_matches(
    service, first_name: str, last_name: str, date_of_birth, pnc_number: str | None = None
) -> list[LikelyMatch]:
    """Children of the service who may be the child being referred (or imported): the same
    PNC number, or the same date of birth (or its day and month swapped) and a name alike.

    Says nothing about who may see them: the caller shows each as its user may.
    """
    pnc = normalise_pnc(pnc_number or "")
    dobs = [d for d in (date_of_birth, date_of_birth and _swapped(date_of_birth)) if d]
    candidates = Q(date_of_birth__in=dobs) if dobs else Q(pk__in=[])
    if pnc:
        candidates |= Q(pnc_number=pnc)
    found = []
    for child in (
        live_children()
        .filter(candidates, service=service, erased_at__isnull=True)
        .select_related("team", "allocated_worker")
        .order_by("reference")
    ):
        if pnc and child.pnc_number == pnc:
            found.append(LikelyMatch(child, "Same PNC number"))
        elif names_alike(first_name, last_name, child):
            same_day = child.date_of_birth == date_of_birth
            found.append(
                LikelyMatch(
                    child,
                    "Same date of birth and a similar name"
                    if same_day
                    else "Similar name, date of birth with day and month swapped",
                )
            )
    return found


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
            "allocation",
            "transfer",
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
    entries = _timeline(child, kinds)
    for source in extensions.TIMELINE_SOURCES:
        entries.extend(source(child))
    entries.sort(key=lambda e: e.date, reverse=True)
    return [e for e in entries if kinds is None or e.kind in kinds]


# Records only the timeline reads, by the kind of entry they make: a view that shows none of
# that kind (the key events show no contacts) need not read them.
TIMELINE_ONLY = {
    "referral": "referrals",
    "offence": "offences",
    "outcome": "outcomes",
    "plan": "plans",
    "contact": "contacts",
    "oversight": "oversight",
    "allocation": "allocations",
    "closure": "closures",
}


def _not_shown(kinds) -> set[str]:
    """The related records (accessor names) a timeline showing `kinds` does not read."""
    return set() if kinds is None else {a for k, a in TIMELINE_ONLY.items() if k not in kinds}


def _timeline(child: Child, kinds=None) -> list[TimelineEntry]:
    """Live records only: the default managers leave voided ones out. Each kind is read in
    one query, or not at all if `read_for_record_page` has read it already or the view
    (`kinds`, None for all) shows none of it."""
    skip = _not_shown(kinds)
    _prefetch_for_record_page(child, skip)

    def shown(accessor: str):
        return () if accessor in skip else getattr(child, accessor).all()

    e: list[TimelineEntry] = []
    for r in shown("referrals"):
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
    for o in shown("offences"):
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
    outcomes = list(shown("outcomes"))
    order_dates = {o.pk: o.outcome_date for o in outcomes}
    for out in outcomes:
        lines = [
            f"Tier: {out.tier}",
            "Substantive outcome" if out.substantive else "Not a substantive outcome",
        ]
        if out.varies_id:  # a change to an order, not a new outcome (never counted again)
            varied = order_dates.get(out.varies_id)
            lines = [
                "Extends or varies the order"
                + (f" of {varied:%-d %B %Y}" if varied else "")
                + ": not a new outcome"
            ]
            if out.length_months:
                lines.append(f"Length of the order now: {out.length_months} months")
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
                out.get_code_display() + (" extended or varied" if out.varies_id else ""),
                "outcome",
                url=record_url(child, out),
                lines=tuple(lines),
                tag="Variation" if out.varies_id else out.tier,
            )
        )
    for i in child.interventions.all():
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
            ended = i.get_end_reason_display() + (f", {result}" if result else "")
            if i.end_reason == "COMPLETED" and i.completed_successfully:
                ended = "Completed successfully"  # not "Completed, completed successfully"
            e.append(
                TimelineEntry(
                    i.end_date,
                    f"{i.get_kind_display()} ended",
                    "intervention",
                    url=record_url(child, i),
                    lines=(ended,),
                )
            )
        for p in i.panels.all():
            e.append(
                TimelineEntry(
                    p.panel_date, p.get_panel_type_display(), "panel", url=record_url(child, p)
                )
            )
    for a in child.assessments.all():
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
    for p in shown("plans"):
        e.append(
            TimelineEntry(
                p.agreed_on,
                "Plan agreed with the child",
                "plan",
                lines=(p.goals, p.we_will),
                url=record_url(child, p),
            )
        )
    for c in shown("contacts"):
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
    for m in shown("oversight"):
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
    for a in shown("allocations"):
        e.append(
            TimelineEntry(
                a.allocated_on,
                f"Allocated to {a.worker}, team {a.team}"
                if a.worker
                else f"Waiting for allocation, team {a.team}",
                "allocation",
                byline=str(a.allocated_by or ""),
                lines=(a.reason,),
            )
        )
    for t in child.transfers.all():
        way = "from" if t.direction == Transfer.Direction.IN else "to"
        e.append(
            TimelineEntry(
                t.transfer_date,
                f"Transferred {way} {t.other_service}",
                "transfer",
                lines=(
                    f"Their reference: {t.their_reference}" if t.their_reference else "",
                    t.notes,
                ),
                url=record_url(child, t),
            )
        )
    closures = list(shown("closures"))
    if (
        "closures" not in skip
        and child.closed_on
        and not any(c.reopened_on is None for c in closures)
    ):
        # closed by a load that kept no history (the demo, an import): the child's own fields
        closures.append(
            CaseClosure(child=child, closed_on=child.closed_on, reason=child.closure_reason)
        )
    for closure in closures:
        e.append(
            TimelineEntry(
                closure.closed_on,
                "Case closed",
                "closure",
                byline=str(closure.closed_by or ""),
                lines=(closure.get_reason_display(),),
            )
        )
        if closure.reopened_on:
            e.append(
                TimelineEntry(
                    closure.reopened_on,
                    "Case reopened",
                    "closure",
                    byline=str(closure.reopened_by or ""),
                    lines=(closure.reopen_reason,),
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

    @property
    def tag(self) -> str:
        """The record page's label: casework's own alerts are overdue; other apps' are not all."""
        return ALERT_TAGS.get(self.kind, "Overdue")


# Labels of the alert kinds of other apps' sources (court work, supervising the order).
ALERT_TAGS = {
    "hearing": "Court",
    "report": "Report due",
    "breach": "Breach",
    "warnings": "Warnings",
    "requirement": "Ending soon",
}


# Whose alerts a page shows. A practitioner starts on their own cases, a team manager on their
# team, the head of service on the whole service.
ALERT_SCOPES = {"mine": "My cases", "team": "My team", "service": "The service"}


def alert_scopes(user) -> list[str]:
    if user.role == Role.PRACTITIONER:
        return ["mine", "team"]
    return ["mine", "team", "service"] if user.team_id else ["mine", "service"]


def default_alert_scope(user) -> str:
    if user.role == Role.PRACTITIONER:
        return "mine"
    return "team" if user.role == Role.TEAM_MANAGER and user.team_id else "service"


def scoped_children(user, scope: str, team_id=None) -> QuerySet[Child]:
    """The children in reach for one scope: allocated to the user, of a team (the user's own
    unless another is given), or everyone the user may see."""
    qs = children_for(user)
    if scope == "mine":
        return qs.filter(allocated_worker=user)
    if scope == "team":
        return qs.filter(team_id=team_id or user.team_id)
    return qs


def alerts(children, on: datetime.date) -> list[Alert]:
    """The alerts that matter, for the children given (already filtered by permission)."""
    latest = Assessment.objects.filter(child=OuterRef("pk")).order_by("-completed_on", "-id")
    return alerts_of(
        children.filter(closed_on__isnull=True)
        .annotate(
            review_due=Subquery(latest.values("review_due")[:1]),
            has_transition=Exists(TransitionDecision.objects.filter(child=OuterRef("pk"))),
        )
        .prefetch_related(open_interventions_with_panels()),
        on,
    )


# Alerts of the journey's other parts (court work, the order's supervision): each source takes
# the open children of a page and the day, and reads what it needs for all of them at once (one
# query per source, never one per child). Apps register theirs in their AppConfig.ready().
AlertSource = Callable[[list[Child], datetime.date], list[Alert]]
ALERT_SOURCES: list[AlertSource] = []


def register_alert_source(source: AlertSource) -> AlertSource:
    if source not in ALERT_SOURCES:
        ALERT_SOURCES.append(source)
    return source


def _sourced_alerts(children: list[Child], on: datetime.date) -> list[Alert]:
    if not children:
        return []
    return [alert for source in ALERT_SOURCES for alert in source(children, on)]


def alerts_of(children, on: datetime.date) -> list[Alert]:
    """The alerts of children already read with `review_due`, `has_transition` and
    `open_interventions` (`caseload`'s rows are), so a page that lists them needs no second
    pass over the database for these; each registered source adds one query."""
    found: list[Alert] = []
    open_children = [child for child in children if child.closed_on is None]
    for child in open_children:
        found.extend(child_alerts(child, on, sourced=False))
    found.extend(_sourced_alerts(open_children, on))
    return sorted(found, key=lambda a: a.due)


def open_interventions_with_panels() -> Prefetch:
    return Prefetch(
        "interventions",
        queryset=Intervention.objects.filter(end_date__isnull=True)
        .select_related("outcome")
        .prefetch_related("panels"),
        to_attr="open_interventions",
    )


# What that prefetch reads, as it reads it (the same SQL: `<fk> IN` the ids in the same order),
# compiled once per process for each number of ids.
_OPEN_INTERVENTIONS = CompiledQuery(
    lambda child_ids: (
        Intervention.objects.filter(end_date__isnull=True)
        .select_related("outcome")
        .filter(child__in=child_ids)
    ),
    list,
)
_PANELS = CompiledQuery(
    lambda intervention_ids: ReferralOrderPanel.objects.filter(intervention__in=intervention_ids),
    list,
)

_PANELS_OF = CompiledQuery(
    lambda intervention_id: ReferralOrderPanel.objects.filter(intervention=intervention_id), int
)


def with_open_interventions(children: list[Child]) -> list[Child]:
    """`children` each with `open_interventions` (their outcome joined, their `panels` read), as
    `prefetch_related(open_interventions_with_panels())` leaves them, in the same two queries,
    without Django's bookkeeping for each object prefetched (a caseload's 70 children, their
    interventions and panels)."""
    by_id = {}
    for child in children:
        child.open_interventions = []
        by_id[child.pk] = child
    interventions = list(_OPEN_INTERVENTIONS(list(by_id)))
    to_child = Intervention._meta.get_field("child")
    panels: dict[int, list] = {}
    for i in interventions:
        child = by_id[i.child_id]
        to_child.set_cached_value(i, child)  # i.child, as the prefetch sets it
        child.open_interventions.append(i)
        panels[i.pk] = []
    if interventions:
        to_intervention = ReferralOrderPanel._meta.get_field("intervention")
        by_intervention = {i.pk: i for i in interventions}
        for panel in _PANELS(list(panels)):
            to_intervention.set_cached_value(panel, by_intervention[panel.intervention_id])
            panels[panel.intervention_id].append(panel)
    for i in interventions:
        # `i.panels.all()` is a queryset of them, already read: one made from SQL compiled
        # once (`_PANELS_OF`), rather than the relation's filter built for each intervention.
        qs = _PANELS_OF(i.pk)
        qs._result_cache, qs._prefetch_done = panels[i.pk], True
        i._prefetched_objects_cache = {"panels": qs}
    return children


def child_alerts(child: Child, on: datetime.date, *, sourced: bool = True) -> list[Alert]:
    """One child's alerts; with `sourced`, those of the registered sources too."""
    found: list[Alert] = _sourced_alerts([child], on) if sourced and not child.closed_on else []
    opens = getattr(child, "open_interventions", None)
    if opens is None:
        opens = list(
            child.interventions.filter(end_date__isnull=True).prefetch_related("panels", "outcome")
        )
    if hasattr(child, "review_due"):  # the latest assessment's, annotated by the query
        review_due = child.review_due
    else:
        latest = latest_assessment(child)
        review_due = latest.review_due if latest else None
    if opens and review_due and review_due < on:
        found.append(
            Alert(
                child,
                "assessment",
                f"Assessment review overdue since {review_due:%-d %B %Y}",
                review_due,
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


# The child's record: risks and warnings, and where the child lives and learns ---------------


@dataclass
class Warnings:
    """What the top of a child's record must show before anything else."""

    assessment: Assessment | None
    exploitation: list[ExploitationConcern]
    care: list[CareStatus]
    secure_remands: list[Remand]
    custody: list[CustodyEpisode]
    alerts: list[Alert]

    def __bool__(self):
        return bool(
            self.assessment
            or self.exploitation
            or self.care
            or self.secure_remands
            or self.custody
            or self.alerts
        )


def child_warnings(child: Child, on: datetime.date, alerts: list[Alert]) -> Warnings:
    """The latest assessment's risk levels, current exploitation concerns, care status, an
    open secure remand or custody, and the overdue alerts (from `child_alerts`)."""
    return Warnings(
        assessment=latest_assessment(child),
        exploitation=[
            e
            for e in child.exploitation_concerns.all()
            if e.identified_on <= on and (e.ended_on is None or e.ended_on >= on)
        ],
        care=_open_on(child.care_statuses.all(), on),
        secure_remands=[r for r in _open_on(child.remands.all(), on) if r.secure],
        custody=[
            c
            for c in child.custody_episodes.all()
            if c.start_date <= on and (c.release_date is None or c.release_date > on)
        ],
        alerts=alerts,
    )


def latest_assessment(child: Child) -> Assessment | None:
    """The most recently completed assessment (the later one entered, on the same day)."""
    return max(child.assessments.all(), key=lambda a: (a.completed_on, a.pk), default=None)


# What the child's record page reads (warnings, alerts, timeline, summary): each kind fetched
# once, in one query, by `read_for_record_page`; the timeline reuses what was fetched.
def record_page_prefetch() -> tuple:
    return (
        Prefetch("assessments", queryset=Assessment.objects.select_related("assessor")),
        "care_statuses",
        "send_records",
        "exploitation_concerns",
        "remands",
        "custody_episodes",
        "transitions",
        "transfers",
        "ethnicity_history",
        "accommodation",
        "ete",
        "referrals",
        "offences",
        "plans",
        Prefetch("outcomes", queryset=Outcome.objects.prefetch_related("offences")),
        # every intervention, open or closed, with what the timeline and the alerts show
        Prefetch(
            "interventions",
            queryset=Intervention.objects.select_related(
                "worker", "team", "outcome"
            ).prefetch_related("panels"),
        ),
        Prefetch("contacts", queryset=Contact.objects.select_related("worker")),
        Prefetch("oversight", queryset=ManagementOversight.objects.select_related("manager")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("team", "worker", "allocated_by"),
        ),
        Prefetch(
            "closures", queryset=CaseClosure.objects.select_related("closed_by", "reopened_by")
        ),
    )


def _accessor(lookup) -> str:
    return lookup.prefetch_through if isinstance(lookup, Prefetch) else lookup


_THE_CHILD = -1  # stands for the child's id in the query compiled once


@functools.cache
def _kinds_present_query() -> tuple[str, tuple]:
    """One row of booleans for a child: which kinds of the record page (its sections' too)
    it has any of.

    Compiled once per process, like `records.voided_records`' query: Django takes longer to
    build 20 EXISTS than the database takes to answer them.
    """
    exists = []
    for lookup in (*record_page_prefetch(), *extensions.section_kinds()):
        relation = Child._meta.get_field(_accessor(lookup))
        live = relation.related_model._default_manager  # what the reverse relation reads
        exists.append(Exists(live.filter(**{relation.field.name: OuterRef("pk")})))
    query = Child.objects.filter(pk=_THE_CHILD).values_list(*exists)
    return query.query.sql_with_params()


@functools.cache
def _record_page_accessors() -> tuple[str, ...]:
    return tuple(_accessor(x) for x in record_page_prefetch())


def _prefetch_for_record_page(child: Child, skip: set[str]) -> None:
    """Prefetch the record page's kinds not read yet (but those in `skip`); the lookups (and
    their querysets) are built only if one is left."""
    cache = getattr(child, "_prefetched_objects_cache", {})
    left = {a for a in _record_page_accessors() if a not in skip and a not in cache}
    if left:
        prefetch_related_objects(
            [child], *(x for x in record_page_prefetch() if _accessor(x) in left)
        )


@functools.cache
def _record_page_reads() -> dict[str, OneParentRead]:
    """The record page's reads of one child, each compiled once per process (`yjs.compiled`):
    building a dozen queries' SQL took longer than PostgreSQL took to answer them."""
    reads = {}
    for lookup in record_page_prefetch():
        try:
            reads[_accessor(lookup)] = OneParentRead(Child, lookup)
        except (TypeError, ValueError):  # not a plain reverse foreign key: prefetched as usual
            continue
    return reads


def _read_as_empty(child: Child, accessor: str) -> None:
    """Record that the child has none of a kind, as a prefetch that found nothing would."""
    fill_prefetch_cache(child, accessor, [])


def read_for_record_page(child: Child, view: str = "all") -> Child:
    """Fetch, in one query each, everything the child's page reads, some of it in several
    places; `open_interventions` (as `caseload` sets it) is taken from the interventions.

    One query first asks which kinds the child has any of (most children have no remand,
    custody, care status, transfer...), and only those are read; records only the timeline
    shows are read only if the timeline's `view` shows them. The kinds other apps' sections
    read (`extensions.ChildSection.kinds`) that the child has none of are left read as empty.
    """
    skip = _not_shown(TIMELINE_VIEWS.get(view, TIMELINE_VIEWS["all"])[1])
    sql, params = _kinds_present_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, [child.pk if p == _THE_CHILD else p for p in params])
        present = cursor.fetchone() or ()
    accessors = _record_page_accessors()
    reads = _record_page_reads()
    sections = dict(zip(extensions.section_kinds(), present[len(accessors) :], strict=True))
    child._section_kinds_present = sections  # `section_kinds_present`
    for accessor, has_any in sections.items():
        if not has_any:
            _read_as_empty(child, accessor)  # the section reading it finds it read
    for accessor, has_any in zip(accessors, present[: len(accessors)], strict=True):
        if not has_any:
            _read_as_empty(child, accessor)
        elif accessor not in skip and accessor in reads:
            reads[accessor].read(child)  # the prefetch's own SQL, compiled once
    _prefetch_for_record_page(child, skip)  # any other kind, as a prefetch
    child.open_interventions = [i for i in child.interventions.all() if i.end_date is None]
    return child


def section_kinds_present(child: Child) -> dict[str, bool] | None:
    """Which of the sections' kinds (`extensions.ChildSection.kinds`) the child has any of, as
    the record page's one query found; None when no record page read the child."""
    return getattr(child, "_section_kinds_present", None)


def _open_on(records, on: datetime.date) -> list:
    return [r for r in records if r.start_date <= on and (r.end_date is None or r.end_date >= on)]


def current_situation(child: Child, on: datetime.date) -> dict:
    """The accommodation and education, training or employment records open on a day."""
    return {
        "accommodation": _open_on(child.accommodation.all(), on),
        "ete": _open_on(child.ete.all(), on),
    }


def allocation_history(child: Child) -> QuerySet[Allocation]:
    return child.allocations.select_related("team", "worker", "allocated_by")
