"""No lost write in casework: references never collide, and two people editing one victim never
silently overwrite each other.

alice and cal are practitioners in team North; both work with Jay and the victim of his offence.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from yjs.casework import services
from yjs.casework.models import Child, Offence, ReferenceCounter, Referral, Victim
from yjs.organisation.models import Role

from ..conftest import PASSWORD, _user, make_child

D = datetime.date
ROOT = Path(__file__).resolve().parents[2]


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def revision_on(page) -> str:
    return re.search(r'name="revision" value="(\d+)"', page.content.decode()).group(1)


@pytest.fixture
def cal(northshire):
    return _user(
        northshire, "cal", Role.PRACTITIONER, northshire.teams.get(name="North"), "Cal", "Cole"
    )


@pytest.fixture
def victim(northshire, jay, people):
    offence = Offence.objects.create(
        child=jay,
        offence_date=D(2024, 3, 2),
        description="Criminal damage",
        category="CRIMINAL_DAMAGE",
    )
    v = Victim.objects.create(service=northshire, victim_type="INDIVIDUAL", name="Pat Price")
    v.offences.set([offence])
    return v


def victim_post(victim, revision, **answers):
    return {
        "name": victim.name,
        "victim_type": "INDIVIDUAL",
        "offences": [o.pk for o in victim.offences.all()],
        "revision": revision,
        **answers,
    }


def test_the_second_of_two_people_saving_one_victim_is_told_and_overwrites_nothing(
    jay, victim, people, cal
):
    url = reverse("casework:edit_victim", args=[jay.pk, victim.pk])
    alice, cal_client = signed_in(people["alice"]), signed_in(cal)
    alice_rev = revision_on(alice.get(url))
    cal_rev = revision_on(cal_client.get(url))
    assert alice_rev == cal_rev == "1"

    saved = alice.post(url, victim_post(victim, alice_rev, consent_to_contact="YES"))
    assert saved.status_code == 302

    refused = cal_client.post(url, victim_post(victim, cal_rev, consent_to_contact="NO"))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert re.search(
        r"This record was changed by Alice Archer at \d\d:\d\d – review the changes and save again",
        page,
    )
    assert "govuk-error-summary" in page
    # The form shows the record as it is now: alice's answer, on the new revision…
    assert re.search(r'name="consent_to_contact" value="YES"[^>]*checked', page)
    assert revision_on(refused) == "2"
    # …and lists cal's answer, which was not applied.
    assert "Your answers that were not saved" in page
    victim.refresh_from_db()
    assert (victim.consent_to_contact, victim.revision, victim.updated_by) == (
        "YES",
        2,
        people["alice"],
    )

    # Saving again from the page as it is now works.
    again = cal_client.post(url, victim_post(victim, revision_on(refused), consent_to_contact="NO"))
    assert again.status_code == 302
    victim.refresh_from_db()
    assert (victim.consent_to_contact, victim.revision, victim.updated_by) == ("NO", 3, cal)


def test_editing_a_victim_audits_the_change_not_the_revision_bookkeeping(jay, victim, people):
    from yjs.audit.models import AuditEvent

    url = reverse("casework:edit_victim", args=[jay.pk, victim.pk])
    alice = signed_in(people["alice"])
    alice.post(url, victim_post(victim, "1", consent_to_contact="YES"))
    event = AuditEvent.objects.filter(action="UPDATE").latest("pk")
    assert "consent_to_contact" in event.changes
    assert not {"revision", "updated_at", "updated_by_id"} & set(event.changes)


# References --------------------------------------------------------------------------------


def referral_for(northshire, people, first="Sam"):
    child = Child(
        service=northshire,
        team=northshire.teams.get(name="North"),
        first_name=first,
        last_name="Reed",
        date_of_birth=D(2010, 1, 1),
        sex="1",
        residence="LOCAL",
    )
    return services.add_child_with_referral(
        people["alice"],
        child=child,
        ethnicity="WHITE_BRITISH",
        referral=Referral(
            received_on=D(2025, 1, 6), source="POLICE", pathway="PREVENTION", reason="Arrested"
        ),
    )


def test_references_follow_the_highest_existing_one_and_skip_taken_numbers(northshire, people):
    make_child(northshire, northshire.teams.get(name="North"), reference="YJ000041")
    make_child(northshire, northshire.teams.get(name="North"), reference="YJ000007", first="Al")
    assert referral_for(northshire, people).reference == "YJ000042"
    # A reference typed or imported ahead of the counter is skipped, not collided with.
    make_child(northshire, northshire.teams.get(name="North"), reference="YJ000043", first="Bo")
    assert referral_for(northshire, people, "Cy").reference == "YJ000044"
    assert ReferenceCounter.objects.get(prefix="YJ").last == 44


@pytest.mark.django_db(transaction=True)
def test_referrals_made_at_the_same_moment_all_succeed_with_distinct_references(northshire, people):
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is shared-cache; see the file test below")
    threads, per_thread = 10, 4
    start = threading.Barrier(threads)
    errors = []

    def refer(i):
        try:
            start.wait()
            for j in range(per_thread):
                referral_for(northshire, people, f"T{i}x{j}")
        except Exception as exc:  # noqa: BLE001 - every failure is reported by the assert
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=refer, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    references = list(Child.objects.values_list("reference", flat=True))
    assert len(references) == threads * per_thread == len(set(references))
    assert Referral.objects.count() == threads * per_thread


BURST = """
import datetime, json, os, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.db import connection, connections
from yjs.casework import services
from yjs.casework.models import Child, Referral
from yjs.organisation.models import Role, Service, Team, User

service = Service.objects.create(name="Northshire", code="northshire")
team = Team.objects.create(service=service, name="North")
alice = User.objects.create_user("alice", service=service, team=team, role=Role.PRACTITIONER)
errors, start = [], threading.Barrier(8)

def refer(i):
    try:
        start.wait()
        for j in range(3):
            child = Child(service=service, team=team, first_name=f"T{i}", last_name=f"R{j}",
                          date_of_birth=datetime.date(2010, 1, 1), sex="1",
                          residence="LOCAL")
            referral = Referral(received_on=datetime.date(2025, 1, 6), source="POLICE",
                                pathway="PREVENTION", reason="Arrested")
            services.add_child_with_referral(alice, child=child, ethnicity="WHITE_BRITISH",
                                             referral=referral)
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()

workers = [threading.Thread(target=refer, args=(i,)) for i in range(8)]
for w in workers: w.start()
for w in workers: w.join()
cursor = connection.cursor()
name = connection.settings_dict["NAME"]
print(json.dumps({
    "errors": errors,
    "references": list(Child.objects.values_list("reference", flat=True)),
    "journal_mode": cursor.execute("PRAGMA journal_mode").fetchone()[0],
    "synchronous": cursor.execute("PRAGMA synchronous").fetchone()[0],
    "modes": {s: oct(os.stat(f"{name}{s}").st_mode & 0o777) for s in ("", "-wal", "-shm")},
}))
"""


def test_on_a_sqlite_file_referrals_at_the_same_moment_all_succeed_and_the_files_are_private(
    tmp_path,
):
    """The default database: a file in WAL mode, IMMEDIATE transactions, readable by us only."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'yjs.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "yjs.settings",
        "YJS_VAR_DIR": str(tmp_path),
    }
    run = subprocess.run(
        [sys.executable, "-c", BURST],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert len(result["references"]) == 24 == len(set(result["references"]))
    assert (result["journal_mode"], result["synchronous"]) == ("wal", 1)  # 1 = NORMAL
    assert result["modes"] == {"": "0o600", "-wal": "0o600", "-shm": "0o600"}
