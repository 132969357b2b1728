"""Where loading a snapshot's time goes: every statement of ``load_dataset``, timed alone.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/load_stages.py --data /tmp/syn1m [--top 30]

Tables are read one at a time here (``loader.TABLES_AT_ONCE = 1``) so each statement's CPU
seconds (the process's, every DuckDB thread's) are its own; the load itself reads two at a time.
Prints the costliest statements, then the totals by kind (reading the files, the pass of
reference and date checks, the key checks, the rest) and the load's wall and CPU seconds and
peak memory. Compare CPU seconds before and after a change, back to back: on a shared machine
the wall time moves with the other sessions' load.
"""

from __future__ import annotations

import argparse
import collections
import resource
import time

from yjs.performance import loader

KINDS = (("read and type-check files", "INSERT INTO raw."),
         ("references and dates (one pass a table)", "min(t.__row) FILTER"),
         ("keys in ascending order", "OVER ()"),
         ("duplicate keys (GROUP BY)", "HAVING count(*) > 1"),
         ("rows that fail a check", "ORDER BY t.__row LIMIT"))


class _Timed:
    """A connection (or cursor) whose statements are timed into ``log``."""

    def __init__(self, con, log):
        self._con, self._log = con, log

    def execute(self, sql, *args):
        w, c = time.perf_counter(), time.process_time()
        result = self._con.execute(sql, *args)
        self._log.append((time.perf_counter() - w, time.process_time() - c,
                          " ".join(str(sql).split())))
        return result

    def cursor(self):
        return _Timed(self._con.cursor(), self._log)

    def __getattr__(self, name):
        return getattr(self._con, name)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", required=True)
    p.add_argument("--top", type=int, default=25, help="how many statements to list")
    p.add_argument("--threads", type=int, help="DuckDB threads (default: one per core)")
    args = p.parse_args()

    log: list[tuple[float, float, str]] = []
    connect = loader._connect

    def timed_connect(*a, **kw):
        con = connect(*a, **kw)
        return _Timed(con, log) if kw.get("database") is not None else con

    loader._connect, loader.TABLES_AT_ONCE = timed_connect, 1
    w, c = time.perf_counter(), time.process_time()
    loader.load_dataset(args.data, threads=args.threads)
    wall, cpu = time.perf_counter() - w, time.process_time() - c

    for s_wall, s_cpu, sql in sorted(log, key=lambda r: -r[1])[:args.top]:
        print(f"wall {s_wall:6.2f}  cpu {s_cpu:6.2f}  {sql[:110]}")
    kinds: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0])
    for s_wall, s_cpu, sql in log:
        kind = next((k for k, marker in KINDS if marker in sql), "the rest")
        kinds[kind][0] += 1
        kinds[kind][1] += s_wall
        kinds[kind][2] += s_cpu
    print()
    for kind, (n, s_wall, s_cpu) in sorted(kinds.items(), key=lambda x: -x[1][2]):
        print(f"{kind:42s} {n:4d} statements  wall {s_wall:6.2f}  cpu {s_cpu:6.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{'load':42s} {len(log):4d} statements  wall {wall:6.2f}  cpu {cpu:6.2f}  "
          f"peak {peak} MiB")


if __name__ == "__main__":
    main()
