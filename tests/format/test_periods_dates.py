"""The one date grammar (bvplan/format/periods.py parse_date): ISO YYYY-MM-DD, one message for the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.errors import UsageError
from bvplan.format.periods import looks_like_a_date, parse_date, parse_reporting


def test_iso_dates_are_read() -> None:
    assert parse_date("2018-06-30") == dt.date(2018, 6, 30)
    assert parse_date(" 2020-02-29 ", "--on") == dt.date(2020, 2, 29)


@pytest.mark.parametrize(
    "text", ["20180520", "2018-W20-7", "2018-W20", "2018-5-20", "20/05/2018", "2018-02-30", "2019-02-29", "x", ""]
)
def test_everything_else_is_refused_with_one_message(text: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_date(text, "--as-of")
    assert str(refused.value) == f"--as-of '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-06-30"


@pytest.mark.parametrize("text", ["20180520", "2018-W20-7", "2018-5-20", "20/05/2018", "2018-02-30"])
def test_a_period_that_looks_like_a_date_gets_the_dates_message(text: str) -> None:
    assert looks_like_a_date(text)
    with pytest.raises(UsageError, match="is not a date; write it as YYYY-MM-DD"):
        parse_reporting(text, 2018)


@pytest.mark.parametrize("text", ["2018-19", "2018-19 q1", "q1", "h2", "year", "2018", "next week"])
def test_periods_are_not_taken_for_dates(text: str) -> None:
    assert not looks_like_a_date(text)
