"""Soak test: many practitioners reading and writing at once, behind the production server.

For each database (SQLite file, PostgreSQL database `soak_yjs`, both made afresh) it migrates,
loads a small demo service, starts gunicorn (`yjs.wsgi`, 4 workers × 4 threads) and runs N
clients for S seconds. Each client signs in as a demo practitioner and loops: open the
caseload, open a child, record a contact (a POST with the CSRF token), and every fifth round
refer a new child. It counts every HTTP error (there must be none) and, once the server has
stopped, checks that every acknowledged write (each POST answered with a redirect) is in the
database.

    .venv/bin/python benchmarks/soak.py                      # both databases, 30 clients, 60 s
    .venv/bin/python benchmarks/soak.py --db sqlite --seconds 30

Not run in CI. Exits 1 if any request failed or any acknowledged write is missing.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PRACTITIONERS = ["alice", "carl", "dee", "eli", "bob", "fay", "gus", "ivy"]
DEMO_PASSWORD = "demo-password-2026"  # yjs.interop.demo.DEMO_PASSWORD
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
console = Console(width=150)


# --------------------------------------------------------------------------- one client


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we count, not something to follow


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # notes of acknowledged contacts
    children: list[str] = field(default_factory=list)  # first names of acknowledged referrals
    lock: threading.Lock = field(default_factory=threading.Lock)


class Client:
    def __init__(self, base: str, tally: Tally, name: str):
        self.base, self.tally, self.name = base, tally, name
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, expect=(200,)) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            req.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode(errors="replace")
        except Exception as exc:  # noqa: BLE001 - a refused or dropped connection is an error
            status, text = 0, repr(exc)
        with self.tally.lock:
            self.tally.latencies.append(time.perf_counter() - started)
            if status not in expect:
                title = re.search(r"<title>(.*?)</title>", text, re.S)
                problem = re.search(r'govuk-error-summary__list">\s*<li><a[^>]*>(.*?)</a>', text)
                what = problem or title
                what = what.group(1).strip() if what else text[:120]
                self.tally.errors.append(f"{status} {path}: {what}")
        return status, text

    def token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def sign_in(self, username: str) -> None:
        _, page = self.request("/sign-in/")
        data = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": ""}
        data["csrfmiddlewaretoken"] = self.token(page)
        self.request("/sign-in/", data, expect=(302,))

    def run(self, until: float) -> None:
        n = 0
        today = datetime.date.today()
        while time.monotonic() < until:
            n += 1
            _, caseload = self.request("/caseload/?view=team")
            children = re.findall(r'href="/children/(\d+)/"', caseload)
            if not children:
                self.tally.errors.append(f"{self.name}: an empty caseload")
                return
            child = children[n % len(children)]
            self.request(f"/children/{child}/")
            _, form = self.request(f"/children/{child}/contacts/new/")
            note = f"soak {self.name} {n}"
            status, _ = self.request(
                f"/children/{child}/contacts/new/",
                {
                    "csrfmiddlewaretoken": self.token(form),
                    "contact_date_day": today.day,
                    "contact_date_month": today.month,
                    "contact_date_year": today.year,
                    "contact_type": "SUPERVISION",
                    "mode": "FACE_TO_FACE",
                    "attended": "on",
                    "notes": note,
                },
                expect=(302,),
            )
            if status == 302:
                with self.tally.lock:
                    self.tally.contacts.append(note)
            if n % 5 == 0:
                self.refer(f"Soak{self.name}x{n}", today)

    def refer(self, first_name: str, today: datetime.date) -> None:
        _, form = self.request("/children/new/")
        selected = {
            name: chosen.group(1)
            for name, options in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, re.S)
            if (chosen := re.search(r'value="(\d+)" selected', options))
        }
        status, _ = self.request(
            "/children/new/",
            {
                "csrfmiddlewaretoken": self.token(form),
                "first_name": first_name,
                "last_name": "Soak",
                "date_of_birth_day": 4,
                "date_of_birth_month": 3,
                "date_of_birth_year": today.year - 14,
                "sex": "2",
                "residence": "LOCAL",
                "team": selected.get("team", ""),
                "allocated_worker": selected.get("allocated_worker", ""),
                "ethnicity": "WHITE_BRITISH",
                "received_on_day": today.day,
                "received_on_month": today.month,
                "received_on_year": today.year,
                "source": "POLICE",
                "pathway": "PREVENTION",
                "reason": "Soak test referral",
            },
            expect=(302,),
        )
        if status == 302:
            with self.tally.lock:
                self.tally.children.append(first_name)


# --------------------------------------------------------------------------- one database


def prepare(db: str, workdir: Path, name: str = "soak_yjs") -> dict:
    """The environment of a server on a fresh database: an SQLite file in `workdir`, or the
    PostgreSQL database `name` dropped and created."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "yjs.settings",
        "DEBUG": "False",
        "SECRET_KEY": "soak-benchmark-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "YJS_VAR_DIR": str(workdir),
        "PYTHONWARNINGS": "ignore::UserWarning",  # no collected static files: none are fetched
    }
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / f'{name}.sqlite3'}"
    else:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    return env


def drop(name: str) -> None:
    """Drop a PostgreSQL database `prepare` made."""
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup(env: dict, children: int, app: Path) -> None:
    for args in (["migrate", "-v0"], ["demo", "--children", str(children), "-v0"]):
        subprocess.run(
            [sys.executable, app / "manage.py", *args],
            env=env, cwd=app, check=True, capture_output=True,
        )  # fmt: skip


def serve(env: dict, port: int, workers: int, threads: int, app: Path) -> subprocess.Popen:
    """`yj serve` (gunicorn, the production way) for `app`; a checkout from before `yj serve`
    existed is served by gunicorn directly, as this script always did."""
    if (app / "yjs" / "serving.py").exists():
        command = [sys.executable, "-m", "yjs.cli", "serve", "--log-level", "warning"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        command += ["--threads", str(threads)]
    else:
        command = [BIN / "gunicorn", "yjs.wsgi", "-w", str(workers), "--threads", str(threads),
                   "-b", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning",
                   "--chdir", str(app)]  # fmt: skip
    env = {**env, "PYTHONPATH": str(app)}
    server = subprocess.Popen(command, env=env, cwd=app, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5).read()
            return server
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not start within 60 s")


def stored(db: str, env: dict) -> tuple[set[str], set[str]]:
    """The contacts' notes and new children's first names that are in the database now."""
    contacts = "SELECT notes FROM casework_contact WHERE notes LIKE 'soak %%'"
    children = (
        "SELECT c.first_name FROM casework_child c JOIN casework_referral r ON r.child_id = c.id"
        " WHERE c.first_name LIKE 'Soak%%'"
    )
    if db == "sqlite":
        conn = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"))
        run = lambda sql: {r[0] for r in conn.execute(sql.replace("%%", "%"))}  # noqa: E731
    else:
        import psycopg

        conn = psycopg.connect(env["DATABASE_URL"])
        run = lambda sql: {r[0] for r in conn.execute(sql)}  # noqa: E731
    try:
        return run(contacts), run(children)
    finally:
        conn.close()


def soak(db: str, args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"soak-{db}-"))
    env = prepare(db, workdir)
    console.print(f"[bold]{db}[/bold]: migrating and loading {args.children} demo children…")
    setup(env, args.children, args.app)
    port = args.port + (0 if db == "sqlite" else 1)
    server = serve(env, port, args.workers, args.threads, args.app)
    tally = Tally()
    try:
        clients = [Client(f"http://127.0.0.1:{port}", tally, f"c{i}") for i in range(args.clients)]
        for i, c in enumerate(clients):
            c.sign_in(PRACTITIONERS[i % len(PRACTITIONERS)])
        console.print(f"{db}: {args.clients} clients signed in; {args.seconds} s of load…")
        elapsed = run_clients(clients, args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    contacts, children = stored(db, env)
    lost = [n for n in tally.contacts if n not in contacts]
    lost += [n for n in tally.children if n not in children]
    q = statistics.quantiles(tally.latencies, n=100)
    return {
        "db": db,
        "requests": len(tally.latencies),
        "rps": len(tally.latencies) / elapsed,
        "writes": len(tally.contacts) + len(tally.children),
        "referrals": len(tally.children),
        "errors": tally.errors,
        "lost": lost,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "max": max(tally.latencies) * 1000,
    }



def run_clients(clients, seconds: float) -> float:
    """Each client loops in its own thread for `seconds`; returns the wall time taken."""
    started = time.monotonic()
    until = started + seconds
    threads = [threading.Thread(target=c.run, args=(until,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--children", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--app", type=Path, default=ROOT, help="the checkout to serve (to measure an older one)"
    )
    args = parser.parse_args()
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [soak(db, args) for db in databases]

    table = Table(title=f"Soak: {args.clients} clients × {args.seconds} s, gunicorn "
                  f"{args.workers} workers × {args.threads} threads")  # fmt: skip
    for column in ("database", "requests", "req/s", "acknowledged writes", "of which referrals",
                   "HTTP errors", "writes missing", "p50 ms", "p95 ms", "max ms"):  # fmt: skip
        table.add_column(column, justify="left" if column == "database" else "right")
    for r in results:
        table.add_row(
            r["db"], f"{r['requests']:,}", f"{r['rps']:.1f}", f"{r['writes']:,}",
            f"{r['referrals']:,}", str(len(r["errors"])), str(len(r["lost"])),
            f"{r['p50']:.0f}", f"{r['p95']:.0f}", f"{r['max']:.0f}",
        )  # fmt: skip
    console.print(table)
    failed = False
    for r in results:
        for line in r["errors"][:10] + [f"missing: {n}" for n in r["lost"][:10]]:
            console.print(f"[red]{r['db']}[/red] {line}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
