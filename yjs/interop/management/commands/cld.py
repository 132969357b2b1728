"""`yj cld --period 2024-25Q1 --out DIR`: the quarterly YJB case-level extract, validated."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yjs.audit import services as audit
from yjs.interop import cld
from yjs.periods import parse_quarter, quarter_problem


class Command(BaseCommand):
    help = (
        "Write the YJB case-level extract for a quarter (one CSV per table), the budget (B5) "
        "and staffing (B8) returns, and a validation report of what to fix before submitting."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="A quarter that has ended: 2024-25Q1")
        parser.add_argument("--out", required=True, help="Folder to write (created if missing)")
        parser.add_argument("--service", help="Service code, when the app holds several")
        parser.add_argument(
            "--data",
            help="Read this dataset folder (a snapshot, or CSV files as docs/dataset.md) instead "
            "of the app; it has no assessments",
        )
        parser.add_argument(
            "--strict", action="store_true", help="Exit non-zero when the extract has errors"
        )

    def handle(self, *args, period, out, service=None, data=None, strict=False, **options):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        from yjs.governance.management.commands._common import service_for

        try:
            q = parse_quarter(period)
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        problem = quarter_problem(q, timezone.localdate())
        if problem:
            raise CommandError(f"--period: {problem}; the YJB takes a quarter once it has ended")
        folder = Path(out)
        if folder.exists() and not folder.is_dir():
            raise CommandError(f"--out: not a folder: {out}")
        svc = service_for(service)
        steps = len(cld.TABLES) + 3
        columns = (TextColumn("{task.description}"), BarColumn())
        with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Reading the dataset", total=steps)
            try:
                source = cld.read_snapshot(Path(data)) if data else cld.read_app(svc)
            except (OSError, ValueError) as exc:
                raise CommandError(f"--data: {exc}") from None
            bar.update(task, advance=1, description="Building the extract")
            extract = cld.build(source, q)
            bar.update(task, advance=1, description="Validating")
            problems = cld.validate(extract)

            def step(name):
                bar.update(task, advance=1, description=f"Writing {name}")

            try:
                manifest = cld.write(
                    extract, problems, folder, service=svc, service_name=svc.name, progress=step
                )
            except OSError as exc:
                raise CommandError(f"--out: cannot write {out}: {exc.strerror}") from None
        audit.record(
            None,
            "EXPORT",
            description=(
                f"YJB case-level extract {q.label}: {extract.count('children')} children, "
                f"{manifest['errors']} errors, to {folder}"
            ),
        )
        verdict = (
            "ready to submit"
            if manifest["submittable"]
            else f"NOT ready to submit: {manifest['errors']} error(s)"
        )
        self.stdout.write(
            f"Wrote {folder}: {extract.count('children')} children, {verdict}, "
            f"{manifest['warnings']} warning(s); see {folder / 'validation.txt'}"
        )
        if strict and not manifest["submittable"]:
            report = folder / "validation.txt"
            raise CommandError(f"{manifest['errors']} error(s) to fix before submitting: {report}")
