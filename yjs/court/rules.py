"""Who may do court work (django-rules, autodiscovered): caseworkers see the court list of the
children in their reach; only a team manager or the head of service gatekeeps a report."""

import rules

from yjs.organisation.models import Role
from yjs.permissions import child_in_reach, does_casework

GATEKEEPERS = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}


@rules.predicate
def gatekeeps(user):
    return getattr(user, "role", None) in GATEKEEPERS


rules.add_perm("court.view_court", does_casework)
rules.add_perm("court.gatekeep_report", does_casework & gatekeeps & child_in_reach)
