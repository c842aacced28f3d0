"""The paper's measures as plain data: numbers as JSON and CSV give them, units as a reader writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.papers.measure_paper import measures_part, number, with_unit
from bvplan.rules.status import status_of
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS


def test_whole_numbers_lose_their_decimal_point() -> None:
    assert (number(64.0), number(64.5), number(None)) == (64, 64.5, None)
    assert isinstance(number(64.0), int)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [(64.0, "percent", "64%"), (1250.5, "pounds", "£1,250.5"), (12, "days", "12 days"), (3000, "number", "3,000")],
)
def test_values_carry_their_unit(value: float, unit: str, shown: str) -> None:
    assert with_unit(value, unit) == shown
    assert with_unit(None, unit) == ""


def test_the_2017_18_measures_on_the_last_day_of_the_year() -> None:
    plan = validate([SHIPPED_PLANS]).workspace.plan("bvip-2017-18")
    assert plan is not None
    day = dt.date(2018, 3, 31)
    part = measures_part(plan, status_of(plan, day))
    rows = [row for theme_rows in part.measures.values() for row in theme_rows]
    assert rows, "the shipped 2017-18 plan holds the year-end paper's measures"
    standings = {"On target", "Within tolerance", "Off target", "No target", "No data"}
    for row in rows:
        assert row.standing in standings
        assert (row.latest == "") == (row.latest_on is None)
        assert row.rag_words.startswith(row.standing)
    assert any(row.latest for row in rows)
