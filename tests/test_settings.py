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


def _check(env):
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_production_settings_pass_check_deploy():
    result = _check(
        {
            "DJANGO_SETTINGS_MODULE": "yjs.settings_production",
            "SECRET_KEY": "k" * 20 + "x7#Qp2!vL9@mZ4$wR8^tY1&uI5*oP3(aS6)dF0",
            "ALLOWED_HOSTS": "yjs.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_refuse_the_development_key():
    result = _check({"DJANGO_SETTINGS_MODULE": "yjs.settings_production", "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
