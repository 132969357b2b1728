"""The rules of people and places, and the commands that record them (each one transaction,
audited through casework's `_save`).

Each kind has a `*_problems(record) -> {field: message}` rule, registered with casework's
`services.register_record_kind` by the AppConfig, so the forms, `save_record` and the record
pages' "Change" refuse the same records. The rules:

- a person who may not be contacted needs the reason; one who needs an interpreter, the language;
- an address has a first line, a town and a postcode, except "no fixed abode", which has no
  street address (a town may be given); the local authority is one of the service's or one
  named outside its area, not both;
- the child lives at one address at a time: the periods of a child's addresses may not overlap.
  A new address starting after the open (current) one ends that one the day before
  (`record_address`), which is how a move is recorded; an unknown start counts as "always";
- a child has one GP record: a new practice is a change of that record (history keeps the old);
- dates: casework's date rules (not in the future, after the birth, an end not before its start).
"""

from __future__ import annotations

import datetime

from django.db import transaction

from yjs import periods
from yjs.casework import services as casework
from yjs.casework.models import Child

from .models import Address, EtePlacement, GeneralPractitioner, Professional, RelatedPerson

A = Address.Kind
NO_STREET_ADDRESS = {A.NO_FIXED_ABODE}


def person_problems(person: RelatedPerson, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    if person.may_contact is False and not (person.no_contact_reason or "").strip():
        problems["no_contact_reason"] = "Enter why they must not be contacted"
    if person.may_contact and (person.no_contact_reason or "").strip():
        problems["no_contact_reason"] = (
            "Leave the reason blank if the service may contact them, or answer No"
        )
    if person.interpreter_needed and not (person.language or "").strip():
        problems["language"] = "Enter the language they need an interpreter for"
    if person.postcode and not (person.address or "").strip():
        problems["address"] = "Enter the address that goes with the postcode"
    return problems


def _open_address_before(address: Address, child: Child) -> Address | None:
    """The child's open (current) address that a new address starting later will end."""
    if address.pk or not address.start_date:
        return None
    current = (
        child.addresses.filter(end_date__isnull=True)
        .exclude(start_date__gte=address.start_date)
        .order_by("-start_date", "-id")
        .first()
    )
    return current


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    """Two periods share a day; None is an open end (or an unknown start: always)."""
    lo, hi = datetime.date.min, datetime.date.max
    return (a_start or lo) <= (b_end or hi) and (b_start or lo) <= (a_end or hi)


def _where(address: Address) -> str:
    return ", ".join(address.lines) or address.get_kind_display().lower()


def _period(address: Address) -> str:
    start = periods.long_date(address.start_date) if address.start_date else "a date not known"
    end = periods.long_date(address.end_date) if address.end_date else "now"
    return f"from {start} to {end}"


def address_problems(address: Address, *, child: Child | None = None, **_) -> dict[str, str]:
    problems: dict[str, str] = {}
    if address.kind in NO_STREET_ADDRESS:
        for name in ("line_1", "line_2", "postcode"):
            if getattr(address, name):
                problems[name] = "A child of no fixed abode has no street address: leave it blank"
    elif address.kind:
        if not address.line_1:
            problems["line_1"] = "Enter address line 1"
        if not address.town:
            problems["town"] = "Enter the town or city"
        if not address.postcode:
            problems["postcode"] = "Enter the postcode"
    if address.local_authority_id and address.other_local_authority:
        problems["other_local_authority"] = (
            "Select the service's local authority or name one outside its area, not both"
        )
    child = child or (address.child if address.child_id else None)
    if child is not None and child.pk and "end_date" not in problems:
        ending = _open_address_before(address, child)
        others = child.addresses.exclude(pk=address.pk) if address.pk else child.addresses.all()
        for other in others:
            if ending is not None and other.pk == ending.pk:
                continue  # ended the day before this one starts (`record_address`)
            if _overlaps(address.start_date, address.end_date, other.start_date, other.end_date):
                problems["start_date"] = (
                    f"The child lived at another address then ({_where(other)}, "
                    f"{_period(other)}): change the dates of one of them"
                )
                break
    if (
        child is not None
        and address.local_authority_id
        and address.local_authority.service_id != child.service_id
    ):
        problems["local_authority"] = "Select a local authority of the service"
    return problems


def gp_problems(gp: GeneralPractitioner, *, child: Child | None = None, **_) -> dict[str, str]:
    child = child or (gp.child if gp.child_id else None)
    if gp.pk is None and child is not None and child.pk and child.gps.exists():
        return {
            "practice_name": (
                "This child's GP is recorded already: change that record when the child "
                "registers with another practice"
            )
        }
    return {}


# Schools and professionals have only casework's date rules.
RULES = {
    RelatedPerson: person_problems,
    Address: address_problems,
    GeneralPractitioner: gp_problems,
}


# Commands -------------------------------------------------------------------------------


@transaction.atomic
def record_person(actor, person: RelatedPerson) -> RelatedPerson:
    return casework._save(actor, person, description=f"Recorded a parent or carer: {person}")


@transaction.atomic
def record_address(actor, address: Address) -> Address:
    """A new address; the current one, if it began before, ends the day before (a move)."""
    ending = _open_address_before(address, address.child)
    if ending is not None:
        ending.end_date = address.start_date - datetime.timedelta(days=1)
        casework._save(actor, ending, description="Ended the address: the child moved")
    return casework._save(actor, address, description=f"Recorded {address}")


@transaction.atomic
def record_ete_placement(actor, placement: EtePlacement) -> EtePlacement:
    return casework._save(
        actor, placement, description=f"Recorded a school or provider: {placement}"
    )


@transaction.atomic
def record_gp(actor, gp: GeneralPractitioner) -> GeneralPractitioner:
    return casework._save(actor, gp, description=f"Recorded {gp}")


@transaction.atomic
def record_professional(actor, professional: Professional) -> Professional:
    return casework._save(
        actor, professional, description=f"Recorded a professional: {professional}"
    )
