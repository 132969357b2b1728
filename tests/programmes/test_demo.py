"""The demo's programmes (yjs/programmes/demo.py): cohorts with attendance and scores that pass
the rules the forms apply, and a cohort old enough to be followed 12 months on."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import rolled_back
from yjs.interop.demo import load_demo
from yjs.programmes import selectors
from yjs.programmes.models import Attendance, Cohort, Enrolment, Programme

TODAY = dt.date(2026, 11, 25)
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with rolled_back(django_db_blocker):
        yield load_demo(seed=14, children=160, today=TODAY)


def test_demo_programmes_cohorts_and_registers(demo, monkeypatch):
    from yjs.casework import services

    monkeypatch.setattr(services, "today", lambda: TODAY)
    assert set(Programme.objects.values_list("name", flat=True)) == {
        "Which Way",
        "REACH",
        "Turnaround group work",
    }
    assert demo.counts["Cohort"] == Cohort.objects.count() == 4
    assert Enrolment.objects.count() >= 20
    for e in Enrolment.objects.select_related("child", "cohort__programme"):
        assert not services.record_problems(e), (e.pk, services.record_problems(e))
        assert e.child.service_id == e.cohort.programme.service_id
    # scores only for children present; none outside 0 to 10
    assert not Attendance.objects.filter(attended=False, score_start__isnull=False).exists()
    assert not Attendance.objects.filter(score_end__gt=10).exists()
    oldest = Cohort.objects.order_by("start_date").first()
    report = selectors.cohort_report([oldest], TODAY)
    assert report.offending["12"].reached == report.enrolled > 0
    assert 0 < report.completed <= report.enrolled
    running = Cohort.objects.get(end_date__isnull=True)
    assert selectors.cohort_report([running], TODAY).offending["3"].reached == 0
