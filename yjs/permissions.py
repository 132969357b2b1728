"""Who may see and do what: the one permissions module (django-rules).

A practitioner sees the children of their own team; team managers, the head of service and
administrators see every child of their service; performance analysts work on pseudonymised
data only; board members see aggregates and never a child.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.conf import settings
from django.db.models import Q, QuerySet

from yjs.organisation.models import Role

CASEWORK_ROLES = {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN}
MANAGER_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN}
STAFF_MANAGER_ROLES = {Role.HEAD_OF_SERVICE, Role.ADMIN}
PLANNING_ROLES = {Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST, Role.ADMIN, Role.TEAM_MANAGER}
SERVICE_LEAD_ROLES = {Role.HEAD_OF_SERVICE, Role.ADMIN}


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


@rules.predicate
def does_casework(user):
    return _role(user) in CASEWORK_ROLES and user.service_id is not None


@rules.predicate
def is_manager(user):
    return _role(user) in MANAGER_ROLES and user.service_id is not None


@rules.predicate
def is_team_manager(user):
    return _role(user) == Role.TEAM_MANAGER


@rules.predicate
def is_analyst(user):
    return _role(user) == Role.PERFORMANCE_ANALYST


@rules.predicate
def is_board_member(user):
    return _role(user) == Role.BOARD_MEMBER


@rules.predicate
def plans_the_service(user):
    return _role(user) in PLANNING_ROLES and user.service_id is not None


@rules.predicate
def leads_the_service(user):
    return _role(user) in SERVICE_LEAD_ROLES and user.service_id is not None


@rules.predicate
def in_service(user):
    return _role(user) is not None and user.service_id is not None


@rules.predicate
def child_in_reach(user, child):
    """The child belongs to the user's team (practitioner) or service (manager)."""
    if child is None:
        return False
    if _role(user) in MANAGER_ROLES:
        return child.service_id == user.service_id
    if _role(user) == Role.PRACTITIONER:
        return child.team_id is not None and child.team_id == user.team_id
    return False


@rules.predicate
def manages_staff(user):
    return _role(user) in STAFF_MANAGER_ROLES and user.service_id is not None


@rules.predicate
def colleague_in_service(user, staff):
    """Another member of staff of the user's own service (never themselves: they change their
    own password on the change-password page)."""
    if staff is None:
        return False
    return staff.service_id == user.service_id and staff.pk != user.pk


def requires_second_factor(user) -> bool:
    """Managers, heads of service, administrators and superusers sign in with a TOTP code too."""
    if not settings.YJS_REQUIRE_2FA or not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.role in MANAGER_ROLES


rules.add_perm("casework.view_caseload", does_casework)
rules.add_perm("casework.add_child", does_casework)
rules.add_perm("casework.view_child", does_casework & child_in_reach)
rules.add_perm("casework.change_child", does_casework & child_in_reach)
rules.add_perm("casework.add_oversight", is_manager & child_in_reach)
rules.add_perm("casework.view_alerts", does_casework)
rules.add_perm("performance.view_dashboard", in_service)
rules.add_perm("performance.view_named_children", does_casework)
rules.add_perm("performance.view_pseudonymised_children", is_analyst | does_casework)
# The canonical dataset as a file: pseudonymised for managers and analysts; named (full) only
# for the service's lead and administrators (yjs.interop.exports).
rules.add_perm("performance.export_dataset", is_manager | is_analyst)
rules.add_perm("performance.export_named_dataset", leads_the_service)
rules.add_perm("governance.view_plans", in_service)
rules.add_perm("governance.change_plans", plans_the_service)
rules.add_perm("governance.approve_plans", is_manager & ~is_team_manager)
# A Word template is code run on every export: only the service's lead or an admin sets it.
rules.add_perm("governance.change_template", leads_the_service)
# Letter templates are code too (yjs.documents): the same people set them.
rules.add_perm("documents.change_letter_templates", leads_the_service)
rules.add_perm("organisation.manage_staff", manages_staff)
# Anyone of a service may have API tokens: a token has its user's rights, no more.
rules.add_perm("api.use_api", in_service)
# Workforce, volunteers and resources (yjs.workforce): managers keep the records; a practitioner
# sees their own training and supervision; analysts and board members see the figures only.
rules.add_perm("workforce.manage", is_manager)
rules.add_perm("workforce.view_own", does_casework)
rules.add_perm("workforce.view_figures", is_manager | (in_service & (is_analyst | is_board_member)))
rules.add_perm("organisation.reset_credentials", manages_staff & colleague_in_service)


def visible_children(user, queryset: QuerySet) -> QuerySet:
    """Filter a queryset of children down to those the user may see (same rule as above)."""
    return output_scope(user).children(queryset)


# --------------------------------------------------------------------------- what may leave


@dataclass(frozen=True)
class OutputScope:
    """What any output for one user may contain: the one gate every page, partial, document,
    download and drill-down asks (STYLE.md, "one gate for what leaves").

    - ``service_id``: the only service whose data (children, figures, snapshots) may appear;
      None means nothing at all (a superuser or a user without a service).
    - ``team_id``: practitioners see their own team's children only; None = the whole service.
    - ``named``: children may be shown by name (casework roles, for children in reach).
    - ``child_level``: rows about single children may appear (pseudonymised for analysts);
      board members get aggregates only.
    - ``free_text``: free text written about a child (circumstances, notes) may appear.
    Suppression (counts of 1-4, KPIS.md §1.6) applies to every figure that leaves, whoever asks.
    """

    service_id: int | None
    team_id: int | None = None
    named: bool = False
    child_level: bool = False
    free_text: bool = False

    @property
    def empty(self) -> bool:
        return self.service_id is None

    def children(self, queryset: QuerySet, field: str = "") -> QuerySet:
        """Only the children (or records about children, via ``field``) this output may name."""
        if self.empty or not self.named:
            return queryset.none()
        prefix = f"{field}__" if field else ""
        queryset = queryset.filter(**{f"{prefix}service_id": self.service_id})
        if self.team_id is not None:
            queryset = queryset.filter(**{f"{prefix}team_id": self.team_id})
        return queryset

    def includes(self, child) -> bool:
        return (
            self.named
            and child is not None
            and child.service_id == self.service_id
            and (self.team_id is None or child.team_id == self.team_id)
        )

    def figures(self, rows, *, screen: bool = False):
        """Result rows as they may leave: suppressed counts blanked, child lists removed.

        Only on screen, and only for someone who may see the children behind a figure, are
        small numbers shown exactly; every file, document and board member gets them blanked.
        """
        if screen and self.child_level:
            return rows
        return [suppress(r) for r in rows]


NO_SCOPE = OutputScope(service_id=None)


def output_scope(user) -> OutputScope:
    role = _role(user)
    service_id = getattr(user, "service_id", None) if role else None
    if not service_id:
        return NO_SCOPE
    if role in MANAGER_ROLES:
        return OutputScope(service_id, None, named=True, child_level=True, free_text=True)
    if role == Role.PRACTITIONER:
        if not user.team_id:
            return OutputScope(service_id)
        return OutputScope(service_id, user.team_id, named=True, child_level=True, free_text=True)
    if role == Role.PERFORMANCE_ANALYST:
        return OutputScope(service_id, child_level=True)
    return OutputScope(service_id)  # board member: aggregates only


# Figures that count partners or meetings, not children, are never suppressed (KPI 7).
NOT_CHILD_COUNTS = {"kpi7"}
SUPPRESSED_FIELDS = ("numerator", "denominator", "value")


def suppress(row: dict) -> dict:
    """A result row fit to leave the system: suppressed values blanked, no child ids."""
    out = {k: v for k, v in row.items() if not k.endswith("_child_ids")}
    if out.get("suppressed") and out.get("kpi") not in NOT_CHILD_COUNTS:
        out.update(dict.fromkeys(SUPPRESSED_FIELDS))
    return out


def count_text(n: int) -> str:
    """A count of children as it may be printed: 1-4 are never shown (KPIS.md §1.6)."""
    from yjs.performance.engine import is_suppressed

    return "fewer than 5" if is_suppressed(n) else f"{n:,}"


# Data lifecycle: retention review, erasure and subject access (yjs/casework/retention.py,
# erasure.py, subject_access.py). Erasure is for the head of service and administrators of the
# child's service only; an erased record is a stub that nobody changes any more.

RETENTION_ROLES = {Role.HEAD_OF_SERVICE, Role.ADMIN}


@rules.predicate
def reviews_retention(user):
    return _role(user) in RETENTION_ROLES and user.service_id is not None


@rules.predicate
def child_erased(user, child):
    return child is not None and child.erased_at is not None


rules.add_perm("casework.review_retention", reviews_retention)
rules.add_perm("casework.erase_child", reviews_retention & child_in_reach & ~child_erased)
rules.add_perm("casework.export_subject_access", is_manager & child_in_reach)
rules.set_perm("casework.change_child", does_casework & child_in_reach & ~child_erased)
rules.set_perm("casework.add_oversight", is_manager & child_in_reach & ~child_erased)
# Allocation: team managers and above give a child's case to a team and worker; they also see
# the referral queue of unallocated children and the caseload counts of each worker.
rules.add_perm("casework.allocate_child", is_manager & child_in_reach & ~child_erased)
rules.add_perm("casework.view_queue", is_manager)


# Merging duplicate records (services.merge_children): a manager, for two children both in reach,
# of one service, neither erased. The object is the pair (survivor, duplicate), or one child to
# open the merge page.


def _children(obj) -> tuple:
    return tuple(obj) if isinstance(obj, (tuple, list)) else (obj,)


@rules.predicate
def children_in_reach(user, children):
    return all(child_in_reach(user, c) for c in _children(children))


@rules.predicate
def children_of_one_service(user, children):
    return len({c.service_id for c in _children(children) if c is not None}) == 1


@rules.predicate
def any_child_erased(user, children):
    return any(c is not None and c.erased_at is not None for c in _children(children))


rules.add_perm(
    "casework.merge_children",
    is_manager & children_in_reach & children_of_one_service & ~any_child_erased,
)


# Audit trail ------------------------------------------------------------------------------
# Managers (team manager, head of service, admin) read their own service's trail: a team
# manager sees every child of the service, so every event of the service too.


@rules.predicate
def child_in_service(user, child):
    return child is not None and child.service_id == getattr(user, "service_id", None)


rules.add_perm("audit.view_audit", is_manager)
rules.add_perm("audit.view_child_access_log", is_manager & child_in_service)


def visible_audit_events(user, queryset: QuerySet) -> QuerySet:
    """Events of the user's own service: by its staff, or about its children."""
    if _role(user) in MANAGER_ROLES and user.service_id:
        return queryset.filter(
            Q(actor__service_id=user.service_id) | Q(child__service_id=user.service_id)
        )
    return queryset.none()


# Voice of the child (yjs.voice): managers set up questionnaires and pledges and choose quotes;
# managers, analysts and the board read the feedback report (figures and chosen quotes, no
# names). Feedback about a child is recorded like the rest of the record (casework.change_child).
rules.add_perm("voice.manage_feedback", is_manager)
rules.add_perm(
    "voice.view_feedback_report", in_service & (is_manager | is_analyst | is_board_member)
)
