"""Kinds of letter and who they can go to: two registries other parts of the journey add to.

A `LetterKind` says which of the child's records a letter is written from (a warning, a victim,
a panel, a pre-sentence report), the letter's own data for one of them (`context`), and that
data for a made-up record (`sample`), which documents the names a template may use and checks
an uploaded template before it is stored. Only registered kinds are offered; the appointment
letter is registered by the diary (see `appointment_kind`).

Recipients are the child and whoever a registered source names for the child (parents, carers:
`register_recipient_source`); a kind may name its own instead (a victim letter goes to the
victim, a report to the court).

Everything here is plain data (str, bool, lists, dicts): a template sees nothing else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from yjs import periods
from yjs.casework.models import Assessment, Child, Offence, ReferralOrderPanel, Victim
from yjs.court.models import PreSentenceReport
from yjs.diversion.models import OutOfCourtPanel
from yjs.supervision.models import YRO
from yjs.supervision.models import Warning as OrderWarning

from .models import Attachment, LetterKindCode

Recipient = dict  # name, relationship, address_lines, may_contact (and, added here, salutation)


@dataclass(frozen=True)
class LetterKind:
    code: str  # a LetterKindCode
    label: str
    records: Callable[[Child], Iterable]  # the child's records a letter can be written from
    context: Callable[[Child, object], dict]  # the kind's own data for one of them
    sample: dict  # the same for a made-up record: the names a template may use
    attachment_kind: str = Attachment.Kind.LETTER
    # Who the letter can go to, instead of the child and the registered recipient sources.
    recipients: Callable[[Child, object], list[Recipient]] | None = None
    # What each name means, for the template page (top-level names of `sample`).
    fields: dict[str, str] = field(default_factory=dict)
    # The models of `records`: their record pages offer to write this letter.
    models: tuple[type, ...] = ()


KINDS: dict[str, LetterKind] = {}
RECIPIENT_SOURCES: list[Callable[[Child], list[Recipient]]] = []


def register_kind(kind: LetterKind) -> None:
    """Offer a kind of letter (the latest registration of a code wins)."""
    if kind.code not in LetterKindCode.values:
        raise ValueError(f"{kind.code} is not a kind of letter (models.LetterKindCode)")
    KINDS[kind.code] = kind


# Where the child lives, for a letter to the child: `source(child)` -> address lines.
CHILD_ADDRESS_SOURCES: list[Callable[[Child], list[str]]] = []


def register_child_address_source(source: Callable[[Child], list[str]]) -> None:
    if source not in CHILD_ADDRESS_SOURCES:
        CHILD_ADDRESS_SOURCES.append(source)


def _child_address(child: Child) -> list[str]:
    for source in CHILD_ADDRESS_SOURCES:
        if lines := source(child):
            return lines
    return []


def register_recipient_source(source: Callable[[Child], list[Recipient]]) -> None:
    """`source(child)` -> [{"name", "relationship", "address_lines", "may_contact"}]: people a
    letter about the child may be sent to (a parent, a carer, a social worker)."""
    if source not in RECIPIENT_SOURCES:
        RECIPIENT_SOURCES.append(source)


# --------------------------------------------------------------------------- shared data


def _date(d: datetime.date | None) -> str:
    return periods.long_date(d) if d else ""


def child_data(child: Child) -> dict:
    return {
        "first_name": child.first_name,
        "preferred_name": child.preferred_name,
        "last_name": child.last_name,
        "name": child.preferred_name or child.first_name,  # what the letter calls the child
        "full_name": f"{child.preferred_name or child.first_name} {child.last_name}",
        "reference": child.reference,
        "date_of_birth": _date(child.date_of_birth),
    }


def _recipient(raw: dict, *, is_child: bool = False) -> Recipient:
    name = str(raw.get("name") or "").strip()
    return {
        "name": name,
        "relationship": str(raw.get("relationship") or ""),
        "address_lines": [str(line) for line in raw.get("address_lines") or [] if str(line)],
        "may_contact": bool(raw.get("may_contact", True)),
        "salutation": str(raw.get("salutation") or name),
        "is_child": is_child,
    }


def recipients(kind: LetterKind, child: Child, record) -> list[Recipient]:
    """Everyone this letter could go to, those who must not be contacted included (the page
    says why they cannot be chosen)."""
    if kind.recipients is not None:
        return [_recipient(r) for r in kind.recipients(child, record)]
    names = child_data(child)
    found = [
        _recipient(
            {
                "name": names["full_name"],
                "relationship": "The child",
                "salutation": names["name"],
                "address_lines": _child_address(child),
            },
            is_child=True,
        )
    ]
    for source in RECIPIENT_SOURCES:
        found.extend(_recipient(r) for r in source(child))
    return found


def letter_context(
    kind: LetterKind, child: Child, record, recipient: Recipient, worker, today: datetime.date
) -> dict:
    """Everything a letter's template may use."""
    return {
        **base_context(child, worker, today, recipient),
        **kind.context(child, record),
    }


def base_context(child: Child, worker, today: datetime.date, recipient: Recipient) -> dict:
    return {
        "child": child_data(child),
        "service": {"name": child.service.name},
        "worker": {"name": (worker.get_full_name() or worker.get_username()) if worker else ""},
        "today": _date(today),
        "recipient": recipient,
    }


SAMPLE_BASE = {
    "child": {
        "first_name": "Alex",
        "preferred_name": "",
        "last_name": "Example",
        "name": "Alex",
        "full_name": "Alex Example",
        "reference": "EX0001",
        "date_of_birth": "1 May 2010",
    },
    "service": {"name": "Example Youth Justice Service"},
    "worker": {"name": "Robin Worker"},
    "today": "2 June 2025",
    "recipient": {
        "name": "Alex Example",
        "relationship": "The child",
        "address_lines": ["1 Example Street", "Exampletown", "EX1 1AA"],
        "may_contact": True,
        "salutation": "Alex",
        "is_child": True,
    },
}
BASE_FIELDS = {
    "child": "first_name, preferred_name, last_name, name (preferred or first name), "
    "full_name, reference, date_of_birth",
    "service": "name",
    "worker": "name (who writes the letter)",
    "today": "today's date, as 2 June 2025",
    "recipient": "name, salutation (what follows Dear), relationship, address_lines (a list), "
    "is_child",
}


def sample_context(kind: LetterKind) -> dict:
    return {**SAMPLE_BASE, **kind.sample}


# --------------------------------------------------------------------------- warning letter


def _warnings(child: Child):
    return OrderWarning.objects.filter(child=child).select_related("order", "appointment")


def _warning_context(child: Child, warning) -> dict:
    order = warning.order
    back_to = (
        "we may have to take you back to court"
        if order.code == YRO
        else "we may have to ask the youth offender panel to meet you again"
    )
    return {
        "warning": {
            "date": _date(warning.warned_on),
            "reason": warning.reason,
            "order": order.get_code_display(),
            "order_date": _date(order.outcome_date),
            "missed_appointment": (
                _date(warning.appointment.appointment_date) if warning.appointment_id else ""
            ),
            "consequence": back_to,
        }
    }


WARNING = LetterKind(
    LetterKindCode.WARNING,
    LetterKindCode.WARNING.label,
    records=_warnings,
    context=_warning_context,
    models=(OrderWarning,),
    sample={
        "warning": {
            "date": "30 May 2025",
            "reason": "You missed your appointment on 28 May 2025 and did not tell us why.",
            "order": "Youth rehabilitation order",
            "order_date": "1 February 2025",
            "missed_appointment": "28 May 2025",
            "consequence": "we may have to take you back to court",
        }
    },
    fields={
        "warning": "date, reason, order (its name), order_date, missed_appointment (may be "
        "empty), consequence (what may happen next)"
    },
)


# --------------------------------------------------------------------------- victim contact


def _victims(child: Child):
    return Victim.objects.filter(offences__child=child).distinct()


def _victim_context(child: Child, victim: Victim) -> dict:
    return {
        "victim": {
            "name": victim.name,
            "contact_preference": victim.get_consent_to_contact_display() or "Not recorded",
            "agreed_to_contact": victim.consent_to_contact == "YES",
        }
    }


def _victim_recipient(child: Child, victim: Victim) -> list[Recipient]:
    """A victim letter goes to the victim, unless they said no to being contacted."""
    return [
        {
            "name": victim.name,
            "relationship": "Victim",
            "address_lines": [],
            "may_contact": victim.consent_to_contact != "NO",
        }
    ]


VICTIM_CONTACT = LetterKind(
    LetterKindCode.VICTIM_CONTACT,
    LetterKindCode.VICTIM_CONTACT.label,
    records=_victims,
    context=_victim_context,
    sample={
        "victim": {
            "name": "Sam Lee",
            "contact_preference": "Yes",
            "agreed_to_contact": True,
        }
    },
    recipients=_victim_recipient,
    models=(Victim,),
    fields={
        "victim": "name, contact_preference (Yes, No or Not recorded), agreed_to_contact. "
        "The default letter does not name the child: a victim is told only what they may know"
    },
)


# --------------------------------------------------------------------------- panel invitation


def _panels(child: Child) -> list:
    oocd = OutOfCourtPanel.objects.filter(child=child, police_decision="")
    referral_order = ReferralOrderPanel.objects.filter(intervention__child=child)
    return sorted([*oocd, *referral_order], key=lambda p: p.panel_date, reverse=True)


def _panel_context(child: Child, panel) -> dict:
    if isinstance(panel, ReferralOrderPanel):
        kind = f"{panel.get_panel_type_display().lower()} of your referral order"
        about = (
            "At the panel you, your family and people from the community agree what you "
            "will do during your order, and check how it is going."
        )
    else:
        kind = "out-of-court panel"
        about = (
            "At the panel the youth justice service and the police decide together what "
            "happens after the offence, so that you do not have to go to court."
        )
    return {"panel": {"date": _date(panel.panel_date), "kind": kind, "about": about}}


PANEL_INVITATION = LetterKind(
    LetterKindCode.PANEL_INVITATION,
    LetterKindCode.PANEL_INVITATION.label,
    records=_panels,
    context=_panel_context,
    models=(OutOfCourtPanel, ReferralOrderPanel),
    sample={
        "panel": {
            "date": "16 June 2025",
            "kind": "out-of-court panel",
            "about": "At the panel the youth justice service and the police decide together.",
        }
    },
    fields={"panel": "date, kind (out-of-court panel or a referral order panel), about"},
)


# --------------------------------------------------------------------------- report draft


def _reports(child: Child):
    return PreSentenceReport.objects.filter(child=child).select_related("requested_at")


def _report_context(child: Child, report) -> dict:
    hearing = report.requested_at
    offences = list(hearing.offences.all()) or list(Offence.objects.filter(child=child))
    earlier = child.outcomes.filter(outcome_date__lte=report.requested_on).order_by("outcome_date")
    latest = (
        Assessment.objects.filter(child=child, completed_on__lte=report.requested_on)
        .order_by("-completed_on", "-id")
        .first()
    )
    return {
        "report": {
            "court": hearing.court,
            "hearing_date": _date(hearing.hearing_date),
            "requested_on": _date(report.requested_on),
            "due_on": _date(report.due_on),
            "proposal": report.get_proposal_display() or "No proposal recorded yet",
        },
        "offences": [
            {
                "description": o.description,
                "date": _date(o.offence_date),
                "category": o.get_category_display(),
            }
            for o in offences
        ],
        "outcomes": [
            {"outcome": o.get_code_display(), "date": _date(o.outcome_date)} for o in earlier
        ],
        "assessment": _assessment(latest),
    }


def _assessment(a: Assessment | None) -> dict:
    if a is None:
        return dict.fromkeys(ASSESSMENT_KEYS, "") | {"recorded": False}
    return {
        "recorded": True,
        "kind": a.get_kind_display(),
        "completed_on": _date(a.completed_on),
        "likelihood_of_reoffending": a.get_likelihood_of_reoffending_display(),
        "risk_of_serious_harm": a.get_risk_of_serious_harm_display(),
        "safety_and_wellbeing": a.get_safety_and_wellbeing_display(),
        "needs": a.needs,
    }


ASSESSMENT_KEYS = (
    "kind",
    "completed_on",
    "likelihood_of_reoffending",
    "risk_of_serious_harm",
    "safety_and_wellbeing",
    "needs",
)


def _court_recipient(child: Child, report) -> list[Recipient]:
    court = report.requested_at.court
    return [{"name": court, "relationship": "Court", "address_lines": [], "may_contact": True}]


PSR_DRAFT = LetterKind(
    LetterKindCode.PSR_DRAFT,
    LetterKindCode.PSR_DRAFT.label,
    records=_reports,
    context=_report_context,
    sample={
        "report": {
            "court": "Example Youth Court",
            "hearing_date": "1 June 2025",
            "requested_on": "1 June 2025",
            "due_on": "22 June 2025",
            "proposal": "Referral order",
        },
        "offences": [
            {"description": "Theft from a shop", "date": "2 May 2025", "category": "Theft"}
        ],
        "outcomes": [{"outcome": "Youth caution", "date": "1 March 2024"}],
        "assessment": {
            "recorded": True,
            "kind": "AssetPlus",
            "completed_on": "20 May 2025",
            "likelihood_of_reoffending": "Medium",
            "risk_of_serious_harm": "Low",
            "safety_and_wellbeing": "Medium",
            "needs": "Needs help with school attendance.",
        },
    },
    attachment_kind=Attachment.Kind.PSR,
    recipients=_court_recipient,
    models=(PreSentenceReport,),
    fields={
        "report": "court, hearing_date, requested_on, due_on, proposal",
        "offences": "a list: description, date, category (the offences before the court)",
        "outcomes": "a list: outcome, date (outcomes before the report was asked for)",
        "assessment": "recorded (true or false), kind, completed_on, "
        "likelihood_of_reoffending, risk_of_serious_harm, safety_and_wellbeing, needs",
    },
)


# --------------------------------------------------------------------------- appointment letter

APPOINTMENT_SAMPLE = {
    "appointment": {
        "date": "10 June 2025",
        "time": "4pm",
        "place": "Example Youth Justice Service, 1 High Street, Exampletown",
        "purpose": "a supervision session",
        "with": "Robin Worker",
    }
}

APPOINTMENT_FIELDS = {"appointment": "date, time, place, purpose, with (who the child will see)"}


def appointment_kind(
    records: Callable[[Child], Iterable], context: Callable, models: tuple[type, ...] = ()
) -> LetterKind:
    """The appointment letter, for the diary to register with its own appointments:
    `records(child)` the appointments a letter can be written for, `context(child, appointment)`
    -> {"appointment": {"date", "time", "place", "purpose", "with"}} (all text), `models` the
    appointment model(s), whose record pages then offer the letter."""
    return LetterKind(
        LetterKindCode.APPOINTMENT,
        LetterKindCode.APPOINTMENT.label,
        records=records,
        context=context,
        sample=APPOINTMENT_SAMPLE,
        fields=APPOINTMENT_FIELDS,
        models=models,
    )


BUILT_IN = (WARNING, VICTIM_CONTACT, PANEL_INVITATION, PSR_DRAFT)
# What each kind's template may use, registered or not (the template page lists them all).
SAMPLES = {k.code: k.sample for k in BUILT_IN} | {LetterKindCode.APPOINTMENT: APPOINTMENT_SAMPLE}
FIELDS = {k.code: k.fields for k in BUILT_IN} | {LetterKindCode.APPOINTMENT: APPOINTMENT_FIELDS}


def fields_of(code: str) -> dict[str, str]:
    """What the names of a kind's data mean (the registered kind's, else the documented)."""
    kind = KINDS.get(code)
    return kind.fields if kind is not None and kind.fields else FIELDS[code]


def offered(child: Child) -> list[tuple[LetterKind, list]]:
    """The registered kinds with at least one record of the child to write from."""
    found = []
    for code in LetterKindCode.values:
        kind = KINDS.get(code)
        if kind is not None:
            records = list(kind.records(child))
            if records:
                found.append((kind, records))
    return found
