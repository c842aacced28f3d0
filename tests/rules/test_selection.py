"""Which plan and period a command reports on, from what the user typed."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.format.workspace import Workspace
from bvplan.rules.selection import SelectionError, select
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return validate([SHIPPED_PLANS]).workspace


def test_a_date_in_the_one_live_six_monthly_plan_is_read_as_its_half(workspace: Workspace) -> None:
    chosen = select(workspace, "2016-01-26", None, TODAY)
    assert [p.id for p in chosen.plans] == ["bvap-2015-16"]
    assert (chosen.period.label, chosen.period.start, chosen.as_of) == (
        "2015-16 H2",
        dt.date(2015, 10, 1),
        dt.date(2016, 1, 26),
    )


def test_a_bare_quarter_is_taken_in_the_latest_plans_year(workspace: Workspace) -> None:
    chosen = select(workspace, "q1", None, TODAY)
    assert [p.id for p in chosen.plans] == ["example-2025-26"]
    assert (chosen.period.label, chosen.as_of) == ("2025-26 Q1", dt.date(2025, 6, 30))


def test_a_bare_quarter_with_a_plan_is_taken_in_that_plans_year(workspace: Workspace) -> None:
    chosen = select(workspace, "q4", "bvip-2017-18", TODAY)
    assert (chosen.period.label, chosen.as_of) == ("2017-18 Q4", dt.date(2018, 3, 31))


def test_no_live_plan_names_the_plans_and_their_dates(workspace: Workspace) -> None:
    with pytest.raises(SelectionError, match=r"no plan is live on 2026-11-29 \(bvap-2015-16 2015-03-04 to 2017-03-31"):
        select(workspace, None, None, TODAY)


def test_an_unknown_plan_gets_the_closest_ids(workspace: Workspace) -> None:
    with pytest.raises(SelectionError, match="did you mean 'bvip-2018-19'"):
        select(workspace, "q1", "bvip-2018-91", TODAY)
