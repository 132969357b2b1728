"""Backup and restore: Northshire's data comes back identical in an empty database.

The story: Northshire with its people, Jay and Kim, records about them and the audit events
of alice and mo reading them. hana backs the database up, restores it into an empty database
(a new SQLite file, or a new PostgreSQL database when the suite runs on PostgreSQL) and every
table holds exactly the same rows, the audit trail included; sessions are not in the backup.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import PASSWORD, make_child
from yjs.casework import services
from yjs.casework.models import Child, Contact

pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the suite runs on SQLite")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only when the suite runs on PostgreSQL"
)


@pytest.fixture
def story(client, northshire, people, jay, kim):
    Contact.objects.create(
        child=jay,
        contact_date=dt.date(2026, 1, 5),
        contact_type="HOME_VISIT",
        mode="FACE_TO_FACE",
        attended=True,
        worker=people["alice"],
        notes="Jay showed his new bike",
    )
    services.record_view(people["alice"], jay)
    services.record_view(people["mo"], kim)
    client.login(username="alice", password=PASSWORD)  # a session, which is not backed up
    client.get(f"/children/{jay.pk}/")
    return jay


def _order(row) -> str:
    """A sort key that does not depend on how a driver spells a time zone."""
    return repr(
        tuple(v.astimezone(dt.UTC).isoformat() if isinstance(v, dt.datetime) else v for v in row)
    )


def _source_tables() -> dict[str, list]:
    """Every table's rows through the app's own connection (the database under test)."""
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            out[table] = sorted(cursor.fetchall(), key=_order)
    return out


def _restore_elsewhere(backup, database_url, tmp_path) -> str:
    """`yj restore` in its own process against another (empty) database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "YJS_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "yjs.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "yjs.cli", "restore", str(backup)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _assert_identical(source: dict[str, list], restored: dict[str, list]) -> None:
    assert set(restored) == set(source)
    assert restored.pop("django_session") == [] and source.pop("django_session")
    assert len(source["audit_auditevent"]) >= 3 and len(source["casework_child"]) == 2
    for table, rows in source.items():
        assert restored[table] == rows, table


@on_sqlite
def test_sqlite_backup_restores_identically_into_an_empty_database(story, tmp_path):
    backup = tmp_path / "northshire.sqlite3"
    out = StringIO()
    call_command("backup", "--out", str(backup), stdout=out)
    assert "Backed up the sqlite database" in out.getvalue()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    source = _source_tables()

    empty = tmp_path / "empty.sqlite3"
    printed = _restore_elsewhere(backup, f"sqlite:///{empty}", tmp_path)
    assert "Restored" in printed and "audit events" in printed

    restored = {}
    db = sqlite3.connect(empty, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        for table in tables:
            restored[table] = sorted(db.execute(f'SELECT * FROM "{table}"').fetchall(), key=_order)
    finally:
        db.close()
    _assert_identical(source, restored)


@on_sqlite
def test_restore_refuses_a_database_with_data_unless_forced(story, tmp_path):
    backup = tmp_path / "northshire.sqlite3"
    call_command("backup", "--out", str(backup), stdout=StringIO())
    make_child(story.service, story.team, first="Late", last="Arrival")

    with pytest.raises(CommandError, match="not empty .*--force"):
        call_command("restore", str(backup))
    assert Child.objects.filter(first_name="Late").exists()

    out = StringIO()
    call_command("restore", str(backup), "--force", stdout=out)
    assert "Restored" in out.getvalue()
    assert not Child.objects.filter(first_name="Late").exists()
    assert Child.objects.filter(pk=story.pk, first_name="Jay").exists()


def test_backup_and_restore_refuse_bad_files_in_one_line(story, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    with pytest.raises(CommandError, match="is not an? "):
        call_command("restore", str(not_a_backup), "--force")
    with pytest.raises(CommandError, match="no such backup file"):
        call_command("restore", str(tmp_path / "missing.bak"))
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", "--out", str(not_a_backup))
    with pytest.raises(CommandError, match="no such folder"):
        call_command("backup", "--out", str(tmp_path / "nowhere" / "x.bak"))


@on_postgresql
def test_postgresql_backup_restores_identically_into_an_empty_database(story, tmp_path):
    import psycopg
    import psycopg.types.string

    backup = tmp_path / "northshire.dump"
    call_command("backup", "--out", str(backup), stdout=StringIO())
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    source = _source_tables()

    s = connection.settings_dict
    params = {"host": s["HOST"], "port": s["PORT"] or 5432, "user": s["USER"]}
    if s.get("PASSWORD"):
        params["password"] = s["PASSWORD"]
    name = f"{s['NAME']}_restore_{os.getpid()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        url = f"postgres://{s['USER']}{password}@{s['HOST']}:{params['port']}/{name}"
        assert "Restored" in _restore_elsewhere(backup, url, tmp_path)
        restored = {}
        with psycopg.connect(dbname=name, **params) as db:
            # JSON as the text the server sends, as Django's own connection reads it.
            db.adapters.register_loader("jsonb", psycopg.types.string.TextLoader)
            tables = db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            ).fetchall()
            for (table,) in tables:
                rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
                restored[table] = sorted(rows, key=_order)
        _assert_identical(source, restored)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
