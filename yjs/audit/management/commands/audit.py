"""`yj audit verify`: walk the hash chain and name the first broken link."""

from django.core.management.base import BaseCommand, CommandError

from yjs.audit import services


class Command(BaseCommand):
    help = "Check the audit trail: `yj audit verify`."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Check every event's hash and its link to the one before")

    def handle(self, *args, subcommand, **options):
        verdict = services.verify()
        if not verdict.intact:
            raise CommandError(verdict.problem)
        self.stdout.write(f"Audit trail intact: {verdict.count} events")
        self.stdout.write(f"Latest hash: {verdict.head} (keep it elsewhere to detect a rewrite)")
