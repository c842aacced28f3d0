"""Reporting periods: financial years, quarters and halves, and the words people use for them.

UK local government years start on 1 April, so "2018-19" runs 1 April 2018 to 31 March 2019, Q1 is
April to June and H2 October to March. A plan may set another year start (`year_start: MM-DD`).
A period used as a reporting date means its last day: "Q1" is the position at 30 June.

Dates typed by a user have one grammar, read by `parse_date` wherever a date is read (every
command's date options, a period given as a date, `changes --since DATE`): ISO 8601's calendar
date YYYY-MM-DD and nothing else, so `20180520`, `2018-W20-7` and `2018-5-20` are refused with the
same message everywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bvplan.errors import UsageError

DEFAULT_YEAR_START = "04-01"

_KEY = re.compile(r"^(\d{4})-(\d{2})(?: ([QH])([1-4]))?$")
_WORDS = re.compile(r"^(?:(?P<year>\d{4})[-/](?P<yy>\d{2}))?\s*[ _-]?\s*(?P<part>q[1-4]|h[12]|year)?$", re.IGNORECASE)

PERIOD_FORMS = "a date (2018-06-30), q1-q4, h1, h2 or year, optionally after a year (2018-19 q1), or a year (2018-19)"


class PeriodError(UsageError, ValueError):
    """A period or date that cannot be understood; its message is for the user."""


DATE_FORM = "YYYY-MM-DD, e.g. 2018-06-30"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# What a user may have meant as a date: digits and the separators of the forms people try.
_DATE_LIKE = re.compile(r"[0-9]{5,}|[0-9]{4}(?:[-/.]W?[0-9]+)+|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{2,4}")


def parse_date(text: str, what: str = "") -> dt.date:
    """A date typed by a user: YYYY-MM-DD only (a real day of the calendar), else PeriodError with the
    one message for a date that is not one. `what` names where it came from, e.g. '--as-of'."""
    cleaned = text.strip()
    if _DATE.fullmatch(cleaned):
        try:
            return dt.date.fromisoformat(cleaned)
        except ValueError:
            pass
    where = f"{what} " if what else ""
    raise PeriodError(f"{where}'{text}' is not a date; write it as {DATE_FORM}")


def looks_like_a_date(text: str) -> bool:
    """Whether `text` was probably meant as a date (so that its error is the date's, not a period's)."""
    cleaned = text.strip()
    return bool(_DATE_LIKE.fullmatch(cleaned)) and _KEY.fullmatch(cleaned) is None


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise PeriodError(f"year {year} is outside the calendar bvplan can work with")
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _year_start(year: int, year_start: str) -> dt.date:
    month, day = (int(part) for part in year_start.split("-"))
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise PeriodError(f"year {year} is outside the calendar bvplan can work with")
    try:
        return dt.date(year, month, day)
    except ValueError:  # 29 February, or 31 of a short month: the month's last day
        return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def financial_year_of(day: dt.date, year_start: str = DEFAULT_YEAR_START) -> int:
    """The calendar year in which the financial year holding `day` began."""
    start = _year_start(day.year, year_start)
    return day.year if day >= start else day.year - 1


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    """A span of reporting: a quarter, a half, a year, or a span ending on a chosen date."""

    label: str
    start: dt.date
    end: dt.date  # inclusive: the reporting date
    year: int
    part: str | None  # "Q1".."Q4", "H1", "H2", or None for the whole year

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def key(self) -> str:
        """The key under which `updates` and `meetings` name this period."""
        return year_label(self.year) if self.part is None else f"{year_label(self.year)} {self.part}"


def _day_before(start: dt.date, months: int) -> dt.date:
    """The day before `months` after `start`; the calendar's last day when that is past its end."""
    try:
        return add_months(start, months) - dt.timedelta(days=1)
    except PeriodError:
        return dt.date.max


def make_period(year: int, part: str | None, year_start: str = DEFAULT_YEAR_START) -> Period:
    start = _year_start(year, year_start)
    if part is None:
        first, length = 0, 12
    elif part[0] == "Q":
        first, length = 3 * (int(part[1]) - 1), 3
    else:
        first, length = 6 * (int(part[1]) - 1), 6
    begin = add_months(start, first)
    # The last part ends the day before the next year starts, so that periods cover every day even
    # where a year start is clamped to a month's end (a year of 28 February, then 29 February).
    if first + length == 12:
        end = dt.date.max if year >= dt.MAXYEAR else _year_start(year + 1, year_start) - dt.timedelta(days=1)
    else:
        end = _day_before(start, first + length)
    label = year_label(year) if part is None else f"{year_label(year)} {part}"
    return Period(label, begin, end, year, part)


def parse_key(text: str) -> tuple[int, str | None] | None:
    """A period key as written in plan files: '2018-19 Q1', '2015-16 H2', '2017-18'."""
    match = _KEY.fullmatch(text)
    if not match:
        return None
    year, yy, letter, number = match.groups()
    if (int(year) + 1) % 100 != int(yy):
        return None
    if letter == "H" and number not in ("1", "2"):
        return None
    return int(year), (letter + number if letter else None)


def period_for_date(day: dt.date, cadence: str, year_start: str = DEFAULT_YEAR_START) -> Period:
    """The reporting period (quarter or half, by cadence) that holds `day`, ending on `day`."""
    year = financial_year_of(day, year_start)
    for number in range(1, 5 if cadence == "quarterly" else 3):
        part = ("Q" if cadence == "quarterly" else "H") + str(number)
        period = make_period(year, part, year_start)
        if day in period:
            return Period(period.label, period.start, day, year, part)
    # Unreachable while the parts tile the year (make_period ensures it); a message, not a crash.
    raise PeriodError(f"{day} falls in no reporting period of the year starting {year_start}")


def parse_reporting(
    text: str, default_year: int, cadence: str = "quarterly", year_start: str = DEFAULT_YEAR_START
) -> Period:
    """Read what a user typed for --as-of or a report's PERIOD.

    A bare part ('q1') is taken in `default_year`; a date is the span of its reporting period up to
    that date.
    """
    cleaned = text.strip()
    if looks_like_a_date(cleaned):
        return period_for_date(parse_date(text), cadence, year_start)
    match = _WORDS.fullmatch(cleaned)
    if not cleaned or not match or not (match.group("year") or match.group("part")):
        raise PeriodError(f"'{text}' is not a period or date; use {PERIOD_FORMS}")
    year = default_year
    if match.group("year"):
        year = int(match.group("year"))
        if (year + 1) % 100 != int(match.group("yy")):
            raise PeriodError(
                f"'{text}': a financial year is written like 2018-19, the second year following the first"
            )
    part = (match.group("part") or "year").upper()
    return make_period(year, None if part == "YEAR" else part, year_start)
