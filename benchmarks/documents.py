"""Time the plan export (Word, PDF) and the board pack (Word, HTML) on the demo service.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/documents.py --base /tmp/docbench --label after \
        --out /tmp/docbench/after.json
    .venv/bin/python benchmarks/documents.py --table before.json after.json

``--base`` holds a SQLite database with the demo service loaded (`migrate`, then what `yj demo`
loads: `load_demo` and `create_demo_plans`); it is made there on first use (a minute or two)
and reused after, so "before" (``PYTHONPATH`` at another checkout) and "after" time the same
service. Each run copies it to a fresh folder, then, as the running app does, the background
refresh (`refresh_figures`: a snapshot, every shown quarter's figures, the Word charts drawn
ahead) before anything is timed. Then, for the last ended quarter, each operation once in the
fresh process ("first": imports, templates, connections) and ``--runs`` more times (the median),
as the head of service, through the same services the views call; and once more with the
chart files removed (a chart the refresh did not draw). The slowest operation's median run is
profiled with cProfile (top 15 by cumulative time) and printed.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

OPERATIONS = (
    ("plan_docx", "Draft plan export (Word)"),
    ("plan_pdf", "Draft plan export (PDF)"),
    ("pack_docx", "Board pack (Word)"),
    ("pack_html", "Board pack (HTML)"),
)
TARGETS = {"plan_docx": 10, "pack_docx": 10}
console = Console(stderr=True, highlight=False)


def _setup(var_dir: Path) -> None:
    os.environ["YJS_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yjs.settings")
    import django

    django.setup()


def prepare(base: Path) -> None:
    """The demo service in ``base`` (made once): what `yj migrate` and `yj demo` load."""
    if (base / "demo-loaded").exists():
        return
    base.mkdir(parents=True, exist_ok=True)
    code = (
        "import sys; from django.core.management import call_command; "
        "call_command('migrate', verbosity=0); call_command('demo', verbosity=0)"
    )
    env = {**os.environ, "YJS_VAR_DIR": str(base), "DJANGO_SETTINGS_MODULE": "yjs.settings"}
    started = time.perf_counter()
    with console.status("Loading the demo service (migrate, demo) …"):
        import subprocess

        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    (base / "demo-loaded").write_text(dt.datetime.now().isoformat())
    console.print(f"Demo service loaded into {base} in {time.perf_counter() - started:.0f} s")


def _operations():
    """Each operation as a function of nothing, as the views run it for the head of service."""
    from yjs.governance import documents, services
    from yjs.governance.models import PlanVersion
    from yjs.organisation.models import User
    from yjs.performance.dashboard import default_period

    user = User.objects.get(username="hana")
    quarter = default_period(dt.date.today())
    version = PlanVersion.objects.filter(
        plan__service=user.service, status=PlanVersion.Status.DRAFT
    ).first()

    def plan(fmt):
        data, _problems = services.export(version, fmt, user)
        return data

    def pack_docx():
        return documents.render_board_pack_docx(services.board_pack_for(user, quarter, "docx"))

    def pack_html():
        return documents.render_board_pack_html(services.board_pack_for(user, quarter, "html"))

    ops = {
        "plan_docx": lambda: plan("docx"),
        "plan_pdf": lambda: plan("pdf"),
        "pack_docx": pack_docx,
        "pack_html": pack_html,
    }
    return ops, quarter, version


def _time(fn) -> tuple[float, int]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, len(out)


def cold(base: Path, name: str) -> float:
    """One operation in a fresh process over a fresh copy: no figures computed yet (the
    refresh has not run, or the quarter is one it does not cover), no chart drawn."""
    import subprocess

    code = (
        "import sys, json; sys.path.insert(0, 'benchmarks'); import documents as d; "
        f"print(json.dumps(d._cold({str(base)!r}, {name!r})))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(run.stdout.strip().splitlines()[-1])


def _cold(base: str, name: str) -> float:
    work = Path(tempfile.mkdtemp(prefix="yjs-docbench-"))
    try:
        shutil.copytree(base, work, dirs_exist_ok=True)
        _setup(work)
        ops = _operations()[0]
        return _time(ops[name])[0]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(base: Path, label: str, runs: int, pdf: bool) -> dict:
    out: dict = {}
    for name in ("plan_docx", "pack_docx"):
        with console.status(f"{name}: fresh process, no figures computed yet …"):
            out[f"{name}_cold"] = cold(base, name)
    work = Path(tempfile.mkdtemp(prefix="yjs-docbench-"))
    shutil.copytree(base, work, dirs_exist_ok=True)
    _setup(work)
    from django.conf import settings

    from yjs.organisation.models import Service
    from yjs.performance.tasks import refresh_figures

    out |= {
        "label": label,
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "load_start": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }
    from yjs.interop.demo import SERVICE_CODE

    service = Service.objects.get(code=SERVICE_CODE)
    t0 = time.perf_counter()
    with console.status("Background refresh (snapshot, every shown quarter, charts) …"):
        refresh_figures.call(service.pk)
    out["refresh"] = time.perf_counter() - t0

    ops, quarter, version = _operations()
    out["quarter"], out["plan"] = quarter.label, str(version)
    names = [k for k, _ in OPERATIONS if pdf or k != "plan_pdf"]
    steps = len(names) * (runs + 2)
    with Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=steps)
        for name in names:
            bar.update(task, description=f"{name}: first in the process")
            out[f"{name}_first"], out[f"{name}_bytes"] = _time(ops[name])
            bar.advance(task)
            times = []
            for i in range(runs):
                bar.update(task, description=f"{name}: run {i + 1} of {runs}")
                times.append(_time(ops[name])[0])
                bar.advance(task)
            out[name] = statistics.median(times)
            out[f"{name}_runs"] = times
            bar.update(task, description=f"{name}: charts not drawn ahead")
            shutil.rmtree(Path(settings.VAR_DIR) / "charts", ignore_errors=True)
            out[f"{name}_nocharts"] = _time(ops[name])[0]
            bar.advance(task)
    slowest = max(names, key=lambda n: out[n])
    profiler = cProfile.Profile()
    profiler.runcall(ops[slowest])
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(15)
    out["profiled"] = slowest
    out["profile"] = text.getvalue()
    out["load_end"] = os.getloadavg()[0]
    shutil.rmtree(work, ignore_errors=True)
    return out


def table(paths: list[str]) -> str:
    runs = [json.loads(Path(p).read_text()) for p in paths]
    head = "| operation | " + " | ".join(f"{r['label']} s" for r in runs) + " | target s |"
    lines = [head, "|---|" + "---|" * (len(runs) + 1)]
    rows = [("refresh", "Background refresh before the runs (not seen by a reader)")]
    for key, text in OPERATIONS:
        rows += [
            (key, f"{text}, median of runs"),
            (f"{key}_cold", f"{text}, no figures computed yet (fresh process)"),
            (f"{key}_first", f"{text}, first in a fresh process"),
            (f"{key}_nocharts", f"{text}, charts not drawn ahead"),
        ]
    for key, text in rows:
        if all(r.get(key) is None for r in runs):
            continue
        cells = ["–" if r.get(key) is None else f"{r[key]:.2f}" for r in runs]
        target = TARGETS.get(key.split("_first")[0].split("_nocharts")[0].split("_cold")[0], "–")
        lines.append(f"| {text} | " + " | ".join(cells) + f" | {target} |")
    loads = ", ".join(f"{r['label']} {r['load_start']:.1f}→{r['load_end']:.1f}" for r in runs)
    return "\n".join(lines) + f"\n\nLoad average (1 min) at start→end: {loads}."


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="/tmp/yjs-docbench", help="demo database folder")
    parser.add_argument("--label", default="run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (LibreOffice)")
    parser.add_argument("--out")
    parser.add_argument("--table", nargs="+", help="print a Markdown table of saved runs")
    args = parser.parse_args(argv)
    if args.table:
        print(table(args.table))
        return
    base = Path(args.base)
    prepare(base)
    result = measure(base, args.label, args.runs, pdf=not args.no_pdf)
    print(result.pop("profile"))
    text = json.dumps(result, indent=2)
    if args.out:
        Path(args.out).write_text(text)
    print(text)


if __name__ == "__main__":
    sys.exit(main())
