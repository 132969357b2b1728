"""Helpers shared by the performance commands: dataset resolution and readable errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import CommandError


def parse_date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: not a date (YYYY-MM-DD): {value!r}") from None


def resolve_data(data: str | None, service_code: str | None = None) -> Path:
    """The dataset folder: --data, or the service's live snapshot of the app's database."""
    if data:
        path = Path(data)
        if not path.is_dir():
            raise CommandError(f"--data: no such folder: {data}")
        return path
    try:  # lazy: only the CLI touches the app DB
        from yjs.performance.live import current_snapshot
    except ImportError as exc:
        raise CommandError(f"no --data given and the app snapshot is unavailable ({exc})") from None
    try:
        return Path(current_snapshot(service_named(service_code)))
    except CommandError:
        raise
    except Exception as exc:  # any failure must be one readable line
        raise CommandError(f"could not snapshot the app database: {exc}") from None


def service_named(code: str | None):
    """The service with this code (None: let the snapshot pick the only one)."""
    if not code:
        return None
    from yjs.organisation.models import Service

    try:
        return Service.objects.get(code=code)
    except Service.DoesNotExist:
        raise CommandError(f"--service: no service with code {code!r}") from None


def add_service_argument(parser) -> None:
    parser.add_argument("--service", help="service code, when the app holds several")


def load(path: Path, keep: bool = False, memory_limit: str | None = None):
    """The validated dataset; with ``keep`` the validated tables are kept under VAR_DIR, so the
    next command over the same files skips reading and checking them again. Under a
    ``memory_limit`` what does not fit goes to VAR_DIR/tmp (owner only)."""
    from django.conf import settings

    from yjs.performance.loader import load_dataset

    keep_in = Path(settings.VAR_DIR) / "validated" if keep else None
    if keep_in is not None:
        keep_in.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        return load_dataset(path, keep_in=keep_in, memory_limit=memory_limit,
                            spill_to=Path(settings.VAR_DIR) / "tmp")
    except ValueError as exc:  # DatasetError too: one readable line
        raise CommandError(f"bad input: {exc}") from None
