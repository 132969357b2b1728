"""The live dashboard's data: the newest snapshot, retaken when the casework has changed.

The engine never reads Django models; this module decides *when* to freeze a new snapshot
(a fingerprint of the operational tables differs from the one stored beside the latest
snapshot) and caches each period's results beside the snapshot they came from, so a figure on
screen can always be traced to the files that produced it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import threading
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max

from yjs.performance import engine
from yjs.performance.dataset import SNAPSHOT_MANIFEST
from yjs.performance.loader import load_dataset
from yjs.periods import parse_quarter

FINGERPRINT = "fingerprint.json"
_lock = threading.Lock()
WATCHED_APPS = ("casework", "organisation", "governance")


def data_fingerprint() -> str:
    """Row counts and highest ids of every operational table, plus the latest audited change.

    Creates and deletes change counts or ids; edits go through the services layer, which
    writes an audit event, so the last non-view audit id catches them.
    """
    parts = []
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            agg = model.objects.aggregate(n=Count("pk"), top=Max("pk"))
            parts.append(f"{model._meta.label}:{agg['n']}:{agg['top']}")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.filter(action__in=AuditEvent.CHANGES).aggregate(top=Max("pk"))["top"]
    parts.append(f"audit:{last}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _snapshots() -> list[Path]:
    root = Path(settings.SNAPSHOT_DIR)
    if not root.exists():
        return []
    return sorted((p for p in root.iterdir() if (p / FINGERPRINT).exists()), key=lambda p: p.name)


def current_snapshot() -> Path:
    """The newest snapshot if the data has not changed since it was taken, else a new one."""
    from yjs.interop.snapshot import take_snapshot

    with _lock:
        fingerprint = data_fingerprint()
        existing = _snapshots()
        if existing:
            latest = existing[-1]
            stored = json.loads((latest / FINGERPRINT).read_text())
            if stored.get("fingerprint") == fingerprint:
                return latest
        path = Path(take_snapshot())
        (path / FINGERPRINT).write_text(json.dumps({"fingerprint": fingerprint}))
        return path


def snapshot_taken_at(path: Path) -> datetime.datetime | None:
    manifest = path / SNAPSHOT_MANIFEST
    if manifest.exists():
        taken = json.loads(manifest.read_text()).get("taken_at")
        return datetime.datetime.fromisoformat(taken) if taken else None
    return None


class Results:
    """Results per period for one snapshot; the dataset is loaded at most once, when needed."""

    def __init__(self, snapshot: Path):
        self.snapshot = snapshot
        self._dataset = None

    def __call__(self, period) -> list[dict]:
        q = parse_quarter(period)
        cache = self.snapshot / "results" / f"{q.yjb_label}.json"
        if cache.exists():
            return json.loads(cache.read_text())
        if self._dataset is None:
            self._dataset = load_dataset(self.snapshot)
        return _compute(self._dataset, q, cache)


def results(snapshot: Path, period) -> list[dict]:
    """Every KPI result for a period, computed once per snapshot and kept beside it."""
    return Results(snapshot)(period)


def _compute(dataset, q, cache: Path) -> list[dict]:
    run = engine.run(dataset, q)
    rows = [r.as_dict(with_children=True) for r in run.results]
    cache.parent.mkdir(exist_ok=True)
    tmp = cache.with_suffix(".tmp")
    tmp.write_text(json.dumps(rows, default=str))
    tmp.replace(cache)
    return rows
