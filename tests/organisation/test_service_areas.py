"""The "Service" menu item: the service's own work beyond the cases and its administration on
one page, each area only for those who may open it; the menu itself stays short."""

import pytest

from tests.conftest import PASSWORD


def _menu(client) -> list[str]:
    response = client.get("/caseload/")
    return [item["text"] for item in response.context["nav_items"]]


@pytest.mark.parametrize(
    ("username", "has", "has_not"),
    [
        (
            "alice",
            {"Programmes and groups", "My training and supervision"},
            {"Audit trail", "Quality assurance", "Volunteers and panel rota"},
        ),
        (
            "hana",
            {"Quality assurance", "Volunteers and panel rota", "Audit trail", "Resources"},
            set(),
        ),
    ],
)
def test_each_role_sees_its_own_areas(client, people, username, has, has_not):
    client.login(username=username, password=PASSWORD)
    page = client.get("/service/")
    assert page.status_code == 200
    shown = {a["text"] for a in page.context["areas"]}
    assert has <= shown
    assert not (has_not & shown)
    for area in page.context["areas"]:  # every link opens for this user
        assert client.get(area["href"]).status_code == 200, area["text"]


def test_the_menu_is_short_and_marks_service_inside_an_area(client, people):
    client.login(username="hana", password=PASSWORD)
    menu = _menu(client)
    assert "Service" in menu and len(menu) <= 12
    assert "Audit trail" not in menu and "Programmes" not in menu
    inside = client.get("/programmes/")
    active = [i["text"] for i in inside.context["nav_items"] if i["active"]]
    assert active == ["Service"]
