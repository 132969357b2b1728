"""Finding a child: search by name, date of birth, reference or PNC across the service (another
team's child only as "known to the service"), and the likely-match check at a new referral."""

import datetime

import pytest

from tests.conftest import PASSWORD, make_child, referral_form
from yjs.audit.models import AuditEvent
from yjs.casework import selectors
from yjs.casework.models import Child, Referral
from yjs.organisation.models import Service, Team

D = datetime.date
KNOWN = "Known to the service – team South. Ask a manager."


def _search(client, q):
    return client.get("/children/search/", {"q": q}).content.decode()


@pytest.mark.parametrize("typed", ["1/5/2010", "01/05/2010", "2010-05-01", "1 May 2010"])
def test_search_by_date_of_birth_as_people_type_it(client, jay, typed):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/children/search/", {"q": typed}).content.decode()
    assert "Jay Smith" in page and "1 result" in page


def test_search_by_name_and_date_of_birth_together(client, jay):
    client.login(username="alice", password=PASSWORD)
    assert "Jay Smith" in _search(client, "Smith 1/5/2010")
    assert "Jay Smith" not in _search(client, "Smith 2/5/2010")


def test_search_by_pnc_number_in_any_case(client, northshire, people):
    make_child(northshire, people["alice"].team, first="Pia", pnc_number="12/123456A")
    client.login(username="alice", password=PASSWORD)
    assert "Pia Smith" in client.get("/children/search/", {"q": "12/123456a"}).content.decode()


def test_another_teams_child_is_only_known_to_the_service_and_the_match_is_audited(client, kim):
    client.login(username="alice", password=PASSWORD)
    page = _search(client, "Kim 1/5/2010")
    assert KNOWN in page
    for detail in ("Jones", kim.reference, "1 May 2010", f"/children/{kim.pk}/"):
        assert detail not in page
    event = AuditEvent.objects.get(child=kim, action="VIEW")
    assert event.description == "Search: known to the service, not shown"


def test_part_of_a_name_does_not_list_another_teams_children(client, kim):
    client.login(username="alice", password=PASSWORD)
    assert "Known to the service" not in _search(client, "Jon")
    assert KNOWN in client.get("/children/search/", {"q": "1/5/2010"}).content.decode()


def test_a_manager_sees_every_child_of_the_service_and_no_other_service(client, jay, kim):
    other = Service.objects.create(name="Southvale Youth Justice Service", code="southvale")
    other.local_authorities.create(name="Southvale", ons_code="E06000999")
    make_child(other, Team.objects.create(service=other, name="Vale"), first="Kim", last="Jones")
    client.login(username="hana", password=PASSWORD)
    page = client.get("/children/search/", {"q": "Jones"}).content.decode()
    assert "Kim Jones" in page and "1 result" in page and "Known to the service" not in page
    client.login(username="alice", password=PASSWORD)
    page = client.get("/children/search/", {"q": "Jones"}).content.decode()
    assert KNOWN in page and "Vale" not in page  # one South child, nothing of Southvale


# Likely matches at a new referral ---------------------------------------------------------


def test_likely_matches_by_name_and_date_of_birth_or_pnc(northshire, people):
    north = people["alice"].team
    jay = make_child(northshire, north, preferred_name="JJ", pnc_number="12/123456A")
    make_child(northshire, north, first="Sue", last="Taylor")  # same birthday, other name
    dob = jay.date_of_birth

    def found(first, last, born=dob, pnc=None):
        return [m.child for m in selectors.likely_matches(northshire, first, last, born, pnc)]

    assert found("Jay", "Smith") == [jay]
    assert found("Smith", "Jay") == [jay]  # first and last name swapped
    assert found("jj", "SMITH") == [jay]  # preferred name, any case
    assert found("Jayden", "Smith") == [jay]
    assert found("Jay", "Smyth") == [jay]
    assert found("Jay", "Smith", D(2010, 1, 5)) == [jay]  # day and month swapped
    assert found("Kai", "Brown") == []
    assert found("Kai", "Brown", D(2011, 1, 1), pnc="12/123456a") == [jay]
    other = Service.objects.create(name="Southvale", code="southvale")
    assert selectors.likely_matches(other, "Jay", "Smith", dob) == []


def _jay_again(people, northshire, **extra):
    return referral_form(people, northshire, D(2010, 5, 1), D(2026, 1, 5)) | {
        "first_name": "Jay",
        "last_name": "Smith",
        **extra,
    }


def test_an_exact_duplicate_in_the_same_team_is_offered_and_nothing_is_saved(
    client, jay, people, northshire
):
    client.login(username="alice", password=PASSWORD)
    response = client.post("/children/new/", _jay_again(people, northshire))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This child may already be known to the service" in page
    assert f"Record this referral for Jay Smith ({jay.reference}, born 1 May 2010)" in page
    assert Child.objects.count() == 1 and Referral.objects.count() == 0


def test_an_exact_duplicate_in_the_other_team_is_caught_without_detail(
    client, kim, people, northshire
):
    client.login(username="alice", password=PASSWORD)
    form = _jay_again(people, northshire, first_name="Kim", last_name="Jones")
    page = client.post("/children/new/", form).content.decode()
    assert "Known to the service – team South" in page
    assert kim.reference not in page and "Record this referral for" not in page
    assert Child.objects.count() == 1
    assert AuditEvent.objects.filter(
        child=kim, action="VIEW", description="Duplicate check: known to the service, not shown"
    ).exists()


def test_the_referral_is_recorded_for_the_known_child(client, jay, people, northshire):
    client.login(username="alice", password=PASSWORD)
    response = client.post("/children/new/", _jay_again(people, northshire, existing=jay.pk))
    assert response.status_code == 302 and response.url == f"/children/{jay.pk}/"
    assert Child.objects.count() == 1
    referral = jay.referrals.get()
    assert (referral.received_on, referral.source) == (D(2026, 1, 5), "POLICE")


def test_a_different_child_is_recorded_once_the_user_says_so(client, jay, people, northshire):
    client.login(username="alice", password=PASSWORD)
    response = client.post("/children/new/", _jay_again(people, northshire, different_child="on"))
    assert response.status_code == 302
    assert Child.objects.count() == 2
    assert AuditEvent.objects.filter(
        action="CREATE", description="New child (checked against 1 likely matches)"
    ).exists()


def test_a_pnc_number_is_checked_loosely_and_kept_in_upper_case(client, people, northshire):
    client.login(username="alice", password=PASSWORD)
    form = referral_form(people, northshire, D(2010, 5, 1), D(2026, 1, 5))
    page = client.post("/children/new/", form | {"pnc_number": "not a pnc"}).content.decode()
    assert "Enter a PNC number in the right format" in page
    client.post("/children/new/", form | {"pnc_number": "12/ 123456a"})
    assert Child.objects.get().pnc_number == "12/123456A"
