"""What the documents say in words about children, defined once beside the KPI definitions.

A KPI's figures come from its SQL file; a statement such as "known to the service before" is
a sentence a board pack prints about a list of children. Each is defined here, one function a
statement, so the plan, the board pack and their tests mean the same thing by it.
"""

from __future__ import annotations

import datetime

# When a KPI's headline counts too few children to publish (suppressed), the measure a
# document prints instead: reoffending's 3-month cohort is often under 5 children in a small
# service, and the YJB publishes the aggregated 12-month cohort for that reason.
PUBLISHABLE_INSTEAD = {"reoffending": "binary_12m"}


def event_start(outcome) -> datetime.date:
    """Where a child's journey to an outcome began: the earliest of its offences, else the
    outcome's own date. Contact with the service from that day on is about this offence."""
    dates = [o.offence_date for o in outcome.offences.all()]
    return min([*dates, outcome.outcome_date])


def known_before(child, outcome) -> list[str]:
    """The service's earlier contact with the child, ended before the offence behind
    `outcome` was committed (`event_start`): what "known to the service before" means.

    A contact counts only if it ended before the event described: a referral received, an
    intervention ended or another outcome given before that day. The referral, bail support
    or intervention for the same offence never counts, nor does a programme still running.
    Returns the kinds of contact found ("referral", "intervention", "earlier outcome").
    """
    start = event_start(outcome)
    found = []
    if any(r.received_on < start for r in child.referrals.all()):
        found.append("referral")
    if any(i.end_date and i.end_date < start for i in child.interventions.all()):
        found.append("intervention")
    if any(o.pk != outcome.pk and o.outcome_date < start for o in child.outcomes.all()):
        found.append("earlier outcome")
    return found
