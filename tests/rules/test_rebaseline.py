"""The re-baseline profile: milestones by the number of agreed revisions, and the mean slip, as at a date."""

from __future__ import annotations

import datetime as dt

from bvplan.format.model import Action
from bvplan.rules.rebaseline import RebaselineRow, rebaseline_profile, total
from bvplan.rules.status import plan_status


def revision(to: str, proposed: str, agreed: str | None) -> dict[str, object]:
    made: dict[str, object] = {
        "to": dt.date.fromisoformat(to),
        "reason": "r",
        "proposed": dt.date.fromisoformat(proposed),
    }
    if agreed:
        made["agreed"] = dt.date.fromisoformat(agreed)
    return made


ACTION = Action.model_validate(
    {
        "id": "A1",
        "title": "An action",
        "milestones": [
            {"id": "M1", "title": "Never moved", "due": dt.date(2025, 6, 30)},
            {
                "id": "M2",
                "title": "Moved once, then proposed again",
                "due": dt.date(2025, 6, 30),
                "revisions": [
                    revision("2025-07-30", "2025-06-01", "2025-06-10"),
                    revision("2025-09-30", "2025-07-20", None),
                ],
            },
            {
                "id": "M3",
                "title": "Moved three times",
                "due": dt.date(2025, 6, 30),
                "revisions": [
                    revision("2025-07-10", "2025-06-01", "2025-06-02"),
                    revision("2025-08-10", "2025-07-01", "2025-07-02"),
                    revision("2025-09-19", "2025-08-01", "2025-08-02"),
                ],
            },
            {
                "id": "M4",
                "title": "Cancelled",
                "due": dt.date(2025, 6, 30),
                "cancelled": {"on": dt.date(2025, 5, 1), "reason": "No longer needed"},
            },
        ],
    }
)


def profile(day: str) -> tuple[RebaselineRow, ...]:
    status = plan_status("p", "P", [("t", "Theme", [ACTION])], dt.date.fromisoformat(day))
    return rebaseline_profile(status)


def test_milestones_are_counted_by_the_revisions_agreed_by_the_date() -> None:
    [row] = profile("2025-09-30")

    assert (row.original, row.once, row.twice, row.three_or_more, row.total) == (1, 1, 0, 1, 3)
    # M2 slipped 30 days (its second proposal is not agreed), M3 81 days: a mean of 55.5 over the two.
    assert (row.slipped, row.slip_days, row.mean_slip) == (2, 111, 55.5)
    assert row.mean_slip_text == "56 days"


def test_the_profile_is_exact_under_time_travel() -> None:
    [early] = profile("2025-06-05")
    [mid] = profile("2025-07-05")

    # By 5 June only M3's first move (agreed 2 June) counts; M2's waits until 10 June.
    assert (early.original, early.once, early.twice, early.three_or_more) == (2, 1, 0, 0)
    assert early.mean_slip == 10
    assert (mid.original, mid.once, mid.twice, mid.three_or_more) == (1, 1, 1, 0)


def test_the_total_adds_the_themes_and_says_so_when_nothing_moved() -> None:
    rows = (RebaselineRow("A", 2, 1, 0, 0, 1, 10), RebaselineRow("B", 1, 0, 0, 1, 1, 30))

    assert total(rows) == RebaselineRow("Total", 3, 1, 0, 1, 2, 40)
    assert total(rows).mean_slip == 20
    assert RebaselineRow("C", 4).mean_slip_text == "-"
