"""Web under load: the caseload, the child's record and the dashboard, behind `yj serve`.

On a fresh PostgreSQL database (`load_yjs`, dropped and created, dropped again at the end unless
--keep) it migrates, loads the demo service (`yj demo`, 800 children) and starts `yj serve`.
Then, with the pieces of `soak.py` (its clients sign in as the demo practitioners):

1. **Server time**: each page opened in-process with Django's test client (no HTTP, no
   gunicorn), median of 20, and its number of SQL queries: opened again with nothing changed
   (its content kept, yjs/page_cache.py), and "built", its content built afresh each time as
   the first opening after a change (or, for the dashboard, after a new snapshot) builds it.
2. **Users**: N users (50) for S seconds (60), each waiting a think time (1 s) after every
   answer: p50, p95 and max per page and overall; every answer but a 200 is an error.
3. **Saturation**: C clients (16) with no think time for T seconds (30): requests per second.
4. **Saturation, compiled client**: the same round driven by `wrk` (Debian's package; skipped
   with a note when it is not installed), 16 keep-alive connections for T seconds. The Python
   clients of 2 and 3 cost CPU on the same two cores as the server (a new connection per
   request, urllib, 16 threads under one GIL); `wrk` costs next to none, so its figure is the
   server's own capacity. Every answer but a 200 is counted as an error here too.

A user's round: the team caseload, a child of it, another child, and every fifth round the
performance dashboard.

    .venv/bin/python benchmarks/load.py
    .venv/bin/python benchmarks/load.py --users 50 --seconds 60 --workers 3 --threads 4

Not run in CI. Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from soak import (  # noqa: E402
    PG_ADMIN,
    PRACTITIONERS,
    ROOT,
    Client,
    Tally,
    console,
    drop,
    prepare,
    run_clients,
    serve,
    setup,
)

DATABASE = "load_yjs"
PAGES = ("caseload", "child", "dashboard")
CASELOAD = "/caseload/?view=team"
DASHBOARD = "/performance/"
DASHBOARD_EVERY = 5  # rounds


class User(Client):
    """A signed-in practitioner going round the pages; each answer's time goes to its page."""

    def __init__(self, base: str, tallies: dict[str, Tally], name: str, think: float):
        super().__init__(base, tallies["caseload"], name)
        self.tallies, self.think = tallies, think

    def visit(self, page: str, path: str) -> str:
        self.tally = self.tallies[page]
        _, text = self.request(path)
        if self.think:
            time.sleep(self.think)
        return text

    def run(self, until: float) -> None:
        n = 0
        while time.monotonic() < until:
            n += 1
            caseload = self.visit("caseload", CASELOAD)
            children = sorted(set(re.findall(r'href="/children/(\d+)/"', caseload)))
            if not children:
                with self.tally.lock:
                    self.tally.errors.append(f"{self.name}: an empty caseload")
                return
            for k in (0, 1):
                if time.monotonic() >= until:
                    return
                self.visit("child", f"/children/{children[(7 * n + k) % len(children)]}/")
            if n % DASHBOARD_EVERY == 0 and time.monotonic() < until:
                self.visit("dashboard", DASHBOARD)


def load(base: str, users: int, seconds: float, think: float) -> dict:
    """`users` signed-in users for `seconds`: every answer's time, per page."""
    tallies = {page: Tally() for page in PAGES}
    clients = [User(base, tallies, f"u{i}", think) for i in range(users)]
    for i, c in enumerate(clients):
        c.tally = Tally()  # the sign-in is not part of the figures
        c.sign_in(PRACTITIONERS[i % len(PRACTITIONERS)])
        if c.tally.errors:
            raise SystemExit(f"sign-in failed: {c.tally.errors[0]}")
    elapsed = run_clients(clients, seconds)
    everything = [x for t in tallies.values() for x in t.latencies]
    rows = {page: _figures(t.latencies, elapsed) for page, t in tallies.items()}
    rows["all"] = _figures(everything, elapsed)
    return {"rows": rows, "errors": [e for t in tallies.values() for e in t.errors]}


def _figures(latencies: list[float], elapsed: float) -> dict:
    if len(latencies) < 2:
        return {"requests": len(latencies), "rps": 0, "p50": 0, "p95": 0, "max": 0}
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "max": max(latencies) * 1000,
    }


# --------------------------------------------------------------------------- wrk

WRK_SCRIPT = """
-- One round per user as in load.py: the team caseload, two children, the dashboard every fifth.
local paths = {%(paths)s}
local cookies = {%(cookies)s}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("cookie", cookies[(#threads - 1) %% #cookies + 1])
  thread:set("start", #threads * 7)
end
function init(args)
  n = start
  bad = 0
  first_bad = ""
end
function request()
  n = n + 1
  return wrk.format("GET", paths[n %% #paths + 1], {["Cookie"] = cookie})
end
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if first_bad == "" then first_bad = tostring(status) end
  end
end
function done(summary, latency, requests)
  local errors, what = 0, ""
  for _, t in ipairs(threads) do
    errors = errors + t:get("bad")
    if t:get("first_bad") ~= "" then what = t:get("first_bad") end
  end
  io.write(string.format(
    "WRK {\\"requests\\": %%d, \\"seconds\\": %%f, \\"p50\\": %%f, \\"p95\\": %%f, " ..
    "\\"max\\": %%f, \\"non_200\\": %%d, \\"first_non_200\\": \\"%%s\\", " ..
    "\\"socket_errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency.max / 1e3, errors, what,
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout))
end
"""


def wrk_saturation(base: str, connections: int, seconds: int, workdir: Path) -> dict | None:
    """The round driven by `wrk` (two threads, keep-alive), signed in as two practitioners."""
    wrk = shutil.which("wrk")
    if not wrk:
        console.print("[yellow]wrk is not installed (apt-get install wrk): skipped[/yellow]")
        return None
    cookies, users = [], [User(base, {p: Tally() for p in PAGES}, f"w{i}", 0) for i in (0, 1)]
    for i, user in enumerate(users):
        user.sign_in(PRACTITIONERS[i])
        cookies.append("; ".join(f"{c.name}={c.value}" for c in user.cookies))
    caseload = users[0].visit("caseload", CASELOAD)
    children = sorted(set(re.findall(r'href="/children/(\d+)/"', caseload)))
    paths = []
    for n in range(1, 21):
        paths.append(CASELOAD)
        paths += [f"/children/{children[(7 * n + k) % len(children)]}/" for k in (0, 1)]
        if n % DASHBOARD_EVERY == 0:
            paths.append(DASHBOARD)
    script = workdir / "round.lua"
    script.write_text(WRK_SCRIPT % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "cookies": ", ".join(json.dumps(c) for c in cookies),
    })  # fmt: skip
    out = subprocess.run(
        [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script),
         base],
        capture_output=True, text=True,
    )  # fmt: skip
    found = re.search(r"^WRK (\{.*\})$", out.stdout, re.M)
    if out.returncode or not found:
        raise SystemExit(f"wrk failed:\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
    r = json.loads(found.group(1))
    r["rps"] = r["requests"] / r["seconds"]
    return r


# --------------------------------------------------------------------------- server time


def server_time(repeats: int = 20) -> dict:
    """Each page through Django's test client in this process: median ms and SQL queries.
    Run in a child process whose environment points at the benchmark's database."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from yjs.organisation.models import User as Staff

    client = DjangoClient(HTTP_HOST="127.0.0.1")  # the ALLOWED_HOSTS of `prepare`
    client.force_login(Staff.objects.get(username=PRACTITIONERS[0]))
    caseload = client.get(CASELOAD).content.decode()
    child = re.findall(r'href="/children/(\d+)/"', caseload)[0]
    pages = {
        "caseload": CASELOAD,
        "caseload (mine)": "/caseload/",
        "child": f"/children/{child}/",
        "dashboard": DASHBOARD,
    }
    try:  # the pages kept between two changes (yjs/page_cache.py); none in older checkouts
        from django.core.cache import caches

        kept = caches["pages"]
    except Exception:  # noqa: BLE001 - InvalidCacheBackendError: a checkout from before
        kept = None
    found = {}
    for page, path in pages.items():
        client.get(path)  # warm: templates compiled, the dashboard's figures computed
        for label, clear in ((page, False), (f"{page}, built", True)):
            if clear and kept is None:
                continue
            times = []
            for _ in range(5 if page == "dashboard" else repeats):
                if clear:
                    kept.clear()  # as the first opening after a change finds it
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path)
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            found[label] = {"ms": statistics.median(times) * 1000, "queries": len(queries)}
    return found


def measure_server_time(env: dict, app: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--server-time"],
        env={**env, "PYTHONPATH": str(app)}, cwd=app, capture_output=True, text=True,
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(f"server time failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- the run


def main() -> int:
    if sys.argv[1:] == ["--server-time"]:  # the child process of `measure_server_time`
        print(json.dumps(server_time()))
        return 0
    from yjs.serving import THREADS_PER_WORKER, default_workers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0, help="seconds after each answer")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--saturation-clients", type=int, default=16)
    parser.add_argument("--saturation-seconds", type=int, default=30)
    parser.add_argument("--children", type=int, default=800)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--threads", type=int, default=THREADS_PER_WORKER)
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the database")
    parser.add_argument(
        "--database", default=DATABASE, help=f"PostgreSQL database (default {DATABASE})"
    )
    parser.add_argument("--app", type=Path, default=ROOT, help="the checkout to serve")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="load-"))
    if args.keep and _exists(args.database):
        env = prepare_existing(workdir, args.database)
    else:
        env = prepare("postgres", workdir, args.database)
        console.print(f"migrating and loading {args.children} demo children…")
        setup(env, args.children, args.app)
    try:
        console.print("server time (Django test client, in-process)…")
        in_process = measure_server_time(env, args.app)
        server = serve(env, args.port, args.workers, args.threads, args.app)
        base = f"http://127.0.0.1:{args.port}"
        try:
            warm = User(base, {p: Tally() for p in PAGES}, "warm", 0)
            warm.sign_in(PRACTITIONERS[0])
            for _ in range(args.workers * 2):  # every worker: templates compiled, figures cached
                warm.visit("dashboard", DASHBOARD)
                warm.visit("caseload", CASELOAD)
            console.print(f"{args.users} users, {args.think} s think time, {args.seconds} s…")
            users = load(base, args.users, args.seconds, args.think)
            console.print(f"saturation: {args.saturation_clients} clients, no think time…")
            saturation = load(base, args.saturation_clients, args.saturation_seconds, 0)
            console.print(f"saturation with wrk: {args.saturation_clients} connections…")
            compiled = wrk_saturation(
                base, args.saturation_clients, args.saturation_seconds, workdir
            )
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=60)
    finally:
        if not args.keep:
            drop(args.database)

    config = f"yj serve: {args.workers} workers × {args.threads} threads, PostgreSQL"
    table = Table(title=f"Server time per page (in-process, median), {args.children} children")
    for column in ("page", "ms", "SQL queries"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for page, r in in_process.items():
        table.add_row(page, f"{r['ms']:.0f}", str(r["queries"]))
    console.print(table)
    for title, result in (
        (f"{args.users} users, {args.think} s think time, {args.seconds} s ({config})", users),
        (f"Saturation: {args.saturation_clients} clients, no think time ({config})", saturation),
    ):
        table = Table(title=title)
        for column in ("page", "requests", "req/s", "p50 ms", "p95 ms", "max ms"):
            table.add_column(column, justify="left" if column == "page" else "right")
        for page, r in result["rows"].items():
            table.add_row(
                page, f"{r['requests']:,}", f"{r['rps']:.1f}",
                f"{r['p50']:.0f}", f"{r['p95']:.0f}", f"{r['max']:.0f}",
            )  # fmt: skip
        console.print(table)
        console.print(f"HTTP errors: {len(result['errors'])}")
        for line in result["errors"][:10]:
            console.print(f"[red]{line}[/red]")
    if compiled:
        table = Table(title=f"Saturation with wrk: {args.saturation_clients} keep-alive "
                      f"connections, no think time ({config})")  # fmt: skip
        for column in ("requests", "req/s", "p50 ms", "p95 ms", "max ms", "non-200", "socket"):
            table.add_column(column, justify="right")
        table.add_row(
            f"{compiled['requests']:,}", f"{compiled['rps']:.1f}", f"{compiled['p50']:.0f}",
            f"{compiled['p95']:.0f}", f"{compiled['max']:.0f}", str(compiled["non_200"]),
            str(compiled["socket_errors"]),
        )  # fmt: skip
        console.print(table)
        if compiled["non_200"]:
            console.print(f"[red]first answer other than 200: {compiled['first_non_200']}[/red]")
    failed_wrk = bool(compiled and (compiled["non_200"] or compiled["socket_errors"]))
    return 1 if users["errors"] or saturation["errors"] or failed_wrk else 0


def _exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG_ADMIN) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def prepare_existing(workdir: Path, name: str = DATABASE) -> dict:
    """The environment `prepare` gives, for the database a --keep run left."""
    env = prepare("sqlite", workdir, name)
    env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    return env


if __name__ == "__main__":
    sys.exit(main())
