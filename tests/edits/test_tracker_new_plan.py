"""A new plan from a tracker, in process: rows that cannot be taken stop the import unless the user
asks to skip them, and an empty plans folder is where a first plan starts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bvplan.edits.tracker_import import new_plan
from bvplan.errors import UsageError
from bvplan.rules.tracker import build, guess_columns

HEADER = ["Theme", "Milestone", "Due"]
TODAY = dt.date(2018, 7, 1)


def _tracker(*rows: list[str]):  # type: ignore[no-untyped-def]
    numbered = [(n, row) for n, row in enumerate(rows, start=2)]
    return build(HEADER, numbered, guess_columns(HEADER, {}), TODAY)


def _make(plans: Path, tracker, skip: bool = False):  # type: ignore[no-untyped-def]
    return new_plan(plans, "t-2018-19", tracker, "t.csv", "A council", "A board", None, None, "quarterly", TODAY, skip)


def test_a_row_left_out_stops_the_import_unless_skipped(tmp_path: Path) -> None:
    tracker = _tracker(["G", "Fine", "30/06/2018"], ["G", "Bad", "30/02/2018"])
    with pytest.raises(UsageError) as refused:
        _make(tmp_path / "plans", tracker)
    assert "1 row of t.csv could not be brought in (row 3, listed above); nothing written" in str(refused.value)
    made = _make(tmp_path / "plans", tracker, skip=True)
    assert made.summary.endswith("1 theme, 1 milestone from t.csv")


def test_an_empty_plans_folder_is_where_a_first_plan_starts(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    made = _make(tmp_path / "plans", _tracker(["G", "Fine", "30/06/2018"]))
    assert sorted(c.path.name for c in made.changes) == ["g.yaml", "plan.yaml"]


def test_a_folder_with_plans_is_still_checked_for_the_id(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    (plans / "t-2018-19").mkdir(parents=True)
    (plans / "t-2018-19" / "plan.yaml").write_text(
        "id: t-2018-19\ntitle: T\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"
    )
    with pytest.raises(UsageError, match="already exists"):
        _make(plans, _tracker(["G", "Fine", "30/06/2018"]))
