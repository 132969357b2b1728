"""Background work of the performance app (django-tasks; `yj db_worker` runs the queue)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_figures(service_id: int | None) -> str:
    """A new snapshot of the service, its figures for every quarter the dashboard shows, and
    the Word charts of its next board pack and draft plans."""
    from yjs.governance.services import draw_ahead
    from yjs.interop.snapshot import service_root, the_service
    from yjs.organisation.models import Service
    from yjs.performance import live

    service = the_service(Service.objects.get(pk=service_id) if service_id is not None else None)
    name = live.refresh(service)
    if service is not None:
        draw_ahead(service, service_root(service) / name)
    return name
