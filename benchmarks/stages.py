"""Where the KPI suite's time goes: each statement of the shared scope and each KPI, timed alone.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/stages.py --data /tmp/syn1m \\
        --period 2024-25Q1 --as-at 2025-09-30 [--with-children] [--keep /tmp/validated] \\
        [--in-memory] [--threads 1]

Prints wall seconds and the process's CPU seconds (every DuckDB thread's) per stage. On a shared
machine the wall time moves with the other sessions' load; the CPU seconds move much less, so
compare those, before and after a change, back to back. ``--keep`` keeps the validated dataset
(``load_dataset(keep_in=...)``) so a second run skips validation; ``--in-memory`` then copies
the kept tables into memory, as a run that validated the files holds them (the kept file is
compressed on disk, and reading it costs more CPU than reading the in-memory tables).
``--threads 1`` gives each stage's CPU without the threads' waiting and coordination.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import time
from pathlib import Path

from yjs.performance import engine
from yjs.performance.loader import load_dataset


def _statements(sql: str):
    """(name, statement) for each statement of a shared file, comments dropped."""
    for stmt in re.split(r";\s*\n", sql):
        body = "\n".join(line for line in stmt.splitlines()
                         if not line.strip().startswith("--")).strip()
        if body:
            m = re.search(r"(TABLE|VIEW|MACRO)\s+(\w+)", body)
            yield (m.group(2) if m else body[:30]), body


def _copy_in(con) -> None:
    """The kept copy's tables in memory, and the kept file detached."""
    tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                         "WHERE database_name = 'validated'").fetchall()
    con.execute("CREATE SCHEMA IF NOT EXISTS memory.raw")
    for schema, table in tables:
        con.execute(f"CREATE TABLE memory.{schema}.{table} AS "
                    f"SELECT * FROM validated.{schema}.{table}")
    con.execute("SET search_path = 'memory.main'")
    con.execute("DETACH validated")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--period", default="2024-25Q1")
    p.add_argument("--as-at", default="2025-09-30")
    p.add_argument("--with-children", action="store_true", help="keep the child-id lists")
    p.add_argument("--keep", help="folder for the validated copy (skips validation next time)")
    p.add_argument("--in-memory", action="store_true",
                   help="with --keep: copy the kept tables into memory first")
    p.add_argument("--threads", type=int, help="DuckDB threads (default: one per core)")
    args = p.parse_args()

    t0 = time.perf_counter()
    ds = load_dataset(args.data, keep_in=Path(args.keep) if args.keep else None,
                      threads=args.threads)
    if args.in_memory and args.keep:
        _copy_in(ds.con)
    print(f"{'load':40s} wall {time.perf_counter() - t0:6.2f}", flush=True)
    q = engine.parse_quarter(args.period)
    as_at = dt.date.fromisoformat(args.as_at)
    pop_year = engine._set_variables(ds.con, q, as_at, {})

    def timed(label, fn):
        w, c = time.perf_counter(), time.process_time()
        fn()
        print(f"{label:40s} wall {time.perf_counter() - w:6.2f}  cpu "
              f"{time.process_time() - c:6.2f}", flush=True)

    w, c = time.perf_counter(), time.process_time()
    for name in ("_scope.sql", "_health.sql"):
        for label, body in _statements(engine.sql_text(name)):
            if "MACRO" not in body.split("AS", 1)[0]:
                timed(f"{name}:{label}", lambda body=body: ds.con.execute(body))
            else:
                ds.con.execute(body)
    children = None
    if args.with_children:
        def index():
            nonlocal children
            children = engine.child_index(ds.con)

        timed("child index", index)
    for kpi in engine.KPIS:
        timed(f"kpi {kpi.id}", lambda kpi=kpi: engine.run_kpi(
            ds, kpi, q, pop_year, args.with_children, as_at, children))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{'prepare + suite':40s} wall {time.perf_counter() - w:6.2f}  cpu "
          f"{time.process_time() - c:6.2f}  peak {peak} MiB")


if __name__ == "__main__":
    main()
