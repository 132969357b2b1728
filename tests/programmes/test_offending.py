"""Offending before, during and after a programme (yjs/programmes/offending.py), hand-worked.

Cohort 9 runs 6 January to 14 February 2025. Checkpoints after its end: 3 months = 14 May,
6 months = 14 August, 9 months = 14 November 2025, 12 months = 14 February 2026.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yjs.programmes import offending, selectors

from .conftest import enrol, offence

D = dt.date


START, END = D(2025, 1, 6), D(2025, 2, 14)


def W(child, start=START, end=END):
    return offending.Window(child.pk, start, end)


def test_a_child_exactly_at_a_checkpoint_counts_one_day_short_does_not(jay, kim):
    windows = [W(jay), W(kim, end=D(2025, 2, 15))]  # kim's programme ended a day later
    at = offending.tally(windows, D(2025, 5, 14))
    assert at["3"].reached == 1  # jay exactly 3 months on; kim one day short
    assert offending.tally(windows, D(2025, 5, 15))["3"].reached == 2
    assert offending.tally(windows, D(2025, 5, 13))["3"].reached == 0
    assert at["6"].reached == 0
    # a month end: 30 November + 3 months is 28 February (clamped, as DuckDB's INTERVAL is)
    late = [W(jay, start=D(2025, 11, 1), end=D(2025, 11, 30))]
    assert offending.tally(late, D(2026, 2, 28))["3"].reached == 1
    assert offending.tally(late, D(2026, 2, 27))["3"].reached == 0


def test_offending_before_during_and_after_by_hand(jay, kim):
    offence(jay, D(2023, 12, 1))  # 13 months before the start: not "before"
    offence(jay, D(2024, 6, 1))  # before (caution)
    offence(jay, D(2024, 9, 1), code="COMMUNITY_RESOLUTION")  # not substantive: not proven
    offence(jay, D(2024, 10, 1), code=None)  # no outcome yet: not proven
    offence(jay, D(2025, 1, 20), code="REFERRAL_ORDER")  # during (a conviction)
    offence(jay, D(2025, 3, 1))  # 0-3 months after
    voided = offence(jay, D(2025, 4, 1))  # would be 0-3 months after, but voided
    voided.voided_at = timezone.now()
    voided.save()
    offence(jay, D(2025, 4, 2), appeal_status="SUCCESSFUL")  # quashed on appeal: not proven
    offence(jay, D(2025, 5, 14))  # exactly 3 months after: the 0-3 interval
    offence(jay, D(2025, 5, 15))  # the 3-6 interval
    offence(kim, D(2024, 12, 1))  # kim: before only
    t = offending.tally([W(jay), W(kim)], D(2025, 9, 1))
    assert (t["before"].reached, t["before"].offended, t["before"].offences) == (2, 2, 2)
    assert (t["during"].reached, t["during"].offended, t["during"].offences) == (2, 1, 1)
    assert (t["3"].reached, t["3"].offended, t["3"].offences) == (2, 1, 2)
    assert (t["6"].reached, t["6"].offended, t["6"].offences) == (2, 1, 1)
    assert t["9"].reached == 0 and t["12"].reached == 0
    assert t["3"].offended_ids == {jay.pk}


def test_an_outcome_dated_after_the_as_at_date_proves_nothing_yet(jay):
    offence(jay, D(2025, 3, 1), outcome_on=D(2025, 6, 1))
    assert offending.tally([W(jay)], D(2025, 5, 20))["3"].offences == 0
    assert offending.tally([W(jay)], D(2025, 6, 1))["3"].offences == 1


def test_a_voided_outcome_proves_nothing(jay):
    f = offence(jay, D(2025, 3, 1))
    outcome = f.outcomes.get()
    outcome.voided_at = timezone.now()
    outcome.save()
    assert offending.tally([W(jay)], D(2025, 9, 1))["3"].offences == 0


def test_a_cohort_not_ended_has_nobody_after(cohort9, jay):
    cohort9.end_date = None
    cohort9.save()
    enrol(cohort9, jay)
    offence(jay, D(2025, 3, 1))
    t = selectors.cohort_report([cohort9], D(2026, 6, 1)).offending
    assert t["3"].reached == 0 and t["during"].offences == 1


def test_a_child_who_left_early_is_followed_from_the_day_they_left(cohort9, jay):
    e = enrol(cohort9, jay)
    e.left_on = D(2025, 1, 20)
    e.save()
    offence(jay, D(2025, 2, 1))  # after leaving: 0-3 months after, not during
    t = selectors.cohort_report([cohort9], D(2025, 4, 20)).offending
    assert (t["during"].offences, t["3"].reached, t["3"].offences) == (0, 1, 1)


def test_checkpoint_months_are_the_engines():
    """The tracker's SQL adds months with DuckDB (`closed + to_months(n)`); offending.py with
    periods.add_months: the same day, month ends included."""
    import duckdb

    from yjs import periods

    con = duckdb.connect()
    for d in (D(2025, 1, 31), D(2024, 2, 29), D(2025, 11, 30), D(2025, 8, 31), D(2025, 2, 14)):
        for n in offending.CHECKPOINTS:
            sql = con.execute("SELECT CAST(CAST(? AS DATE) + to_months(?) AS DATE)", [d, n])
            assert sql.fetchone()[0] == periods.add_months(d, n), (d, n)
