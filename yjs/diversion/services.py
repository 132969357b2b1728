"""Commands for out-of-court panels. Each runs in one transaction and is audited; the panel is
saved through casework's audited save, so its dates pass the same checks as every record."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from yjs import periods
from yjs.audit import services as audit
from yjs.casework import services as casework
from yjs.casework.models import Child, Outcome

from .models import CHARGE, DECISION_CODES, OutOfCourtPanel, PanelAttendee

# A joint decision is the police's and the service's: both are at the panel that makes it.
AGENCIES_FOR_A_DECISION = (PanelAttendee.Agency.POLICE, PanelAttendee.Agency.YJS)


def panel_problems(
    panel: OutOfCourtPanel, *, child: Child | None = None, offences=None, **_
) -> dict[str, str]:
    """Impossible sequences of a panel: a panel before its referral was received or before the
    offence, another child's referral or offences, a decision before the panel or without its
    date. `offences` (the offences considered) is judged when given."""
    problems: dict[str, str] = {}
    child = child or (panel.child if panel.child_id else None)
    referral = panel.referral if panel.referral_id else None
    if referral is not None:
        if child is not None and referral.child_id != child.pk:
            problems["referral"] = "Select a referral of this child"
        elif panel.panel_date and panel.panel_date < referral.received_on:
            problems["panel_date"] = (
                "Date of the panel must be the same as or after the date the referral was "
                f"received ({periods.long_date(referral.received_on)})"
            )
    if offences is not None:
        offences = list(offences)
        if not offences:
            problems["offences"] = "Select the offence or offences the panel considered"
        elif child is not None and any(o.child_id != child.pk for o in offences):
            problems["offences"] = "Select only offences of this child"
        elif panel.panel_date:
            latest = max(o.offence_date for o in offences)
            if panel.panel_date < latest:
                problems.setdefault(
                    "panel_date",
                    "Date of the panel must be the same as or after the offence date "
                    f"({periods.long_date(latest)})",
                )
    if panel.police_decision and not panel.decided_on:
        problems["decided_on"] = "Enter the date of the police decision"
    if panel.decided_on and not panel.police_decision:
        problems["police_decision"] = "Select the police decision"
    if panel.decided_on and panel.panel_date and panel.decided_on < panel.panel_date:
        problems["decided_on"] = (
            "Date of the police decision must be the same as or after the date of the panel "
            f"({periods.long_date(panel.panel_date)})"
        )
    if (
        panel.police_decision
        and panel.recommendation
        and panel.police_decision != panel.recommendation
        and not panel.decision_reason.strip()
    ):
        problems["decision_reason"] = (
            "Enter why the police decision differs from the service's recommendation"
        )
    return problems


def attendee_problems(rows: list[dict]) -> dict[str, str]:
    """Each attendee has an agency, a name and a role."""
    agencies = dict(PanelAttendee.Agency.choices)
    for number, row in enumerate(rows, start=1):
        if row.get("agency") not in agencies:
            return {"attendees": f"Select the agency of attendee {number}"}
        for key in ("name", "role"):
            if not str(row.get(key) or "").strip():
                return {"attendees": f"Enter the {key} of attendee {number}"}
    return {}


def _attendee_texts(panel: OutOfCourtPanel) -> list[str]:
    return [str(a) for a in panel.attendees.all()]


def set_attendees(actor, panel: OutOfCourtPanel, rows: list[dict]) -> None:
    """Replace who attended the panel; the change is audited on the panel's history."""
    problems = attendee_problems(rows)
    if problems:
        raise ValidationError(problems)
    before = _attendee_texts(panel)
    panel.attendees.all().delete()
    PanelAttendee.objects.bulk_create(
        PanelAttendee(
            panel=panel, agency=r["agency"], name=r["name"].strip(), role=r["role"].strip()
        )
        for r in rows
    )
    after = _attendee_texts(panel)
    if before != after:
        audit.record(
            actor,
            "UPDATE",
            panel,
            child=panel.child,
            description="Panel attendees recorded",
            changes={"attendees": [before, after]},
        )


def _link_offences(actor, panel: OutOfCourtPanel, offences) -> None:
    casework.link_offences(actor, panel, offences, "Offences considered by the panel")


@transaction.atomic
def record_panel(actor, panel: OutOfCourtPanel, *, offences, attendees: list[dict]):
    """A panel booked or held: the offences it considers and who attends. The police decision
    is recorded afterwards (`record_decision`)."""
    offences = list(offences)
    if panel.police_decision or panel.decided_on:
        raise ValidationError({"police_decision": "Record the police decision after the panel"})
    casework.check_record(panel, offences=offences)
    problems = attendee_problems(attendees)
    if problems:
        raise ValidationError(problems)
    casework.save_record(actor, panel, description="Out-of-court panel recorded")
    _link_offences(actor, panel, offences)
    set_attendees(actor, panel, attendees)
    return panel


def outcome_code_for(decision: str) -> str | None:
    """The casework outcome a police decision records; None for a charge (court decides)."""
    if decision == CHARGE:
        return None
    if decision not in DECISION_CODES:
        raise ValueError(f"Not a panel decision: {decision}")
    return decision


@transaction.atomic
def record_decision(actor, panel: OutOfCourtPanel, *, attendees: list[dict] | None = None):
    """The police decision at the panel, and in the same transaction the casework Outcome for
    the offences considered (dated the decision date), unless the child is charged. Who attended
    may be recorded with it; the police and the service must both have attended."""
    current = OutOfCourtPanel.all_objects.get(pk=panel.pk)
    if current.voided:
        raise ValidationError("This panel was voided: it can no longer be changed")
    if current.police_decision:
        raise ValidationError(
            {"police_decision": "The police decision on this panel is already recorded"}
        )
    if not panel.police_decision:
        raise ValidationError({"police_decision": "Select the police decision"})
    offences = list(panel.offences.all())
    casework.check_record(panel, offences=offences)
    if attendees is not None:
        set_attendees(actor, panel, attendees)
    agencies = set(panel.attendees.values_list("agency", flat=True))
    missing = [a.label.lower() for a in AGENCIES_FOR_A_DECISION if a not in agencies]
    if missing:
        who = " and the ".join(missing)
        raise ValidationError(
            {
                "attendees": "A joint decision needs someone from the police and from the "
                f"youth justice service at the panel: add who attended for the {who}"
            }
        )
    code = outcome_code_for(panel.police_decision)
    if code is not None:
        outcome = Outcome(
            child=panel.child,
            code=code,
            outcome_date=panel.decided_on,
            appeal_status="NONE",
            residence=panel.child.residence,
        )
        panel.outcome = casework.record_outcome(actor, outcome, offences)
    label = panel.get_police_decision_display()
    casework.save_record(actor, panel, description=f"Police decision recorded: {label}")
    return panel
