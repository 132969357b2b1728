"""`yj synth --children N --out DIR [--seed S]`: a synthetic dataset (Parquet) at any scale."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Write a synthetic canonical dataset (made-up children only) as Parquet files."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **opts):
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        from yjs.performance.synth import generate

        if opts["children"] < 1:
            raise CommandError("--children must be at least 1")
        out = Path(opts["out"])
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"--out {out} is not empty")
        steps = 20
        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      transient=False) as progress:
            task = progress.add_task(f"synthetic dataset, {opts['children']:,} children",
                                     total=steps)

            def tick(name, rows):
                progress.update(task, advance=1,
                                description=f"{name}: {rows:,} rows")

            counts = generate(opts["children"], out, seed=opts["seed"], progress=tick)
        self.stdout.write(f"wrote {out}: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
