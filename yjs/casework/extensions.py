"""Where the journey's other parts (court work, out-of-court decisions, the order's supervision)
plug into the child's record without the record knowing them: a section of the page, links to
record, timeline entries and alerts (`selectors.register_alert_source`). Each app registers its
own in its AppConfig.ready(); the record page reads these lists.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ChildSection:
    """A part of the child's record page: `template` rendered with `section` = what `context`
    returns for (child, user, today); nothing is shown when it returns None.

    `kinds`: the child's reverse relations the section (and its timeline entries) read
    (`"hearings"`). The page asks in its one query which kinds the child has any of, and a
    kind the child has none of is left read as empty: `child.hearings.all()` (or
    `OneParentRead.once`) then costs no query.
    """

    template: str
    context: Callable[..., dict | None]
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecordLink:
    """A link under one of the record page's "Record" groups, to a URL name taking the child's
    pk. `group`: "event" (Record an event), "court" (Court and orders) or "assessment"
    (Assessment and plans); another group is shown only by a section that lists it (the page's
    `extra_links`), as "People and places" does its "people" links."""

    group: str
    label: str
    url_name: str


CHILD_SECTIONS: list[ChildSection] = []
RECORD_LINKS: list[RecordLink] = []
# Each source gives the child's timeline entries of its own kinds (selectors.TimelineEntry).
TIMELINE_SOURCES: list[Callable] = []
# Each gives links for a record's page: (child, record, user) -> [(label, url)].
RECORD_ACTIONS: list[Callable] = []


def register_section(section: ChildSection, *, first: bool = False) -> None:
    """Add a section to the record page; `first` puts it before the others (who the child
    lives with comes before court work)."""
    if section in CHILD_SECTIONS:
        return
    if first:
        CHILD_SECTIONS.insert(0, section)
    else:
        CHILD_SECTIONS.append(section)


def register_link(link: RecordLink) -> None:
    if link not in RECORD_LINKS:
        RECORD_LINKS.append(link)


def register_timeline_source(source: Callable) -> None:
    if source not in TIMELINE_SOURCES:
        TIMELINE_SOURCES.append(source)


def sections_for(child, user, today: datetime.date) -> list[tuple[str, dict]]:
    """The sections to show on the record page, each (template, its context)."""
    shown = []
    for s in CHILD_SECTIONS:
        context = s.context(child, user, today)
        if context is not None:
            shown.append((s.template, context))
    return shown


def section_kinds() -> list[str]:
    """Every kind the sections read (`ChildSection.kinds`), once each."""
    return list(dict.fromkeys(kind for s in CHILD_SECTIONS for kind in s.kinds))


def links_by_group() -> dict[str, list[RecordLink]]:
    groups: dict[str, list[RecordLink]] = {}
    for link in RECORD_LINKS:
        groups.setdefault(link.group, []).append(link)
    return groups


def register_record_action(source: Callable) -> None:
    """Links another app offers on a record's page ("Write a warning letter", "Download")."""
    if source not in RECORD_ACTIONS:
        RECORD_ACTIONS.append(source)


def record_actions(child, record, user) -> list[tuple[str, str]]:
    return [link for source in RECORD_ACTIONS for link in source(child, record, user)]
