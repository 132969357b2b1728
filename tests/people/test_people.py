"""People and places: alice adds Jay's mother and his social worker, his addresses, school and
GP; the rules refuse what cannot be; bob (another team), the analyst and the board member reach
none of it; the KPI snapshot holds none of it; a merge moves it and letters find who to write to.
"""

import datetime
import html
import re

import pyarrow.parquet as pq
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver

from tests.conftest import PASSWORD, date_fields, make_child
from yjs.audit.models import AuditEvent
from yjs.casework import services as casework
from yjs.interop.snapshot import take_snapshot
from yjs.people import selectors
from yjs.people.models import (
    Address,
    EtePlacement,
    GeneralPractitioner,
    Professional,
    RelatedPerson,
    normalise_postcode,
)

D = datetime.date
MOTHER_PHONE = "01632 960 417"
HOME_POSTCODE = "NE9 7XQ"


def _post(client, child, path, **answers):
    data = {}
    for key, value in answers.items():
        if isinstance(value, datetime.date):
            data.update(date_fields(key, value))
        elif value is not None:
            data[key] = value
    return client.post(f"/children/{child.pk}/{path}/new/", data)


def _errors(response) -> list[str]:
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    found = re.findall(
        r'govuk-error-message">\s*<span[^>]*>Error:</span>\s*(.*?)\s*</p>', page, re.S
    )
    return [html.unescape(e) for e in found]


def _mother(**extra):
    return {
        "name": "Sara Smith",
        "relationship": "MOTHER",
        "parental_responsibility": "True",
        "lives_with_child": "on",
        "phone": MOTHER_PHONE,
        "email": "sara.smith@example.com",
        "may_contact": "True",
        **extra,
    }


def _social_worker(**extra):
    return {
        "name": "Tom Reed",
        "role": "SOCIAL_WORKER",
        "agency": "Northshire Children's Services",
        "phone": "01632 960 555",
        "email": "tom.reed@northshire.example",
        "start_date": D(2025, 9, 1),
        **extra,
    }


def _home(**extra):
    return {
        "kind": "HOME",
        "line_1": "14 Alder Close",
        "town": "Northtown",
        "postcode": HOME_POSTCODE,
        **extra,
    }


def test_alice_adds_jays_mother_and_social_worker(client, jay):
    client.login(username="alice", password=PASSWORD)
    page = client.get(f"/children/{jay.pk}/").content.decode()
    assert "People and places" in page
    assert f"/children/{jay.pk}/people/new/" in page  # the add links are in the section
    assert client.get(f"/children/{jay.pk}/people/new/").status_code == 200

    response = _post(client, jay, "people", **_mother())
    assert response.status_code == 302 and response.url == f"/children/{jay.pk}/"
    response = _post(client, jay, "professionals", **_social_worker())
    assert response.status_code == 302

    mother = RelatedPerson.objects.get()
    assert (mother.name, mother.child, mother.parental_responsibility) == ("Sara Smith", jay, True)
    assert (mother.lives_with_child, mother.may_contact) == (True, True)
    worker = Professional.objects.get()
    assert (worker.get_role_display(), worker.start_date) == ("Social worker", D(2025, 9, 1))

    page = client.get(f"/children/{jay.pk}/").content.decode()
    section = page[page.index("People and places") :]
    assert "Sara Smith" in section and "Parental responsibility" in section
    assert MOTHER_PHONE in section and "Do not contact" not in section
    assert "Tom Reed" in section and "Northshire Children&#x27;s Services" in section
    # Audited like every record, with the values entered; the description names no one.
    event = AuditEvent.objects.get(object_type=RelatedPerson._meta.verbose_name)
    assert (event.child_id, event.action, event.actor.username) == (jay.pk, "CREATE", "alice")
    assert event.changes["phone"] == [None, MOTHER_PHONE]
    assert "Sara" not in event.description


def test_the_record_page_shows_the_person_and_changes_them(client, jay):
    client.login(username="alice", password=PASSWORD)
    _post(client, jay, "people", **_mother())
    mother = RelatedPerson.objects.get()
    url = f"/children/{jay.pk}/records/related-person/{mother.pk}/"
    page = client.get(url).content.decode()
    assert "Sara Smith" in page and MOTHER_PHONE in page
    edit = client.get(url + "edit/")
    assert edit.status_code == 200
    data = {**_mother(may_contact="False", no_contact_reason="Court order"), "revision": 1}
    assert client.post(url + "edit/", data).status_code == 302
    mother.refresh_from_db()
    assert (mother.may_contact, mother.no_contact_reason, mother.revision) == (
        False,
        "Court order",
        2,
    )
    section = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Do not contact" in section and MOTHER_PHONE not in section  # not shown to call


def test_a_person_is_refused_without_the_answers_that_matter(client, jay):
    client.login(username="alice", password=PASSWORD)
    assert _errors(_post(client, jay, "people")) == [
        "Enter their full name",
        "Select their relationship to the child",
        "Select whether they have parental responsibility",
        "Select whether the service may contact them",
    ]
    answers = _mother(
        may_contact="False",
        interpreter_needed="on",
        phone="call me",
        email="sara@",
        postcode="N1",
    )
    assert _errors(_post(client, jay, "people", **answers)) == [
        "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        "Enter an email address, like name@example.com",
        "Enter a real postcode, like NE1 4ST",
        "Enter why they must not be contacted",
        "Enter the language they need an interpreter for",
    ]
    contradictory = _mother(no_contact_reason="Court order")
    assert _errors(_post(client, jay, "people", **contradictory)) == [
        "Leave the reason blank if the service may contact them, or answer No"
    ]
    assert not RelatedPerson.objects.exists()


def test_addresses_keep_their_history_and_never_overlap(client, jay):
    client.login(username="alice", password=PASSWORD)
    la = jay.service.local_authorities.get(name="Eastmoor")
    r = _post(client, jay, "addresses", **_home(postcode="ne9 7xq", start_date=D(2024, 1, 10)))
    assert r.status_code == 302
    home = Address.objects.get()
    assert home.postcode == HOME_POSTCODE  # written as Royal Mail writes it

    # A move: the care placement from 3 March 2025 ends the home address on 2 March.
    placement = {
        "kind": "CARE_PLACEMENT",
        "line_1": "2 Birch Road",
        "town": "Eastby",
        "postcode": "NE20 1AB",
        "local_authority": la.pk,
        "start_date": D(2025, 3, 3),
    }
    assert _post(client, jay, "addresses", **placement).status_code == 302
    home.refresh_from_db()
    assert home.end_date == D(2025, 3, 2)
    assert selectors.current_address(jay, D(2025, 6, 1)).line_1 == "2 Birch Road"
    assert selectors.current_address(jay, D(2025, 3, 2)).line_1 == "14 Alder Close"
    assert selectors.current_address(jay, D(2024, 1, 9)) is None
    assert AuditEvent.objects.filter(description="Ended the address: the child moved").exists()

    # An earlier address that runs into the home period is refused, naming the home period.
    earlier = _home(line_1="9 Elm Street", start_date=D(2023, 5, 1), end_date=D(2024, 2, 1))
    assert _errors(_post(client, jay, "addresses", **earlier)) == [
        "The child lived at another address then (14 Alder Close, Northtown, NE9 7XQ, from "
        "10 January 2024 to 2 March 2025): change the dates of one of them"
    ]
    earlier["end_date"] = D(2024, 1, 9)
    assert _post(client, jay, "addresses", **earlier).status_code == 302

    page = client.get(f"/children/{jay.pk}/").content.decode()
    section = page[page.index("People and places") :]
    assert "2 Birch Road" in section and "Eastmoor" in section and "Other addresses (2)" in section


def test_address_rules(client, jay):
    client.login(username="alice", password=PASSWORD)
    assert _errors(_post(client, jay, "addresses", kind="HOME")) == [
        "Enter address line 1",
        "Enter the town or city",
        "Enter the postcode",
    ]
    nfa = {"kind": "NO_FIXED_ABODE", "line_1": "Sofa at a friend's", "town": "Northtown"}
    assert _errors(_post(client, jay, "addresses", **nfa)) == [
        "A child of no fixed abode has no street address: leave it blank"
    ]
    backwards = _home(start_date=D(2025, 5, 1), end_date=D(2025, 4, 1))
    assert _errors(_post(client, jay, "addresses", **backwards)) == [
        "Date the child moved out must be the same as or after the date the child moved in"
    ]
    both = _home(
        local_authority=jay.service.local_authorities.first().pk,
        other_local_authority="Westshire",
    )
    assert _errors(_post(client, jay, "addresses", **both)) == [
        "Select the service's local authority or name one outside its area, not both"
    ]
    future = _home(start_date=casework.today() + datetime.timedelta(days=3))
    assert _errors(_post(client, jay, "addresses", **future)) == [
        "Date the child moved in must be today or in the past"
    ]
    del nfa["line_1"]
    assert _post(client, jay, "addresses", **nfa).status_code == 302  # a town is enough
    assert Address.objects.get().lines == ["Northtown"]


def test_a_child_has_one_gp_record_and_a_school(client, jay):
    client.login(username="alice", password=PASSWORD)
    gp = {"practice_name": "Northtown Medical Practice", "phone": "01632 960 900"}
    assert _post(client, jay, "gp", **gp).status_code == 302
    assert _errors(_post(client, jay, "gp", practice_name="Eastby Surgery")) == [
        "This child's GP is recorded already: change that record when the child registers "
        "with another practice"
    ]
    school = {"name": "Northtown Academy", "kind": "SCHOOL", "start_date": D(2021, 9, 1)}
    assert _post(client, jay, "schools", **school).status_code == 302
    assert _errors(_post(client, jay, "schools")) == [
        "Enter the name of the school, college or provider",
        "Select the type of school or provider",
    ]
    page = client.get(f"/children/{jay.pk}/").content.decode()
    assert "Northtown Medical Practice" in page and "Northtown Academy" in page
    assert GeneralPractitioner.objects.count() == 1 and EtePlacement.objects.count() == 1


def test_nothing_new_on_a_closed_case(client, jay):
    jay.closed_on = D(2025, 1, 1)
    jay.save()
    client.login(username="alice", password=PASSWORD)
    response = _post(client, jay, "people", **_mother())
    assert response.status_code == 200 and "Reopen it to record anything new" in (
        response.content.decode()
    )
    assert not RelatedPerson.objects.exists()


# Who may see or record them ---------------------------------------------------------------


def _people_urls(jay) -> list[str]:
    """Every page of the app (from the URL conf, so a page added later is covered too) and the
    record page, change and void of one record of each kind."""
    resolver = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "people"
    )
    urls = [
        "/" + str(p.pattern).replace("<int:pk>", str(jay.pk))
        for p in resolver.url_patterns
        if isinstance(p, URLPattern)
    ]
    records = {
        "related-person": RelatedPerson.objects.create(
            child=jay, name="Sara Smith", relationship="MOTHER", phone=MOTHER_PHONE
        ),
        "address": Address.objects.create(
            child=jay, kind="HOME", line_1="14 Alder Close", town="N", postcode=HOME_POSTCODE
        ),
        "professional": Professional.objects.create(
            child=jay, name="Tom Reed", role="SOCIAL_WORKER", agency="Children's Services"
        ),
        "ete-placement": EtePlacement.objects.create(child=jay, name="Academy", kind="SCHOOL"),
        "gp": GeneralPractitioner.objects.create(child=jay, practice_name="Practice"),
    }
    for slug, record in records.items():
        base = f"/children/{jay.pk}/records/{slug}/{record.pk}/"
        urls += [base, base + "edit/", base + "void/"]
    return urls


def test_alices_pages_open(client, jay):
    client.login(username="alice", password=PASSWORD)
    for url in _people_urls(jay):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("username", ["bob", "ana", "bea"])
def test_another_team_the_analyst_and_the_board_member_are_refused(client, jay, username):
    urls = _people_urls(jay)
    assert len(urls) == 5 + 15
    client.login(username=username, password=PASSWORD)
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url, {})
            assert response.status_code == 403, (username, method, url)
            body = response.content.decode()
            assert MOTHER_PHONE not in body and HOME_POSTCODE not in body
    assert RelatedPerson.objects.count() == 1 and not RelatedPerson.objects.get().voided


# What leaves the child's pages --------------------------------------------------------------


def test_the_kpi_snapshot_holds_no_contact_details(jay, people, tmp_path):
    RelatedPerson.objects.create(
        child=jay,
        name="Sara Marker-Smith",
        relationship="MOTHER",
        phone=MOTHER_PHONE,
        email="sara.marker@example.com",
        address="14 Marker Close",
        postcode=HOME_POSTCODE,
    )
    Address.objects.create(
        child=jay, kind="HOME", line_1="14 Marker Close", town="Northtown", postcode="NE8 2ZZ"
    )
    Professional.objects.create(
        child=jay, name="Tom Marker", role="SOCIAL_WORKER", agency="Marker Agency"
    )
    folder = take_snapshot(tmp_path, service=jay.service)
    text = []
    for path in folder.iterdir():
        if path.suffix == ".parquet":
            text.append(str(pq.read_table(path).to_pylist()))
        else:
            text.append(path.read_text())
    everything = "\n".join(text)
    assert "child_id" in everything  # the scan reads the tables
    for marker in (MOTHER_PHONE, HOME_POSTCODE, "NE8 2ZZ", "Marker", "sara.marker"):
        assert marker not in everything, marker


def test_subject_access_has_her_addresses_but_not_her_familys_contact_details(client, jay):
    import io
    import json
    import zipfile

    RelatedPerson.objects.create(
        child=jay,
        name="Sara Smith",
        relationship="MOTHER",
        parental_responsibility=True,
        phone=MOTHER_PHONE,
        address="3 Hidden Lane",
        postcode="NE4 4HL",
    )
    Address.objects.create(
        child=jay, kind="HOME", line_1="14 Alder Close", town="Northtown", postcode=HOME_POSTCODE
    )
    client.login(username="mo", password=PASSWORD)
    response = client.get(f"/children/{jay.pk}/subject-access.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("record.json"))
        html = archive.read("record.html").decode()
    (address,) = data["sections"]["people.address"]["rows"]
    assert (address["Address line 1"], address["Postcode"]) == ("14 Alder Close", HOME_POSTCODE)
    (mother,) = data["sections"]["people.relatedperson"]["rows"]
    assert (mother["Full name"], mother["Relationship to the child"]) == ("Sara Smith", "Mother")
    assert mother["Has parental responsibility"] is True
    assert mother["Phone number"].startswith("[withheld")
    for content in (json.dumps(data), html):
        assert MOTHER_PHONE not in content and "Hidden Lane" not in content
        assert "NE4 4HL" not in content


def test_a_merge_moves_them_to_the_surviving_record(jay, people, northshire):
    duplicate = make_child(northshire, jay.team, first="Jay", last="Smith")
    RelatedPerson.objects.create(child=duplicate, name="Sara Smith", relationship="MOTHER")
    Address.objects.create(child=duplicate, kind="NO_FIXED_ABODE")
    casework.merge_children(people["hana"], jay, duplicate)
    assert list(jay.related_people.values_list("name", flat=True)) == ["Sara Smith"]
    assert jay.addresses.get().kind == "NO_FIXED_ABODE"
    assert not duplicate.related_people.exists()


# For letters ------------------------------------------------------------------------------


def test_letter_recipients(jay):
    on = D(2025, 6, 1)
    Address.objects.create(
        child=jay,
        kind="HOME",
        line_1="14 Alder Close",
        town="Northtown",
        postcode=HOME_POSTCODE,
        start_date=D(2020, 1, 1),
    )
    RelatedPerson.objects.create(
        child=jay,
        name="Sara Smith",
        relationship="MOTHER",
        parental_responsibility=True,
        lives_with_child=True,
    )
    RelatedPerson.objects.create(
        child=jay,
        name="Dan Smith",
        relationship="FATHER",
        parental_responsibility=True,
        address="Flat 2, Oak House\n5 Mill Lane\nEastby",
        postcode="ne20 3cd",
        may_contact=False,
        no_contact_reason="Non-molestation order",
        interpreter_needed=True,
        language="Polish",
    )
    RelatedPerson.objects.create(child=jay, name="Amy Smith", relationship="SIBLING")
    RelatedPerson.objects.create(
        child=jay, name="Pat Lee", relationship="FOSTER_CARER", end_date=D(2025, 5, 31)
    )
    for person in RelatedPerson.objects.all():
        person.full_clean()  # as every save through the services: the postcode tidied
        person.save()
    assert selectors.letter_recipients(jay, on) == [
        {
            "name": "Sara Smith",
            "relationship": "Mother",
            "address_lines": ["14 Alder Close", "Northtown", HOME_POSTCODE],
            "may_contact": True,
            "interpreter_language": "",
            "parental_responsibility": True,
        },
        {
            "name": "Dan Smith",
            "relationship": "Father",
            "address_lines": ["Flat 2, Oak House", "5 Mill Lane", "Eastby", "NE20 3CD"],
            "may_contact": False,
            "interpreter_language": "Polish",
            "parental_responsibility": True,
        },
        {
            "name": "Amy Smith",
            "relationship": "Brother or sister",
            "address_lines": [],
            "may_contact": True,
            "interpreter_language": "",
            "parental_responsibility": False,
        },
    ]


def test_postcodes_are_written_one_way():
    assert normalise_postcode(" sw1a1aa ") == "SW1A 1AA"
    assert normalise_postcode("NE1  4ST") == "NE1 4ST"


# The record page's cost -------------------------------------------------------------------


def _section_queries(child, user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.people_and_places_section(child, user, D(2025, 6, 1))
    return len(ctx.captured_queries)


def test_the_section_costs_one_query_plus_one_per_kind_present(jay, people):
    user = people["hana"]  # sees every child of the service: no query for her team
    user.has_perm("casework.change_child", jay)
    assert _section_queries(jay, user) == 1  # nothing recorded: only the query of what is
    for n in range(3):
        RelatedPerson.objects.create(child=jay, name=f"P{n}", relationship="OTHER_RELATIVE")
        Professional.objects.create(child=jay, name=f"W{n}", role="HEALTH", agency="NHS")
    assert _section_queries(jay, user) == 1 + 2
    Address.objects.create(child=jay, kind="NO_FIXED_ABODE")
    assert _section_queries(jay, user) == 1 + 3


def test_letters_go_to_the_child_at_home_or_to_the_family(jay):
    """The letters (yjs.documents) are offered the child at the current address and the
    family recorded here; a father who must not be contacted is listed but refused."""
    import datetime

    from yjs.documents import letters
    from yjs.people.models import Address, RelatedPerson

    Address.objects.create(
        child=jay,
        kind="HOME",
        line_1="12 Elm Road",
        town="Northtown",
        postcode="NS1 2AB",
        start_date=datetime.date(2020, 1, 1),
    )
    RelatedPerson.objects.create(
        child=jay, name="Dana Smith", relationship="MOTHER", lives_with_child=True,
        parental_responsibility=True,
    )
    RelatedPerson.objects.create(
        child=jay, name="Rob Smith", relationship="FATHER", may_contact=False,
        no_contact_reason="Court order", address="4 Far Lane", postcode="NS9 9ZZ",
    )
    found = letters.recipients(letters.KINDS["WARNING"], jay, None)
    assert [(r["name"], r["address_lines"], r["may_contact"]) for r in found] == [
        ("Jay Smith", ["12 Elm Road", "Northtown", "NS1 2AB"], True),
        ("Dana Smith", ["12 Elm Road", "Northtown", "NS1 2AB"], True),
        ("Rob Smith", ["4 Far Lane", "NS9 9ZZ"], False),
    ]
