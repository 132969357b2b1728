"""Django's `flush`, able to empty the audit trail on SQLite.

SQLite has no TRUNCATE: `flush` deletes row by row, which the append-only trigger refuses.
The triggers are lifted for the flush and put back afterwards (PostgreSQL's TRUNCATE does not
fire them). Emptying the whole database is an owner's act, not a way round the audit trail.
"""

from django.core.management.commands import flush
from django.db import connections

from yjs.audit import triggers


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        triggers.remove(connection)
        try:
            return super().handle(**options)
        finally:
            triggers.install(connection)
