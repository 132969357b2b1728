"""`yj export-dataset --out FILE.zip|FILE.xlsx`: the service's dataset, pseudonymised."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yjs.audit import services as audit
from yjs.interop import exports


class Command(BaseCommand):
    help = (
        "Write the canonical dataset of one service, pseudonymised (keyed child ids, month of "
        "birth only), as a zip of CSV files (.zip) or a workbook (.xlsx). The named export is "
        "a download for the head of service in the app, where it is checked and audited."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="FILE.zip or FILE.xlsx (must be new)")
        parser.add_argument("--service", help="Service code, when the app holds several")

    def handle(self, *args, out, service=None, **options):
        from yjs.governance.management.commands._common import service_for

        path = Path(out)
        fmt = {".zip": "csv", ".xlsx": "xlsx"}.get(path.suffix.lower())
        if fmt is None:
            raise CommandError(f"--out: name a .zip or .xlsx file, not {out}")
        if path.exists():
            raise CommandError(f"--out: {out} exists; name a new file")
        svc = service_for(service)
        data, _, _, children = exports.export(svc, fmt)
        try:
            path.write_bytes(data)
            path.chmod(0o600)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror}") from None
        audit.record(
            None,
            "EXPORT",
            description=f"Dataset export (pseudonymised, {fmt}): {children} children",
        )
        self.stdout.write(f"Wrote {path}: {children} children, pseudonymised")
