"""Reads of people and places: the "People and places" section of the child's record page, the
child's current address, and who letters about the child go to.

For the letters (`letter_recipients`, `current_address`): the caller has checked that the user
may see the child (`casework.view_child`); what these return holds contact details and is never
put into a pseudonymised output, the KPI snapshot or a board pack.
"""

from __future__ import annotations

import datetime
import functools

from django.db.models import Exists, OuterRef, Prefetch

from yjs.casework.models import Child
from yjs.casework.selectors import section_kinds_present
from yjs.casework.services import today as service_today
from yjs.compiled import CompiledQuery, OneParentRead

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


def _present(child: Child) -> dict[str, bool]:
    """Which kinds the child has any live record of: as the record page's one query found
    (the section's `kinds`), else in one query of its own. Most children have few, so only
    those are read."""
    known = section_kinds_present(child)
    if known is not None:
        return {name: known[name] for name, _model in KINDS}
    rows = list(_PRESENT(child.pk))
    row = rows[0] if rows else ()
    return {name: bool(has) for (name, _model), has in zip(KINDS, row, strict=False)}


def _kinds_present(child_id: int):
    exists = [Exists(model.objects.filter(child=OuterRef("pk"))) for _name, model in KINDS]
    return Child.objects.filter(pk=child_id).values_list(*exists)


_PRESENT = CompiledQuery(_kinds_present, int)  # compiled once per process (yjs.compiled)


def _read(child: Child, name: str, present: dict[str, bool]) -> list:
    if not present[name]:
        return []
    return _reads()[name].read(child)


def people_and_places_section(child: Child, user, today: datetime.date) -> dict:
    """The record page's "People and places" (casework extensions.ChildSection): the current
    address and the earlier ones, parents, carers and family, professionals, the school or ETE
    provider and the GP. Only on the child's page, so only to users who may see the child."""
    present = _present(child)
    addresses = _read(child, "addresses", present)
    current = max(
        (a for a in addresses if _current(a, today)),
        key=lambda a: (a.start_date or datetime.date.min, a.pk),
        default=None,
    )
    people = _read(child, "related_people", present)
    professionals = _read(child, "professionals", present)
    placements = _read(child, "ete_placements", present)
    return {
        "current_address": current,
        "earlier_addresses": [a for a in addresses if a is not current],
        "people": [p for p in people if not _ended(p, today)],
        "former_people": [p for p in people if _ended(p, today)],
        "professionals": [p for p in professionals if not _ended(p, today)],
        "former_professionals": [p for p in professionals if _ended(p, today)],
        "ete": [p for p in placements if not _ended(p, today)],
        "former_ete": [p for p in placements if _ended(p, today)],
        "gps": _read(child, "gps", present),
        "can_record": user.has_perm("casework.change_child", child) and not child.closed_on,
    }
