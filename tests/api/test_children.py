"""Children through the API: each role reaches what its pages reach, and no more; every read
of a child is audited like the page's; a second service finds nothing (404)."""

from __future__ import annotations

import datetime

import pytest

from tests.api.conftest import ApiClient, is_problem
from tests.conftest import make_child
from yjs.api import services as tokens
from yjs.audit.models import AuditEvent
from yjs.casework.models import Contact, Offence
from yjs.organisation.models import Role, Service, Team, User


@pytest.fixture
def sol_api(client, db):
    """sol is head of service at Southvale, a second service, with a token of his own."""
    south = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    team = Team.objects.create(service=south, name="Southvale")
    sol = User.objects.create_user("sol", service=south, team=team, role=Role.HEAD_OF_SERVICE)
    return ApiClient(client, tokens.create_token(sol, name="sol", days=5)[1])


def test_practitioner_reads_own_team_child_only(api_as, jay, kim):
    alice = api_as("alice")
    response = alice.get(f"/api/v1/children/{jay.pk}")
    assert response["Cache-Control"] == "no-store, private"  # never kept in a cache
    body = response.json()
    assert (body["first_name"], body["reference"], body["team"]) == ("Jay", jay.reference, "North")
    is_problem(alice.get(f"/api/v1/children/{kim.pk}"), 403)
    listed = alice.get("/api/v1/caseload").json()
    assert [c["id"] for c in listed["items"]] == [jay.pk]
    found = alice.get("/api/v1/children/search", {"q": "Jon"}).json()
    assert found["items"] == [] and found["known_elsewhere"] == []  # a part of a name: nothing
    found = alice.get("/api/v1/children/search", {"q": "Kim Jones"}).json()
    assert found["items"] == [] and found["known_elsewhere"] == [{"team": "South", "count": 1}]


def test_managers_read_every_child_of_the_service(api_as, jay, kim):
    for username in ("mo", "hana"):
        api = api_as(username)
        assert api.get(f"/api/v1/children/{kim.pk}").status_code == 200, username
        ids = {c["id"] for c in api.get("/api/v1/caseload").json()["items"]}
        assert ids == {jay.pk, kim.pk}, username


@pytest.mark.parametrize("username", ["bea", "ana"])
def test_board_member_and_analyst_get_no_named_child(api_as, jay, username):
    api = api_as(username)
    for url in (
        f"/api/v1/children/{jay.pk}",
        f"/api/v1/children/{jay.pk}/records/offence",
        "/api/v1/caseload",
        "/api/v1/children/search?q=Jay",
    ):
        is_problem(api.get(url), 403)
    offence = {"description": "x", "offence_date": "2025-01-02", "category": "THEFT_AND_HANDLING"}
    is_problem(api.post(f"/api/v1/children/{jay.pk}/offences", offence), 403)


def test_second_service_finds_nothing(sol_api, jay):
    is_problem(sol_api.get(f"/api/v1/children/{jay.pk}"), 404)
    is_problem(sol_api.get(f"/api/v1/children/{jay.pk}/records/offence"), 404)
    is_problem(
        sol_api.post(
            f"/api/v1/children/{jay.pk}/contacts",
            {
                "contact_date": "2025-01-02",
                "contact_type": "HOME_VISIT",
                "mode": "PHONE",
                "attended": True,
            },
        ),
        404,
    )
    assert sol_api.get("/api/v1/caseload").json()["items"] == []
    assert sol_api.get("/api/v1/children/search", {"q": "Jay Smith"}).json()["items"] == []
    assert Contact.objects.count() == 0


def test_child_reads_are_audited_like_the_pages(api_as, people, jay):
    alice = api_as("alice")
    before = AuditEvent.objects.filter(child=jay, action="VIEW").count()
    alice.get(f"/api/v1/children/{jay.pk}")
    alice.get(f"/api/v1/children/{jay.pk}/records/offence")
    alice.get("/api/v1/caseload")
    alice.get("/api/v1/children/search", {"q": "Jay"})
    events = AuditEvent.objects.filter(child=jay, action="VIEW").order_by("id")[before:]
    assert [e.actor for e in events] == [people["alice"]] * 4
    assert [e.description for e in events] == [
        "Viewed child record (API)",
        "Viewed offence records (API)",
        "API caseload",
        "API search: 1 results",
    ]


def test_record_offence_contact_and_intervention_through_the_services(api_as, people, jay):
    alice = api_as("alice")
    r = alice.post(
        f"/api/v1/children/{jay.pk}/offences",
        {
            "description": "Shoplifting",
            "offence_date": "2025-01-02",
            "category": "THEFT_AND_HANDLING",
            "gravity_score": 2,
        },
    )
    assert r.status_code == 201, r.content
    offence = Offence.objects.get(child=jay)
    assert r.json()["id"] == offence.pk and offence.gravity_score == 2
    assert AuditEvent.objects.filter(action="CREATE", child=jay, object_id=str(offence.pk)).exists()

    r = alice.post(
        f"/api/v1/children/{jay.pk}/contacts",
        {
            "contact_date": "2025-01-03",
            "contact_type": "HOME_VISIT",
            "mode": "FACE_TO_FACE",
            "attended": False,
            "notes": "Not at home",
        },
    )
    assert r.status_code == 201, r.content
    contact = Contact.objects.get(child=jay)
    assert (contact.attended, contact.worker, contact.notes) == (
        False,
        people["alice"],
        "Not at home",
    )

    r = alice.post(
        f"/api/v1/children/{jay.pk}/interventions",
        {"kind": "PREVENTION", "start_date": "2025-01-06"},
    )
    assert r.status_code == 201, r.content
    fields = r.json()["fields"]
    assert (fields["team_id"], fields["worker_id"]) == (jay.team_id, people["alice"].pk)
    listed = alice.get(f"/api/v1/children/{jay.pk}/records/intervention").json()
    assert [i["id"] for i in listed["items"]] == [r.json()["id"]]
    one = alice.get(f"/api/v1/children/{jay.pk}/records/contact/{contact.pk}").json()
    assert one["fields"]["notes"] == "Not at home" and one["revision"] == 1


def _nothing_written(jay):
    return (
        Offence.all_objects.count(),
        Contact.all_objects.count(),
        AuditEvent.objects.exclude(action="VIEW").count(),
    )


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("{not json", 400, None),
        ("[1, 2]", 422, None),
        (
            '{"description": 5, "offence_date": "2025-01-02", "category": "THEFT_AND_HANDLING"}',
            422,
            "description",
        ),
        (
            '{"description": "x", "offence_date": "yesterday", "category": "THEFT_AND_HANDLING"}',
            422,
            "offence_date",
        ),
        ('{"description": "x", "offence_date": "2025-01-02"}', 422, "category"),
        (
            '{"description": "x", "offence_date": "2025-01-02", "category": "NOT_A_CODE"}',
            422,
            "category",
        ),
        # the page's own rule: an offence after the arrest
        (
            '{"description": "x", "offence_date": "2025-01-05", "arrest_date": "2025-01-02",'
            ' "category": "THEFT_AND_HANDLING"}',
            422,
            None,
        ),
        (
            '{"description": "x", "offence_date": "2099-01-02", "category": "THEFT_AND_HANDLING"}',
            422,
            "offence_date",
        ),
        (
            '{"description": "\\u0000x", "offence_date": "2025-01-02",'
            ' "category": "THEFT_AND_HANDLING"}',
            422,
            "description",
        ),
    ],
)
def test_bad_input_is_a_problem_and_writes_nothing(api_as, jay, body, status, field):
    before = _nothing_written(jay)
    r = api_as("alice").post(f"/api/v1/children/{jay.pk}/offences", raw=body)
    problem = is_problem(r, status)
    if field:
        assert field in [e["field"] for e in problem["errors"]], problem
    assert _nothing_written(jay) == before


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/children/999999",
        "/api/v1/children/999999/records/offence",
        "/api/v1/children/{jay}/records/no-such-kind",
        "/api/v1/children/{jay}/records/offence/999999",
        "/api/v1/no-such-endpoint",
    ],
)
def test_unknown_ids_are_404(api_as, jay, url):
    is_problem(api_as("alice").get(url.format(jay=jay.pk)), 404)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/children/0",
        "/api/v1/children/abc",
        "/api/v1/children/99999999999999999999999999",
        "/api/v1/caseload?limit=201",
        "/api/v1/caseload?limit=0",
        "/api/v1/caseload?offset=-1",
        "/api/v1/caseload?offset=99999999999999999999999",
        "/api/v1/caseload?team=99999999999999999999999",
    ],
)
def test_wrong_types_and_out_of_range_are_422(api_as, jay, url):
    is_problem(api_as("alice").get(url), 422)


def test_unknown_offence_id_and_worker_are_refused_by_the_form(api_as, jay):
    r = api_as("alice").post(
        f"/api/v1/children/{jay.pk}/interventions",
        {"kind": "PREVENTION", "start_date": "2025-01-06", "worker": 999999, "outcome": 99999},
    )
    problem = is_problem(r, 422)
    assert {"worker", "outcome"} <= {e["field"] for e in problem["errors"]}


def test_a_closed_case_takes_nothing_new(api_as, jay):
    jay.closed_on = datetime.date(2025, 2, 1)
    jay.save()
    r = api_as("alice").post(
        f"/api/v1/children/{jay.pk}/contacts",
        {
            "contact_date": "2025-01-03",
            "contact_type": "HOME_VISIT",
            "mode": "PHONE",
            "attended": True,
        },
    )
    assert "closed" in is_problem(r, 422)["detail"]
    assert Contact.objects.count() == 0


def test_pagination(api_as, northshire, people):
    north = northshire.teams.get(name="North")
    for i in range(5):
        make_child(northshire, north, first=f"Child{i}", last=f"Page{i}", worker=people["alice"])
    api = api_as("alice")
    first = api.get("/api/v1/caseload", {"limit": 2}).json()
    assert (first["count"], first["limit"], first["offset"]) == (5, 2, 0)
    assert [c["last_name"] for c in first["items"]] == ["Page0", "Page1"]
    last = api.get("/api/v1/caseload", {"limit": 2, "offset": 4}).json()
    assert [c["last_name"] for c in last["items"]] == ["Page4"]
    beyond = api.get("/api/v1/caseload", {"limit": 2, "offset": 10}).json()
    assert beyond["items"] == [] and beyond["count"] == 5
