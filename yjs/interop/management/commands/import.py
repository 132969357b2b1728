"""`yj import SOURCE`: bring another system's children and records into the casework."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from yjs.interop.importer import ImportFailed, import_source, load_mapping
from yjs.organisation.models import Service, Team, User

WARNINGS_SHOWN = 20  # every warning is in the report; every error is printed too


class Command(BaseCommand):
    help = (
        "Import a folder of CSV files or an XLSX workbook (the canonical dataset, or another "
        "system's layout through --mapping) into a service's casework. Every row is checked "
        "first; with any problem nothing is written (docs/import.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="folder of CSV files, or an .xlsx workbook")
        parser.add_argument("--mapping", help="TOML mapping of another system's layout")
        parser.add_argument("--dry-run", action="store_true", help="check and report only")
        parser.add_argument("--service", help="service code (needed when the app holds several)")
        parser.add_argument("--team", help="team for new children (default: the first by name)")
        parser.add_argument("--user", help="username the import is recorded as (audit)")
        parser.add_argument(
            "--report", help="CSV of every problem (default: import-report.csv in this folder)"
        )

    def handle(
        self,
        *args,
        source,
        mapping=None,
        dry_run=False,
        service=None,
        team=None,
        user=None,
        report=None,
        **options,
    ):
        service_obj = self._service(service)
        team_obj = None
        if team:
            team_obj = Team.objects.filter(service=service_obj, name__iexact=team).first()
            if team_obj is None:
                raise CommandError(f"--team: no team {team!r} in {service_obj.code}")
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"--user: no user {user!r}")
        console = Console(stderr=True)
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        ) as bar:

            def progress(items, label):
                yield from bar.track(items, description=label)

            try:
                result = import_source(
                    source,
                    service=service_obj,
                    mapping=load_mapping(mapping),
                    dry_run=dry_run,
                    actor=actor,
                    team=team_obj,
                    progress=progress,
                )
            except ImportFailed as exc:
                raise CommandError(str(exc)) from None
            except OSError as exc:
                raise CommandError(
                    f"cannot read {exc.filename or source}: {exc.strerror}"
                ) from None
            except ValidationError as exc:  # a record changed here while the import ran
                raise CommandError(f"nothing imported: {' '.join(exc.messages)}") from None
        report_path = Path(report or "import-report.csv")
        warnings = [p for p in result.problems if p.severity != "error"]
        for problem in result.errors + warnings[:WARNINGS_SHOWN]:
            self.stdout.write(problem.line())
        if len(warnings) > WARNINGS_SHOWN:
            self.stdout.write(f"... and {len(warnings) - WARNINGS_SHOWN} more warnings (report)")
        try:
            result.write_csv(report_path)
        except OSError as exc:
            raise CommandError(f"cannot write the report {report_path}: {exc.strerror}") from None
        errors = result.errors
        if errors:
            raise CommandError(
                f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {source}: nothing "
                f"imported (report: {report_path})"
            )
        for line in result.summary():
            self.stdout.write(f"would be {line}" if dry_run else line)
        verb = "Checked (dry run, nothing written)" if dry_run else "Imported"
        self.stdout.write(f"{verb}: {source} into {service_obj.code} (report: {report_path})")

    def _service(self, code):
        if code:
            found = Service.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"--service: no service with code {code!r}")
            return found
        services = list(Service.objects.all()[:2])
        if len(services) != 1:
            raise CommandError(
                "--service: give the service's code (the app holds "
                f"{'none' if not services else 'several'})"
            )
        return services[0]
