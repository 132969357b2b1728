"""`yj restore FILE [--force]`: put a backup made by `yj backup` back into the database."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from yjs.interop.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup made by `yj backup`; refuses a database holding data without --force."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that already holds data"
        )

    def handle(self, *args, file, force=False, **options):
        with Progress(
            TextColumn("Restoring"), BarColumn(), console=Console(stderr=True), transient=True
        ) as bar:
            task = bar.add_task("restore", total=None)
            try:
                summary = restore(
                    Path(file),
                    force=force,
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except (BackupError, OSError) as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Restored {summary.path} into the {summary.engine} database "
            f"{connection.settings_dict['NAME']}: {len(summary.rows)} tables, "
            f"{summary.total_rows} rows, {summary.rows.get('audit_auditevent', 0)} audit events"
        )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("The backup is older than the code: run `yj migrate` next.")
