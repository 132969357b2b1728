"""Pseudonymous child identifiers for the canonical dataset.

A keyed hash of the database id: stable across snapshots (so trends and drill-downs line up),
meaningless outside this installation, and reversible only by someone who may already see the
child (the app recomputes it for the children in their reach). The key is PSEUDONYM_KEY, its own
secret (never SECRET_KEY, never one published in the repository: see yjs/settings.py).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def child_pseudonym(pk: int) -> str:
    key = (settings.PSEUDONYM_KEY + ":child-pseudonym").encode()
    return "C" + hmac.new(key, str(pk).encode(), hashlib.sha256).hexdigest()[:12].upper()


def children_by_pseudonym(children) -> dict[str, object]:
    """Map pseudonyms back to the given children (already filtered by permission)."""
    return {child_pseudonym(c.pk): c for c in children}
