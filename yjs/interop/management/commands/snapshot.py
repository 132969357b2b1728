"""`yj snapshot`: freeze the app's database into a dated Parquet snapshot of the dataset."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yjs.interop.snapshot import take_snapshot
from yjs.performance.management.commands._common import add_service_argument, service_named


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-at: not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Write the canonical case-level dataset (Parquet) to a new dated folder and print it."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="Parent folder (default: settings.SNAPSHOT_DIR)")
        parser.add_argument("--as-at", help="As-at date recorded in the manifest (default today)")
        add_service_argument(parser)

    def handle(self, *args, out=None, as_at=None, service=None, **options):
        as_at_date = _date(as_at) if as_at else None
        if out:
            parent = Path(out)
            if parent.exists() and not parent.is_dir():
                raise CommandError(f"--out: not a folder: {out}")
        try:
            folder = take_snapshot(
                Path(out) if out else None, service=service_named(service), as_at=as_at_date
            )
        except (OSError, ValueError) as exc:
            raise CommandError(f"could not write the snapshot: {exc}") from None
        self.stdout.write(str(folder))
