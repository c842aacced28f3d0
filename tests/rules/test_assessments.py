"""The heat map rules on small ratings made here: columns, series kept apart, changes, and the optimism flag."""

from __future__ import annotations

import datetime as dt

from bvplan.format.frameworks import Framework, FrameworkFile
from bvplan.format.model import Action, Assessment
from bvplan.rules.assessments import Change, heatmap
from bvplan.rules.status import action_status

PACK = Framework(
    "pack.yaml",
    FrameworkFile.model_validate(
        {
            "id": "pack",
            "title": "Pack",
            "source": "Made for this test",
            "scale": {
                "levels": [
                    {"id": "low", "words": "Low", "colour": "#FFC7CE"},
                    {"id": "mid", "words": "Middling", "colour": "#FFEB9C"},
                    {"id": "high", "words": "High", "colour": "#C6EFCE"},
                ],
                "good": ["high"],
            },
            "themes": [
                {
                    "id": "T",
                    "title": "Theme",
                    "characteristics": [{"id": "C1", "text": "One"}, {"id": "C2", "text": "Two"}],
                }
            ],
        }
    ),
)


def rating(characteristic: str, level: str, on: str, external: bool = False, by: str | None = None) -> Assessment:
    return Assessment(
        characteristic=characteristic, level=level, on=dt.date.fromisoformat(on), external=external, by=by
    )


def test_columns_are_days_and_series_in_order_and_the_later_rating_of_a_day_wins() -> None:
    ratings = [
        rating("C1", "low", "2025-07-01", external=True, by="Peer challenge"),
        rating("C1", "mid", "2025-07-01", by="Officers"),
        rating("C1", "high", "2025-07-01", by="Officers"),  # a correction written after the first
        rating("C2", "mid", "2025-06-01"),
    ]

    result = heatmap("p", "P", [PACK], ratings, dt.date(2025, 12, 31))

    assert [c.label for c in result.columns] == [
        "2025-06-01 self",
        "2025-07-01 self (Officers)",
        "2025-07-01 external (Peer challenge)",
    ]
    c1 = result.rows[0]
    assert [c.level.id if c.level else None for c in c1.cells] == [None, "high", "low"]
    assert c1.latest_self is c1.cells[1] and c1.latest_external is c1.cells[2]


def test_a_change_is_measured_within_its_own_series() -> None:
    ratings = [
        rating("C1", "high", "2025-06-01"),
        rating("C1", "low", "2025-07-01", external=True),
        rating("C1", "mid", "2025-08-01"),
        rating("C1", "mid", "2025-09-01"),
        rating("C1", "high", "2025-10-01", external=True),
    ]

    [c1, _c2] = heatmap("p", "P", [PACK], ratings, dt.date(2025, 12, 31)).rows

    assert [c.change for c in c1.cells] == [Change.FIRST, Change.FIRST, Change.DOWN, Change.SAME, Change.UP]
    assert [c.words for c in c1.cells] == [
        "High",
        "Low",
        "Middling (down from High)",
        "Middling (no change)",
        "High (up from Low)",
    ]


def test_ratings_after_the_date_are_not_yet_known() -> None:
    ratings = [rating("C1", "low", "2025-06-01"), rating("C1", "high", "2025-09-01")]

    [c1, _c2] = heatmap("p", "P", [PACK], ratings, dt.date(2025, 8, 31)).rows

    assert len(c1.cells) == 1 and c1.latest_self is not None and c1.latest_self.words == "Low"


ACTION = Action.model_validate(
    {
        "id": "A1",
        "title": "Serves C1",
        "characteristics": ["C1"],
        "milestones": [{"id": "M1", "title": "Late", "due": dt.date(2025, 9, 30)}],
    }
)


def test_a_good_self_rating_with_an_overdue_serving_action_is_flagged_and_an_external_one_is_not() -> None:
    day = dt.date(2025, 12, 31)
    late = [action_status(ACTION, day)]

    own = heatmap("p", "P", [PACK], [rating("C1", "high", "2025-07-01")], day, late).rows[0]
    theirs = heatmap("p", "P", [PACK], [rating("C1", "high", "2025-07-01", external=True)], day, late).rows[0]
    middling = heatmap("p", "P", [PACK], [rating("C1", "mid", "2025-07-01")], day, late).rows[0]
    on_time = heatmap(
        "p",
        "P",
        [PACK],
        [rating("C1", "high", "2025-07-01")],
        dt.date(2025, 9, 1),
        [action_status(ACTION, dt.date(2025, 9, 1))],
    ).rows[0]

    assert own.optimism is not None and own.optimism.words == "overdue: A1"
    assert own.actions == ("A1",)
    assert theirs.optimism is None and middling.optimism is None and on_time.optimism is None
