"""`yj refresh-figures`: compute the live figures of every shown quarter for each service now
(or queue it for the worker with --queue), so nobody waits for them on the first page."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from ._common import add_service_argument, service_named


class Command(BaseCommand):
    help = "Compute the dashboard's figures (every shown quarter) from a fresh snapshot."

    def add_arguments(self, parser):
        add_service_argument(parser)
        parser.add_argument(
            "--queue", action="store_true", help="queue the work for `yj db_worker` and return"
        )

    def handle(self, *args, service=None, queue=False, **options):
        from yjs.organisation.models import Service
        from yjs.performance import live
        from yjs.performance.tasks import refresh_figures

        services = [service_named(service)] if service else list(Service.objects.order_by("pk"))
        if not services:
            raise CommandError("no service in the database: load one first (e.g. `yj demo`)")
        for s in services:
            if queue:
                live.request_refresh(s, live.data_fingerprint())
                self.stdout.write(f"{s.code}: refresh queued")
                continue
            started = time.monotonic()
            name = refresh_figures.call(s.pk)
            self.stdout.write(f"{s.code}: figures of snapshot {name} in "
                              f"{time.monotonic() - started:.1f} s")
