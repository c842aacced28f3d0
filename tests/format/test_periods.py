"""Reporting periods: UK financial years, quarters and halves, and what users type for them."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.format.periods import (
    PeriodError,
    add_months,
    financial_year_of,
    make_period,
    parse_key,
    parse_reporting,
    period_for_date,
    year_label,
)

D = dt.date


@pytest.mark.parametrize(
    ("part", "start", "end"),
    [
        ("Q1", D(2018, 4, 1), D(2018, 6, 30)),
        ("Q2", D(2018, 7, 1), D(2018, 9, 30)),
        ("Q3", D(2018, 10, 1), D(2018, 12, 31)),
        ("Q4", D(2019, 1, 1), D(2019, 3, 31)),
        ("H1", D(2018, 4, 1), D(2018, 9, 30)),
        ("H2", D(2018, 10, 1), D(2019, 3, 31)),
        (None, D(2018, 4, 1), D(2019, 3, 31)),
    ],
)
def test_uk_financial_year_parts(part: str | None, start: dt.date, end: dt.date) -> None:
    period = make_period(2018, part)

    assert (period.start, period.end) == (start, end)
    assert period.label == ("2018-19" if part is None else f"2018-19 {part}")
    assert period.key == period.label


@pytest.mark.parametrize(
    ("text", "end", "label"),
    [
        ("q1", D(2018, 6, 30), "2018-19 Q1"),
        ("Q4", D(2019, 3, 31), "2018-19 Q4"),
        ("h2", D(2019, 3, 31), "2018-19 H2"),
        ("year", D(2019, 3, 31), "2018-19"),
        ("2018-19 q1", D(2018, 6, 30), "2018-19 Q1"),
        ("2017-18 Q3", D(2017, 12, 31), "2017-18 Q3"),
        ("2017-18", D(2018, 3, 31), "2017-18"),
        ("2015-16 h2", D(2016, 3, 31), "2015-16 H2"),
        ("2099-00 q1", D(2099, 6, 30), "2099-00 Q1"),
        ("  2018-19   q2 ", D(2018, 9, 30), "2018-19 Q2"),
    ],
)
def test_periods_mean_their_last_day(text: str, end: dt.date, label: str) -> None:
    period = parse_reporting(text, default_year=2018)

    assert (period.end, period.label) == (end, label)


def test_bare_part_takes_the_default_year() -> None:
    assert parse_reporting("q1", default_year=2015).end == D(2015, 6, 30)
    assert parse_reporting("q1", default_year=2017).end == D(2017, 6, 30)


def test_a_date_is_its_reporting_period_up_to_that_day() -> None:
    quarterly = parse_reporting("2018-08-15", default_year=2000)
    six_monthly = parse_reporting("2018-08-15", default_year=2000, cadence="six-monthly")

    assert (quarterly.start, quarterly.end, quarterly.label) == (D(2018, 7, 1), D(2018, 8, 15), "2018-19 Q2")
    assert (six_monthly.start, six_monthly.end, six_monthly.label) == (D(2018, 4, 1), D(2018, 8, 15), "2018-19 H1")


def test_custom_year_start() -> None:
    q1 = parse_reporting("2018-19 q1", default_year=2018, year_start="01-01")
    year = parse_reporting("year", default_year=2018, year_start="09-01")

    assert (q1.start, q1.end) == (D(2018, 1, 1), D(2018, 3, 31))
    assert (year.start, year.end) == (D(2018, 9, 1), D(2019, 8, 31))
    assert financial_year_of(D(2018, 8, 31), "09-01") == 2017
    assert financial_year_of(D(2018, 9, 1), "09-01") == 2018


def test_financial_year_boundary() -> None:
    assert financial_year_of(D(2018, 3, 31)) == 2017
    assert financial_year_of(D(2018, 4, 1)) == 2018
    assert year_label(2018) == "2018-19"
    assert year_label(1999) == "1999-00"


def test_period_for_date_at_quarter_boundaries() -> None:
    assert period_for_date(D(2018, 6, 30), "quarterly").label == "2018-19 Q1"
    assert period_for_date(D(2018, 7, 1), "quarterly").label == "2018-19 Q2"
    assert period_for_date(D(2019, 3, 31), "six-monthly").label == "2018-19 H2"


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2018, 1, 31), 1) == D(2018, 2, 28)
    assert add_months(D(2020, 1, 31), 1) == D(2020, 2, 29)
    assert add_months(D(2018, 11, 30), 3) == D(2019, 2, 28)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("q5", "is not a period or date"),
        ("h3", "is not a period or date"),
        ("", "is not a period or date"),
        ("next week", "is not a period or date"),
        ("2018-20 q1", "the second year following the first"),
        ("2018-02-30", "'2018-02-30' is not a date; write it as YYYY-MM-DD"),
        ("2018-6-3", "'2018-6-3' is not a date; write it as YYYY-MM-DD"),
        ("0001-01-01", "outside the calendar"),
        ("9999-00 q4", "outside the calendar"),
    ],
)
def test_bad_input_is_a_clean_error(text: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_reporting(text, default_year=2018)


@pytest.mark.parametrize(
    ("key", "parsed"),
    [
        ("2018-19 Q1", (2018, "Q1")),
        ("2015-16 H2", (2015, "H2")),
        ("2017-18", (2017, None)),
        ("2018-19 Q5", None),
        ("2018-19 H3", None),
        ("2018-20 Q1", None),
        ("2018-19 q1", None),
        ("Q1 2018", None),
    ],
)
def test_period_keys_in_files(key: str, parsed: tuple[int, str | None] | None) -> None:
    assert parse_key(key) == parsed


def test_the_last_day_of_the_calendar_is_in_a_period() -> None:
    """A plan may run to 9999-12-31: its last quarter ends there rather than past the calendar."""
    period = parse_reporting("9999-12-31", 2018)
    assert (period.label, period.start, period.end) == ("9999-00 Q3", D(9999, 10, 1), D(9999, 12, 31))
