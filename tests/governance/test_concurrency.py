"""No lost write in governance: two planners editing one plan section, budget line or meeting
never silently overwrite each other; the second is shown the record as it is now.

ana and ash are Northshire's performance analysts; both work on the plan.
"""

from __future__ import annotations

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from yjs.governance import services
from yjs.governance.models import BoardAttendance, BoardMeeting, BudgetLine, PlanSection
from yjs.organisation.models import Role
from yjs.versioning import EditConflict

from ..conftest import PASSWORD, _user

CONFLICT = r"This record was changed by Ana Ali at \d\d:\d\d – review the changes and save again"


@pytest.fixture
def ash(northshire):
    return _user(northshire, "ash", Role.PERFORMANCE_ANALYST, None, "Ash", "Amin")


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def revision_on(page) -> str:
    return re.search(r'name="revision" value="(\d+)"', page.content.decode()).group(1)


def test_the_second_author_of_a_section_is_told_and_their_text_is_kept_aside(plan, people, ash):
    url = reverse("governance:section_edit", args=[plan.pk, 1, "voice"])
    ana, ash_client = signed_in(people["ana"]), signed_in(ash)
    ana_rev, ash_rev = revision_on(ana.get(url)), revision_on(ash_client.get(url))

    saved = ana.post(url, {"narrative": "Children told us about **school**.", "revision": ana_rev})
    assert saved.status_code == 302
    refused = ash_client.post(url, {"narrative": "Ash's own words.", "revision": ash_rev})
    page = refused.content.decode()
    assert refused.status_code == 200 and re.search(CONFLICT, page)
    assert "Children told us about **school**.</textarea>" in page  # the text as it is now
    assert "Your answers that were not saved" in page and "Ash&#x27;s own words." in page
    section = PlanSection.objects.get(version__plan=plan, key="voice")
    assert section.narrative == "Children told us about **school**."
    assert section.updated_by == people["ana"]

    again = ash_client.post(
        url, {"narrative": "Ash's own words.", "revision": revision_on(refused)}
    )
    assert again.status_code == 302
    assert PlanSection.objects.get(pk=section.pk).narrative == "Ash's own words."


def test_a_section_nobody_has_written_yet_cannot_be_written_twice_unseen(plan, people, ash):
    PlanSection.objects.filter(version__plan=plan, key="voice").delete()
    url = reverse("governance:section_edit", args=[plan.pk, 1, "voice"])
    ana, ash_client = signed_in(people["ana"]), signed_in(ash)
    assert revision_on(ana.get(url)) == revision_on(ash_client.get(url)) == "0"
    assert ana.post(url, {"narrative": "First.", "revision": "0"}).status_code == 302
    refused = ash_client.post(url, {"narrative": "Second.", "revision": "0"})
    assert re.search(CONFLICT, refused.content.decode())
    assert PlanSection.objects.get(version__plan=plan, key="voice").narrative == "First."


def budget_post(line, revision, staffing):
    return {
        "year": line.year,
        "agency": line.agency,
        "staffing_costs": staffing,
        "payments_in_kind": line.payments_in_kind,
        "other_delegated_funds": line.other_delegated_funds,
        "revision": revision,
    }


def test_the_second_editor_of_a_budget_line_is_told_and_changes_nothing(plan, people, ash):
    line = BudgetLine.objects.get(agency="POLICE", year=2024)
    url = reverse("governance:data_edit", args=["budget", line.pk])
    ana, ash_client = signed_in(people["ana"]), signed_in(ash)
    ana_rev, ash_rev = revision_on(ana.get(url)), revision_on(ash_client.get(url))

    assert ana.post(url, budget_post(line, ana_rev, "1000")).status_code == 302
    refused = ash_client.post(url, budget_post(line, ash_rev, "2000"))
    page = refused.content.decode()
    assert refused.status_code == 200 and re.search(CONFLICT, page)
    assert 'value="1000.00"' in page  # the form shows ana's figure, the one saved now
    line.refresh_from_db()
    assert line.staffing_costs == Decimal("1000") and line.revision == 2

    # Deleting what someone changed since it was opened is refused too.
    stale_delete = ash_client.post(url, {**budget_post(line, ash_rev, "2000"), "delete": "1"})
    assert re.search(CONFLICT, stale_delete.content.decode())
    assert BudgetLine.objects.filter(pk=line.pk).exists()

    # From the page as it is now, ash's change goes through.
    assert ash_client.post(url, budget_post(line, "2", "2000")).status_code == 302
    line.refresh_from_db()
    assert line.staffing_costs == Decimal("2000") and line.updated_by == ash


def test_the_second_recorder_of_a_meetings_attendance_is_told(plan, people, ash):
    meeting = BoardMeeting.objects.filter(service=plan.service).first()
    url = reverse("governance:attendance", args=[meeting.pk])
    ana, ash_client = signed_in(people["ana"]), signed_in(ash)
    ana_rev, ash_rev = revision_on(ana.get(url)), revision_on(ash_client.get(url))
    codes = [
        f.split("__")[0]
        for f in re.findall(r'name="(\w+__attendance)"', ana.get(url).content.decode())
    ]

    def post(level, revision):
        return {**{f"{c}__attendance": level for c in codes}, "revision": revision}

    assert ana.post(url, post("SENIOR", ana_rev)).status_code == 302
    refused = ash_client.post(url, post("NONE", ash_rev))
    assert refused.status_code == 200 and re.search(CONFLICT, refused.content.decode())
    assert set(
        BoardAttendance.objects.filter(meeting=meeting).values_list("attendance", flat=True)
    ) == {"SENIOR"}


@pytest.mark.django_db(transaction=True)
def test_two_saves_of_one_revision_at_the_same_moment_let_exactly_one_through(plan, people, ash):
    """The database, not the page, decides: a real race on PostgreSQL."""
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory SQLite test database is shared-cache (file test in casework)")
    line_pk = BudgetLine.objects.get(agency="POLICE", year=2024).pk
    start, outcomes = threading.Barrier(2), []

    def save(user, amount):
        try:
            line = BudgetLine.objects.get(pk=line_pk)
            start.wait()
            line.staffing_costs = Decimal(amount)
            services.save_record(line, user)
            outcomes.append("saved")
        except EditConflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    workers = [
        threading.Thread(target=save, args=(people["ana"], "1000")),
        threading.Thread(target=save, args=(ash, "2000")),
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert BudgetLine.objects.get(pk=line_pk).revision == 2


def test_the_second_sign_off_of_a_draft_is_told(plan, people, ash):
    url = reverse("governance:sign_off", args=[plan.pk, 1])
    ana, ash_client = signed_in(people["ana"]), signed_in(ash)
    ana_rev, ash_rev = revision_on(ana.get(url)), revision_on(ash_client.get(url))
    post = {"kpi_quarter": "2024-25 Q4", "signed_off_role": "Chair of the board"}
    assert (
        ana.post(url, {**post, "signed_off_by": "Dana Dale", "revision": ana_rev}).status_code
        == 302
    )
    refused = ash_client.post(url, {**post, "signed_off_by": "Someone Else", "revision": ash_rev})
    assert re.search(CONFLICT, refused.content.decode())
    assert plan.versions.get().signed_off_by == "Dana Dale"
