"""The completion rule and the self-score average, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import make_child
from yjs.programmes import selectors, services
from yjs.programmes.models import Programme

from .conftest import attend, enrol

AFTER = dt.date(2025, 3, 1)


def test_four_of_six_completes_three_does_not(which_way):
    assert services.is_complete(4, which_way)
    assert services.is_complete(6, which_way)
    assert not services.is_complete(3, which_way)
    assert services.completion_status(3, which_way, cohort_ended=False) == "In progress"
    assert services.completion_status(3, which_way, cohort_ended=True) == "Not completed"
    assert services.completion_status(4, which_way, cohort_ended=False) == "Completed"


def test_places_and_report_count_completion_from_attendance(cohort9, jay, kim):
    four = enrol(cohort9, jay)
    attend(four, {1, 2, 4, 6})
    three = enrol(cohort9, kim)
    attend(three, {1, 2, 3})
    places = {p.enrolment.child: p for p in selectors.places(cohort9, AFTER)}
    assert (places[jay].attended, places[jay].status) == (4, "Completed")
    assert (places[kim].attended, places[kim].status) == (3, "Not completed")
    # before the cohort ended (14 February) three sessions is still "in progress"
    early = {p.enrolment.child: p.status for p in selectors.places(cohort9, dt.date(2025, 2, 1))}
    assert early == {jay: "Completed", kim: "In progress"}
    report = selectors.cohort_report([cohort9], AFTER)
    assert (report.enrolled, report.completed, report.completion_rate) == (2, 1, "50.0%")


def test_voided_enrolment_is_not_counted(cohort9, jay, kim, people):
    enrol(cohort9, jay)
    gone = enrol(cohort9, kim)
    gone.voided_at = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    gone.save()
    assert selectors.cohort_report([cohort9], AFTER).enrolled == 1


def test_average_self_score_change(cohort9, northshire, people):
    north = northshire.teams.get(name="North")
    scores = [(4, 7), (3, 8), (2, 2), (5, None)]  # changes +3, +5, 0; the last has no "after"
    for i, (before, after) in enumerate(scores):
        enrol(cohort9, make_child(northshire, north, first=f"C{i}"), before, after)
    report = selectors.cohort_report([cohort9], AFTER)
    assert sorted(report.score_changes) == [0, 3, 5]
    assert report.average_change == pytest.approx(8 / 3)
    assert report.average_change_text == "+2.7"


def test_session_averages_are_of_children_present(cohort9, jay, kim):
    a = enrol(cohort9, jay)
    attend(a, {1, 2}, start=5, end=8)
    b = enrol(cohort9, kim)
    attend(b, {1}, start=6, end=9)
    rows = selectors.cohort_report([cohort9], AFTER).sessions
    first, second, third = rows[:3]
    assert (first["attended"], first["start"], first["end"]) == (2, 5.5, 8.5)
    assert (second["attended"], second["start"], second["end"]) == (1, 5, 8)
    assert (third["attended"], third["start"]) == (0, None)


def test_a_rule_needing_more_sessions_than_there_are_is_refused(northshire, people):
    p = Programme(name="REACH", sessions=6, sessions_to_complete=7)
    with pytest.raises(ValidationError) as e:
        services.save_programme(people["hana"], p)
    assert "6 (the number of sessions) or fewer" in str(e.value)


def test_a_child_is_enrolled_once(cohort9, jay, people):
    from yjs.programmes.models import Enrolment

    services.enrol(
        people["alice"], Enrolment(cohort=cohort9, child=jay, enrolled_on=dt.date(2025, 1, 6))
    )
    with pytest.raises(ValidationError, match="already enrolled"):
        services.enrol(
            people["alice"], Enrolment(cohort=cohort9, child=jay, enrolled_on=dt.date(2025, 1, 6))
        )


def test_completion_rate_is_of_children_who_finished(cohort9, jay, kim, northshire):
    # on 1 February (before the cohort ends) jay has completed, kim (3 sessions) is in progress
    attend(enrol(cohort9, jay), {1, 2, 3, 4})
    attend(enrol(cohort9, kim), {1, 2, 3})
    report = selectors.cohort_report([cohort9], dt.date(2025, 2, 1))
    assert (report.completed, report.in_progress, report.finished) == (1, 1, 1)
    assert report.completion_rate == "100.0%"
    later = selectors.cohort_report([cohort9], AFTER)
    assert (later.completed, later.finished, later.completion_rate) == (1, 2, "50.0%")
