"""Reads of people and places: the "People and places" section of the child's record page, the
child's current address, and who letters about the child go to.

For the letters (`letter_recipients`, `current_address`): the caller has checked that the user
may see the child (`casework.view_child`); what these return holds contact details and is never
put into a pseudonymised output, the KPI snapshot or a board pack.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import Prefetch

from yjs.casework.models import Child
from yjs.casework.services import today as service_today
from yjs.compiled import OneParentRead

from .models import Address, EtePlacement, GeneralPractitioner, Professional, RelatedPerson


def _current(record, on: datetime.date) -> bool:
    """Open on the day: started (or start not known) and not ended before it."""
    start = getattr(record, "start_date", None)
    return (start is None or start <= on) and (record.end_date is None or record.end_date >= on)


def _ended(record, on: datetime.date) -> bool:
    """Over before the day (a school place starting next term is not over)."""
    return record.end_date is not None and record.end_date < on


def current_address(child: Child, on: datetime.date | None = None) -> Address | None:
    """The address the child lives at on `on` (default today): the one whose period holds the
    day, the latest started if records overlap; None if none is recorded."""
    on = on or service_today()
    found = [a for a in child.addresses.select_related("local_authority") if _current(a, on)]
    return max(found, key=lambda a: (a.start_date or datetime.date.min, a.pk), default=None)


def child_address_lines(child: Child) -> list[str]:
    """The child's current address as a letter's address block (no fixed abode: none)."""
    home = current_address(child)
    return home.lines if home else []


def letter_recipients(child: Child, on: datetime.date | None = None) -> list[dict]:
    """Who a letter about the child can be addressed to: the parents, carers and family still
    involved on `on` (default today), those with parental responsibility first.

    One dict each:

    - ``name``: their full name;
    - ``relationship``: in words ("Mother", "Foster carer");
    - ``address_lines``: list of str, their own address (lines then postcode); if none is
      recorded and the child lives with them, the child's current address; else [] (no postcode
      known: do not post);
    - ``may_contact``: False when the service must not contact them (the letter must not be
      sent; the reason is on their record, not here);
    - ``interpreter_language``: the language of the interpreter they need, or "" if none;
    - ``parental_responsibility``: bool.
    """
    on = on or service_today()
    people = [p for p in child.related_people.all() if not _ended(p, on)]
    home = None
    if any(p.lives_with_child and not p.address_lines for p in people):
        home = current_address(child, on)
    recipients = []
    for p in people:
        lines = p.address_lines or (home.lines if (p.lives_with_child and home) else [])
        recipients.append(
            {
                "name": p.name,
                "relationship": p.get_relationship_display(),
                "address_lines": list(lines),
                "may_contact": p.may_contact,
                "interpreter_language": p.language if p.interpreter_needed else "",
                "parental_responsibility": p.parental_responsibility,
            }
        )
    return recipients


# The record page's section --------------------------------------------------------------

KINDS = (
    ("related_people", RelatedPerson),
    ("addresses", Address),
    ("professionals", Professional),
    ("ete_placements", EtePlacement),
    ("gps", GeneralPractitioner),
)


@functools.cache
def _reads() -> dict[str, OneParentRead]:
    """Each kind's read of one child, compiled once per process."""
    return {
        name: OneParentRead(
            Child,
            Prefetch(name, queryset=Address.objects.select_related("local_authority"))
            if name == "addresses"
            else name,
        )
        for name, _model in KINDS
    }


def _read(child: Child, name: str) -> list:
    """One kind, read once: the record page's one query (the section's `kinds`) already
    found which kinds the child has none of, and those cost no query here."""
    return _reads()[name].once(child)


def people_and_places_section(child: Child, user, today: datetime.date) -> dict:
    """The record page's "People and places" (casework extensions.ChildSection): the current
    address and the earlier ones, parents, carers and family, professionals, the school or ETE
    provider and the GP. Only on the child's page, so only to users who may see the child."""
    addresses = _read(child, "addresses")
    current = max(
        (a for a in addresses if _current(a, today)),
        key=lambda a: (a.start_date or datetime.date.min, a.pk),
        default=None,
    )
    people = _read(child, "related_people")
    professionals = _read(child, "professionals")
    placements = _read(child, "ete_placements")
    return {
        "current_address": current,
        "earlier_addresses": [a for a in addresses if a is not current],
        "people": [p for p in people if not _ended(p, today)],
        "former_people": [p for p in people if _ended(p, today)],
        "professionals": [p for p in professionals if not _ended(p, today)],
        "former_professionals": [p for p in professionals if _ended(p, today)],
        "ete": [p for p in placements if not _ended(p, today)],
        "former_ete": [p for p in placements if _ended(p, today)],
        "gps": _read(child, "gps"),
        "can_record": user.has_perm("casework.change_child", child) and not child.closed_on,
    }
