"""Pseudonymous child identifiers for the canonical dataset.

A keyed hash of the database id: stable across snapshots (so trends and drill-downs line up),
meaningless outside this installation, and reversible only by someone who may already see the
child (the app recomputes it for the children in their reach). The key is PSEUDONYM_KEY, its own
secret (never SECRET_KEY, never one published in the repository: see yjs/settings.py).
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from django.conf import settings


def child_pseudonym(pk: int) -> str:
    return _pseudonym(settings.PSEUDONYM_KEY, int(pk))


@functools.lru_cache(maxsize=100_000)
def _pseudonym(secret: str, pk: int) -> str:
    """Kept per key and id: a drill-down recomputes the pseudonym of every child in reach
    (thousands) to find the few hundred it names."""
    key = (secret + ":child-pseudonym").encode()
    return "C" + hmac.new(key, str(pk).encode(), hashlib.sha256).hexdigest()[:12].upper()


def children_by_pseudonym(children) -> dict[str, object]:
    """Map pseudonyms back to the given children (already filtered by permission)."""
    return {child_pseudonym(c.pk): c for c in children}


def children_for_pseudonyms(children, pseudonyms) -> dict[str, object]:
    """The given children (already filtered by permission) whose pseudonyms are listed, keyed
    by pseudonym. Only ids are read for the whole queryset and only the matches are loaded: a
    drill-down names a few hundred children of a service's thousands."""
    wanted = set(pseudonyms)
    ids = {}
    for pk in children.values_list("pk", flat=True):
        pseudonym = child_pseudonym(pk)
        if pseudonym in wanted:
            ids[pk] = pseudonym
    return {ids[pk]: child for pk, child in children.in_bulk(list(ids)).items()}
