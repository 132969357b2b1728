"""Retention review: which closed records are due, by the rule in settings (6 years, 18 at least).

On 30 November 2026, with the default six years: Ada's case closed on 30 June 2019 and she is
23, so she has been due since 30 June 2025. Ben's case closed at the same time but he turns 18
only on 1 February 2028. Cal's case closed on 1 January 2021 (due 1 January 2027). Dee's case
is still open. Eli's case closed in 2012 but he turns 18 on 10 December 2026: due that day.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import PASSWORD, make_child
from yjs.audit.models import AuditEvent
from yjs.casework import erasure
from yjs.casework.retention import due_for_review, due_since, review_list
from yjs.organisation.models import Service, Team

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 30)


@pytest.fixture
def closed(northshire, people):
    team = northshire.teams.get(name="North")

    def child(first, dob, closed_on, reference):
        return make_child(
            northshire, team, first=first, dob=dob, closed_on=closed_on, reference=reference
        )

    return {
        "ada": child("Ada", D(2003, 1, 1), D(2019, 6, 30), "YJ000001"),
        "ben": child("Ben", D(2010, 2, 1), D(2019, 6, 30), "YJ000002"),
        "cal": child("Cal", D(2003, 1, 1), D(2021, 1, 1), "YJ000003"),
        "dee": child("Dee", D(2000, 1, 1), None, "YJ000004"),
        "eli": child("Eli", D(2008, 12, 10), D(2012, 3, 1), "YJ000005"),
        "fay": child("Fay", D(2002, 5, 5), D(2018, 2, 28), "YJ000006"),
    }


def test_due_is_the_later_of_closure_plus_six_years_and_the_18th_birthday(closed, northshire):
    due = due_for_review(northshire, TODAY)
    assert [(r.reference, r.due_since, r.age_band) for r in due] == [
        ("YJ000006", D(2024, 2, 28), "20–24"),
        ("YJ000001", D(2025, 6, 30), "20–24"),
    ]
    assert due_since(closed["ben"]) == D(2028, 2, 1)
    assert due_since(closed["cal"]) == D(2027, 1, 1)
    assert due_since(closed["dee"]) is None
    assert due_since(closed["eli"]) == D(2026, 12, 10)
    assert "YJ000005" in [r.reference for r in due_for_review(northshire, D(2026, 12, 10))]


def test_the_number_of_years_comes_from_settings(closed, northshire, settings):
    settings.RETENTION_YEARS_AFTER_CLOSURE = 8
    assert [r.reference for r in due_for_review(northshire, TODAY)] == ["YJ000006"]


def test_other_services_and_erased_records_are_not_listed(closed, northshire, people):
    southmoor = Service.objects.create(name="Southmoor YJS", code="southmoor")
    make_child(
        southmoor,
        Team.objects.create(service=southmoor, name="Central"),
        dob=D(2000, 1, 1),
        closed_on=D(2010, 1, 1),
    )
    erasure.erase_child(people["hana"], closed["fay"], "Retention period ended")
    assert [r.reference for r in due_for_review(northshire, TODAY)] == ["YJ000001"]


def test_the_list_is_audited_once_per_child_listed(closed, northshire, people):
    review_list(people["hana"], northshire, TODAY)
    listed = AuditEvent.objects.filter(description="Retention review list", actor=people["hana"])
    assert sorted(listed.values_list("child__reference", flat=True)) == ["YJ000001", "YJ000006"]


def test_head_of_service_sees_the_page_with_the_rule_and_the_action(client, closed):
    client.login(username="hana", password=PASSWORD)
    page = client.get("/retention/")
    text = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "6 years after the case closed" in text and "18th birthday" in text
    assert "YJ000001" in text and "YJ000006" in text and "Ada" not in text
    assert f'href="/children/{closed["ada"].pk}/erase/"' in text
    assert "Erase personal data" in text


@pytest.mark.parametrize("username", ["alice", "mo", "ana", "bea"])
def test_other_roles_are_refused_the_list(client, closed, username):
    client.login(username=username, password=PASSWORD)
    assert client.get("/retention/").status_code == 403


def test_the_command_lists_as_json_and_as_a_table(closed):
    out = StringIO()
    call_command("retention", "list", "--on", "2026-11-30", "--format", "json", stdout=out)
    listed = json.loads(out.getvalue())
    assert [r["reference"] for r in listed["due"]] == ["YJ000006", "YJ000001"]
    assert listed["due"][1] == {
        "reference": "YJ000001",
        "age_band": "20–24",
        "closed_on": "2019-06-30",
        "due_since": "2025-06-30",
    }
    table = StringIO()
    call_command("retention", "list", "--on", "2026-11-30", stdout=table)
    assert "YJ000001" in table.getvalue() and "2 record(s) due" in table.getvalue()


def test_the_command_refuses_bad_input_in_one_line(closed):
    with pytest.raises(CommandError, match="not a date"):
        call_command("retention", "list", "--on", "30/11/2026")
    with pytest.raises(CommandError, match="no service with code"):
        call_command("retention", "list", "--service", "nowhere")
