"""`yj board-pack --quarter 2024-25Q1 --format docx|pdf|html`: the board's performance report."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yjs.governance import selectors
from yjs.governance.documents import (
    RenderError,
    docx_to_pdf,
    render_board_pack_docx,
    render_board_pack_html,
)
from yjs.periods import parse_quarter, quarter_problem

from ._common import service_for, write


class Command(BaseCommand):
    help = "Write the quarterly board pack (performance report) for the management board."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="For example 2024-25Q1")
        parser.add_argument("--format", choices=["docx", "pdf", "html"], default="docx")
        parser.add_argument("--out", help="File to write (default: board-pack-QUARTER.FORMAT)")
        parser.add_argument("--service", help="Service code, when there are several")
        parser.add_argument("--snapshot", help="Snapshot folder for KPI results (default: latest)")
        parser.add_argument(
            "--named",
            action="store_true",
            help="Name children (service use only; board packs use references)",
        )
        parser.add_argument(
            "--provisional",
            action="store_true",
            help="Allow the quarter in progress; every page of the pack says it is provisional",
        )

    def handle(self, *args, quarter, format, out, service, snapshot, named, provisional, **options):
        try:
            q = parse_quarter(quarter)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        problem = quarter_problem(q, timezone.localdate())
        if problem and (not provisional or q.start > timezone.localdate()):
            hint = "" if q.start > timezone.localdate() else "; add --provisional to write it so"
            raise CommandError(problem + hint)
        svc = service_for(service)
        context = selectors.board_pack_context(
            svc, q, named=named, source=selectors.pack_source(svc, q, snapshot)
        )
        try:
            if format == "html":
                data = render_board_pack_html(context)
            else:
                data = render_board_pack_docx(context)
                if format == "pdf":
                    data = docx_to_pdf(data)
        except RenderError as exc:
            raise CommandError(str(exc)) from None
        out = out or f"board-pack-{q.label.replace(' ', '')}.{format}"
        write(out, data)
        for e in context["kpis"]["errors"]:
            self.stderr.write(e)
        self.stdout.write(f"Wrote {out}")
