"""The demo service's workforce, volunteers and resources: present, and keeping the rules."""

from __future__ import annotations

import datetime as dt

import pytest

from yjs.interop.demo import load_demo
from yjs.workforce import models as m
from yjs.workforce import selectors, services

TODAY = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        summary = load_demo(seed=3, children=60, today=TODAY)
        yield summary
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_demo_has_a_workforce_and_a_rota_that_keep_the_rules(demo):
    service = m.Course.objects.first().service
    assert demo.counts["Volunteer"] == 12 and demo.counts["Course"] == 5
    # The expiry list has someone on it, and the caseload has workers.
    assert selectors.expiry_list(service, TODAY)
    assert selectors.caseload_at(service, TODAY)["workers"] > 0
    # One volunteer's check has run out and another is due for renewal.
    states = {selectors.vetting_state(v, TODAY) for v in m.Volunteer.objects.all()}
    assert {"expired", "expiring", "current"} <= states
    # Every panel on the rota would be accepted by the rules.
    for panel in m.PanelMeeting.objects.all():
        assert services.panel_problems(panel, TODAY) == {}, panel
    assert (
        selectors.reparation(service, selectors.year_to_date(selectors.quarter_of(TODAY)))["hours"]
        > 0
    )


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["hana", "bea"])
def test_demo_pages_open(client, demo, username):
    from yjs.organisation.models import User

    client.force_login(User.objects.get(username=username))
    for url in ("/workforce/", "/resources/", "/resources/?year=2024-25"):
        assert client.get(url).status_code == 200, url
    status = client.get("/volunteers/").status_code
    assert status == (200 if username == "hana" else 403)
