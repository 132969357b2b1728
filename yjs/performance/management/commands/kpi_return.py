"""`yj kpi-return --period 2024-25Q1 --out FILE.xlsx`: the quarterly KPI return."""

from django.core.management.base import BaseCommand, CommandError

from yjs.performance.management.commands._common import (
    add_service_argument,
    load,
    parse_date,
    resolve_data,
)


class Command(BaseCommand):
    help = "Write the quarterly KPI return (one sheet per KPI and the snapshot it came from)."

    def add_arguments(self, parser):
        add_service_argument(parser)
        parser.add_argument("--period", required=True)
        parser.add_argument("--data", help="dataset folder; default: snapshot the app database")
        parser.add_argument("--as-at", dest="as_at")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")

    def handle(self, *args, **opts):
        from yjs.performance.kpi_return import write_return
        from yjs.periods import parse_quarter

        try:
            period = parse_quarter(opts["period"])
        except ValueError as exc:
            raise CommandError(f"--period: {exc}") from None
        if not opts["out"].lower().endswith(".xlsx"):
            raise CommandError("--out must be an .xlsx file")
        as_at = parse_date(opts["as_at"], "--as-at")
        dataset = load(resolve_data(opts["data"], opts.get("service")))
        try:
            out = write_return(dataset, period, opts["out"], as_at=as_at)
        except OSError as exc:
            raise CommandError(f"cannot write {opts['out']}: {exc}") from None
        finally:
            dataset.con.close()
        self.stdout.write(f"wrote {out} ({period.label}, data {dataset.path})")
