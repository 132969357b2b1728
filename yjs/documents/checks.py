"""A deployment check: the documents' folder is never one a URL serves."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, register

from .storage import STORAGE_ALIAS


@register()
def documents_are_private(app_configs=None, **kwargs):
    config = settings.STORAGES.get(STORAGE_ALIAS)
    if config is None:
        return [Error(f'settings.STORAGES has no "{STORAGE_ALIAS}" storage', id="documents.E001")]
    location = config.get("OPTIONS", {}).get("location")
    if not location:
        return []
    folder = Path(location).resolve()
    served = [Path(settings.STATIC_ROOT)] + [
        Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS
    ]
    if settings.MEDIA_ROOT:
        served.append(Path(settings.MEDIA_ROOT))
    for root in served:
        root = root.resolve()
        if folder == root or root in folder.parents:
            return [
                Error(
                    f"Documents are kept in {folder}, inside {root}, which is served: "
                    "set YJS_DOCUMENTS_DIR to a private folder",
                    id="documents.E002",
                )
            ]
    return []
