"""Every test here keeps its documents in a folder of its own (never the installation's)."""

import pytest


@pytest.fixture(autouse=True)
def storage_root(settings, tmp_path):
    """The documents storage of this test: a folder of its own, empty at the start."""
    root = tmp_path / "documents"
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root
