"""Validation that helps (issue 8): every error of a form in one round, error-summary links that
move focus to the field, messages in GOV.UK style, statutory bounds, and no answer that feeds a
national measure chosen for the user."""

import datetime
import re

import pytest
from django.urls import URLPattern, get_resolver
from lxml import html

from tests.conftest import PASSWORD, date_fields, make_child, referral_form
from yjs import codes, periods
from yjs.casework import services
from yjs.casework.models import (
    Child,
    ChildPlan,
    Contact,
    Intervention,
    Offence,
    Outcome,
    Referral,
    Victim,
)

D = datetime.date


@pytest.fixture
def journey(jay, people):
    """Jay with an offence, a DTO, an open referral order and a victim: every form has choices."""
    offence = Offence.objects.create(
        child=jay,
        offence_date=D(2025, 1, 2),
        description="Theft",
        category="THEFT_AND_HANDLING",
        gravity_score=3,
    )
    outcome = Outcome.objects.create(
        child=jay,
        code="DTO",
        outcome_date=D(2025, 2, 3),
        length_months=4,
        appeal_status="NONE",
        residence="LOCAL",
    )
    outcome.offences.set([offence])
    intervention = Intervention.objects.create(
        child=jay, kind="REFERRAL_ORDER", start_date=D(2025, 2, 3), team=jay.team
    )
    victim = Victim.objects.create(service=jay.service, victim_type="INDIVIDUAL", name="A Person")
    victim.offences.set([offence])
    return {"pk": jay.pk, "intervention": intervention.pk, "victim_pk": victim.pk}


def _form_pages(journey) -> list[tuple[str, str]]:
    """Every casework page that records something: add_*, close_* and edit_* of casework."""
    resolver = get_resolver()
    pages = []
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) != "casework":
            continue
        for p in pattern.url_patterns:
            if not isinstance(p, URLPattern) or not re.match(r"(add|close|edit)_", p.name or ""):
                continue
            route = str(p.pattern)
            pk = journey["intervention"] if route.startswith("interventions/") else journey["pk"]
            ids = {"pk": pk, "victim_pk": journey["victim_pk"]}
            url = "/" + re.sub(r"<int:(\w+)>", lambda m, ids=ids: str(ids[m.group(1)]), route)
            pages.append((p.name, url))
    return pages


def _doc(response):
    return html.fromstring(response.content.decode())


ACRONYMS = ("yjb", "yjs", "ete", "nrm", "send", "rosh", "pnc", "iss", "yro", "dto", "ehcp", "idp")
GOVUK_START = re.compile(r"^(Enter|Select|The|Remove) ")


def test_every_form_page_links_each_error_to_a_field_that_takes_focus(client, journey):
    client.login(username="mo", password=PASSWORD)
    pages = _form_pages(journey)
    assert len(pages) >= 20
    for name, url in pages:
        r = client.post(url, {})
        assert r.status_code == 200, name
        doc = _doc(r)
        links = doc.xpath("//*[contains(@class, 'govuk-error-summary__list')]//a")
        assert links, f"{name}: an empty post shows the error summary"
        for link in links:
            href = link.get("href")
            assert href.startswith("#") and len(href) > 1, f"{name}: {link.text} → {href}"
            target = doc.get_element_by_id(href[1:], None)
            assert target is not None, f"{name}: no element {href}"
            assert target.tag in ("input", "select", "textarea"), f"{name}: {href} is {target.tag}"
            assert target.get("type") != "hidden", f"{name}: {href} is hidden"


def test_every_form_page_writes_its_messages_in_govuk_style(client, journey):
    client.login(username="mo", password=PASSWORD)
    for name, url in [("add_child", "/children/new/"), *_form_pages(journey)]:
        doc = _doc(client.post(url, {}))
        messages = [
            a.text_content().strip()
            for a in doc.xpath("//ul//a[@href]")
            if a.getparent().getparent().get("class", "").endswith("summary__list")
        ]
        assert messages, name
        for message in messages:
            assert GOVUK_START.match(message), f"{name}: {message!r}"
            assert "_" not in message, f"{name}: {message!r}"
            words = set(re.findall(r"[a-z]+", message))
            assert not words & set(ACRONYMS), f"{name}: {message!r} lowers an acronym"


def test_messages_name_fields_in_plain_english(client, journey):
    client.login(username="mo", password=PASSWORD)
    offence = client.post(f"/children/{journey['pk']}/offences/new/", {}).content.decode()
    assert "Select the YJB offence category" in offence
    referral = client.post(f"/children/{journey['pk']}/referrals/new/", {}).content.decode()
    assert "Enter the date the referral was received" in referral
    assert "Select who made the referral" in referral
    transition = client.post(f"/children/{journey['pk']}/transition/new/", {}).content.decode()
    assert "Enter the date the decision was made" in transition
    assert "decided on" not in transition.lower()


# All errors in one round ----------------------------------------------------------------


def test_a_missing_answer_and_a_date_out_of_order_show_together(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/offences/new/",
        {  # no description, no category; arrested before the offence
            **date_fields("offence_date", D(2025, 3, 3)),
            **date_fields("arrest_date", D(2025, 3, 1)),
            "gravity_score": "9",
        },
    )
    page = r.content.decode()
    assert "Enter the description of the offence" in page
    assert "Select the YJB offence category" in page
    assert "Arrest date must be the same as or after the offence date" in page
    assert "Gravity score must be a number from 1 to 8" in page
    assert not Offence.objects.exists()


def test_an_outcome_shows_its_missing_answers_with_its_logic_errors(client, jay):
    offence = Offence.objects.create(
        child=jay, offence_date=D(2025, 3, 3), description="Theft", category="THEFT_AND_HANDLING"
    )
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/outcomes/new/",
        {
            "code": "REFERRAL_ORDER",
            **date_fields("outcome_date", D(2025, 3, 1)),  # before the offence
            **date_fields("first_hearing_date", D(2025, 3, 2)),  # after the outcome
            "length_months": "30",
            "offences": [offence.pk],
            # no appeal status, no residence
        },
    )
    page = r.content.decode()
    assert "Select the appeal status" in page
    assert "Select where the child lived on the outcome date" in page
    assert "Outcome date must be the same as or after the offence date (3 March 2025)" in page
    assert "First hearing date must be the same as or before the outcome date" in page
    assert "A referral order must be from 3 to 12 months long" in page
    assert not Outcome.objects.exists()


def test_an_outcome_for_a_child_with_no_offences_links_its_error_to_a_real_element(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/outcomes/new/",
        {
            "code": "YRO",
            **date_fields("outcome_date", D(2025, 3, 1)),
            "length_months": "12",
            "appeal_status": "NONE",
            "residence": "LOCAL",
        },
    )
    doc = html.fromstring(r.content)
    links = doc.xpath("//div[contains(@class,'govuk-error-summary')]//a/@href")
    assert links, "the outcome needs an offence: an error is shown"
    for href in links:
        target = doc.get_element_by_id(href.removeprefix("#"), None)
        assert target is not None, f"{href} goes nowhere"
    assert "None recorded for this child yet." in r.content.decode()


def test_a_new_referral_shows_every_error_at_once(client, people, northshire):
    client.login(username="alice", password=PASSWORD)
    data = referral_form(people, northshire, D(2010, 5, 1), D(2009, 1, 1))
    del data["first_name"], data["sex"]
    page = client.post("/children/new/", data).content.decode()
    assert "Enter the first name" in page and "Select the sex" in page
    assert "Date the referral was received must be after the child&#x27;s date of birth" in page
    assert not Child.objects.filter(last_name="Taylor").exists()


def test_a_victim_missing_its_type_and_out_of_order_answers_show_together(client, jay):
    offence = Offence.objects.create(
        child=jay, offence_date=D(2025, 3, 3), description="Theft", category="THEFT_AND_HANDLING"
    )
    client.login(username="alice", password=PASSWORD)
    page = client.post(
        f"/children/{jay.pk}/victims/new/",
        {"name": "A Shop", "rj_engaged": "YES", "offences": [offence.pk]},
    ).content.decode()
    assert "Select the victim type" in page
    assert "A victim can only engage with restorative justice after consenting" in page


def test_closing_a_case_with_open_work_and_no_reason_shows_both(client, jay):
    Intervention.objects.create(
        child=jay, kind="PREVENTION", start_date=D(2025, 1, 6), team=jay.team
    )
    client.login(username="alice", password=PASSWORD)
    page = client.post(
        f"/children/{jay.pk}/close/", date_fields("closed_on", D(2025, 2, 1))
    ).content.decode()
    assert "Select the reason for closing" in page
    assert "Close the child&#x27;s open interventions first" in page


def test_the_service_refuses_what_the_form_shows_with_every_problem(jay):
    offence = Offence(
        child=jay, offence_date=D(2025, 3, 3), arrest_date=D(2025, 3, 1), gravity_score=0
    )
    with pytest.raises(services.ValidationError) as refused:
        services.record_offence(None, offence)
    assert set(refused.value.message_dict) == {"arrest_date", "gravity_score"}


# Statutory bounds -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "months", "problem"),
    [
        ("REFERRAL_ORDER", None, "Enter the length of the referral order in months"),
        ("REFERRAL_ORDER", 2, "A referral order must be from 3 to 12 months long"),
        ("REFERRAL_ORDER", 3, None),
        ("REFERRAL_ORDER", 12, None),
        ("REFERRAL_ORDER", 13, "A referral order must be from 3 to 12 months long"),
        ("YRO", None, "Enter the length of the youth rehabilitation order in months"),
        ("YRO", 36, None),
        ("YRO", 37, "must be from 1 to 36 months (3 years) long"),
        ("DTO", 3, "must be 4, 6, 8, 10, 12, 18 or 24 months long"),
        ("DTO", 4, None),
        ("DTO", 18, None),
        ("DTO", 20, "must be 4, 6, 8, 10, 12, 18 or 24 months long"),
        ("DTO", 25, "must be 4, 6, 8, 10, 12, 18 or 24 months long"),
        ("FINE", None, None),
    ],
)
def test_order_lengths_the_law_allows(code, months, problem):
    found = codes.order_length_problem(code, months)
    assert found is None if problem is None else problem in found


def test_a_30_month_referral_order_is_refused_by_the_service(jay):
    offence = Offence.objects.create(
        child=jay, offence_date=D(2025, 3, 3), description="Theft", category="THEFT_AND_HANDLING"
    )
    order = Outcome(
        child=jay,
        code="REFERRAL_ORDER",
        outcome_date=D(2025, 4, 1),
        length_months=30,
        appeal_status="NONE",
        residence="LOCAL",
    )
    with pytest.raises(services.ValidationError, match="from 3 to 12 months"):
        services.record_outcome(None, order, [offence])
    order.length_months = 9
    services.record_outcome(None, order, [offence])
    assert Outcome.objects.get().length_months == 9


def _under_ten(client, people, northshire, pathway):
    received = services.today() - datetime.timedelta(days=7)
    dob = periods.add_months(received, -12 * 9)  # 9 on the referral date
    data = referral_form(people, northshire, dob, received)
    data["pathway"] = pathway
    return client.post("/children/new/", data)


def test_a_9_year_old_can_be_referred_for_prevention_only(client, people, northshire):
    client.login(username="alice", password=PASSWORD)
    refused = _under_ten(client, people, northshire, "DIVERSION")
    page = refused.content.decode()
    assert "Select prevention: a child under 10, the age of criminal responsibility" in page
    assert not Child.objects.exists()
    assert _under_ten(client, people, northshire, "PREVENTION").status_code == 302
    assert Referral.objects.get().pathway == "PREVENTION"


def test_the_form_says_why_under_10s_are_for_prevention_only(client, people):
    client.login(username="alice", password=PASSWORD)
    page = client.get("/children/new/").content.decode()
    assert "The age of criminal responsibility is 10: a child aged 8 or 9 can only be" in page


def test_a_7_year_old_is_never_referred(client, people, northshire):
    client.login(username="alice", password=PASSWORD)
    received = services.today() - datetime.timedelta(days=7)
    data = referral_form(people, northshire, periods.add_months(received, -12 * 7), received)
    page = client.post("/children/new/", data).content.decode()
    assert "Date of birth must be on or before" in page  # under 8 today
    assert not Child.objects.exists()


# No preset answers ------------------------------------------------------------------------

PRESET_FREE = {
    "/children/new/": ("residence", "source", "pathway"),
    "outcomes/new/": ("appeal_status", "residence"),
    "plans/new/": ("co_produced",),
    "contacts/new/": ("attended",),
}


@pytest.mark.parametrize("page", PRESET_FREE)
def test_no_answer_feeding_a_national_measure_is_chosen_for_the_user(client, jay, page):
    client.login(username="alice", password=PASSWORD)
    url = page if page.startswith("/") else f"/children/{jay.pk}/{page}"
    doc = _doc(client.get(url))
    for name in PRESET_FREE[page]:
        inputs = doc.xpath(f"//input[@name='{name}']")
        selects = doc.xpath(f"//select[@name='{name}']")
        assert inputs or selects, f"{page}: {name} is on the form"
        assert all(i.get("type") == "radio" for i in inputs), f"{name} is asked as a question"
        assert not [i for i in inputs if i.get("checked") is not None], f"{name} is ticked"
        for select in selects:
            chosen = [o for o in select.xpath("option") if o.get("selected") is not None]
            assert all(o.get("value") == "" for o in chosen), f"{name} is preset"
            assert select.xpath("option")[0].get("value") == ""


def test_a_contact_and_a_plan_must_say_yes_or_no(client, jay):
    client.login(username="alice", password=PASSWORD)
    contact = {
        **date_fields("contact_date", D(2025, 3, 3)),
        "contact_type": "HOME_VISIT",
        "mode": "FACE_TO_FACE",
    }
    page = client.post(f"/children/{jay.pk}/contacts/new/", contact).content.decode()
    assert "Select whether the child attended" in page
    contact["attended"] = "False"
    assert client.post(f"/children/{jay.pk}/contacts/new/", contact).status_code == 302
    assert Contact.objects.get().attended is False
    plan = {**date_fields("agreed_on", D(2025, 3, 3)), "goals": "School", "we_will": "Meet"}
    page = client.post(f"/children/{jay.pk}/plans/new/", plan).content.decode()
    assert "Select whether the plan was written with the child" in page
    plan["co_produced"] = "True"
    assert client.post(f"/children/{jay.pk}/plans/new/", plan).status_code == 302
    assert ChildPlan.objects.get().co_produced is True


def test_make_child_still_works_for_other_tests(northshire):
    child = make_child(northshire, northshire.teams.get(name="North"))
    assert child.residence == "LOCAL"
