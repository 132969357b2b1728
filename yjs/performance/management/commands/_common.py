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


def resolve_data(data: str | None) -> Path:
    """The dataset folder: --data, or a fresh snapshot of the app's database."""
    if data:
        path = Path(data)
        if not path.is_dir():
            raise CommandError(f"--data: no such folder: {data}")
        return path
    try:
        from yjs.interop.snapshot import take_snapshot  # lazy: only the CLI touches the app DB
    except ImportError as exc:
        raise CommandError(f"no --data given and the app snapshot is unavailable ({exc})") from None
    try:
        return Path(take_snapshot(out_dir=None))
    except Exception as exc:  # any failure must be one readable line
        raise CommandError(f"could not snapshot the app database: {exc}") from None


def load(path: Path):
    from yjs.performance.loader import DatasetError, load_dataset

    try:
        return load_dataset(path)
    except DatasetError as exc:
        raise CommandError(f"bad input: {exc}") from None
