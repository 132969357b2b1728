"""DuckDB and Spark (local mode) on the same snapshot: the KPI suite for one quarter.

    .venv/bin/yj synth --children 100000 --out /tmp/syn100k
    .venv/bin/python benchmarks/engines.py --data /tmp/syn100k --period 2024-25Q4

Times (wall seconds) the load and validation, Spark's start, the export to Parquet for Spark,
and each engine's run of every KPI without child lists (the CLI's default), then checks the
figures are equal. Figures for docs/scaling.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--period", default="2024-25Q4")
    parser.add_argument("--workdir", default="/tmp/yjs-spark-bench")
    args = parser.parse_args()

    import shutil

    from yjs.performance import engine
    from yjs.performance.loader import load_dataset
    from yjs.performance.spark import attach, local_session

    def timed(label, fn):
        t = time.perf_counter()
        out = fn()
        print(f"{label:<34} {time.perf_counter() - t:8.1f} s", flush=True)
        return out

    loaded = timed("load and validate (DuckDB)", lambda: load_dataset(args.data))
    duck = timed("KPI suite on DuckDB", lambda: engine.run(loaded, args.period,
                                                           with_children=False))
    spark = timed("Spark start (local[2])", local_session)
    shutil.rmtree(args.workdir, ignore_errors=True)
    dataset = timed("export Parquet for Spark", lambda: attach(loaded, spark, args.workdir))
    on_spark = timed("KPI suite on Spark", lambda: engine.run(dataset, args.period,
                                                              with_children=False))
    key = lambda r: (r.kpi, r.measure, r.dimension, r.category)  # noqa: E731
    a = {key(r): r.as_dict() for r in duck.results}
    b = {key(r): r.as_dict() for r in on_spark.results}
    same = sum(a[k] == b.get(k) for k in a)
    print(f"result rows equal: {same} of {len(a)} (Spark has {len(b)})")
    spark.stop()


if __name__ == "__main__":
    main()
