"""Back up and restore the whole database: SQLite through its online backup API, PostgreSQL
through ``pg_dump -Fc`` / ``pg_restore --clean --if-exists``.

Each engine's own tool is used rather than one database-agnostic dump (``dumpdata``): it copies
everything exactly (the audit trail with its ids and hashes, sequences, triggers, constraints),
it is consistent while the app runs (SQLite's backup API copies a snapshot page by page;
``pg_dump`` reads in one repeatable-read transaction) and it is fast. Sessions are left out
(the data of ``django_session``): a restored backup signs nobody in.

A backup file is written 0600 beside its final name and renamed when complete. Restore refuses
a database that holds data unless forced, and says what it did.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections

SQLITE_HEADER = b"SQLite format 3\x00"
PG_CUSTOM_HEADER = b"PGDMP"
SKIPPED_DATA = ("django_session",)
# Tables `migrate` fills on its own: rows there do not make a database "not empty".
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_session"}

Progress = Callable[[int, int], None]  # (done, total)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message is one readable line."""


@dataclass
class Summary:
    engine: str
    path: Path
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def engine(using: str = "default") -> str:
    vendor = connections[using].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def row_counts(using: str = "default") -> dict[str, int]:
    """Rows per table of the database (every table, including the audit trail)."""
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def holds_data(using: str = "default") -> dict[str, int]:
    """Tables that hold rows, other than those `migrate` fills itself (empty when none)."""
    return {t: n for t, n in row_counts(using).items() if n and t not in BOOKKEEPING}


def _private_file(path: Path) -> Path:
    """A new empty file beside `path`, readable by its owner only."""
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    os.chmod(partial, 0o600)  # whatever the umask
    return partial


def backup(out: Path, *, using: str = "default", progress: Progress | None = None) -> Summary:
    out = Path(out)
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name")
    if not out.parent.is_dir():
        raise BackupError(f"no such folder: {out.parent}")
    kind = engine(using)
    partial = _private_file(out)
    try:
        if kind == "sqlite":
            _backup_sqlite(partial, using, progress)
        else:
            _backup_postgresql(partial, using)
        os.chmod(partial, 0o600)
        partial.rename(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(kind, out, row_counts(using))


def _backup_sqlite(path: Path, using: str, progress: Progress | None) -> None:
    connection = connections[using]
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(
            target,
            pages=256,
            progress=(lambda status, remaining, total: progress(total - remaining, total))
            if progress
            else None,
        )
        for table in SKIPPED_DATA:
            if target.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone():
                target.execute(f'DELETE FROM "{table}"')
        target.commit()
        target.execute("VACUUM")  # no deleted session row left in a free page
    finally:
        target.close()


def _pg_environment(using: str) -> dict[str, str]:
    s = connections[using].settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if s.get(key):
            env[var] = str(s[key])
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])  # not on the command line, where ps shows it
    if s.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = s["OPTIONS"]["sslmode"]
    env["PGDATABASE"] = s["NAME"]
    return env


def _run(tool: str, args: list[str], using: str) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (PostgreSQL client tools are needed)")
    result = subprocess.run(
        [tool, *args], env=_pg_environment(using), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        raise BackupError(f"{tool} failed: {lines[-1] if lines else f'exit {result.returncode}'}")


def _backup_postgresql(path: Path, using: str) -> None:
    args = ["--format=custom", f"--file={path}"]
    args += [f"--exclude-table-data={table}" for table in SKIPPED_DATA]
    _run("pg_dump", args, using)


def _check_file(path: Path, kind: str) -> None:
    if not path.is_file():
        raise BackupError(f"no such backup file: {path}")
    with open(path, "rb") as fh:
        head = fh.read(16)
    expected = SQLITE_HEADER if kind == "sqlite" else PG_CUSTOM_HEADER
    if not head.startswith(expected):
        made_by = "an SQLite backup" if kind == "sqlite" else "a pg_dump -Fc backup"
        raise BackupError(f"{path} is not {made_by} (the database here is {kind})")
    if kind == "sqlite":
        check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
        if result != "ok":
            raise BackupError(f"{path} is damaged: {result}")


def restore(
    path: Path, *, using: str = "default", force: bool = False, progress: Progress | None = None
) -> Summary:
    path = Path(path)
    kind = engine(using)
    _check_file(path, kind)
    existing = holds_data(using)
    if existing and not force:
        raise BackupError(
            f"the database is not empty ({sum(existing.values())} rows in {len(existing)} "
            "tables); restore with --force to replace everything in it"
        )
    if kind == "sqlite":
        _restore_sqlite(path, using, progress)
    else:
        _restore_postgresql(path, using)
    return Summary(kind, path, row_counts(using))


def _restore_sqlite(path: Path, using: str, progress: Progress | None) -> None:
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("cannot restore inside a transaction")
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        # Copies every page over the live database (its triggers and all), under SQLite's lock.
        source.backup(
            connection.connection,
            pages=256,
            progress=(lambda status, remaining, total: progress(total - remaining, total))
            if progress
            else None,
        )
    finally:
        source.close()
    connection.close()  # the next query opens the restored database afresh


def _restore_postgresql(path: Path, using: str) -> None:
    connections[using].close()
    _run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connections[using].settings_dict['NAME']}",
            str(path),
        ],
        using,
    )
