"""Who may see and change plans on the web: board members read, planners edit."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from yjs.casework.models import Remand
from yjs.governance.models import PlanSection

from ..conftest import PASSWORD, make_child


@pytest.fixture(autouse=True)
def engine(monkeypatch, source):
    """Pages read KPI results through the engine; here, through the constructed rows."""
    monkeypatch.setattr("yjs.governance.selectors.EngineSource", lambda *a, **k: source)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_anonymous_is_sent_to_sign_in(client, plan):
    for url in (reverse("governance:index"), reverse("governance:plan", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_board_member_reads_the_plan_but_cannot_edit(client, plan, people):
    login(client, people["bea"])
    page = client.get(reverse("governance:plan", args=[plan.pk]))
    assert page.status_code == 200
    assert "1. Introduction, vision and strategy" in page.content.decode()
    assert "Edit introduction" not in page.content.decode()
    url = reverse("governance:section_edit", args=[plan.pk, 1, "voice"])
    assert client.post(url, {"narrative": "Changed"}).status_code == 403
    assert client.get(reverse("governance:data_new", args=["budget"])).status_code == 403
    download = client.get(reverse("governance:export", args=[plan.pk, 1, "docx"]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_practitioner_cannot_edit(client, plan, people):
    login(client, people["alice"])
    url = reverse("governance:section_edit", args=[plan.pk, 1, "voice"])
    assert client.post(url, {"narrative": "Changed"}).status_code == 403
    assert client.post(reverse("governance:approve", args=[plan.pk, 1])).status_code == 403


def test_head_of_service_edits_a_section(client, plan, people):
    login(client, people["hana"])
    url = reverse("governance:section_edit", args=[plan.pk, 1, "voice"])
    response = client.post(url, {"narrative": "Children told us **this**."})
    assert response.status_code == 302
    assert PlanSection.objects.get(key="voice").narrative == "Children told us **this**."


def test_consistency_problems_are_shown_to_the_author(client, plan, people):
    PlanSection.objects.filter(key="child_first").update(narrative="")
    login(client, people["ana"])
    page = client.get(reverse("governance:plan", args=[plan.pk])).content.decode()
    assert "1 problem to fix before approval" in page
    assert "2. Child First: The section is empty" in page


def test_import_page_reports_rows(client, plan, people):
    from .test_imports import STAFF_HEADINGS, workbook

    login(client, people["hana"])
    data = workbook([STAFF_HEADINGS, ["Practitioners", "Woman", "White", 1, ""]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("governance:data_import", args=["staffing"]),
        {"file": SimpleUploadedFile("staff.xlsx", data)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "nothing was imported" in page
    assert '<td class="govuk-table__cell">2</td>' in page and "Sex" in page


def test_board_pack_gives_board_members_aggregates_and_managers_names(
    client, plan, people, northshire
):
    child = make_child(
        northshire,
        northshire.teams.get(name="North"),
        first="Zed",
        last="Zebedee",
        reference="NS00042",
    )
    Remand.objects.create(
        child=child,
        decision="REMAND_IN_CUSTODY",
        start_date=datetime.date(2024, 5, 3),
        end_date=datetime.date(2024, 5, 20),
        circumstances="Refused bail after a robbery charge",
    )
    login(client, people["bea"])
    page = client.get(
        reverse("governance:board_pack"), {"quarter": "2024Q1", "format": "html", "named": "1"}
    ).content.decode()
    assert "NS00042" not in page and "Zebedee" not in page and "robbery" not in page
    assert "Remand to youth detention accommodation (YDA)" in page  # counted, by kind
    assert "fewer than 5" in page
    client.logout()
    login(client, people["hana"])
    page = client.get(
        reverse("governance:board_pack"), {"quarter": "2024Q1", "format": "html", "named": "1"}
    ).content.decode()
    assert "Zed Zebedee (NS00042)" in page and "Refused bail after a robbery charge" in page
    for user, sees in ((people["alice"], True), (people["bob"], False)):  # North, South
        client.logout()
        login(client, user)
        page = client.get(
            reverse("governance:board_pack"), {"quarter": "2024Q1", "format": "html", "named": "1"}
        ).content.decode()
        assert ("Zed Zebedee (NS00042)" in page) is sees, user
        assert ("NS00042" in page) is sees, user


def test_the_kpi_section_offers_commentary_drafted_from_the_figures(client, plan, people):
    """Offered, never saved by itself: the author starts from it only when asking to."""
    PlanSection.objects.filter(key="kpis").update(narrative="")
    login(client, people["hana"])
    url = reverse("governance:section_edit", args=[plan.pk, 1, "kpis"])
    page = client.get(url).content.decode()
    assert "Commentary drafted from the figures" in page
    # fte 2024-25 Q4 = 17 against 16 the quarter before (the constructed rows, conftest)
    assert "was 17 in 2024-25 Q4, against 16 in 2024-25 Q3 (worsening)" in page
    assert not PlanSection.objects.filter(key="kpis").exclude(narrative="").exists()
    assert "Start the text from this draft" in page
    started = client.get(url + "?start=draft").content.decode()
    assert "First time entrants (first time entrants per 100,000" in started.split("<textarea")[1]
    assert not PlanSection.objects.filter(key="kpis").exclude(narrative="").exists()
    other = client.get(reverse("governance:section_edit", args=[plan.pk, 1, "voice"]))
    assert "Commentary drafted" not in other.content.decode()
