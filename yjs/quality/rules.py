"""Who may use quality assurance (django-rules, autodiscovered).

- Managers (team manager, head of service, admin) audit cases, draw themed audits, rate the
  standards, track recommendations and see everything of their own service (a team manager
  sees every child of the service, as in casework).
- Practitioners see no audit, not even the counts: an audit judges the practice on the case,
  and the manager shares it in supervision; the actions it raises are in the plan's action
  plan, which they can read.
- Serious incidents (CSPPI) are for managers only, and only as the record of one service.
- Analysts and board members see the aggregate summary (counts, never a child), as the
  plan's blocks print it. A second service sees nothing: every object is checked for its
  service.
"""

import rules

from yjs.permissions import is_analyst, is_board_member, is_manager


@rules.predicate
def of_own_service(user, obj):
    if obj is None:
        return False
    service_id = getattr(obj, "service_id", None)
    if service_id is None and hasattr(obj, "plan"):
        service_id = obj.plan.service_id
    return service_id is not None and service_id == user.service_id


@rules.predicate
def has_service(user):
    return user.service_id is not None


rules.add_perm("quality.view_summary", is_manager | ((is_analyst | is_board_member) & has_service))
rules.add_perm("quality.audit", is_manager)
rules.add_perm("quality.change_record", is_manager & of_own_service)
rules.add_perm("quality.view_incidents", is_manager)
