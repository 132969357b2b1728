"""Dates and reporting periods: the one module every part of the platform uses.

Financial years run 1 April – 31 March (label ``2024-25``); quarters are Q1 Apr–Jun, Q2 Jul–Sep,
Q3 Oct–Dec, Q4 Jan–Mar (label ``2024-25 Q1``; the YJB writes ``2024Q1``). Rules: KPIS.md §1.1.
No other module should compute periods, ages or working days its own way.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from dateutil import parser as dateutil_parser

__all__ = [
    "EARLIEST_DATE_OF_BIRTH",
    "EARLIEST_EVENT_DATE",
    "FinancialYear",
    "Quarter",
    "Window",
    "add_months",
    "add_working_days",
    "age_on",
    "bank_holidays",
    "date_of_birth_problem",
    "event_date_problem",
    "fte_window",
    "is_school_age",
    "is_working_day",
    "long_date",
    "parse_date",
    "parse_quarter",
    "planned_date_problem",
    "population_year",
    "quarter_of",
    "quarters_between",
    "referral_age_problem",
    "reoffending_cohort_complete",
    "rolling_12_months",
    "school_leaving_date",
    "split_dates",
    "working_days_between",
]

REOFFENDING_FOLLOW_UP_MONTHS = 12
REOFFENDING_WAITING_MONTHS = 6


# --------------------------------------------------------------------------- calendar helpers


def add_months(d: date, months: int) -> date:
    """``d`` plus whole calendar months, clamped to the month end (31 Jan + 1 → 28/29 Feb)."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def age_on(dob: date, on: date) -> int:
    """Age in completed years on ``on``.

    The birthday counts from the day itself; a 29 February birthday falls on 1 March in
    non-leap years (KPIS.md §1.3), so such a child is still 15 on 28 February of a common year.
    """
    age = on.year - dob.year
    if (on.month, on.day) < (dob.month, dob.day):
        age -= 1
    return age


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """An inclusive date range with a human label, e.g. the 12 months an FTE figure covers."""

    start: date
    end: date
    label: str = ""

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    def __str__(self) -> str:
        return self.label or f"{self.start.isoformat()} to {self.end.isoformat()}"


# --------------------------------------------------------------------------- financial years


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, identified by the calendar year it starts in (2024 → ``2024-25``)."""

    start_year: int

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def quarters(self) -> list[Quarter]:
        return [Quarter(self.start_year, q) for q in (1, 2, 3, 4)]

    def window(self) -> Window:
        return Window(self.start, self.end, self.label)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.start_year - 1)

    def next(self) -> FinancialYear:
        return FinancialYear(self.start_year + 1)

    @classmethod
    def of(cls, d: date) -> FinancialYear:
        return cls(d.year if d.month >= 4 else d.year - 1)

    @classmethod
    def parse(cls, text: str) -> FinancialYear:
        """Parse ``2024-25``, ``2024/25`` or ``2024``."""
        m = re.fullmatch(r"\s*(\d{4})(?:\s*[-/]\s*(\d{2}|\d{4}))?\s*", text or "")
        if not m:
            raise ValueError(f"not a financial year: {text!r} (expected e.g. 2024-25)")
        start = int(m.group(1))
        _check_second_year(text, start, m.group(2))
        return cls(start)


def _check_second_year(text: str, start: int, second: str | None) -> None:
    if second is None:
        return
    if int(second) % 100 != (start + 1) % 100 or (len(second) == 4 and int(second) != start + 1):
        raise ValueError(f"not a financial year: {text!r} (the second year must follow the first)")


# --------------------------------------------------------------------------- quarters

_QUARTER_RE = re.compile(
    r"""\s*(?P<start>\d{4})            # FY start year
        (?:\s*[-/]\s*(?P<second>\d{2}|\d{4}))?   # optional -25 or /2025
        \s*[-_ ]?\s*[Qq]\s*(?P<q>[1-4])\s*""",
    re.VERBOSE,
)


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: ``Quarter(2024, 1)`` is ``2024-25 Q1`` (April–June 2024)."""

    fy_start: int
    q: int

    def __post_init__(self) -> None:
        if self.q not in (1, 2, 3, 4):
            raise ValueError(f"quarter must be 1-4, not {self.q}")

    @property
    def fy(self) -> FinancialYear:
        return FinancialYear(self.fy_start)

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.q - 1)
        return date(self.fy_start, month, 1) if month <= 12 else date(self.fy_start + 1, 1, 1)

    @property
    def end(self) -> date:
        return add_months(self.start, 3) - timedelta(days=1)

    @property
    def label(self) -> str:
        """The platform's label, ``2024-25 Q1``."""
        return f"{self.fy.label} Q{self.q}"

    @property
    def yjb_label(self) -> str:
        """The YJB code's label, ``2024Q1`` (FY start year)."""
        return f"{self.fy_start}Q{self.q}"

    @property
    def months_label(self) -> str:
        """``Apr–Jun 2024`` style, as plans print cohort quarters."""
        return f"{self.start:%b}–{self.end:%b %Y}"

    def __str__(self) -> str:
        return self.label

    def previous(self, n: int = 1) -> Quarter:
        return self.next(-n)

    def next(self, n: int = 1) -> Quarter:
        index = self.fy_start * 4 + (self.q - 1) + n
        return Quarter(index // 4, index % 4 + 1)

    def window(self) -> Window:
        return Window(self.start, self.end, self.label)

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end

    @classmethod
    def parse(cls, text: str) -> Quarter:
        return parse_quarter(text)


def parse_quarter(text: str | Quarter) -> Quarter:
    """Parse ``2024-25 Q1``, ``2024-25Q1``, ``2024/25 Q1`` or the YJB's ``2024Q1``."""
    if isinstance(text, Quarter):
        return text
    m = _QUARTER_RE.fullmatch(text or "")
    if not m:
        raise ValueError(f"not a quarter: {text!r} (expected e.g. 2024-25Q1, 2024-25 Q1 or 2024Q1)")
    start = int(m.group("start"))
    _check_second_year(text, start, m.group("second"))
    return Quarter(start, int(m.group("q")))


def quarter_of(d: date) -> Quarter:
    """The financial quarter containing ``d``."""
    fy = FinancialYear.of(d)
    return Quarter(fy.start_year, ((d.month - 4) % 12) // 3 + 1)


def last_ended_quarter(today: date) -> Quarter:
    """The newest quarter whose last day has passed: the one whose figures are final."""
    return quarter_of(today).previous()


def quarter_problem(q: Quarter, today: date) -> str | None:
    """Why a quarter's figures cannot be reported as final today, or None when it has ended.

    A quarter not yet begun has no figures at all; one still running has provisional ones
    (records of its last days are not in yet), which a document must say if it prints them.
    """
    if q.start > today:
        return f"{q.label} has not begun: it starts on {long_date(q.start)}"
    if q.end >= today:
        return (
            f"{q.label} has not ended: it ends on {long_date(q.end)}, "
            "so its figures are provisional"
        )
    return None


def quarters_between(first: Quarter, last: Quarter) -> Iterator[Quarter]:
    """Every quarter from ``first`` to ``last`` inclusive."""
    q = first
    while q <= last:
        yield q
        q = q.next()


def rolling_12_months(q: Quarter | str) -> Window:
    """Four quarters ending with ``q``: ``12 months to 2023-24 Q1`` = Jul 2022 – Jun 2023."""
    q = parse_quarter(q)
    return Window(q.previous(3).start, q.end, f"12 months to {q.label}")


def fte_window(q: Quarter | str) -> Window:
    """The 12 months an FTE figure for ``q`` covers: ending with the *previous* quarter (§1.1)."""
    q = parse_quarter(q)
    w = rolling_12_months(q.previous())
    return Window(w.start, w.end, f"{q.label} (12 months to {q.previous().label})")


def population_year(q: Quarter | str) -> int:
    """ONS mid-year estimate used for a quarter: the calendar year before its FY starts (§1.2)."""
    return parse_quarter(q).fy_start - 1


def reoffending_cohort_complete(cohort: Quarter | str, as_at: date) -> bool:
    """A 3-month cohort is complete once 12 months' follow-up plus 6 months' wait have passed."""
    cohort = parse_quarter(cohort)
    months = REOFFENDING_FOLLOW_UP_MONTHS + REOFFENDING_WAITING_MONTHS
    return as_at >= add_months(cohort.end, months)


# --------------------------------------------------------------------------- working days


@lru_cache(maxsize=64)
def _holidays_for_year(year: int) -> frozenset[date]:
    import holidays  # the pinned ``holidays`` package: England & Wales share bank holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def bank_holidays(start: date, end: date) -> list[date]:
    """England & Wales bank holidays between two dates inclusive."""
    days: set[date] = set()
    for year in range(start.year, end.year + 1):
        days |= _holidays_for_year(year)
    return sorted(d for d in days if start <= d <= end)


def is_working_day(d: date) -> bool:
    """Monday–Friday and not an England & Wales bank holiday."""
    return d.weekday() < 5 and d not in _holidays_for_year(d.year)


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (day 1 = first working day after ``d``).

    ``n = 0`` returns ``d`` itself; negative ``n`` counts backwards.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    current = d
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(a: date, b: date) -> int:
    """Working days after ``a`` up to and including ``b`` (negative if ``b`` is before ``a``).

    So ``working_days_between(d, add_working_days(d, n)) == n``: a referral order panel on day 20
    after the order date is "within 20 working days".
    """
    if b < a:
        return -working_days_between(b, a)
    count = 0
    current = a
    while current < b:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


# --------------------------------------------------------------------------- school age


def school_leaving_date(dob: date) -> date:
    """Last Friday of June of the school year (1 Sep – 31 Aug) in which the child turns 16.

    Until this date the child is of compulsory school age (KPI 2 full-time threshold 25 hours).
    """
    sixteenth = add_months(dob, 16 * 12) if not (dob.month == 2 and dob.day == 29) else None
    if sixteenth is None:  # 29 Feb birthday: turns 16 on 1 March in a common year
        year16 = dob.year + 16
        sixteenth = date(year16, 2, 29) if calendar.isleap(year16) else date(year16, 3, 1)
    june_year = sixteenth.year + 1 if sixteenth.month >= 9 else sixteenth.year
    last = date(june_year, 6, 30)
    return last - timedelta(days=(last.weekday() - 4) % 7)


def is_school_age(dob: date, on: date) -> bool:
    """Compulsory school age on ``on`` (up to and including the school leaving date)."""
    return on <= school_leaving_date(dob)


# --------------------------------------------------------------------------- plausible dates
#
# One set of bounds for every date typed or imported about a child (docs/security.md, "Input").
# Youth justice services work with children aged 10 (the age of criminal responsibility) to 17;
# youth offending teams began in April 2000, so nothing on a record can be older than that.
# A record may outlive childhood (an order or licence running past 18, a case closed late), but
# nothing about the child is dated on or after their 25th birthday.

YOUTH_JUSTICE_MIN_AGE = 10
YOUTH_JUSTICE_MAX_AGE = 17
# Below the age of criminal responsibility a child can be referred for prevention work only;
# services' prevention programmes start at 8 (an early-help age, not a statutory one).
PREVENTION_MIN_AGE = 8
EARLIEST_EVENT_DATE = date(2000, 1, 1)
# Aged 17 on the earliest event date; the referral rule below is the exact one.
EARLIEST_DATE_OF_BIRTH = date(EARLIEST_EVENT_DATE.year - YOUTH_JUSTICE_MAX_AGE - 1, 1, 1)
LATEST_EVENT_AGE = 25
# Due and review dates in plans and registers: at most this many years ahead.
PLANNED_DATE_YEARS_AHEAD = 10


def long_date(d: date) -> str:
    """``1 January 2000``: how a date is written in a message (GOV.UK style)."""
    return f"{d.day} {d:%B %Y}"


def date_of_birth_problem(dob: date, today: date) -> str | None:
    """Why a child's date of birth is implausible, or None.

    Everyone on the record has been referred, so is at least 8 years old today (10 unless
    referred for prevention work: see `referral_age_problem`).
    """
    latest = add_months(today, -12 * PREVENTION_MIN_AGE)
    if dob > today:
        return "Date of birth must be in the past"
    if dob < EARLIEST_DATE_OF_BIRTH:
        return f"Date of birth must be on or after {long_date(EARLIEST_DATE_OF_BIRTH)}"
    if dob > latest:
        return (
            f"Date of birth must be on or before {long_date(latest)}: the child must be "
            f"at least {PREVENTION_MIN_AGE} years old"
        )
    return None


def referral_age_problem(dob: date, received_on: date, *, prevention: bool = False) -> str | None:
    """A referral is for a child aged 10 to 17 on the date it is received, or aged 8 or 9 for
    prevention work: below the age of criminal responsibility (10) nothing else applies."""
    if received_on <= dob:
        return None  # event_date_problem says the referral is before the birth
    age = age_on(dob, received_on)
    if age < PREVENTION_MIN_AGE:
        return (
            f"A child must be at least {PREVENTION_MIN_AGE} years old on the date of "
            f"the referral (this child was {age})"
        )
    if age < YOUTH_JUSTICE_MIN_AGE and not prevention:
        return (
            f"Select prevention: a child under {YOUTH_JUSTICE_MIN_AGE}, the age of criminal "
            f"responsibility, can only be referred for prevention work (this child was {age})"
        )
    if age > YOUTH_JUSTICE_MAX_AGE:
        return (
            f"A child must be under {YOUTH_JUSTICE_MAX_AGE + 1} on the date of the referral "
            f"(this child was {age})"
        )
    return None


def event_date_problem(
    value: date,
    what: str,
    *,
    today: date,
    dob: date | None = None,
    future_allowed: bool = False,
) -> str | None:
    """Why the date of something on a child's record is implausible, or None.

    ``what`` starts the message ("Offence date", "The referral date"). Planned and due dates
    (``future_allowed``) may be in the future, but like every date not on or after the child's
    25th birthday.
    """
    if value < EARLIEST_EVENT_DATE:
        return f"{what} must be on or after {long_date(EARLIEST_EVENT_DATE)}"
    if dob is not None and value <= dob:
        return f"{what} must be after the child's date of birth ({long_date(dob)})"
    if not future_allowed and value > today:
        return f"{what} must be today or in the past"
    if dob is not None:
        limit = add_months(dob, 12 * LATEST_EVENT_AGE)
        if value >= limit:
            return (
                f"{what} must be before the child's {LATEST_EVENT_AGE}th birthday "
                f"({long_date(limit)})"
            )
    if future_allowed and value > add_months(today, 12 * PLANNED_DATE_YEARS_AHEAD):
        return f"{what} must be within {PLANNED_DATE_YEARS_AHEAD} years from today"
    return None


def planned_date_problem(value: date, what: str, *, today: date) -> str | None:
    """A due or review date in a plan or register: from 2000 to 10 years ahead."""
    return event_date_problem(value, what, today=today, future_allowed=True)


# --------------------------------------------------------------------------- dates typed in

# A whole date as people type it in a search box: "3/4/2010", "03-04-10", "2010-04-03",
# "3 April 2010", "3rd Apr 2010". Day before month, as in the UK.
_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_NUMERIC_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
_WORDED_DATE = r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]{3,9}\.?,?\s+\d{4}"
_DATE_IN_TEXT = re.compile(
    rf"(?<![\w/.-])(?:{_ISO_DATE}|{_NUMERIC_DATE}|{_WORDED_DATE})(?![\w/.-])", re.IGNORECASE
)


def parse_date(text: str) -> date | None:
    """The date a person typed, day first, or None unless day, month and year are all there."""
    text = text.strip()
    if not _DATE_IN_TEXT.fullmatch(text):
        return None
    if re.fullmatch(_ISO_DATE, text):
        try:
            return date(*(int(part) for part in text.split("-")))
        except ValueError:
            return None
    try:
        return dateutil_parser.parse(text, dayfirst=True).date()
    except (ValueError, OverflowError):
        return None


def split_dates(text: str) -> tuple[list[date], str]:
    """The whole dates found in a line of text, and the text left once they are taken out."""
    found: list[date] = []

    def take(match: re.Match) -> str:
        parsed = parse_date(match.group(0))
        if parsed is None:
            return match.group(0)
        found.append(parsed)
        return " "

    rest = _DATE_IN_TEXT.sub(take, text)
    return found, " ".join(rest.split())
