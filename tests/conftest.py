"""The story every test tells: the Northshire service, teams North and South, and its people.

alice and bob are practitioners in North and South; mo manages North; hana is head of service;
ana is the performance analyst; bea sits on the management board.
"""

from __future__ import annotations

import contextlib
import datetime
import os

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from yjs.casework.models import Child, EthnicityRecord
from yjs.organisation.models import LocalAuthority, Role, Service, Team, User
from yjs.permissions import requires_second_factor

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True, scope="session")
def verify_kpi_contract():
    """Every engine run in the tests checks that no KPI file counts a unit twice in one result
    (the engine counts rows, not distinct units: engine.py's docstring)."""
    before = os.environ.get("YJS_ENGINE_VERIFY")
    os.environ["YJS_ENGINE_VERIFY"] = "1"
    yield
    if before is None:
        os.environ.pop("YJS_ENGINE_VERIFY")
    else:
        os.environ["YJS_ENGINE_VERIFY"] = before


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """Passwords are hashed with a cheap hasher in tests. The real one (PBKDF2, over a million
    rounds) is slow on purpose: six people per test cost four seconds, most of the suite's time.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def tasks_run_at_once():
    """Background tasks (the performance refresh) run inside the request that queues them, so
    a test sees their effect without a worker. tests/performance swaps in a queue that only
    records, where a test is about what is queued."""
    backend = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with override_settings(TASKS=backend):
        yield


@pytest.fixture(autouse=True)
def refresh_only_what_pages_read(monkeypatch):
    """The performance refresh precomputes no quarter in tests: each page computes (and keeps)
    the quarters it reads, as it would the first time, instead of all twenty-odd the dashboard
    offers. tests/performance/test_live_refresh.py sets the quarters it tests."""
    from yjs.performance import live

    monkeypatch.setattr(live, "shown_quarters", lambda today=None: [])


@pytest.fixture(autouse=True)
def no_pages_from_another_test():
    """Each test starts with no kept page content (yjs/page_cache.py) and no kept fingerprint
    (live.data_fingerprint): ids and session keys come round again once a test's data is
    rolled back."""
    from django.core.cache import caches

    from yjs.performance import live

    caches["pages"].clear()
    live._fingerprints.clear()


@pytest.fixture(autouse=True)
def second_factor_on_test_login(monkeypatch):
    """`client.login` and `client.force_login` skip the sign-in pages, so a manager's session
    is marked as having entered a TOTP code too (as the code page does). tests/organisation
    signs in through the real pages to test the second factor itself."""
    original = Client._login

    def _login(self, user, backend=None):
        original(self, user, backend)
        if requires_second_factor(user):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            device = device or TOTPDevice.objects.create(user=user, name="Test app")
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()

    monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def northshire(db):
    service = Service.objects.create(name="Northshire Youth Justice Service", code="northshire")
    LocalAuthority.objects.create(service=service, name="Northshire", ons_code="E06000901")
    LocalAuthority.objects.create(service=service, name="Eastmoor", ons_code="E06000902")
    Team.objects.create(service=service, name="North")
    Team.objects.create(service=service, name="South")
    return service


def _user(service, username, role, team=None, first="", last=""):
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        service=service,
        team=team,
        role=role,
        first_name=first,
        last_name=last,
    )


@pytest.fixture
def people(northshire):
    north = northshire.teams.get(name="North")
    south = northshire.teams.get(name="South")
    return {
        "alice": _user(northshire, "alice", Role.PRACTITIONER, north, "Alice", "Archer"),
        "bob": _user(northshire, "bob", Role.PRACTITIONER, south, "Bob", "Baker"),
        "mo": _user(northshire, "mo", Role.TEAM_MANAGER, north, "Mo", "Morgan"),
        "hana": _user(northshire, "hana", Role.HEAD_OF_SERVICE, None, "Hana", "Hale"),
        "ana": _user(northshire, "ana", Role.PERFORMANCE_ANALYST, None, "Ana", "Ali"),
        "bea": _user(northshire, "bea", Role.BOARD_MEMBER, None, "Bea", "Bell"),
    }


def make_child(
    service,
    team,
    *,
    first="Jay",
    last="Smith",
    dob=datetime.date(2010, 5, 1),
    worker=None,
    ethnicity="WHITE_BRITISH",
    **extra,
):
    child = Child.objects.create(
        service=service,
        team=team,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        sex="1",
        reference=extra.pop("reference", None) or f"T{Child.objects.count() + 1:05d}",
        allocated_worker=worker,
        home_local_authority=service.local_authorities.first(),
        residence=extra.pop("residence", "LOCAL"),
        **extra,
    )
    EthnicityRecord.objects.create(
        child=child, ethnicity=ethnicity, recorded_on=datetime.date(2024, 1, 1)
    )
    return child


@pytest.fixture
def jay(northshire, people):
    """A child of team North, allocated to alice."""
    return make_child(northshire, northshire.teams.get(name="North"), worker=people["alice"])


@pytest.fixture
def kim(northshire, people):
    """A child of team South, allocated to bob."""
    return make_child(
        northshire,
        northshire.teams.get(name="South"),
        first="Kim",
        last="Jones",
        worker=people["bob"],
    )


def date_fields(prefix, d) -> dict:
    """A date as the GOV.UK date input posts it (day, month, year boxes)."""
    return {f"{prefix}_day": d.day, f"{prefix}_month": d.month, f"{prefix}_year": d.year}


def referral_form(people, service, dob, received_on, reason="Found with older boys") -> dict:
    """The new-referral form for Sam Taylor, a child of alice's team."""
    return {
        "first_name": "Sam",
        "last_name": "Taylor",
        **date_fields("date_of_birth", dob),
        "sex": "2",
        "residence": "LOCAL",
        "team": people["alice"].team.pk,
        "home_local_authority": service.local_authorities.first().pk,
        "allocated_worker": people["alice"].pk,
        "ethnicity": "MIXED_WHITE_ASIAN",
        **date_fields("received_on", received_on),
        "source": "POLICE",
        "pathway": "PREVENTION",
        "reason": reason,
    }


def audit_lock_queries() -> int:
    """The query an audited write adds on PostgreSQL only: the advisory lock on the audit chain's
    head (yjs/audit/services.py). Query-count limits are counted on SQLite and add this."""
    from django.db import connection

    return 1 if connection.vendor == "postgresql" else 0


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """Data a whole module shares (a demo load takes seconds), undone when the module ends."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
