"""One reading of dates in every spreadsheet bvplan imports (`import updates`, `import tracker`):
real dates, Excel serials (refusing serial 60, 29/02/1900), and typed dates that must exist."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.rules.updates import as_date, cell_date, serial_date


@pytest.mark.parametrize(
    ("value", "day"),
    [
        (43281, dt.date(2018, 6, 30)),
        (43281.0, dt.date(2018, 6, 30)),
        ("43281", dt.date(2018, 6, 30)),
        (61, dt.date(1900, 3, 1)),
        (59, dt.date(1900, 2, 28)),
        (1, dt.date(1900, 1, 1)),
        (2958465, dt.date(9999, 12, 31)),
        ("30/06/2018", dt.date(2018, 6, 30)),
        ("2018-06-30", dt.date(2018, 6, 30)),
        (dt.datetime(2018, 6, 30), dt.date(2018, 6, 30)),
        (dt.date(2016, 2, 29), dt.date(2016, 2, 29)),
    ],
)
def test_dates_and_serials_are_read(value: object, day: dt.date) -> None:
    assert cell_date(value) == day
    assert as_date(value) == day


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (60, "serial 60 is 29/02/1900, a day that never was"),
        ("60", "serial 60 is 29/02/1900"),
        (dt.datetime(1900, 2, 28), "may be Excel's serial 60"),  # openpyxl reads a date cell of 60 so
        ("29/02/2019", "29/02/2019 is not a date (that day does not exist)"),
        ("2019-02-29", "(that day does not exist)"),
        (dt.datetime(2018, 6, 30, 14, 5), "(it has a time of day)"),
        (43281.5, "is not a date"),
        (0, "0 is not a date"),
        (2958466, "is not a date"),
        (True, "True is not a date"),
        ("soon", "soon is not a date; write it as 30/06/2018"),
    ],
)
def test_what_is_no_day_is_refused_saying_why(value: object, why: str) -> None:
    with pytest.raises(ValueError) as refused:
        cell_date(value)
    assert why in str(refused.value)
    assert as_date(value) is None


def test_serials_either_side_of_the_leap_year_bug() -> None:
    assert serial_date(59) + dt.timedelta(days=1) == serial_date(61)
    with pytest.raises(ValueError):
        serial_date(60)
