"""The plan's status vocabulary: the same statuses in the words the plan chose, and tolerance in days."""

from __future__ import annotations

import datetime as dt

import pytest

from bvplan.format.model import Action, Milestone
from bvplan.rules.status import (
    STANDARD,
    MilestoneStatus,
    Status,
    Vocabulary,
    action_status,
    action_words,
    milestone_status,
    status_words,
)

ACTION = Action(id="A1", title="An action", milestones=[])


def status_on(day: str, **fields: object) -> MilestoneStatus:
    milestone = Milestone.model_validate({"id": "M1", "title": "A milestone", "due": dt.date(2025, 9, 30), **fields})
    return milestone_status(milestone, ACTION, dt.date.fromisoformat(day))


TOLERANCE = Vocabulary("tolerance", 14)


@pytest.mark.parametrize(
    ("day", "fields", "standard", "tolerance"),
    [
        ("2025-07-01", {}, "In Progress", "On track"),
        ("2025-09-15", {}, "In Progress (due soon)", "On track (due soon)"),
        ("2025-10-14", {}, "Overdue (14 days)", "Within tolerance (14 days late)"),
        ("2025-10-15", {}, "Overdue (15 days)", "Off track (15 days late)"),
        ("2025-10-15", {"completed": dt.date(2025, 9, 20)}, "Completed", "Completed"),
        ("2025-10-15", {"completed": dt.date(2025, 10, 2)}, "Completed (late)", "Completed (late)"),
        ("2025-07-01", {"start": dt.date(2025, 8, 1)}, "Not Started", "Not started"),
    ],
)
def test_the_same_status_in_each_vocabulary(day: str, fields: dict[str, object], standard: str, tolerance: str) -> None:
    status = status_on(day, **fields)

    assert status_words(status) == standard
    assert status_words(status, vocabulary=STANDARD) == standard
    assert status_words(status, vocabulary=TOLERANCE) == tolerance


def test_the_computation_beneath_is_the_same() -> None:
    late = status_on("2025-10-15")

    assert late.status is Status.OVERDUE and late.days_overdue == 15
    assert TOLERANCE.word(Status.OVERDUE, 0) == "Within tolerance"
    assert Vocabulary("tolerance", 0).word(Status.OVERDUE, 1) == "Off track"


def test_an_action_is_worded_by_its_latest_milestone() -> None:
    action = Action.model_validate(
        {
            "id": "A1",
            "title": "An action",
            "milestones": [
                {"id": "M1", "title": "One", "due": dt.date(2025, 10, 10)},
                {"id": "M2", "title": "Two", "due": dt.date(2025, 9, 1)},
            ],
        }
    )
    assert action_words(action_status(action, dt.date(2025, 10, 12)), TOLERANCE) == "Off track"
    assert action_words(action_status(action, dt.date(2025, 9, 10)), TOLERANCE) == "Within tolerance"
