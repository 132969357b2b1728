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
import functools
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FullResultSet
from django.db import connection

from yjs import page_cache
from yjs.performance import engine
from yjs.performance.dataset import SNAPSHOT_MANIFEST
from yjs.performance.loader import load_dataset
from yjs.periods import parse_quarter

FINGERPRINT = "fingerprint.json"
_lock = threading.Lock()
# court: hearings feed KPIs; parenting: the parenting local indicator
WATCHED_APPS = ("casework", "court", "parenting", "organisation", "governance")


def data_fingerprint() -> str:
    """Row counts and highest ids of every operational table, plus the latest audited change.

    Creates and deletes change counts or ids; edits go through the services layer, which
    writes an audit event, so the last non-view audit id catches them. One query (every page
    of figures asks, so ~50 round trips would cost more than the answers), but a scan of every
    table (~20 ms at 800 children): it is computed again only when the newest audited change
    or this process's saves moved (`page_cache.data_version`, one index probe), or after
    `page_cache.TIMEOUT` seconds, the bound for anything written outside the services.
    """
    version = page_cache.version()
    now = time.monotonic()
    known = _fingerprints.get("last")
    if known and known[0] == version and now - known[1] < page_cache.TIMEOUT:
        return known[2]
    fingerprint = _fingerprint_now()
    _fingerprints["last"] = (version, now, fingerprint)
    return fingerprint


_fingerprints: dict[str, tuple] = {}  # "last": (data version, when, fingerprint)


def _fingerprint_now() -> str:
    sql, params, labels = _fingerprint_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {i: (n, top) for i, n, top in cursor.fetchall()}
    parts = [f"{label}:{found[i][0]}:{found[i][1]}" for i, label in enumerate(labels)]
    parts.append(f"audit:{found[len(labels)][1]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


@functools.cache
def _fingerprint_query() -> tuple[str, list, list[str]]:
    """`SELECT i, COUNT(pk), MAX(pk)` of each watched table's default manager (live records
    only, as `model.objects` reads them), then the last change in the audit trail, as one
    UNION ALL. Compiled once per process: the tables do not change while it runs."""
    qn = connection.ops.quote_name
    selects, params, labels = [], [], []

    def select(i: int, queryset, count: bool) -> None:
        query = queryset.query
        table = qn(query.get_meta().db_table)
        pk = f"{table}.{qn(query.get_meta().pk.column)}"
        try:
            where, where_params = query.get_compiler(connection=connection).compile(query.where)
        except FullResultSet:  # no filter: every row
            where, where_params = "", []
        selects.append(
            f"SELECT {i}, {f'COUNT({pk})' if count else 'NULL'}, MAX({pk}) FROM {table}"
            + (f" WHERE {where}" if where else "")
        )
        params.extend(where_params)

    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            select(len(labels), model.objects.all(), count=True)
            labels.append(model._meta.label)
    AuditEvent = apps.get_model("audit", "AuditEvent")
    select(len(labels), AuditEvent.objects.filter(action__in=AuditEvent.CHANGES), count=False)
    return " UNION ALL ".join(selects), params, labels


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
    by a plan or an export (they must stay reproducible) and the newest with complete figures
    (pages show it while a refresh runs). Returns what was removed."""
    keep = settings.SNAPSHOT_KEEP if keep is None else keep
    folders = sorted(
        (p for p in root.iterdir() if p.is_dir() and not p.name.endswith(".partial")),
        key=lambda p: p.name,
    )
    named = referenced_snapshots()
    # the figures on screen until a refresh finishes: the newest snapshot whose figures are done
    shown = next((f.name for f in reversed(folders) if (f / "results" / READY).exists()), None)
    removed = []
    for folder in folders[:-keep] if keep else folders:
        if folder.name not in named and folder.name != shown:
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
    """Results per period for one snapshot, read from the files the refresh wrote beside it.

    A quarter the refresh did not cover (an old plan year, say) is computed on first use and
    kept; the dataset is loaded at most once per object, when needed.
    """

    def __init__(self, snapshot: Path, as_at: datetime.date | None = None):
        self.snapshot = Path(snapshot)
        self.as_at = as_at
        self._dataset = None
        self._read: dict[str, list[dict]] = {}

    def __call__(self, period) -> list[dict]:
        q = parse_quarter(period)
        if q.label not in self._read:
            self._read[q.label] = self._rows(q)
        return self._read[q.label]

    def _rows(self, q) -> list[dict]:
        cache = _cache_file(self.snapshot, q, self.as_at)
        if cache.exists():
            return json.loads(cache.read_text())
        if self._dataset is None:
            self._dataset = loaded(self.snapshot)
        return _compute(self._dataset, q, cache, self.as_at)

    def headlines(self, period) -> list[dict]:
        """The period's headline rows (`is_headline`), in the results' order: what the
        dashboard's cards show. Kept in a file of their own beside the results, so a page
        reads a few rows rather than every breakdown of every KPI (~300 KB a quarter)."""
        q = parse_quarter(period)
        path = _headlines_file(_cache_file(self.snapshot, q, self.as_at))
        if path.exists():
            return json.loads(path.read_text())
        rows = [r for r in self(q) if is_headline(r)]
        _write_json(path, rows)  # a snapshot computed before headline files were kept
        return rows


def is_headline(row: dict) -> bool:
    """A KPI's headline measure over all children (no breakdown): the figure on its card."""
    kpi = engine.KPI_BY_ID.get(row["kpi"])
    return kpi is not None and row["measure"] == kpi.headline.id and row["dimension"] == "all"


def results(snapshot: Path, period) -> list[dict]:
    """Every KPI result for a period, computed once per snapshot and kept beside it."""
    return Results(snapshot)(period)


def _cache_file(snapshot: Path, q, as_at: datetime.date | None = None) -> Path:
    """A quarter's figures; `as_at` ones (records dated later ignored) in a file of their own."""
    suffix = f"@{as_at.isoformat()}" if as_at else ""
    return Path(snapshot) / "results" / f"{q.yjb_label}{suffix}.json"


def _headlines_file(cache: Path) -> Path:
    return cache.with_suffix(".headlines.json")


def _write_json(path: Path, data) -> None:
    """A private temporary file of our own, then an atomic rename: two writers of the same
    file each write their own and the last rename wins, whole."""
    path.parent.mkdir(exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.stem, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, default=str)
    os.replace(tmp, path)


def _compute(dataset, q, cache: Path, as_at: datetime.date | None = None) -> list[dict]:
    # No child-id lists: nothing reads them from the cache (a drill-down reads the membership
    # ``_store_members`` keeps, with the reason), and without them the files are a fraction of
    # the size.
    with _engine_lock(dataset):
        run = engine.run(dataset, q, with_children=False, as_at=as_at)
    rows = [r.as_dict() for r in run.results]
    _write_json(cache, rows)
    _write_json(_headlines_file(cache), [r for r in rows if is_headline(r)])
    return rows


# --------------------------------------------------------------------------- loaded datasets

_loaded: dict = {}
_loaded_lock = threading.Lock()


def loaded(snapshot: Path):
    """The snapshot's dataset, loaded (validated, copied into DuckDB) once per process.

    Snapshots never change once written, so a drill-down after the first reuses the loaded
    tables instead of reading and validating every file again. Only the newest two are kept.
    """
    key = str(Path(snapshot).resolve())
    with _loaded_lock:
        if key not in _loaded:
            dataset = _restore(Path(snapshot)) or load_dataset(snapshot)
            dataset.engine_lock = threading.Lock()
            _loaded[key] = dataset
            while len(_loaded) > 2:
                _loaded.pop(next(iter(_loaded)))
        return _loaded[key]


SAVED = "dataset.duckdb"


def _save(dataset, snapshot: Path) -> None:
    """Keep the validated tables beside the snapshot's figures: a drill-down into a quarter the
    refresh did not cover then copies them back in a fraction of the time reading and
    validating the files takes."""
    from yjs.performance.loader import save_validated

    save_validated(dataset, snapshot / "results" / SAVED)


def _restore(snapshot: Path):
    """The dataset ``_save`` kept, in a new in-memory connection; None if there is none."""
    from yjs.performance.loader import restore_validated

    return restore_validated(snapshot / "results" / SAVED, snapshot)


def _engine_lock(dataset):
    """One engine call at a time per loaded dataset: each sets the period's variables on the
    connection before its queries."""
    return getattr(dataset, "engine_lock", None) or contextlib.nullcontext()


def drill(snapshot: Path, kpi, period, measure, dimension="all", category="all") -> list[dict]:
    """The children behind one figure of a snapshot: a keyed read of the membership the refresh
    stored for the quarter, or (a quarter it did not cover) the engine over the dataset loaded
    once per process. Unknown KPIs and measures raise KeyError, as the engine does."""
    k = engine.KPI_BY_ID[kpi]
    measure = measure or k.headline.id
    k.measure(measure)
    q = parse_quarter(period)
    stored = _members_file(snapshot, q)
    if stored.exists():
        return _read_members(stored, kpi, measure, dimension, category)
    dataset = loaded(snapshot)
    with _engine_lock(dataset):
        return engine.drill(dataset, kpi, q, measure, dimension, category)


# --------------------------------------------------------------------------- stored membership

MEMBERS = """
SELECT ? AS kpi, measure, dimension, coalesce(CAST(category AS VARCHAR), 'Unknown') AS category,
       child_id, bool_or(in_num) AS in_numerator, bool_or(in_den) AS in_denominator,
       coalesce(string_agg(DISTINCT detail, '; ' ORDER BY detail), '') AS why
FROM ({query}) m
WHERE child_id IS NOT NULL
GROUP BY ALL
"""


def _members_file(snapshot: Path, q) -> Path:
    return Path(snapshot) / "results" / f"{q.yjb_label}.members.parquet"


def _store_members(dataset, q, path: Path) -> None:
    """Every figure's children for one quarter (what ``engine.drill`` answers for each), one
    pass per KPI, kept as Parquet sorted by figure, so a drill-down reads only its own rows
    instead of running the KPI's membership SQL while someone waits."""
    con = dataset.con
    with _engine_lock(dataset):
        engine.prepare(dataset, q)
        con.execute("DROP TABLE IF EXISTS temp.members")
        for i, k in enumerate(engine.KPIS):
            query = MEMBERS.format(query=engine.membership_sql(con, k))
            verb = "CREATE TEMP TABLE members AS" if i == 0 else "INSERT INTO temp.members"
            con.execute(f"{verb} {query}", [k.id])
        path.parent.mkdir(exist_ok=True, mode=0o700)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        quoted = str(tmp).replace("'", "''")
        con.execute(
            "COPY (SELECT * FROM temp.members ORDER BY kpi, measure, dimension, category, "
            f"child_id) TO '{quoted}' (FORMAT parquet, ROW_GROUP_SIZE 16384)"
        )
        con.execute("DROP TABLE temp.members")
    tmp.chmod(0o600)
    os.replace(tmp, path)


_reader: dict = {}


def _members_reader():
    """One in-memory DuckDB per process for reading stored membership: opening a connection
    costs tens of milliseconds, a cursor on an open one almost nothing (and each thread needs
    its own). Made again after a fork."""
    import duckdb

    with _loaded_lock:
        if _reader.get("pid") != os.getpid():
            _reader.update(pid=os.getpid(), con=duckdb.connect(":memory:"))
        return _reader["con"].cursor()


def _read_members(path: Path, kpi, measure, dimension, category) -> list[dict]:
    con = _members_reader()
    try:
        rows = con.execute(
            "SELECT child_id, in_numerator, in_denominator, why FROM read_parquet(?) "
            "WHERE kpi = ? AND measure = ? AND dimension = ? AND category = ? ORDER BY child_id",
            [str(path), kpi, measure, dimension, category],
        ).fetchall()
    finally:
        con.close()
    return [
        {"child_id": c, "in_numerator": bool(n), "in_denominator": bool(d), "why": w or ""}
        for c, n, d, w in rows
    ]


# --------------------------------------------------------------------------- the refresh

READY = "ready.json"
REFRESH = "refresh.json"
# A refresh asked for longer ago than this without finishing is asked for again (a worker that
# died, a queue that was flushed).
REFRESH_RETRY_SECONDS = 15 * 60


def shown_quarters(today: datetime.date | None = None) -> list:
    """Every quarter the dashboard can show: each it offers, and the trend's quarters before
    the first of them. The refresh computes them all, so no page computes a figure."""
    from yjs.performance import dashboard
    from yjs.periods import quarters_between

    today = today or datetime.date.today()
    choices = dashboard.period_choices(today)
    first = choices[-1].previous(dashboard.TREND_QUARTERS - 1)
    return list(quarters_between(first, choices[0]))


def compute_all(snapshot: Path, quarters) -> dict:
    """Every quarter's results for a snapshot in one pass: the dataset is loaded once and each
    quarter's figures and the children behind them written; then ``ready.json`` says the
    snapshot's figures are complete."""
    started = time.perf_counter()
    snapshot = Path(snapshot)
    dataset = None
    for q in quarters:
        cache, members = _cache_file(snapshot, q), _members_file(snapshot, q)
        if cache.exists() and members.exists():
            continue
        if dataset is None:
            dataset = load_dataset(snapshot)
        if not cache.exists():
            _compute(dataset, q, cache)
        _store_members(dataset, q, members)
    if dataset is not None:
        _save(dataset, snapshot)
        dataset.con.close()
    ready = {
        "quarters": [q.yjb_label for q in quarters],
        "computed_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - started, 2),
    }
    _write_json(snapshot / "results" / READY, ready)
    return ready


def _ready(snapshot: Path) -> dict | None:
    path = snapshot / "results" / READY
    return json.loads(path.read_text()) if path.exists() else None


def has_figures(snapshot) -> bool:
    """Whether the refresh computed this snapshot's figures (they are kept beside it)."""
    return (Path(snapshot) / "results" / READY).exists()


def computed_quarters(snapshot) -> set[str]:
    """The quarters (YJB labels) the refresh computed for a snapshot; empty if none yet."""
    ready = _ready(Path(snapshot))
    return set(ready["quarters"]) if ready else set()


def _fingerprint_of(snapshot: Path) -> str | None:
    return json.loads((snapshot / FINGERPRINT).read_text()).get("fingerprint")


def refresh(service=None) -> str:
    """Bring a service's figures up to date: a new snapshot if the casework changed, then every
    shown quarter computed from it. What the background task runs; returns the snapshot name."""
    from yjs.interop.snapshot import service_root, the_service

    service = the_service(service)
    snapshot = current_snapshot(service)
    compute_all(snapshot, shown_quarters())
    root = service_root(service)
    with _exclusive(root):
        marker = root / REFRESH
        if marker.exists():
            asked = json.loads(marker.read_text()).get("fingerprint")
            if asked == _fingerprint_of(snapshot):
                marker.unlink(missing_ok=True)
    return snapshot.name


@dataclass
class Figures:
    """The snapshot whose figures a page shows, and whether a newer one is being computed."""

    snapshot: Path
    refreshing: bool = False

    @property
    def taken_at(self) -> datetime.datetime | None:
        return snapshot_taken_at(self.snapshot)


def figures(service=None) -> Figures:
    """The newest snapshot with complete figures; a refresh is asked for (once) when the
    casework changed since, or a new quarter began, and the page shows the older figures.

    Only when a service has no figures at all does a page compute (the quarters it shows)
    while the reader waits.
    """
    from yjs.interop.snapshot import service_root, the_service

    service = the_service(service)
    root = service_root(service)
    wanted = {q.yjb_label for q in shown_quarters()}
    fingerprint = data_fingerprint()
    done = _newest_ready(root)
    if done is None:  # never computed: this page computes what it shows, the rest is queued
        snapshot = current_snapshot(service)
        request_refresh(service, fingerprint)
        return Figures(snapshot, refreshing=_ready(snapshot) is None)
    snapshot, ready = done
    if _fingerprint_of(snapshot) == fingerprint and wanted <= set(ready["quarters"]):
        return Figures(snapshot)
    request_refresh(service, fingerprint)
    return Figures(snapshot, refreshing=True)


def _newest_ready(root: Path) -> tuple[Path, dict] | None:
    for snapshot in reversed(_snapshots(root)):
        ready = _ready(snapshot)
        if ready is not None:
            return snapshot, ready
    return None


def shown_snapshot(service=None) -> Path:
    """The snapshot whose figures the pages show, without comparing the casework with it (a
    fingerprint of every table, the slowest part of a drill-down at 5,000 children): a
    drill-down explains a figure already on screen, whose page asked for any refresh. The
    same snapshot ``figures`` gives; it decides when none is ready yet."""
    from yjs.interop.snapshot import service_root, the_service

    service = the_service(service)
    done = _newest_ready(service_root(service))
    return done[0] if done else figures(service).snapshot


def request_refresh(service, fingerprint: str) -> bool:
    """Queue one refresh per change of the casework, not one per request: a marker beside the
    snapshots records the fingerprint asked for. Returns whether a task was queued."""
    from yjs.interop.snapshot import service_root

    root = service_root(service)
    with _exclusive(root):
        marker = root / REFRESH
        if marker.exists():
            asked = json.loads(marker.read_text())
            age = time.time() - asked.get("asked_at", 0)
            if asked.get("fingerprint") == fingerprint and age < REFRESH_RETRY_SECONDS:
                return False
        _write_json(marker, {"fingerprint": fingerprint, "asked_at": time.time()})
    from yjs.performance.tasks import refresh_figures

    try:
        refresh_figures.enqueue(service.pk if service is not None else None)
    except BaseException:
        (root / REFRESH).unlink(missing_ok=True)  # not queued: the next page asks again
        raise
    return True
