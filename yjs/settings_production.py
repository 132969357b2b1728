"""Production settings: a real secret key, HTTPS only, PostgreSQL. `check --deploy` passes."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECURE", "True")
os.environ.setdefault("DEBUG", "False")

from yjs.settings import *  # noqa: E402, F403
from yjs.settings import SECRET_KEY  # noqa: E402

if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters")
if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must be False in production")
