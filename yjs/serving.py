"""`yj serve`: the production web server, gunicorn in front of `yjs.wsgi`.

Workers are processes (one per core and one more: each runs Python on its own core); threads
inside a worker overlap the waits for PostgreSQL. A worker keeps its database connections
between requests (DB_CONN_MAX_AGE, checked before reuse), so a page does not pay for a new
PostgreSQL connection. Static files are served by WhiteNoise inside the app (settings.py).
"""

from __future__ import annotations

import argparse
import os

DEFAULT_BIND = "127.0.0.1:8000"
THREADS_PER_WORKER = 4
# Seconds a worker keeps a database connection (settings.py reads DB_CONN_MAX_AGE).
CONN_MAX_AGE = "300"


def default_workers(cores: int | None = None) -> int:
    """One worker per core plus one, so a core is never idle while a worker waits."""
    cores = cores or os.cpu_count() or 1
    return cores + 1


def gunicorn_options(bind: str, workers: int, threads: int, log_level: str = "info") -> dict:
    """gunicorn's settings (names as in its `-c` config files) for this app."""
    return {
        "bind": [bind],
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        # A slow page (a board pack) may take tens of seconds; a stuck worker is restarted.
        "timeout": 120,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle a worker now and then (staggered), so a slow leak never grows without bound.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-" if log_level != "warning" else None,  # one line per request
        "errorlog": "-",
        "loglevel": log_level,
    }


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="yj serve", description="Serve the app with gunicorn (the production way)."
    )
    parser.add_argument("--bind", default=DEFAULT_BIND, help=f"address (default {DEFAULT_BIND})")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"worker processes (default: cores + 1 = {default_workers()})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=THREADS_PER_WORKER,
        help=f"threads per worker (default {THREADS_PER_WORKER})",
    )
    parser.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning"],
        help="info (the default) logs every request; warning only problems",
    )
    parser.add_argument("--check", action="store_true", help="print the gunicorn settings and exit")
    args = parser.parse_args(argv)
    if args.workers < 1 or args.threads < 1:
        parser.error("--workers and --threads must be at least 1")
    return args


def main(argv: list[str]) -> None:
    args = parse(argv)
    options = gunicorn_options(args.bind, args.workers, args.threads, args.log_level)
    if args.check:
        for name, value in options.items():
            print(f"{name} = {value!r}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")
    os.environ.setdefault("DB_CONN_MAX_AGE", CONN_MAX_AGE)
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for name, value in options.items():
                self.cfg.set(name, value)

        def load(self):
            from yjs.wsgi import application

            return application

    Server().run()
