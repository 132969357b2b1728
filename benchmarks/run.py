"""Benchmark the KPI suite: DuckDB engine vs a naive pandas baseline, same files, one quarter.

    .venv/bin/python benchmarks/run.py --data DIR --period 2024-25Q1 [--as-at 2025-09-30]
    .venv/bin/python benchmarks/run.py --scaling /tmp/syn100k,/tmp/syn1m,/tmp/syn3m

Each measurement runs in a fresh Python process; it reports wall seconds (load + compute) and
the process's peak resident memory. Results are printed as a Markdown table. ``--scaling``
times the engine (without and with child lists) and the hand-written DuckDB baseline over
several datasets of different sizes, one after another, for the linearity table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import datetime as dt, json, resource, sys, time, os
sys.path.insert(0, {root!r})
mode, data, period, as_at = sys.argv[1:5]
as_at = dt.date.fromisoformat(as_at)
t0 = time.perf_counter()
if mode.startswith("engine"):
    from yjs.performance.engine import run
    from yjs.performance.loader import load_dataset
    ds = load_dataset(data)
    t1 = time.perf_counter()
    kpis = None if not mode.startswith("engine-subset") else [
        "fte", "custody", "reoffending", "kpi1", "kpi2", "kpi6", "kpi9"]
    res = run(ds, period, as_at=as_at, kpis=kpis, with_children=not mode.endswith("-nolists"))
    head = {{f"{{r.kpi}}.{{r.measure}}": r.value for r in res.results if r.dimension == "all"}}
    rows = len(res.results)
elif mode == "baseline":
    sys.path.insert(0, os.path.join({root!r}, "benchmarks"))
    from duckdb_baseline import headlines
    t1 = t0
    head = {{k: v for k, v in headlines(data, period, as_at).items()}}
    rows = len(head)
else:
    sys.path.insert(0, os.path.join({root!r}, "benchmarks"))
    from pandas_baseline import run
    t1 = t0
    head = run(data, period, as_at)
    rows = len(head)
t2 = time.perf_counter()
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"mode": mode, "load_s": round(t1 - t0, 2), "total_s": round(t2 - t0, 2),
                  "peak_mib": round(peak_kib / 1024), "rows": rows, "headline": head}}))
"""


def measure(mode: str, data: str, period: str, as_at: str) -> dict:
    code = CHILD.format(root=str(ROOT))
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, mode, data, period, as_at],
                          capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{mode} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_s"] = round(time.perf_counter() - started, 2)
    return out


def _children(folder: str) -> int:
    import duckdb

    return duckdb.connect().execute(
        f"SELECT count(*) FROM read_parquet('{Path(folder) / 'children.parquet'}')").fetchone()[0]


def scaling(folders: list[str], period: str, as_at: str) -> None:
    """One table from one run: does the time grow in line with the children?"""
    from rich.progress import track

    rows = []
    for folder in track(folders, description="datasets"):
        n = _children(folder)
        runs = {m: measure(m, folder, period, as_at)
                for m in ("engine-nolists", "engine", "baseline")}
        rows.append((n, runs))
    print(f"\nperiod {period}  as at {as_at}\n")
    print("| children | load + validate s | suite s (no lists) | peak MiB (no lists) | "
          "suite s (child lists) | peak MiB (lists) | hand-written baseline s | "
          "suite s per 100k |")
    print("|---|---|---|---|---|---|---|---|")
    for n, r in rows:
        nolists, lists, base = r["engine-nolists"], r["engine"], r["baseline"]
        suite = nolists["total_s"] - nolists["load_s"]
        print(f"| {n:,} | {nolists['load_s']} | {suite:.2f} | {nolists['peak_mib']:,} | "
              f"{lists['total_s'] - lists['load_s']:.2f} | {lists['peak_mib']:,} | "
              f"{base['total_s']} | {suite / n * 100_000:.2f} |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", help="dataset folder (required unless --scaling)")
    p.add_argument("--period", default="2024-25Q1")
    p.add_argument("--as-at", default="2025-09-30")
    p.add_argument("--modes",
                   default="engine,engine-nolists,engine-subset-nolists,baseline,pandas")
    p.add_argument("--scaling", help="comma-separated dataset folders of growing size")
    args = p.parse_args()
    if args.scaling:
        scaling(args.scaling.split(","), args.period, args.as_at)
        return
    if not args.data:
        p.error("--data is required")
    results = [measure(m, args.data, args.period, args.as_at) for m in args.modes.split(",")]
    print(f"\nData: {args.data}  period {args.period}  as at {args.as_at}\n")
    print("| run | load s | total s | process wall s | peak MiB | result rows |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['mode']} | {r['load_s']} | {r['total_s']} | {r['wall_s']} | "
              f"{r['peak_mib']} | {r['rows']} |")
    engine = next((r for r in results if r["mode"].startswith("engine")), None)
    pandas = next((r for r in results if r["mode"] == "pandas"), {"headline": {}})
    baseline = next((r for r in results if r["mode"] == "baseline"), {"headline": {}})
    if engine:
        pairs = {"fte_rate": "fte.fte_rate", "custody_rate": "custody.custody_rate",
                 "binary_3m": "reoffending.binary_3m", "kpi1": "kpi1.suitable_end",
                 "kpi2": "kpi2.suitable_end", "kpi6": "kpi6.completed", "kpi9": "kpi9.sv_rate"}
        print("\n| headline | engine | hand-written DuckDB (numerator / denominator) | pandas |"
              "\n|---|---|---|---|")
        for k, e in pairs.items():
            base = baseline["headline"].get(e)
            shown = f"{base[0]:,} / {base[1]:,}" if base else ""
            print(f"| {k} | {engine['headline'].get(e)} | {shown} | {pandas['headline'].get(k)} |")


if __name__ == "__main__":
    main()
