"""`yj demo`: load the synthetic Northshire service (see yjs/interop/demo.py)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from yjs.interop import demo


class Command(BaseCommand):
    help = "Load the synthetic Northshire demo service (never real data) and print its logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing but print the logins if the demo service exists",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=f"Random seed (default {demo.DEFAULT_SEED})",
        )
        parser.add_argument(
            "--children",
            type=int,
            default=demo.DEFAULT_CHILDREN,
            help=f"Number of children (default {demo.DEFAULT_CHILDREN})",
        )

    def handle(
        self,
        *args,
        if_empty=False,
        seed=demo.DEFAULT_SEED,
        children=demo.DEFAULT_CHILDREN,
        **options,
    ):
        console = Console(file=self.stdout._out, highlight=False)
        if children < 1:
            raise CommandError("--children must be at least 1")
        if demo.service_exists():
            if if_empty:
                console.print("The Northshire demo service is already loaded.")
                self._logins(console)
                return
            raise CommandError(
                "The Northshire demo service already exists; use a fresh "
                "database (or --if-empty to just print the logins)"
            )
        started = time.monotonic()
        with Progress(
            TextColumn("{task.description:<36}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int):
                key = "children" if stage.startswith("Generating") else "save"
                if key not in tasks:
                    tasks[key] = bar.add_task(stage, total=total)
                bar.update(tasks[key], completed=done, description=stage)

            try:
                summary = demo.load_demo(seed=seed, children=children, progress=progress)
            except IntegrityError as exc:  # e.g. a user called alice already exists
                raise CommandError(
                    f"the demo service cannot be loaded into this database ({exc}); "
                    "use a fresh database"
                ) from None
        from yjs.governance.demo import create_demo_plans
        from yjs.organisation.models import Service

        plan = create_demo_plans(Service.objects.get(code=demo.SERVICE_CODE), today=summary.today)
        from yjs.quality.demo import add_quality

        # Quality assurance (issue 14): its actions go into the plan just made.
        quality = add_quality(plan.service, summary.today, seed)
        from yjs.interop.comparators import demo_comparators
        from yjs.periods import parse_quarter, quarter_of

        comparators = demo_comparators(
            parse_quarter("2023-24Q1"), quarter_of(summary.today).previous(), seed
        )
        c = summary.counts
        console.print(
            f"Loaded the synthetic Northshire Youth Justice Service in "
            f"{time.monotonic() - started:.1f} s (seed {seed}, to {summary.today:%d %B %Y}): "
            f"{c['Child']} children, {c['Offence']} offences, {c['Outcome']} outcomes, "
            f"{c['Intervention']} interventions, {c['Remand']} remand and bail decisions, "
            f"{c['CustodyEpisode']} custody episodes, {c['Victim']} victims, "
            f"{c['Contact']} contacts, {c['BoardMeeting']} board meetings; "
            f"{plan} with its budget, staffing, actions and risks; "
            f"{quality.get('CaseAudit', 0)} case audits; "
            f"{comparators} synthetic comparator figures."
        )
        self._logins(console)

    def _logins(self, console: Console):
        table = Table(title="Demo logins (synthetic data only)", title_justify="left")
        for column in ("Username", "Role", "Team"):
            table.add_column(column)
        for row in demo.logins():
            table.add_row(*row)
        console.print(table)
        console.print(f"Password for every demo login: [bold]{demo.DEMO_PASSWORD}[/bold]")
        console.print(
            "Team managers, the head of service and admin then enter a 6-digit code from the "
            f"demo-only authenticator key [bold]{demo.DEMO_TOTP_KEY}[/bold] "
            f"(oathtool --totp -b {demo.DEMO_TOTP_KEY}; see docs/demo.md)"
        )
