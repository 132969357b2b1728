"""Hostile and careless input: a huge search, control characters and impossible dates are each
refused with a clear GOV.UK message, never a server error or a stored impossibility."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import PASSWORD, date_fields, make_child, referral_form
from yjs import periods
from yjs.casework import selectors, services
from yjs.casework.models import (
    Assessment,
    Child,
    Contact,
    Intervention,
    Offence,
    Referral,
)

_date = date_fields


def _years_ago(years, days=0):
    return periods.add_months(services.today(), -12 * years) - datetime.timedelta(days=days)


# Search -------------------------------------------------------------------------------------


def _search_sql(client, query):
    with CaptureQueriesContext(connection) as ctx:
        r = client.get("/children/search/", {"q": query})
    assert r.status_code == 200
    return r, [q["sql"] for q in ctx.captured_queries if 'FROM "casework_child"' in q["sql"]]


def test_a_3000_word_search_costs_what_a_5_word_search_costs(client, jay):
    client.login(username="alice", password=PASSWORD)
    words = [f"w{i}" for i in range(3000)]
    r, long_sql = _search_sql(client, " ".join(words))
    _, short_sql = _search_sql(client, " ".join(words[:5]))
    assert long_sql == short_sql  # the same queries: the words past the fifth are ignored
    # one query for the children in reach, one for the service's others ("known to the service")
    assert len(long_sql) == 2
    assert all("w4" in sql and "w5" not in sql for sql in long_sql)
    page = r.content.decode()
    assert "Your search was shortened" in page and "“w0 w1 w2 w3 w4”" in page


def test_search_terms_are_capped_in_words_and_characters():
    assert selectors.search_terms("Jay  Smith") == (["Jay", "Smith"], False)
    assert selectors.search_terms("a b c d e f") == (["a", "b", "c", "d", "e"], True)
    long_word = "x" * 150
    assert selectors.search_terms(long_word) == (["x" * 100], True)
    # a word cut at the 100th character is dropped, not searched for in half
    assert selectors.search_terms("Jay " + "y" * 120) == (["Jay"], True)


def test_search_shows_at_most_50_children_and_says_there_are_more(client, northshire, people):
    north = northshire.teams.get(name="North")
    for i in range(selectors.SEARCH_MAX_RESULTS + 1):
        make_child(northshire, north, first=f"Child{i}", last="Smith", reference=f"S{i:05d}")
    client.login(username="mo", password=PASSWORD)
    r = client.get("/children/search/", {"q": "Smith"})
    assert len(r.context["results"]) == 50 and r.context["results"].more
    page = r.content.decode()
    assert "Showing the first 50 children" in page and "Refine your search" in page
    assert page.count("/children/") - page.count("/children/search/") >= 50


# Control characters -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["%00abc", "Jay%01", "Jay%1bSmith"])
def test_a_control_character_in_the_address_is_a_400_page(client, jay, query):
    client.login(username="alice", password=PASSWORD)
    r = client.get(f"/children/search/?q={query}")
    assert r.status_code == 400
    page = r.content.decode()
    assert "The page could not be shown" in page and "characters that are not allowed" in page
    assert "Traceback" not in page


def test_a_control_character_in_a_parameter_name_is_refused(client, jay):
    client.login(username="alice", password=PASSWORD)
    assert client.get(f"/children/{jay.pk}/?show%00=key").status_code == 400


def test_nul_in_a_contact_note_is_an_error_on_the_notes(client, jay):
    client.login(username="alice", password=PASSWORD)
    data = {
        **_date("contact_date", datetime.date(2025, 3, 3)),
        "contact_type": "HOME_VISIT",
        "mode": "FACE_TO_FACE",
        "attended": "True",
        "notes": "Saw Jay at home\x00; mum present",
    }
    r = client.post(f"/children/{jay.pk}/contacts/new/", data)
    assert r.status_code == 200
    page = r.content.decode()
    assert "govuk-error-summary" in page
    assert "Remove the unusual characters from the notes" in page
    assert "Saw Jay at home; mum present" in page  # shown again without the invisible character
    assert not Contact.objects.exists()
    # tabs and line breaks are ordinary text
    data["notes"] = "Saw Jay at home.\r\n\tMum present."
    assert client.post(f"/children/{jay.pk}/contacts/new/", data).status_code == 302
    assert Contact.objects.get(child=jay).notes == "Saw Jay at home.\r\n\tMum present."


def test_a_control_character_in_a_date_box_is_an_error_on_that_date(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/offences/new/",
        {
            "description": "Theft",
            "category": "THEFT_AND_HANDLING",
            "offence_date_day": "1\x07",
            "offence_date_month": "3",
            "offence_date_year": "2025",
        },
    )
    assert "Remove the unusual characters from the offence date" in r.content.decode()
    assert not Offence.objects.exists()


# Dates --------------------------------------------------------------------------------------


def _new_child(client, people, northshire, dob, received_on):
    return client.post("/children/new/", referral_form(people, northshire, dob, received_on))


@pytest.mark.parametrize(
    ("dob", "received", "message"),
    [
        (
            lambda: _years_ago(4),
            lambda: _years_ago(0, days=7),
            "Date of birth must be on or before",
        ),
        (
            lambda: _years_ago(120),
            lambda: _years_ago(0, days=7),
            "Date of birth must be on or after 1 January 1982",
        ),
        (
            lambda: datetime.date(2012, 6, 1),
            lambda: datetime.date(2019, 6, 1),
            "A child must be at least 8 years old on the date of the referral",
        ),
        (
            lambda: datetime.date(2005, 6, 1),
            lambda: datetime.date(2024, 6, 1),
            "A child must be under 18 on the date of the referral",
        ),
        (
            lambda: datetime.date(2012, 6, 1),
            lambda: datetime.date(2011, 6, 1),
            "Date the referral was received must be after the child&#x27;s date of birth",
        ),
        (
            lambda: datetime.date(2012, 6, 1),
            lambda: services.today() + datetime.timedelta(days=1),
            "Date the referral was received must be today or in the past",
        ),
    ],
    ids=[
        "aged-4",
        "aged-120",
        "aged-7-at-referral",
        "aged-19-at-referral",
        "before-birth",
        "referral-tomorrow",
    ],
)
def test_impossible_children_are_refused(client, northshire, people, dob, received, message):
    client.login(username="alice", password=PASSWORD)
    r = _new_child(client, people, northshire, dob(), received())
    assert r.status_code == 200
    page = r.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert not Child.objects.exists() and not Referral.objects.exists()


def test_a_child_aged_10_to_17_at_referral_is_accepted(client, northshire, people):
    client.login(username="alice", password=PASSWORD)
    r = _new_child(client, people, northshire, datetime.date(2012, 6, 1), datetime.date(2022, 6, 1))
    assert r.status_code == 302
    assert Child.objects.get().referrals.get().received_on == datetime.date(2022, 6, 1)


def test_another_referral_before_birth_or_at_8_other_than_prevention_is_refused(client, jay):
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/referrals/new/"
    form = {"source": "POLICE", "pathway": "DIVERSION", "reason": "Again"}
    r = client.post(url, {**form, **_date("received_on", datetime.date(2009, 1, 1))})
    assert "Date the referral was received must be after the child&#x27;s date of birth" in (
        r.content.decode()
    )
    r = client.post(url, {**form, **_date("received_on", datetime.date(2018, 6, 1))})
    assert "can only be referred for prevention work (this child was 8)" in r.content.decode()
    assert not Referral.objects.exists()
    form["pathway"] = "PREVENTION"
    r = client.post(url, {**form, **_date("received_on", datetime.date(2018, 6, 1))})
    assert r.status_code == 302 and Referral.objects.get().pathway == "PREVENTION"


def test_a_case_closed_in_1990_is_refused(client, jay):
    client.login(username="alice", password=PASSWORD)
    r = client.post(
        f"/children/{jay.pk}/close/",
        {**_date("closed_on", datetime.date(1990, 1, 1)), "closure_reason": "COMPLETED"},
    )
    assert "Date the case was closed must be on or after 1 January 2000" in r.content.decode()
    jay.refresh_from_db()
    assert jay.closed_on is None


def test_an_offence_in_the_future_or_before_birth_is_refused(client, jay):
    client.login(username="alice", password=PASSWORD)
    url = f"/children/{jay.pk}/offences/new/"
    form = {"description": "Theft", "category": "THEFT_AND_HANDLING", "gravity_score": 2}
    tomorrow = services.today() + datetime.timedelta(days=1)
    r = client.post(url, {**form, **_date("offence_date", tomorrow)})
    assert "Offence date must be today or in the past" in r.content.decode()
    r = client.post(url, {**form, **_date("offence_date", datetime.date(2009, 1, 1))})
    assert "Offence date must be after the child&#x27;s date of birth" in r.content.decode()
    assert not Offence.objects.exists()


def test_planned_dates_may_be_in_the_future_but_not_past_the_25th_birthday(client, jay):
    client.login(username="alice", password=PASSWORD)
    soon = services.today() + datetime.timedelta(days=90)
    form = {
        "kind": "ASSETPLUS",
        **_date("completed_on", datetime.date(2025, 3, 1)),
        "likelihood_of_reoffending": "LOW",
        "risk_of_serious_harm": "LOW",
        "safety_and_wellbeing": "MEDIUM",
        "needs": "Education",
    }
    url = f"/children/{jay.pk}/assessments/new/"
    r = client.post(url, {**form, **_date("review_due", datetime.date(2035, 6, 1))})
    assert "Date the review is due must be before the child&#x27;s 25th birthday (1 May 2035)" in (
        r.content.decode()
    )
    assert client.post(url, {**form, **_date("review_due", soon)}).status_code == 302
    assert Assessment.objects.get(child=jay).review_due == soon


def test_dates_on_a_record_are_only_judged_when_they_change(jay, people):
    """An old record holding a date from before the rules can still be ended."""
    old = Intervention.objects.create(
        child=jay, kind="PREVENTION", team=jay.team, start_date=datetime.date(2009, 1, 1)
    )
    services.close_intervention(
        people["alice"], old, end_date=datetime.date(2025, 1, 1), end_reason="COMPLETED"
    )
    old.refresh_from_db()
    assert old.end_date == datetime.date(2025, 1, 1)
    with pytest.raises(services.ValidationError, match="must be after the child's date of birth"):
        services.save_record(
            people["alice"],
            Intervention(
                child=jay, kind="YRO", team=jay.team, start_date=datetime.date(2009, 1, 1)
            ),
        )


# Error pages --------------------------------------------------------------------------------


def test_error_pages_are_govuk_pages_without_a_stack_trace(client, rf, jay):
    from django.views import defaults

    bad = defaults.bad_request(rf.get("/"), Exception("secret detail"))
    broken = defaults.server_error(rf.get("/"))
    for response, heading in (
        (bad, "The page could not be shown"),
        (broken, "Sorry, there is a problem with the service"),
    ):
        page = response.content.decode()
        assert heading in page and "govuk-heading-l" in page
        assert "secret detail" not in page and "Traceback" not in page
    client.login(username="alice", password=PASSWORD)
    r = client.get("/children/999999/")
    assert r.status_code == 404 and "Page not found" in r.content.decode()
