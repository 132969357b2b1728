"""Casework pages built once per change: the part of a page that only the data decides.

A practitioner opens the caseload and the same children's records many times between two
changes to the data; each opening rebuilt the same rows, alerts and HTML (~80 ms of ~110 on
the team caseload). Here a page's main content is kept, per process, under a key of:

- the **session** (so the user, their role and scope, and the CSRF secret of any form in it:
  two people, or one person signed in twice, never share an entry);
- the **full path** with its query (filters, the record's timeline view);
- **today** (alerts and due dates move with the date);
- the **data version**: the id of the newest change in the audit trail. Every change goes
  through a service that audits it (docs/security.md), so any saved change makes a new key.

A save or delete in this process (any model but the trail and the sessions) also makes a new
key at once, audited or not. An entry lives at most `TIMEOUT` seconds: a bound on staleness
for anything written outside the services. What the page shows is still audited at every
opening: an entry keeps the ids of the children it lists, and the view records the view.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable

from django.core.cache import caches
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save

from yjs.audit.models import AuditEvent

ALIAS = "pages"
TIMEOUT = 120  # seconds
_IGNORED = {"audit.auditevent", "sessions.session", "axes.accessattempt", "axes.accesslog"}
_saves = itertools.count()
_saved = 0  # saves and deletes seen in this process


def _seen(sender, **kwargs) -> None:
    global _saved
    if sender._meta.label_lower not in _IGNORED:
        _saved = next(_saves)


for _signal in (post_save, post_delete, m2m_changed):
    _signal.connect(_seen, dispatch_uid=f"page_cache.{_signal}")


def data_version() -> int:
    """The id of the newest audited change (one probe of the `audit_change_id` index)."""
    found = AuditEvent.objects.filter(action__in=AuditEvent.CHANGES).aggregate(top=Max("id"))
    return found["top"] or 0


def version() -> tuple[int, int]:
    """What moves with any change: the newest audited change and this process's saves."""
    return data_version(), _saved


def key(request, today, on=None) -> str:
    """The entry of this page for this session, today, at the current data version (or `on`,
    what the content depends on instead). Read the version before the data, so an entry is
    never older than its key says."""
    session = request.session.session_key or ""
    depends = str(version() if on is None else on)
    raw = "|".join([session, request.get_full_path(), today.isoformat(), depends])
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(request, today, build: Callable[[], tuple[str, list[int]]], *, on=None):
    """(HTML, ids of the children it shows): from the cache, or from `build()` and kept.

    `on`: what the content depends on instead of the casework, as the dashboard's cards
    depend only on the snapshot they show. No session (an API call), nothing is kept."""
    if not request.session.session_key:
        return build()
    entry_key = key(request, today, on)
    store = caches[ALIAS]
    found = store.get(entry_key)
    if found is None:
        found = build()
        store.set(entry_key, found, TIMEOUT)
    return found
