"""Periods, ages and working days (KPIS.md §1.1, §1.3, §5)."""

from datetime import date

import pytest

from yjs.periods import (
    FinancialYear,
    Quarter,
    add_months,
    add_working_days,
    age_on,
    fte_window,
    is_school_age,
    is_working_day,
    parse_quarter,
    population_year,
    quarter_of,
    quarters_between,
    reoffending_cohort_complete,
    rolling_12_months,
    school_leaving_date,
    working_days_between,
)


@pytest.mark.parametrize(
    "text", ["2024-25Q1", "2024-25 Q1", "2024Q1", "2024/25 Q1", " 2024-25 q1 "]
)
def test_quarter_labels_parse_to_the_same_quarter(text):
    assert parse_quarter(text) == Quarter(2024, 1)


@pytest.mark.parametrize("text", ["2024-26Q1", "2024Q5", "Q1 2024", "", "2024-25"])
def test_bad_quarter_labels_are_rejected(text):
    with pytest.raises(ValueError):
        parse_quarter(text)


def test_quarter_dates_and_labels():
    q4 = Quarter(2023, 4)
    assert (q4.start, q4.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert q4.label == "2023-24 Q4" and q4.yjb_label == "2023Q4" and str(q4) == "2023-24 Q4"
    assert Quarter(2024, 1).end == date(2024, 6, 30)
    assert Quarter(2024, 3).start == date(2024, 10, 1)
    assert q4.fy == FinancialYear(2023) and q4.fy.label == "2023-24"
    assert q4.next() == Quarter(2024, 1) and Quarter(2024, 1).previous() == q4
    assert Quarter(2024, 1).previous(4) == Quarter(2023, 1)
    assert date(2024, 2, 29) in q4 and date(2024, 4, 1) not in q4


def test_quarter_of():
    assert quarter_of(date(2024, 3, 31)) == Quarter(2023, 4)
    assert quarter_of(date(2024, 4, 1)) == Quarter(2024, 1)
    assert quarter_of(date(2023, 12, 31)) == Quarter(2023, 3)
    assert quarter_of(date(2023, 8, 10)) == Quarter(2023, 2)


def test_quarters_between():
    qs = list(quarters_between(Quarter(2023, 3), Quarter(2024, 2)))
    assert [q.label for q in qs] == ["2023-24 Q3", "2023-24 Q4", "2024-25 Q1", "2024-25 Q2"]


def test_rolling_12_months_to_2023_24_q1_is_jul_2022_to_jun_2023():
    w = rolling_12_months("2023-24 Q1")
    assert (w.start, w.end) == (date(2022, 7, 1), date(2023, 6, 30))
    assert w.label == "12 months to 2023-24 Q1"


def test_fte_lag_matches_seed_003():
    # 2022-23 Q1 -> Apr 2021–Mar 2022; Q4 -> Jan–Dec 2022
    w1 = fte_window("2022-23 Q1")
    assert (w1.start, w1.end) == (date(2021, 4, 1), date(2022, 3, 31))
    w4 = fte_window("2022-23 Q4")
    assert (w4.start, w4.end) == (date(2022, 1, 1), date(2022, 12, 31))


def test_population_year_is_calendar_year_before_fy():
    assert population_year("2023-24 Q3") == 2022
    assert population_year("2024-25 Q1") == 2023


def test_reoffending_cohort_complete_after_18_months():
    assert not reoffending_cohort_complete("2021-22 Q1", date(2022, 12, 29))
    assert reoffending_cohort_complete("2021-22 Q1", date(2022, 12, 30))


def test_financial_year():
    assert FinancialYear.parse("2024-25") == FinancialYear(2024)
    assert FinancialYear.of(date(2025, 3, 31)).label == "2024-25"
    with pytest.raises(ValueError):
        FinancialYear.parse("2024-26")


def test_add_months_clamps():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2024, 6, 30), -12) == date(2023, 6, 30)


def test_age_on_counts_from_the_birthday_itself():
    assert age_on(date(2008, 5, 10), date(2024, 5, 9)) == 15
    assert age_on(date(2008, 5, 10), date(2024, 5, 10)) == 16


def test_age_on_29_february_birthday_falls_on_1_march():
    dob = date(2008, 2, 29)
    assert age_on(dob, date(2025, 2, 28)) == 16
    assert age_on(dob, date(2025, 3, 1)) == 17
    assert age_on(dob, date(2024, 2, 28)) == 15
    assert age_on(dob, date(2024, 2, 29)) == 16


def test_working_days_skip_weekends_and_bank_holidays():
    assert not is_working_day(date(2024, 12, 25))
    assert not is_working_day(date(2024, 8, 26))  # late summer bank holiday
    assert not is_working_day(date(2024, 6, 1))  # Saturday
    assert is_working_day(date(2024, 6, 3))
    # Friday 20 Dec 2024: next working days 23, 24, 27 Dec (25/26 bank holidays)
    assert add_working_days(date(2024, 12, 20), 3) == date(2024, 12, 27)
    assert working_days_between(date(2024, 12, 20), date(2024, 12, 27)) == 3
    # Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr
    assert add_working_days(date(2024, 3, 28), 1) == date(2024, 4, 2)
    assert add_working_days(date(2024, 4, 2), -1) == date(2024, 3, 28)
    assert working_days_between(date(2024, 4, 2), date(2024, 3, 28)) == -1


def test_twenty_working_days_round_trip():
    d = date(2024, 5, 1)
    end = add_working_days(d, 20)
    assert end == date(2024, 5, 31)  # 6 May and 27 May are bank holidays
    assert working_days_between(d, end) == 20


def test_school_leaving_date_is_last_friday_of_june_of_year_turning_16():
    # turns 16 on 31 Aug 2024 -> school year 2023-24 -> last Friday of June 2024 = 28 June
    assert school_leaving_date(date(2008, 8, 31)) == date(2024, 6, 28)
    # turns 16 on 1 Sep 2024 -> school year 2024-25 -> 27 June 2025
    assert school_leaving_date(date(2008, 9, 1)) == date(2025, 6, 27)
    assert school_leaving_date(date(2008, 2, 29)) == date(2024, 6, 28)
    assert is_school_age(date(2008, 8, 31), date(2024, 6, 28))
    assert not is_school_age(date(2008, 8, 31), date(2024, 6, 29))


# Plausible dates (docs/security.md, "Input") ------------------------------------------------

TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("dob", "problem"),
    [
        (date(2018, 11, 30), None),  # 8 today: referred for prevention work
        (date(2018, 12, 1), "Date of birth must be on or before 30 November 2018"),
        (date(2022, 11, 30), "Date of birth must be on or before 30 November 2018"),  # aged 4
        (date(1906, 1, 1), "Date of birth must be on or after 1 January 1982"),  # aged 120
        (date(2027, 1, 1), "Date of birth must be in the past"),
    ],
)
def test_date_of_birth_bounds(dob, problem):
    from yjs.periods import date_of_birth_problem

    found = date_of_birth_problem(dob, TODAY)
    assert found == problem if problem is None else found.startswith(problem)


@pytest.mark.parametrize(
    ("received", "prevention", "problem"),
    [
        (date(2020, 5, 1), False, None),  # the 10th birthday
        (date(2020, 4, 30), False, "can only be referred for prevention work (this child was 9)"),
        (date(2020, 4, 30), True, None),  # 9, for prevention work
        (date(2018, 5, 1), True, None),  # the 8th birthday
        (date(2018, 4, 30), True, "at least 8 years old on the date of the referral (this child "),
        (date(2028, 4, 30), False, None),  # the day before the 18th birthday
        (date(2028, 5, 1), False, "under 18 on the date of the referral (this child was 18)"),
        (date(2028, 5, 1), True, "under 18 on the date of the referral (this child was 18)"),
    ],
)
def test_a_referral_is_for_a_child_aged_10_to_17_or_8_to_9_for_prevention(
    received, prevention, problem
):
    from yjs.periods import referral_age_problem

    found = referral_age_problem(date(2010, 5, 1), received, prevention=prevention)
    assert found is None if problem is None else problem in found


@pytest.mark.parametrize(
    ("value", "future_allowed", "problem"),
    [
        (date(2025, 1, 1), False, None),
        (date(1999, 12, 31), False, "Offence date must be on or after 1 January 2000"),
        (date(2010, 5, 1), False, "Offence date must be after the child's date of birth"),
        (date(2026, 12, 1), False, "Offence date must be today or in the past"),
        (date(2030, 1, 1), True, None),  # a planned end date
        (date(2035, 5, 1), True, "Offence date must be before the child's 25th birthday"),
    ],
)
def test_event_date_bounds(value, future_allowed, problem):
    from yjs.periods import event_date_problem

    found = event_date_problem(
        value, "Offence date", today=TODAY, dob=date(2010, 5, 1), future_allowed=future_allowed
    )
    assert found is None if problem is None else found.startswith(problem)


def test_planned_dates_are_at_most_ten_years_ahead():
    from yjs.periods import planned_date_problem

    assert planned_date_problem(date(2036, 11, 30), "Review date", today=TODAY) is None
    assert planned_date_problem(date(2036, 12, 1), "Review date", today=TODAY) == (
        "Review date must be within 10 years from today"
    )
