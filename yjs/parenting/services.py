"""The rules of parenting work, and the command that records it (one transaction, audited
through casework's `_save`).

`parenting_problems(record) -> {field: message}` is registered with casework's
`services.register_record_kind` by the AppConfig, so the form, `save_record` and the record
page's "Change" refuse the same impossible records. Dates in order (ended before it started, a
planned end before the start) and dates in the future are casework's `date_problems`.
"""

from __future__ import annotations

from django.db import transaction

from yjs import periods
from yjs.casework import services as casework
from yjs.casework.models import Child

from .models import ParentingWork

K = ParentingWork.Kind
R = ParentingWork.EndReason


def parenting_problems(work: ParentingWork, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    order = work.kind == K.PARENTING_ORDER
    if order:
        # the court's order is what the work carries out: when and where it was made
        if work.order_made_on is None:
            problems["order_made_on"] = "Enter the date the court made the parenting order"
        elif work.start_date and work.start_date < work.order_made_on:
            problems["start_date"] = (
                "Date the work started must be the same as or after the date the court made "
                f"the order ({periods.long_date(work.order_made_on)})"
            )
        if not (work.court or "").strip():
            problems["court"] = "Enter the court that made the parenting order"
    elif work.kind:
        if work.order_made_on is not None:
            problems["order_made_on"] = (
                "Only a parenting order has a date the court made it: leave it blank"
            )
        if (work.court or "").strip():
            problems["court"] = "Only a parenting order has a court: leave it blank"
    if work.end_date is None:
        if work.completed_successfully is not None:
            problems["completed_successfully"] = (
                "Enter the date the work ended before saying whether it was completed"
            )
        if work.end_reason:
            problems["end_reason"] = "Enter the date the work ended, or leave why it ended blank"
    else:
        if not work.end_reason:
            problems["end_reason"] = "Select why the work ended"
        if work.completed_successfully is None:
            problems["completed_successfully"] = (
                "Select whether the work was completed successfully"
            )
        elif work.end_reason == R.COMPLETED and work.completed_successfully is False:
            problems["completed_successfully"] = (
                "Work that ended as completed was completed successfully: select Yes, or "
                "choose another reason it ended"
            )
    return problems


RULES = {ParentingWork: parenting_problems}


@transaction.atomic
def record_parenting_work(actor, work: ParentingWork) -> ParentingWork:
    return casework._save(actor, work, description=f"Recorded {work}")
