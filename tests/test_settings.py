import ast
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from yjs import settings


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG must be True or False"):
        settings.envbool("X_FLAG", "False")
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM must be a whole number"):
        settings.envint("X_NUM", "1")
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert settings.envlist("X_LIST", "") == ["a", "b", "c"]


STRONG_KEY = "k" * 20 + "x7#Qp2!vL9@mZ4$wR8^tY1&uI5*oP3(aS6)dF0"
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "yjs.settings_production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "yjs.example.org",
    "DATABASE_URL": "postgres://yjs@db.example.org:5432/yjs",
    "YJS_PSEUDONYM_KEY": "p" * 10 + "Vb7!kQ2@zX9#mL4$tR8%wN1^",
}


def _check(env, without=()):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        **env,
    }
    for name in without:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_pass_check_deploy():
    result = _check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "change, without, message",
    [
        ({"SECRET_KEY": ""}, (), "Set SECRET_KEY to a random value of at least 50"),
        ({}, ("DATABASE_URL",), "Set DATABASE_URL to the PostgreSQL database"),
        ({"DATABASE_URL": "sqlite:////tmp/yjs.sqlite3"}, (), "must be PostgreSQL in production"),
        ({}, ("YJS_PSEUDONYM_KEY",), "Set YJS_PSEUDONYM_KEY to a random value"),
        ({"YJS_PSEUDONYM_KEY": "short-key"}, (), "Set YJS_PSEUDONYM_KEY to a random value"),
        ({"YJS_PSEUDONYM_KEY": STRONG_KEY}, (), "not SECRET_KEY"),
        ({"YJS_REQUIRE_2FA": "False"}, (), "YJS_REQUIRE_2FA cannot be turned off"),
        ({"DEBUG": "True"}, (), "DEBUG must be False"),
    ],
)
def test_production_settings_refuse_to_start(change, without, message):
    result = _check({**PRODUCTION, **change}, without)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("django.core.exceptions.ImproperlyConfigured: ")
    assert message in last_line


def _setting(env, name, without=()):
    code = f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))"
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env}
    for key in without:
        env.pop(key, None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_proxy_header_is_trusted_only_when_configured():
    assert _setting(PRODUCTION, "SECURE_PROXY_SSL_HEADER", without=("TRUST_PROXY_HEADERS",)) == (
        "None"
    )
    trusted = {**PRODUCTION, "TRUST_PROXY_HEADERS": "True"}
    assert _setting(trusted, "SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_development_pseudonym_key_is_random_kept_and_private(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "yjs.settings", "YJS_VAR_DIR": str(tmp_path)}
    first = _setting(env, "PSEUDONYM_KEY", without=("YJS_PSEUDONYM_KEY",))
    again = _setting(env, "PSEUDONYM_KEY", without=("YJS_PSEUDONYM_KEY",))
    other = _setting(
        {**env, "YJS_VAR_DIR": str(tmp_path / "elsewhere")},
        "PSEUDONYM_KEY",
        without=("YJS_PSEUDONYM_KEY",),
    )
    key_file = tmp_path / "pseudonym.key"
    assert first == again == repr(key_file.read_text().strip())
    assert first != other and len(ast.literal_eval(first)) >= 32
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_pseudonyms_use_the_pseudonym_key_not_the_secret_key(settings):
    from yjs.interop.pseudonyms import child_pseudonym

    before = child_pseudonym(7)
    settings.SECRET_KEY = "another-secret-key-" * 3
    assert child_pseudonym(7) == before
    settings.PSEUDONYM_KEY = "another-pseudonym-key-of-32-chars-or-more"
    assert child_pseudonym(7) != before
