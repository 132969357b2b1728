"""Writing an import's new records in bulk, inside the import's one transaction.

On PostgreSQL the rows go in by COPY from a thread of their own (`Copier`): the database takes
in one batch (its indexes, its foreign-key checks) in its own process while the import
prepares the next batch here, so the import uses both cores. On SQLite each batch is one
prepared INSERT (`executemany`), run at once. Ids are taken before the rows are written, so
the records that refer to them can be prepared meanwhile.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from django.db import connection, router
from django.db.models import Field

BATCH = 2000
# Rows a COPY or INSERT of the import takes at once: few statements (each one's end waits for
# the database and for this process's other thread), yet the next batch is prepared meanwhile.
ROWS = 20_000


def batches(items, size: int = BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Copier:
    """Runs the import's statements one after another: on PostgreSQL in a thread of its own,
    on the import's connection (psycopg runs one statement at a time on it) and so in the
    import's transaction; elsewhere at once, here.

    A statement queued here is written some time later: `drain` waits for all of them, and
    must be asked before this thread reads or writes the database itself. While it is open,
    the foreign keys of `tables` are checked at the end of each statement rather than at
    commit (`SET CONSTRAINTS ... IMMEDIATE`), so that work runs alongside too; they are
    deferred again when it closes. A failed statement stops the rest; its error is raised here.
    """

    def __init__(self, tables: Iterable[str] = ()):
        self.threaded = connection.vendor == "postgresql"
        self.pending: list[Future] = []
        self.constraints = ""
        if not self.threaded:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT format('%%I.%%I', n.nspname, c.conname) FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace "
                "JOIN pg_class t ON t.oid = c.conrelid "
                "WHERE c.contype = 'f' AND c.condeferred AND t.relname = ANY(%s) "
                "AND pg_table_is_visible(t.oid) ORDER BY 1",
                [sorted(set(tables))],
            )
            self.constraints = ", ".join(name for (name,) in cursor.fetchall())
            if self.constraints:
                cursor.execute(f"SET CONSTRAINTS {self.constraints} IMMEDIATE")
        self.raw = connection.connection
        self.errors = connection.wrap_database_errors  # psycopg's errors as Django's
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="yj-import-write")

    def __enter__(self) -> Copier:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.threaded:
            return
        if exc_type is not None:  # nothing more is written; the transaction rolls back
            self.pool.shutdown(wait=True, cancel_futures=True)
            failed = next((f.exception() for f in self.pending if _failed(f)), None)
            if failed is not None and failed is not exc:
                raise failed from exc  # the statement that failed first, not what followed
            return
        try:
            self.drain()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.constraints:
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {self.constraints} DEFERRED")

    def run(self, job: Callable, *args) -> Future:
        """`job(cursor, *args)`, after every statement queued before it."""
        future: Future = Future()
        if not self.threaded:
            with connection.cursor() as cursor:
                future.set_result(job(cursor, *args))
            return future
        failed = next((f for f in self.pending if _failed(f)), None)
        if failed is not None:
            failed.result()  # raises it
        self.pending = [f for f in self.pending if not f.done() or _failed(f)]
        future = self.pool.submit(self._in_thread, job, args)
        self.pending.append(future)
        return future

    def _in_thread(self, job, args):
        with self.errors, self.raw.cursor() as cursor:
            return job(cursor, *args)

    def drain(self) -> None:
        """Wait until every statement queued is written (raising the first that failed)."""
        for future in self.pending:
            future.result()
        self.pending = []

    def insert(self, model, objs: list, ids: list[int] | None = None) -> None:
        """Insert new records with the ids given (`take_ids`), setting them, or without
        (the table's own sequence numbers them in order; nothing reads them back). The rows are
        the same as `bulk_create`'s (auto_now stamps, related records' ids, each value as the
        field stores it), without Django's per-value SQL building (most of a bulk insert's
        time). Records were judged before; no signal is sent, as with `bulk_create`."""
        if not objs:
            return
        if connection.vendor not in ("postgresql", "sqlite"):
            self.drain()
            model.objects.bulk_create(objs, batch_size=BATCH)
            return
        meta = model._meta
        fields = list(meta.concrete_fields)
        auto = [
            f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        stamped = [
            f
            for f in fields
            if not f.primary_key and f not in auto and type(f).pre_save is not Field.pre_save
        ]
        # auto_now(_add) stamps: one moment for the batch, as the records are written together
        stamps = [(f.attname, f.pre_save(objs[0], add=True)) for f in auto]
        relations = _relations(model)
        alias = connection.alias
        for obj, pk in zip(objs, ids or [None] * len(objs), strict=True):
            if relations is None:
                obj._prepare_related_fields_for_save("bulk_create")
            else:
                _link_related(obj, relations)
            for name, value in stamps:
                setattr(obj, name, value)
            for f in stamped:
                f.pre_save(obj, add=True)
            if pk is not None:
                obj.pk = pk
            obj._state.adding = False
            obj._state.db = alias
        if ids is None:
            fields = [f for f in fields if not f.primary_key]
        names = [f.attname for f in fields]
        # PostgreSQL's COPY takes the values as they are, but for JSON (psycopg's Jsonb)
        convert = [
            _db_value(f) if not self.threaded or f.get_internal_type() == "JSONField" else None
            for f in fields
        ]
        if not any(convert):
            rows = [[getattr(obj, name) for name in names] for obj in objs]
        else:
            pairs = list(zip(convert, names, strict=True))
            rows = [
                [getattr(obj, name) if c is None else c(getattr(obj, name)) for c, name in pairs]
                for obj in objs
            ]
        self.run(_write, self._statement(meta.db_table, [f.column for f in fields]), rows)

    def insert_rows(self, model, names: list[str], rows: list[tuple]) -> None:
        """Insert rows given as tuples of the named fields' values (the id is the table's
        next): records nothing reads back, written without building a model instance each."""
        if not rows:
            return
        fields = [model._meta.get_field(n) for n in names]
        if connection.vendor not in ("postgresql", "sqlite"):
            self.drain()
            attnames = [f.attname for f in fields]
            model.objects.bulk_create(
                [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=BATCH
            )
            return
        statement = self._statement(model._meta.db_table, [f.column for f in fields])
        if not self.threaded:
            convert = [_db_value(f) for f in fields]
            rows = [[c(v) for c, v in zip(convert, row, strict=True)] for row in rows]
            self.run(_write, statement, rows)
            return
        for batch in batches(rows, ROWS):
            self.run(_write, statement, batch)

    def _statement(self, table: str, columns: list[str]) -> str:
        quote = connection.ops.quote_name
        names = ", ".join(quote(c) for c in columns)
        if self.threaded:
            return f"COPY {quote(table)} ({names}) FROM STDIN"
        marks = ", ".join(["%s"] * len(columns))
        return f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"


def take_ids(copier: Copier, wanted: dict) -> Future:
    """{key: ids} for {key: (model, n)}: `n` ids for new rows of each model's table, taken
    before they are written (by the copier, so the import can go on meanwhile)."""
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):  # bulk_create sets them
        done: Future = Future()
        done.set_result({key: [None] * n for key, (_, n) in wanted.items()})
        return done
    quote = connection.ops.quote_name
    wanted = {
        key: (model._meta.db_table, model._meta.pk.column, n) for key, (model, n) in wanted.items()
    }
    return copier.run(_new_ids, vendor, quote, wanted)


def _failed(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is not None


@functools.cache
def _relations(model):
    """The model's foreign keys, with what `_link_related` reads of each (None when the model
    has generic relations: Django's own check)."""
    if model._meta.private_fields:
        return None
    return tuple(
        (f, f.cache_name, f.attname, f.target_field.attname, f.empty_values)
        for f in model._meta.concrete_fields
        if f.is_relation
    )


def _link_related(obj, relations) -> None:
    """`Model._prepare_related_fields_for_save` over the foreign keys alone: a related record
    saved earlier in the import gives its id; an unsaved one is refused by Django's own
    check (its message). Where both records are of the same database and no router is set,
    the id is copied as the relation's descriptor would (it would keep the same record cached
    and change nothing else); otherwise the descriptor itself is asked."""
    cache = obj._state.fields_cache
    values = obj.__dict__
    for fk, name, attname, target, empty in relations:
        related = cache.get(name)
        if not related:
            continue
        if not related._is_pk_set():
            obj._prepare_related_fields_for_save("bulk_create")  # raises
        elif getattr(obj, attname) in empty:
            if (
                obj._state.db is not None
                and obj._state.db == related._state.db
                and not router.routers
            ):
                values[attname] = getattr(related, target)
            else:
                setattr(obj, fk.name, related)
        if getattr(related, target) != getattr(obj, attname):
            fk.delete_cached_value(obj)


# Values the SQLite driver stores as Django would, without the field's conversion.
_AS_IS = (str, int, bool, float)
_AS_IS_FIELDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "FloatField",
        "ForeignKey",
        "IntegerField",
        "OneToOneField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SmallAutoField",
        "SmallIntegerField",
        "TextField",
    }
)


def _db_value(field) -> Callable:
    """The value as the field stores it (`get_db_prep_save`), skipped for plain values of
    plain fields (text, numbers, ids), where it would give the same value back, and asked once
    per distinct value of the batch."""

    done: dict = {}  # a batch repeats its dates and stamps: each converted once

    def prepare(value):
        key = (type(value), value)
        try:
            return done[key]
        except KeyError:
            done[key] = out = field.get_db_prep_save(value, connection)
            return out
        except TypeError:  # not hashable (a JSON value)
            return field.get_db_prep_save(value, connection)

    if field.get_internal_type() not in _AS_IS_FIELDS:
        return prepare
    return lambda value: value if value is None or type(value) in _AS_IS else prepare(value)


def _new_ids(cursor, vendor: str, quote, wanted: dict) -> dict:
    """{key: ids} for {key: (table, id column, n)}."""
    out = {}
    for key, (table, pk, n) in wanted.items():
        if not n:
            out[key] = []
        elif vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, n],
            )
            out[key] = [i for (i,) in cursor.fetchall()]
        else:
            # SQLite: past every id used (AUTOINCREMENT never reuses one); the transaction
            # holds the database's write lock (IMMEDIATE), so no other writer takes them.
            cursor.execute(f"SELECT MAX({quote(pk)}) FROM {quote(table)}")
            (top,) = cursor.fetchone()
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            seq = cursor.fetchone()
            first = max(top or 0, seq[0] if seq else 0) + 1
            out[key] = list(range(first, first + n))
    return out


def _write(cursor, statement: str, rows: list) -> None:
    if statement.startswith("COPY"):
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    cursor.executemany(statement, rows)
