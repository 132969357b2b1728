"""Background work of the performance app (django-tasks; `yj db_worker` runs the queue)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_figures(service_id: int | None) -> str:
    """A new snapshot of the service and its figures for every quarter the dashboard shows."""
    from yjs.organisation.models import Service
    from yjs.performance import live

    service = Service.objects.get(pk=service_id) if service_id is not None else None
    return live.refresh(service)
