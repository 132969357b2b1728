"""`yj import-comparators FILE.csv`: published national/regional/family comparators."""

from django.core.management.base import BaseCommand, CommandError

from yjs.performance.comparators import ComparatorImportError, import_comparators
from yjs.performance.management.commands._common import add_service_argument, service_named


class Command(BaseCommand):
    help = ("Import comparator figures (columns: kpi, measure, period, comparator, value, rank, "
            "quartile, source). Nothing is imported if any row is bad.")

    def add_arguments(self, parser):
        parser.add_argument("file")
        add_service_argument(parser)

    def handle(self, *args, **opts):
        try:
            n = import_comparators(opts["file"], service_named(opts.get("service")))
        except ComparatorImportError as exc:
            raise CommandError(f"nothing imported: {exc}") from None
        self.stdout.write(f"imported {n} comparator figure(s) from {opts['file']}")
