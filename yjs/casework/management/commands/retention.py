"""`yj retention list`: children whose records are due for review under the retention rule."""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from yjs.casework import retention
from yjs.organisation.models import Service


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--on: not a date (YYYY-MM-DD): {value!r}") from None


def _service(code: str | None) -> Service:
    if code:
        try:
            return Service.objects.get(code=code)
        except Service.DoesNotExist:
            raise CommandError(f"--service: no service with code {code!r}") from None
    services = list(Service.objects.order_by("code")[:2])
    if len(services) != 1:
        raise CommandError(
            "--service CODE is needed: "
            + ("there is no service yet" if not services else "there is more than one service")
        )
    return services[0]


class Command(BaseCommand):
    help = "List the children whose records are due for retention review (and may be erased)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list"])
        parser.add_argument("--service", help="Service code (needed when there are several)")
        parser.add_argument("--on", help="Review as at this date (default today)")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, action, service=None, on=None, format="table", **options):
        today = _date(on) if on else dt.date.today()
        svc = _service(service)
        due = retention.review_list(None, svc, today)
        rows = [
            {
                "reference": r.reference,
                "age_band": r.age_band,
                "closed_on": r.closed_on.isoformat(),
                "due_since": r.due_since.isoformat(),
            }
            for r in due
        ]
        if format == "json":
            self.stdout.write(json.dumps({"rule": retention.rule_text(), "due": rows}, indent=2))
            return
        console = Console(file=self.stdout, width=100)
        table = Table(title=f"{svc.name}: records due for review", caption=retention.rule_text())
        for column in ("YJS reference", "Age band", "Case closed on", "Due since"):
            table.add_column(column)
        for row in rows:
            table.add_row(*row.values())
        console.print(table)
        console.print(f"{len(rows)} record(s) due. Erase each from its page in the app.")
