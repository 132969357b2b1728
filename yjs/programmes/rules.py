"""Who may use programmes (django-rules, autodiscovered), on the one scope rule
(yjs/permissions.py): everyone of the service sees the catalogue and the cohort reports
(aggregates, no child named); case workers run cohorts, taking registers and enrolling the
children in their reach; managers configure the catalogue."""

import rules

from yjs.permissions import does_casework, in_service, is_manager

rules.add_perm("programmes.view_programmes", in_service)
rules.add_perm("programmes.run_cohorts", does_casework)
rules.add_perm("programmes.change_catalogue", is_manager)
