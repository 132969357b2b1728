"""`yj backup --out FILE`: a consistent copy of the whole database (SQLite or PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from yjs.interop.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the whole database to a new file (mode 0600); sessions are left out."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="The backup file to write (must be new)")

    def handle(self, *args, out, **options):
        with Progress(
            TextColumn("Backing up"), BarColumn(), console=Console(stderr=True), transient=True
        ) as bar:
            task = bar.add_task("backup", total=None)
            try:
                summary = backup(
                    Path(out),
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except (BackupError, OSError) as exc:
                raise CommandError(str(exc)) from None
        size = summary.path.stat().st_size
        self.stdout.write(
            f"Backed up the {summary.engine} database to {summary.path} "
            f"({size / 1_000_000:.1f} MB, mode 0600): {len(summary.rows)} tables, "
            f"{summary.total_rows} rows, {summary.rows.get('audit_auditevent', 0)} audit events"
        )
