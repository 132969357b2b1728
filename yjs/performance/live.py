"""The live dashboard's data: a service's newest snapshot, retaken when the casework has changed.

The engine never reads Django models; this module decides *when* to freeze a new snapshot
(a fingerprint of the operational tables differs from the one stored in the latest snapshot)
and caches each period's results beside the snapshot they came from, so a figure on screen can
always be traced to the files that produced it. Each service has its own snapshots (one folder
per service), so no figure, drill-down or download ever mixes two services. Old snapshots are
pruned to ``settings.SNAPSHOT_KEEP``, keeping any that a plan or an export still names.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
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


def _snapshots(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted((p for p in root.iterdir() if (p / FINGERPRINT).exists()), key=lambda p: p.name)


@contextlib.contextmanager
def _exclusive(root: Path):
    """One snapshot at a time per service, across threads and server processes."""
    with _lock, open(root / ".lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def current_snapshot(service=None) -> Path:
    """The service's newest snapshot if the data has not changed since, else a new one."""
    from yjs.interop.snapshot import service_root, take_snapshot, the_service

    service = the_service(service)
    root = service_root(service)
    with _exclusive(root):
        fingerprint = data_fingerprint()
        existing = _snapshots(root)
        if existing:
            latest = existing[-1]
            stored = json.loads((latest / FINGERPRINT).read_text())
            if stored.get("fingerprint") == fingerprint:
                return latest
        path = Path(
            take_snapshot(
                service=service,
                extra_files={FINGERPRINT: json.dumps({"fingerprint": fingerprint})},
            )
        )
        prune(root)
        return path


def referenced_snapshots() -> set[str]:
    """Snapshot folder names that a plan version or an export records as its source."""
    names = set()
    for label in ("governance.PlanVersion", "governance.PlanExport"):
        model = apps.get_model(label)
        for ref in model.objects.exclude(snapshot_ref="").values_list("snapshot_ref", flat=True):
            names.add(Path(ref).name)
    return names


def prune(root: Path, keep: int | None = None) -> list[Path]:
    """Remove all but the newest ``keep`` snapshots of a service, except those still named
    by a plan or an export (they must stay reproducible). Returns what was removed."""
    keep = settings.SNAPSHOT_KEEP if keep is None else keep
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".partial")),
        key=lambda p: p.name,
    )
    named = referenced_snapshots()
    removed = []
    for folder in folders[:-keep] if keep else folders:
        if folder.name not in named:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


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
    cache.parent.mkdir(exist_ok=True, mode=0o700)
    # A private temporary file of our own, then an atomic rename: two requests computing the
    # same quarter at once each write their own file and the last rename wins, whole.
    fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.stem, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(rows, fh, default=str)
    os.replace(tmp, cache)
    return rows
