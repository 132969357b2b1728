"""The feedback report's figures, worked by hand, and the plan / board-pack block: only quotes
that were agreed to and chosen, never a name."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD
from yjs.governance import blocks
from yjs.periods import Quarter
from yjs.voice import selectors, services

from .conftest import qs

D = dt.date


def _paper(actor, child, survey, on, scale=None, yes=None, text="", consent=None, who="CHILD"):
    q = qs(survey)
    return services.record_response(
        actor,
        child,
        survey,
        respondent=who,
        answered_on=on,
        answers={q["SCALE"].pk: scale, q["YES_NO"].pk: yes, q["TEXT"].pk: text},
        consent=consent,
        consent_by=who if consent is not None else "",
        consent_on=on if consent is not None else None,
    )


@pytest.fixture
def four(jay, survey, people):
    """Four responses from April–September 2025 (one in October, outside it):
    yes/no: yes, yes, yes, no -> 3 of 4 = 75%; scale: 5, 4, 2 (one blank) -> 11/3 = 3.7,
    4 or 5: 2 of 3 = 67%."""
    alice = people["alice"]
    rs = [
        _paper(alice, jay, survey, D(2025, 4, 10), 5, True, "I go to college now.", True),
        _paper(alice, jay, survey, D(2025, 6, 1), 4, True, "Keep this private.", False),
        _paper(alice, jay, survey, D(2025, 9, 30), 2, True, "Not asked about sharing."),
        _paper(
            alice, jay, survey, D(2025, 7, 7), None, False, "It helped at home.", True, "PARENT"
        ),
        _paper(alice, jay, survey, D(2025, 10, 1), 1, False),
    ]
    return rs


def test_half_years():
    h = selectors.HalfYear.of(D(2025, 9, 30))
    assert (h.start, h.end, h.code) == (D(2025, 4, 1), D(2025, 9, 30), "2025-26H1")
    h2 = selectors.HalfYear.of(D(2026, 3, 31))
    assert (h2.start, h2.end, h2.code) == (D(2025, 10, 1), D(2026, 3, 31), "2025-26H2")
    assert selectors.HalfYear.parse("2025-26H2") == h2 and h2.previous() == h
    assert selectors.HalfYear.parse("2025-27H1") is None


def test_report_figures_by_hand(four, survey, northshire):
    h = selectors.HalfYear(2025, 1)
    [qf] = selectors.report(northshire, h.start, h.end)
    assert qf.total == 4 and qf.by_respondent == {"Child": 3, "Parent": 1, "Carer": 0}
    by = {f.question.kind: f for f in qf.questions}
    assert (by["YES_NO"].n, by["YES_NO"].yes, by["YES_NO"].percent_yes) == (4, 3, 75)
    assert by["YES_NO"].result == "75% yes (3 of 4)"
    assert (by["SCALE"].n, str(by["SCALE"].average), by["SCALE"].percent_top_two) == (3, "3.7", 67)
    assert by["SCALE"].distribution == (0, 1, 0, 1, 1)
    assert by["TEXT"].n == 4


def test_a_voided_response_counts_nowhere(four, northshire, people):
    from yjs.casework import services as casework

    casework.void_record(people["mo"], four[3], "Entered for the wrong child")
    [qf] = selectors.report(northshire, D(2025, 4, 1), D(2025, 9, 30))
    by = {f.question.kind: f for f in qf.questions}
    assert (qf.total, by["YES_NO"].n, by["YES_NO"].percent_yes) == (3, 3, 100)


def test_only_consented_chosen_quotes_reach_the_block(four, northshire, people):
    mo = people["mo"]
    answers = {a.text: a for r in four for a in r.answers.all() if a.text}
    services.choose_quote(mo, answers["I go to college now."], True)
    services.choose_quote(mo, answers["It helped at home."], True)
    for unconsented in ("Keep this private.", "Not asked about sharing."):
        with pytest.raises(ValidationError, match="did not agree"):
            services.choose_quote(mo, answers[unconsented], True)
    # even if chosen behind the service's back, an unconsented quote never leaves
    answers["Keep this private."].chosen = True
    answers["Keep this private."].save()
    q = Quarter(2025, 1)
    request = blocks.BlockRequest(northshire, D(2025, 4, 1), D(2025, 9, 30), q)
    data = blocks.build(blocks.get("voice_feedback"), request)
    assert data["quotes"] == [
        {"text": "It helped at home.", "who": "a parent"},
        {"text": "I go to college now.", "who": "a child, 14"},
    ]
    text = str(data)
    assert "Keep this private" not in text and "Not asked" not in text and "Jay" not in text
    assert ["Your views at the end", "Were you treated fairly?", "4 of 4", "75% yes (3 of 4)"] in (
        data["rows"]
    )
    assert data["intro"].startswith("Children, parents and carers returned 4 feedback")


def test_withdrawn_consent_drops_the_quote(four, people, northshire):
    mo = people["mo"]
    answer = four[0].answers.get(text="I go to college now.")
    services.choose_quote(mo, answer, True)
    assert selectors.quotes(northshire)
    response = four[0]
    services.record_consent(mo, response, consent=False, by="CHILD", on=D(2025, 5, 1))
    answer.refresh_from_db()
    assert not answer.chosen and selectors.quotes(northshire) == []


def test_the_block_prints_in_the_board_pack(four, people, northshire):
    from yjs.governance import selectors as governance

    services.choose_quote(people["mo"], four[0].answers.get(text="I go to college now."), True)
    context = governance.board_pack_context(northshire, "2025-26Q1")
    [section] = [x for x in context["extra_sections"] if "Feedback" in x["heading"]]
    assert section["block"]["quotes"] == [{"text": "I go to college now.", "who": "a child, 14"}]


@pytest.mark.parametrize("username", ["mo", "hana", "ana", "bea"])
def test_report_is_for_managers_analysts_and_board(client, four, username):
    client.login(username=username, password=PASSWORD)
    page = client.get("/voice/report/?period=2025-26H1")
    body = page.content.decode()
    assert page.status_code == 200 and "75% yes (3 of 4)" in body
    assert "Jay" not in body and "Keep this private" not in body


@pytest.mark.parametrize("username", ["alice", "bob"])
def test_report_and_setup_refuse_practitioners(client, four, username):
    client.login(username=username, password=PASSWORD)
    for url in ("/voice/report/", "/voice/", "/voice/quotes/", "/voice/pledges/"):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("username", ["ana", "bea"])
def test_analyst_and_board_see_no_setup_quotes_or_response(client, four, username):
    client.login(username=username, password=PASSWORD)
    for url in ("/voice/", "/voice/quotes/", "/voice/pledges/", f"/voice/responses/{four[0].pk}/"):
        assert client.get(url).status_code == 403, url


def test_the_same_words_chosen_twice_are_quoted_once(four, northshire, people):
    from yjs.voice.models import Answer

    mo = people["mo"]
    answers = {a.text: a for r in four for a in r.answers.all() if a.text}
    services.choose_quote(mo, answers["I go to college now."], True)
    services.choose_quote(mo, answers["It helped at home."], True)
    Answer.objects.filter(pk=answers["It helped at home."].pk).update(text="I go to college  now.")
    assert [q["text"] for q in selectors.quotes(northshire)] == ["I go to college  now."]
