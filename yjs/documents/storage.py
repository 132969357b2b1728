"""Where documents are kept: the storage named "documents" in settings.STORAGES (by default a
private folder, `settings.PRIVATE_MEDIA_ROOT`, that no URL serves). Files leave only through
the permission-checked, audited download view, never through a storage URL.
"""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

STORAGE_ALIAS = "documents"


class _DocumentStorage(LazyObject):
    """The "documents" storage, looked up when first used (and again after STORAGES changes,
    as Django's own default storage is), so a deployment or a test can move it."""

    def _setup(self):
        self._wrapped = storages[STORAGE_ALIAS]


document_storage = _DocumentStorage()


def get_storage():
    """For `FileField(storage=...)`: a callable, so migrations name it rather than a path."""
    return document_storage


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        document_storage._wrapped = empty


def private_name(instance, filename: str) -> str:
    """A random name that says nothing about the child or the file: `ab/<32 hex>.pdf`. The
    name the user gave is kept (sanitised) in `Attachment.original_name`, for the download."""
    token = secrets.token_hex(16)
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{token[:2]}/{token}{suffix}"
