"""Every result of the KPI suite as text, to show a change to the engine leaves them identical.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/same_results.py --data /tmp/syn1m \\
        --period 2024-25Q1 --as-at 2025-09-30 [--with-children] > before.txt
    ... change ..., the same > after.txt; cmp before.txt after.txt

One line per result, in the engine's order: KPI, measure, dimension, category, numerator,
denominator, value, suppression, population year, extra, and with ``--with-children`` each child
list's length and SHA-256 (the sorted ids joined by newlines; at a million children the lists
hold about 24 M entries). The last line counts the rows and list entries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path

from yjs.performance import engine
from yjs.performance.loader import load_dataset


def _digest(ids) -> str:
    ids = list(ids)
    return f"{len(ids)}:{hashlib.sha256(chr(10).join(ids).encode()).hexdigest()[:16]}"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--period", default="2024-25Q1")
    p.add_argument("--as-at", default="2025-09-30")
    p.add_argument("--with-children", action="store_true")
    p.add_argument("--keep", help="folder for the validated copy (load_dataset(keep_in=...))")
    args = p.parse_args()
    ds = load_dataset(args.data, keep_in=Path(args.keep) if args.keep else None)
    res = engine.run(ds, args.period, as_at=dt.date.fromisoformat(args.as_at),
                     with_children=args.with_children)
    entries = 0
    for r in res.results:
        line = [r.kpi, r.measure, r.dimension, r.category, repr(r.numerator),
                repr(r.denominator), repr(r.value), str(r.suppressed), repr(r.population_year),
                json.dumps(r.extra, sort_keys=True, default=str)]
        if args.with_children:
            line += [_digest(r.numerator_child_ids), _digest(r.denominator_child_ids)]
            entries += len(r.numerator_child_ids) + len(r.denominator_child_ids)
        print("\t".join(line))
    print(f"# {len(res.results)} results, {entries} list entries")


if __name__ == "__main__":
    main()
