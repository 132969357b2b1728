"""Settings from environment variables, read through small typed helpers that fail loudly."""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "False")
# A development key by default; `yjs.settings_production` refuses to start without a real one.
SECRET_KEY = envstr("SECRET_KEY", "dev-only-insecure-key-not-for-production")

SERVICE_NAME = envstr("YJS_SERVICE_NAME", "Youth Justice Service")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
VAR_DIR = Path(envstr("YJS_VAR_DIR", str(BASE_DIR / "var")))
# Where the documents' "About these figures" sends a reader for the KPI definitions: the
# repository's docs/kpis.md by default, or a URL where a service publishes it.
KPI_DEFINITIONS_URL = envstr("YJS_KPI_DEFINITIONS_URL", "docs/kpis.md")
SNAPSHOT_DIR = Path(envstr("YJS_SNAPSHOT_DIR", str(VAR_DIR / "snapshots")))
# Snapshots hold child-level data: each service keeps only its newest few (plus any a plan or
# an export names as its source).
SNAPSHOT_KEEP = envint("YJS_SNAPSHOT_KEEP", "3")
# A closed child's record is due for review (and erasure) this many years after the case closed,
# and never before the child's 18th birthday (yjs/casework/retention.py).
RETENTION_YEARS_AFTER_CLOSURE = envint("YJS_RETENTION_YEARS_AFTER_CLOSURE", "6")


def _development_pseudonym_key(path: Path) -> str:
    """A random key made once per installation and kept beside the database (mode 0600), so
    even the demo's pseudonyms cannot be reversed with a key published in the repository."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


# Keys the child pseudonyms (yjs/interop/pseudonyms.py); settings_production requires it set.
PSEUDONYM_KEY = envstr("YJS_PSEUDONYM_KEY", "") or _development_pseudonym_key(
    VAR_DIR / "pseudonym.key"
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "yjs.organisation",
    "yjs.audit",
    "yjs.casework",
    "yjs.supervision",
    "yjs.court",
    "yjs.diversion",
    "yjs.documents",
    "yjs.diary",
    "yjs.people",
    "yjs.parenting",
    "yjs.quality",
    "yjs.programmes",
    "yjs.voice",
    "yjs.performance",
    "yjs.governance",
    "yjs.workforce",
    "yjs.interop",
    "ninja",  # its Swagger UI from local static files (no CDN) for /api/docs
    "yjs.api",
]

# Background work (django-tasks): the performance figures are recomputed after a casework change
# by a worker (`yj db_worker`, started by scripts/start) while pages show the last figures. The
# database backend works on SQLite and PostgreSQL alike; the immediate backend (tests) runs a
# task inside the request that queued it.
TASKS = {
    "default": {
        "BACKEND": envstr("YJS_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "yjs.api.middleware.ApiProblemMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "yjs.organisation.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yjs.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yjs.organisation.middleware.IdleTimeoutMiddleware",
    "yjs.organisation.middleware.LoginRequiredMiddleware",
    "yjs.organisation.middleware.SecondFactorMiddleware",
    "yjs.organisation.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username and address before any password is checked.
    "yjs.organisation.signin.AxesBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

ROOT_URLCONF = "yjs.urls"
WSGI_APPLICATION = "yjs.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yjs" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yjs.organisation.context_processors.service",
            ],
            "builtins": ["yjs.template_library"],  # {% url %} and |date, as Django's but cheaper
        },
    },
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yjs.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        conn_health_checks=True,  # a kept connection is checked before a request reuses it
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Many writers on one file: WAL lets readers and one writer work at once; IMMEDIATE takes
    # the write lock when a transaction begins (so a transaction that reads then writes waits
    # its turn instead of failing "database is locked"), and `timeout` is how long it waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": envint("SQLITE_TIMEOUT", "20"),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if str(_sqlite_file) != ":memory:":
        # Readable by the service user only; SQLite gives its -wal and -shm files the mode of
        # the database file, so creating it 0600 before the first connection covers all three.
        _sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(_sqlite_file, os.O_CREAT | os.O_RDWR, 0o600))
        for _f in (_sqlite_file, *(Path(f"{_sqlite_file}-{x}") for x in ("wal", "shm"))):
            if _f.exists() and _f.stat().st_mode & 0o077 and _f.stat().st_uid == os.getuid():
                _f.chmod(0o600)  # a file left from before: tighten it
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "pages": casework pages' content between two changes (yjs/page_cache.py), per process, keyed
# by session and data version; bounded in entries and in age. An entry is the page's HTML:
# 16-30 KB for a record or an own caseload, 72 KB for a team's 71 children, 105 KB for the
# dashboard, ~0.8 MB for a service-wide caseload of 800: 500 entries are ~25 MB of records and
# team caseloads, ~400 MB at worst (every one a service-wide caseload).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": envint("PAGE_CACHE_ENTRIES", "500")},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): a username from one address is locked out after
# AXES_FAILURE_LIMIT wrong passwords in a row, for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=envint("AXES_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yjs.organisation.signin.locked_out"
AXES_CLIENT_IP_CALLABLE = "yjs.organisation.signin.client_ip"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are recorded in the audit trail, not twice

# A second factor (TOTP, django-otp) for team managers, heads of service, administrators and
# superusers; settings_production refuses to turn it off. Wrong codes are throttled by the device.
YJS_REQUIRE_2FA = envbool("YJS_REQUIRE_2FA", "True")
OTP_TOTP_ISSUER = SERVICE_NAME

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "static")))
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "yjs" / "static",
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
# Documents on children's records (yjs.documents): a private folder no URL serves (never under
# STATIC_ROOT); files leave only through the permission-checked, audited download. Another
# backend (object storage) can be named by YJS_DOCUMENTS_STORAGE, with its own options.
PRIVATE_MEDIA_ROOT = Path(envstr("YJS_DOCUMENTS_DIR", str(VAR_DIR / "documents")))
DOCUMENTS_MAX_BYTES = envint("YJS_DOCUMENTS_MAX_BYTES", str(10 * 1024 * 1024))
# The domain in the calendar feeds' event IDs (the service's own web address, say).
YJS_CALENDAR_DOMAIN = envstr("YJS_CALENDAR_DOMAIN", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "documents": {
        "BACKEND": envstr("YJS_DOCUMENTS_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": {
            "location": str(PRIVATE_MEDIA_ROOT),
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))
# Signed out after this many seconds without a request (SESSION_COOKIE_AGE still caps a session).
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", str(30 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No inline script or style anywhere: every script and stylesheet is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# The JSON API (yjs.api): requests per token in a fixed window, counted in the database so
# every web worker shares one count; tokens expire after at most this many days.
YJS_API_RATE_LIMIT = envint("YJS_API_RATE_LIMIT", "600")
YJS_API_RATE_WINDOW_SECONDS = envint("YJS_API_RATE_WINDOW_SECONDS", "60")
YJS_API_TOKEN_MAX_DAYS = envint("YJS_API_TOKEN_MAX_DAYS", "365")
NINJA_PAGINATION_MAX_LIMIT = 200

# Only behind a proxy that sets X-Forwarded-Proto and X-Forwarded-For itself: otherwise a
# client could claim HTTPS, or a different address to dodge the sign-in lockout.
TRUST_PROXY_HEADERS = envbool("TRUST_PROXY_HEADERS", "False")
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if envbool("SECURE", "False"):  # HTTPS deployments; settings_production turns it on
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "True")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
