"""Who may use the diary (django-rules, autodiscovered): every case worker keeps a diary of the
children in their reach; managers also see their team's (or the service's) diary and tasks.
A task is changed by its owner or a manager of the same service, and only while its child (if
it has one) is in the user's reach."""

import rules

from yjs.permissions import child_in_reach, does_casework, is_manager


@rules.predicate
def may_change_task(user, task):
    if task is None:
        return False
    if task.child_id and not child_in_reach(user, task.child):
        return False
    if task.owner_id == user.pk:
        return True
    return is_manager(user) and task.owner.service_id == user.service_id


rules.add_perm("diary.view_diary", does_casework)
rules.add_perm("diary.view_team_diary", is_manager)
rules.add_perm("diary.change_task", does_casework & may_change_task)
