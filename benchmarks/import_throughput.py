"""`yj import` throughput: N synthetic children with their offences, outcomes, outcome links and
interventions imported into an empty service, on SQLite and on PostgreSQL (issue 13).

The source is `yj synth`'s dataset (yjs/performance/synth.py) written as the canonical CSV files
of those five tables. Each database is fresh: SQLite in a temporary folder, PostgreSQL a
database of its own (`yjs_import_bench`, created and dropped here; never `test`). Only the
import is timed (reading, validating every row through the casework rules, writing in bulk,
the source ids and the audit events): not the migrations or making the files.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/import_throughput.py --children 20000
    PYTHONPATH=$PWD .venv/bin/python benchmarks/import_throughput.py --children 20000 --db postgres
    PYTHONPATH=$PWD .venv/bin/python benchmarks/import_throughput.py --children 100000 \
        --keep-source /tmp/src100k   # made once, reused by the next run (before/after pairs)

Prints one line per database (and --out FILE writes them as JSON). Not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = "yjs_import_bench"
TABLES = ("children", "offences", "outcomes", "outcome_offences", "interventions")


def make_source(children: int, folder: Path, seed: int = 13) -> dict[str, int]:
    """The synthetic dataset's five tables as CSV files; row counts."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from yjs.performance.synth import generate

    synth = folder / "synth"
    generate(children, synth, seed=seed)
    out = folder / "csv"
    out.mkdir()
    counts = {}
    for table in TABLES:
        data = pq.read_table(synth / f"{table}.parquet")
        pacsv.write_csv(data, out / f"{table}.csv")
        counts[table] = data.num_rows
    return counts


def worker(source: Path, children: int) -> dict:
    """In a process of its own (DATABASE_URL set): migrate, then time one import."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yjs.interop.importer import import_source
    from yjs.organisation.models import Service, Team

    call_command("migrate", verbosity=0)
    service = Service.objects.create(name="Import bench", code="import-bench")
    Team.objects.create(service=service, name="Imported")
    started = time.perf_counter()
    result = import_source(source, service=service)
    seconds = time.perf_counter() - started
    errors = result.errors
    return {
        "database": connection.vendor,
        "children": children,
        "seconds": round(seconds, 2),
        "children_per_second": round(children / seconds),
        "created": {t: result.counts[t]["created"] for t in TABLES},
        "warnings": len(result.problems) - len(errors),
        "errors": len(errors),
        "first_errors": [p.line() for p in errors[:5]],
    }


def run(db: str, source: Path, children: int, tmp: Path) -> dict:
    env = dict(os.environ, YJS_VAR_DIR=str(tmp / f"var-{db}"))
    Path(env["YJS_VAR_DIR"]).mkdir()
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            conn.execute(f"CREATE DATABASE {PG_NAME}")
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{PG_NAME}"
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--worker", str(source), "--children", str(children)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            raise SystemExit(f"{db}: the import failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        if db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=20000)
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--out")
    parser.add_argument(
        "--keep-source", help="folder for the source files: made if missing, else reused"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(Path(args.worker), args.children)))
        return 0
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        made = Path(args.keep_source) if args.keep_source else tmp
        if not (made / "counts.json").exists():
            made.mkdir(parents=True, exist_ok=True)
            (made / "counts.json").write_text(json.dumps(make_source(args.children, made)))
        counts = json.loads((made / "counts.json").read_text())
        print("source rows:", ", ".join(f"{t} {n:,}" for t, n in counts.items()))
        for db in ("sqlite", "postgres") if args.db == "both" else (args.db,):
            result = run(db, made / "csv", args.children, tmp)
            result["source_rows"] = counts
            results.append(result)
            print(
                f"{db}: {args.children:,} children in {result['seconds']} s = "
                f"{result['children_per_second']:,} children/s "
                f"(errors {result['errors']}, warnings {result['warnings']})"
            )
            for line in result["first_errors"]:
                print("  ", line)
    if args.out:
        Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(not r["errors"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
