"""Who may see and do what: the one permissions module (django-rules).

A practitioner sees the children of their own team; team managers, the head of service and
administrators see every child of their service; performance analysts work on pseudonymised
data only; board members see aggregates and never a child.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from yjs.organisation.models import Role

CASEWORK_ROLES = {Role.PRACTITIONER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN}
MANAGER_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.ADMIN}
PLANNING_ROLES = {Role.HEAD_OF_SERVICE, Role.PERFORMANCE_ANALYST, Role.ADMIN, Role.TEAM_MANAGER}


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


rules.add_perm("casework.view_caseload", does_casework)
rules.add_perm("casework.add_child", does_casework)
rules.add_perm("casework.view_child", does_casework & child_in_reach)
rules.add_perm("casework.change_child", does_casework & child_in_reach)
rules.add_perm("casework.add_oversight", is_manager & child_in_reach)
rules.add_perm("casework.view_alerts", does_casework)
rules.add_perm("performance.view_dashboard", in_service)
rules.add_perm("performance.view_named_children", does_casework)
rules.add_perm("performance.view_pseudonymised_children", is_analyst | does_casework)
rules.add_perm("governance.view_plans", in_service)
rules.add_perm("governance.change_plans", plans_the_service)
rules.add_perm("governance.approve_plans", is_manager & ~is_team_manager)


def visible_children(user, queryset: QuerySet) -> QuerySet:
    """Filter a queryset of children down to those the user may see (same rule as above)."""
    role = _role(user)
    if role in MANAGER_ROLES and user.service_id:
        return queryset.filter(service_id=user.service_id)
    if role == Role.PRACTITIONER and user.team_id:
        return queryset.filter(team_id=user.team_id)
    return queryset.none()


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
