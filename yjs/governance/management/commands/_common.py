"""Shared bits of the governance commands: finding the service and the KPI source."""

from __future__ import annotations

from django.core.management.base import CommandError

from yjs.governance.kpis import EngineSource
from yjs.organisation.models import Service


def service_for(code: str | None) -> Service:
    if code:
        try:
            return Service.objects.get(code=code)
        except Service.DoesNotExist:
            raise CommandError(f"No service with code {code!r}") from None
    services = list(Service.objects.all()[:2])
    if len(services) != 1:
        raise CommandError(
            "Name the service with --service CODE"
            if services
            else "There is no service yet: run `yj demo` or create one"
        )
    return services[0]


def source_for(snapshot: str | None, service: Service | None = None) -> EngineSource:
    """The KPI source: the named snapshot folder, else the service's live snapshot."""
    return EngineSource(snapshot, service=service)


def write(path: str, data: bytes | str) -> None:
    try:
        mode = "wb" if isinstance(data, bytes) else "w"
        with open(path, mode) as fh:
            fh.write(data)
    except OSError as exc:
        raise CommandError(f"Cannot write {path}: {exc.strerror}") from None
