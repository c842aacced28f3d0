"""Where the registers stand on a date: requirements, recommendations, Directions, and the public view."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.format.loader import load
from bvplan.format.workspace import Plan
from bvplan.rules.chain import ItemStatus, open_past_deadline, registers, requirement_status
from bvplan.rules.public_view import public_plan
from bvplan.rules.trace import TraceNotFound, trace
from tests.conftest import SHIPPED_PLANS

Q3_POSITION = dt.date(2026, 1, 19)


@pytest.fixture(scope="module")
def example() -> Plan:
    [plan] = load([SHIPPED_PLANS / "example-2025-26"]).workspace.plans
    return plan


def test_a_requirement_is_open_until_met_and_overdue_after_its_deadline(example: Plan) -> None:
    found = registers(example, Q3_POSITION)
    d32 = found.index.requirements["D3.2"].requirement  # due 2025-10-27, met 2025-12-31
    assert requirement_status(d32, dt.date(2025, 10, 27)) is ItemStatus.OPEN
    assert requirement_status(d32, dt.date(2025, 10, 28)) is ItemStatus.OVERDUE
    assert requirement_status(d32, dt.date(2025, 12, 31)) is ItemStatus.MET


def test_recommendations_by_response_closure_and_standing(example: Plan) -> None:
    def status(day: dt.date) -> dict[str, ItemStatus]:
        found = registers(example, day)
        return {r.id: found.recommendation_status(r) for r in found.recommendations()}

    assert status(Q3_POSITION) == {
        "INS1": ItemStatus.CLOSED,
        "INS2": ItemStatus.OVERDUE,
        "INS3": ItemStatus.REJECTED,
        "S24-1": ItemStatus.OPEN,
        "S24-2": ItemStatus.OVERDUE,
    }
    assert status(dt.date(2025, 11, 19))["INS1"] is ItemStatus.OPEN  # closed the next day


def test_directions_summary_rag_in_words(example: Plan) -> None:
    found = registers(example, Q3_POSITION)
    rows = {d.id: found.summary(d) for d in found.directions()}

    assert (rows["D1"].met, rows["D1"].total, rows["D1"].overdue, rows["D1"].rag_words) == (3, 4, 1, "Off track")
    assert (rows["D3"].met, rows["D3"].total, rows["D3"].rag) == (2, 3, "green")
    assert rows["X2"].status is ItemStatus.MET and rows["X2"].rag_words == "Met"
    assert [m.id for m in rows["D2"].outcome_measures] == ["FIN-OC1"]
    assert [m.id for m in rows["D2"].output_measures] == ["FIN-OUT1"]
    # Before the commissioners' letter, the exit criterion was not met.
    before = registers(example, dt.date(2026, 1, 14))
    assert before.summary(before.index.directions["X2"][1]).status is ItemStatus.OPEN


def test_the_public_view_withholds_before_counting(example: Plan) -> None:
    full, public = registers(example, Q3_POSITION), registers(public_plan(example), Q3_POSITION, public=True)
    assert "D2.4" in full.index.requirements and "D2.4" not in public.index.requirements
    d2, public_d2 = full.index.directions["D2"][1], public.index.directions["D2"][1]

    assert full.summary(d2).total == 4 and public.summary(public_d2).total == 3
    assert "F4" in full.summary(d2).actions and "F4" not in public.summary(public_d2).actions
    with pytest.raises(TraceNotFound):
        trace(public, "D2.4")
    with pytest.raises(TraceNotFound):
        trace(public, "F4.1")


def test_items_past_their_deadline_for_status(example: Plan) -> None:
    rows = open_past_deadline(registers(example, Q3_POSITION))
    assert [(item_id, kind) for item_id, kind, _due, _text in rows] == [
        ("D1.3", "requirement"),
        ("D2.2", "requirement"),
        ("INS2", "recommendation"),
        ("S24-2", "recommendation"),
    ]


def test_trace_marks_each_gap_up_and_down(example: Plan) -> None:
    found = trace(registers(example, Q3_POSITION), "G3.2")

    assert [[link.id for link in path] for path in found.up] == [["D1", "D1.3", "G3"]]
    assert [g.code for g in found.up[0][1].gaps] == ["BV404"]
    assert found.item.kind == "milestone" and found.item.status == "Overdue (19 days)"

    down = trace(registers(example, Q3_POSITION), "S24-1")
    assert [c.id for c in down.item.children] == ["F5", "F6"]
    assert down.item.children[1].status == "Ongoing"
    assert down.gaps() == 0
