"""The Directions progress summary as data: one row per Direction, and nothing for a plan without registers."""

from __future__ import annotations

import datetime as dt

from bvplan.format.loader import load
from bvplan.papers.register_paper import has_registers, registers_part
from bvplan.rules.chain import registers
from tests.conftest import SHIPPED_PLANS


def test_one_row_per_direction_with_its_requirements_counted() -> None:
    plan = load([SHIPPED_PLANS / "example-2025-26"]).workspace.plan("example-2025-26")
    assert plan is not None
    found = registers(plan, dt.date(2026, 1, 19))
    assert has_registers(found)
    part = registers_part(found)
    assert [row.id for row in part.directions] == [d.id for d in found.directions()]
    for direction_id, rows in part.requirements:
        direction = next(d for d in plan.model.directions if d.id == direction_id)
        assert [r.id for r in rows] == [r.id for r in direction.requirements]


def test_a_2018_plan_has_no_registers_and_no_summary() -> None:
    plan = load([SHIPPED_PLANS / "bvip-2018-19"]).workspace.plan("bvip-2018-19")
    assert plan is not None
    found = registers(plan, dt.date(2018, 6, 30))
    assert not has_registers(found)
    assert registers_part(found).directions == ()
