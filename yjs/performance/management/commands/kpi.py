"""`yj kpi`: every KPI for a quarter, or the children behind one (``--drill``)."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile

from django.core.management.base import BaseCommand, CommandError

from yjs.outputs import dict_writer
from yjs.performance.management.commands._common import (
    add_service_argument,
    load,
    parse_date,
    resolve_data,
)

CSV_FIELDS = ["kpi", "measure", "period", "dimension", "category", "numerator", "denominator",
              "value", "suppressed", "unit", "label", "window", "population_year"]


class Command(BaseCommand):
    help = "Compute every KPI for a quarter (or drill into one) from a dataset or the app."

    def add_arguments(self, parser):
        add_service_argument(parser)
        parser.add_argument("--period", help="quarter, e.g. 2024-25Q1, '2024-25 Q1' or 2024Q1")
        parser.add_argument("--data", help="dataset folder (Parquet or CSV); default: snapshot "
                            "the app database")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument("--as-at", dest="as_at", help="ignore records dated later (YYYY-MM-DD)")
        parser.add_argument("--kpi", action="append", dest="kpis", help="only this KPI (repeat)")
        parser.add_argument("--breakdowns", action="store_true",
                            help="table: show every breakdown, not only totals")
        parser.add_argument("--with-children", action="store_true",
                            help="json: include the child_ids behind numerator and denominator")
        parser.add_argument("--drill", metavar="KPI", help="list the children behind a KPI")
        parser.add_argument("--measure", help="with --drill: the measure (default: headline)")
        parser.add_argument("--dimension", default="all", help="with --drill: breakdown dimension")
        parser.add_argument("--category", default="all", help="with --drill: breakdown value")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb",
                            help="run the SQL on DuckDB (default) or on Spark in local mode "
                            "(needs the [spark] extra and Java 17)")
        parser.add_argument("--memory-limit", dest="memory_limit",
                            help="keep DuckDB within this much memory, e.g. 2GB (slower: the "
                            "rest goes to files under VAR_DIR/tmp)")
        parser.add_argument("--dataset-doc", action="store_true",
                            help="print the canonical dataset documentation (Markdown) and exit")

    def handle(self, *args, **opts):
        from yjs.performance import engine
        from yjs.periods import parse_quarter

        if opts["dataset_doc"]:
            from yjs.performance.dataset import render_markdown

            self.stdout.write(render_markdown())
            return
        if not opts["period"]:
            raise CommandError("--period is required (e.g. --period 2024-25Q1)")
        try:
            period = parse_quarter(opts["period"])
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        as_at = parse_date(opts["as_at"], "--as-at")
        for k in [opts["drill"], *(opts["kpis"] or [])]:
            if k and k not in engine.KPI_BY_ID:
                raise CommandError(f"unknown KPI {k!r}; one of: {', '.join(engine.KPI_BY_ID)}")
        if opts["drill"] and opts["engine"] == "spark":
            raise CommandError("--drill runs on DuckDB: the children behind one figure are "
                               "found in the snapshot, not on the cluster")
        # a dataset named on the command line is validated once and kept (VAR_DIR/validated)
        dataset = load(resolve_data(opts["data"], opts.get("service")), keep=bool(opts["data"]),
                       memory_limit=opts["memory_limit"])
        spark = workdir = None
        if opts["engine"] == "spark":
            dataset, spark, workdir = on_spark(dataset)
        try:
            if opts["drill"]:
                self._drill(engine, dataset, period, as_at, opts)
            else:
                run = engine.run(dataset, period, as_at=as_at, kpis=opts["kpis"],
                                 with_children=opts["with_children"])
                getattr(self, f"_{opts['format']}")(run, opts)
        except KeyError as exc:
            raise CommandError(f"unknown measure {exc}") from None
        finally:
            dataset.con.close()
            if spark is not None:
                spark.stop()
                shutil.rmtree(workdir, ignore_errors=True)

    def _drill(self, engine, dataset, period, as_at, opts):
        rows = engine.drill(dataset, opts["drill"], period, measure=opts["measure"],
                            dimension=opts["dimension"], category=opts["category"], as_at=as_at)
        if opts["format"] == "json":
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if opts["format"] == "csv":
            w = dict_writer(self.stdout, ["child_id", "in_numerator", "in_denominator", "why"])
            w.writeheader()
            w.writerows(rows)
            return
        from rich.console import Console
        from rich.table import Table

        kpi = engine.KPI_BY_ID[opts["drill"]]
        measure = kpi.measure(opts["measure"] or kpi.headline.id)
        t = Table(title=f"{kpi.title}: {measure.label} - {period.label}")
        for col in ("child_id", "numerator", "denominator", "why"):
            t.add_column(col)
        for r in rows:
            t.add_row(r["child_id"], "yes" if r["in_numerator"] else "",
                      "yes" if r["in_denominator"] else "", r["why"])
        Console(file=self.stdout, width=160).print(t)
        self.stdout.write(f"{sum(r['in_numerator'] for r in rows)} in numerator, "
                          f"{sum(r['in_denominator'] for r in rows)} in denominator")

    def _json(self, run, opts):
        out = [r.as_dict(with_children=opts["with_children"]) for r in run.results]
        self.stdout.write(json.dumps(out, indent=1, default=str))

    def _csv(self, run, opts):
        w = dict_writer(self.stdout, CSV_FIELDS, extrasaction="ignore")
        w.writeheader()
        for r in run.results:
            w.writerow(r.as_dict())

    def _table(self, run, opts):
        from rich.console import Console
        from rich.table import Table

        from yjs.performance.engine import KPI_BY_ID

        console = Console(file=self.stdout, width=max(120, console_width()))
        console.print(f"[bold]KPIs for {run.period}[/bold]  data: {run.data_path}  "
                      f"as at {run.as_at}" + (f"  snapshot {run.taken_at}" if run.taken_at else ""))
        current = None
        table = None
        for r in run.results:
            if r.dimension != "all" and not opts["breakdowns"] and r.unit != "rri":
                continue
            if r.kpi != current:
                if table is not None:
                    console.print(table)
                current = r.kpi
                table = Table(title=f"{KPI_BY_ID[r.kpi].title} ({r.window})", title_justify="left")
                for col in ("measure", "breakdown", "numerator", "denominator", "value", ""):
                    table.add_column(col, justify="right" if col in (
                        "numerator", "denominator", "value") else "left")
            value = "–" if r.value is None else _fmt(r.value, r.unit)
            den = "" if r.denominator is None else f"{r.denominator:,.0f}"
            breakdown = "" if r.dimension == "all" else f"{r.dimension}={r.category}"
            flags = "suppressed" if r.suppressed else ""
            if r.unit == "rri" and r.extra.get("ci_low") is not None:
                flags = f"CI {r.extra['ci_low']:.2f}–{r.extra['ci_high']:.2f} " + (
                    r.extra.get("direction") or "")
            table.add_row(r.label if r.dimension == "all" else f"  {r.measure}", breakdown,
                          f"{r.numerator:,}", den, value, flags)
        if table is not None:
            console.print(table)


def on_spark(dataset):
    """The loaded dataset attached to a local SparkSession, the session and the folder of
    Parquet it reads (removed after the run)."""
    try:
        import pyspark  # noqa: F401

        from yjs.performance.spark import attach, local_session
    except ImportError as exc:
        dataset.con.close()
        raise CommandError(f"--engine spark needs the [spark] extra: pip install -e '.[spark]' "
                           f"({exc})") from None
    try:
        spark = local_session()
    except Exception as exc:  # no Java, or a JVM that will not start: one readable line
        dataset.con.close()
        raise CommandError(f"--engine spark: Spark did not start ({exc}); Java 17+ must be "
                           f"installed") from None
    workdir = tempfile.mkdtemp(prefix="yjs-spark-")
    try:
        attached = attach(dataset, spark, workdir)
    finally:
        dataset.con.close()  # the Parquet for Spark is written; DuckDB is no longer needed
    return attached, spark, workdir


def _fmt(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{value:,.0f}"
    if unit == "rate_per_100000":
        return f"{value:,.0f}"
    return f"{value:.2f}"


def console_width() -> int:
    try:
        import shutil

        return shutil.get_terminal_size((120, 40)).columns if sys.stdout.isatty() else 120
    except OSError:
        return 120
