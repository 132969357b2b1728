"""`yj serve`: the production server's gunicorn settings, checked without starting it."""

import subprocess
import sys

from yjs import serving


def test_workers_are_one_per_core_plus_one():
    """2 cores (this machine) give 3 workers: one runs Python on each core while a third waits
    for PostgreSQL; 8 cores give 9."""
    assert serving.default_workers(2) == 3
    assert serving.default_workers(8) == 9


def test_the_options_given_become_gunicorn_settings():
    args = serving.parse(["--bind", "0.0.0.0:9000", "--workers", "5", "--threads", "2"])
    options = serving.gunicorn_options(args.bind, args.workers, args.threads, args.log_level)
    assert options["bind"] == ["0.0.0.0:9000"]
    assert (options["workers"], options["threads"]) == (5, 2)
    assert options["worker_class"] == "gthread"  # threads need the threaded worker
    assert options["accesslog"] == "-"  # info, the default, logs every request
    quiet = serving.gunicorn_options("127.0.0.1:8000", 1, 1, "warning")
    assert quiet["accesslog"] is None


def test_defaults_bind_to_localhost_with_four_threads():
    args = serving.parse([])
    assert args.bind == "127.0.0.1:8000"
    assert args.threads == 4
    assert args.workers == serving.default_workers()


def test_yj_serve_check_prints_the_settings_and_exits():
    """`yj serve --check` goes through the `yj` command and starts no server."""
    out = subprocess.run(
        [sys.executable, "-m", "yjs.cli", "serve", "--check", "--workers", "2", "--threads", "3"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert "workers = 2" in out
    assert "threads = 3" in out
    assert "worker_class = 'gthread'" in out


def test_yj_serve_refuses_zero_workers(capsys):
    try:
        serving.parse(["--workers", "0"])
    except SystemExit as exit:
        assert exit.code == 2
    else:
        raise AssertionError("--workers 0 was accepted")
    assert "--workers and --threads must be at least 1" in capsys.readouterr().err
