"""validate's whole pass: the format's checks, then those that need the rules (the optimism flag, BV428)."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.format.diagnostics import Severity
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS, PinToday


def test_the_example_plan_warns_of_each_good_rating_whose_actions_slip(pin_today: PinToday) -> None:
    pin_today(dt.date(2026, 1, 19))
    loaded = validate([SHIPPED_PLANS / "example-2025-26"])
    found = {(d.code, d.severity) for d in loaded.report.diagnostics}
    assert found == {("BV404", Severity.WARNING), ("BV428", Severity.WARNING)}
    optimism = [d for d in loaded.report.diagnostics if d.code == "BV428"]
    assert optimism and all("is rated good while the actions serving it slip" in d.message for d in optimism)


@pytest.mark.parametrize("plan", ["bvap-2015-16", "bvip-2017-18", "bvip-2018-19"])
def test_a_plan_without_assessments_gets_no_optimism_warning(plan: str) -> None:
    loaded = validate([SHIPPED_PLANS / plan])
    assert not [d for d in loaded.report.diagnostics if d.code == "BV428"]
