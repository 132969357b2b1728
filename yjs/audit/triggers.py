"""Database triggers that refuse UPDATE and DELETE on the audit trail (append-only).

Installed by a migration and again after every `migrate` (a later migration that rebuilds the
table on SQLite would drop them). PostgreSQL does not fire row triggers on TRUNCATE, which
`flush` uses; on SQLite `flush` lifts the triggers for the length of the flush (see the
audit app's `flush` command). Removing a trigger needs the database owner's rights: the hash
chain, checked by `yj audit verify`, is what shows tampering by someone who has them.
"""

from __future__ import annotations

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"

# The one update allowed: an erasure marks the event redacted, once, leaving every chained
# column as it was (only description and changes may change; see models.py).
KEPT = (
    "id", "at", "actor_id", "actor_username", "action", "child_id", "object_type", "object_id",
    "content_hash", "prev_hash", "hash",
)  # fmt: skip
SQLITE_ERASURE = " AND ".join(
    ["OLD.redacted = 0", "NEW.redacted = 1"] + [f"NEW.{c} IS OLD.{c}" for c in KEPT]
)
POSTGRES_ERASURE = (
    "NOT OLD.redacted AND NEW.redacted AND "
    f"({', '.join('NEW.' + c for c in KEPT)}) IS NOT DISTINCT FROM "
    f"({', '.join('OLD.' + c for c in KEPT)})"
)

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
    f"WHEN NOT ({SQLITE_ERASURE}) "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]
POSTGRES_INSTALL = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'UPDATE' AND {POSTGRES_ERASURE} THEN RETURN NEW; END IF; "
    f"RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP; "
    "END $$",
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    if TABLE not in connection.introspection.table_names():
        return
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def remove(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_REMOVE)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_REMOVE)
