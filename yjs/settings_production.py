"""Production settings: a real secret key, HTTPS only, PostgreSQL. `check --deploy` passes.

Each refusal is one line that says what to set, so a misconfigured server never starts on a
development default (SQLite under var/, a published key, no second factor).
"""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("SECURE", "True")
os.environ.setdefault("DEBUG", "False")

if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL to the PostgreSQL database (postgres://...)")
if not os.environ.get("YJS_PSEUDONYM_KEY"):
    raise ImproperlyConfigured("Set YJS_PSEUDONYM_KEY to a random value of at least 32 characters")

from yjs.settings import *  # noqa: E402, F403
from yjs.settings import DATABASES, PSEUDONYM_KEY, SECRET_KEY  # noqa: E402

if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random value of at least 50 characters")
if DEBUG:  # noqa: F405
    raise ImproperlyConfigured("DEBUG must be False in production")
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured("DATABASE_URL must be PostgreSQL in production, not SQLite")
if len(PSEUDONYM_KEY) < 32 or PSEUDONYM_KEY.startswith("dev-only") or PSEUDONYM_KEY == SECRET_KEY:
    raise ImproperlyConfigured(
        "Set YJS_PSEUDONYM_KEY to a random value of at least 32 characters, not SECRET_KEY"
    )
if not YJS_REQUIRE_2FA:  # noqa: F405
    raise ImproperlyConfigured("YJS_REQUIRE_2FA cannot be turned off in production")
