"""Progress against the Directions, and the confidence of delivery beside each action's RAG.

Pure and exact under time travel: a Direction issued after the reporting date, a confidence given
after it, and everything the milestone and measure rules leave out at that date are not counted.

- Each Direction gathers the actions that name it (`directions:` on an action) with their
  milestones, rolled up by status, and the measures that name it or sit under such an action,
  rolled up by whether they are on target.
- Optimism bias (the word of the minister's 2026 letter to Tower Hamlets): a good claim while
  delivery slips. An action whose latest confidence of delivery says "high" while any of its
  milestones is overdue; a characteristic self-rated good while an action serving it is overdue or
  one of their measures is off target (rules/assessments.py). One rule, `slipping_while_good`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bvplan.format.model import Confidence, Direction
from bvplan.rules.measures import MeasureCounts, PlacedMeasure
from bvplan.rules.status import ActionStatus, Counts, PlanStatus, Status

UNASSIGNED = "Actions serving no Direction"


def confidence_at(confidence: Sequence[Confidence], day: dt.date) -> Confidence | None:
    """The latest confidence given on or before `day` (of two on one day, the later in the file)."""
    known = [(c.on, i, c) for i, c in enumerate(confidence) if c.on <= day]
    return max(known, key=lambda k: (k[0], k[1]))[2] if known else None


def slipping_while_good(good: bool, overdue: int, off_target: int = 0) -> bool:
    """Optimism bias: a good claim (high confidence, a good self-rating) while milestones are overdue
    or measures off target."""
    return good and (overdue > 0 or off_target > 0)


def optimism_bias(confidence: Confidence | None, action: ActionStatus) -> bool:
    """An action's latest confidence of delivery is high while any of its milestones is overdue."""
    return slipping_while_good(confidence is not None and confidence.level == "high", action.counts.overdue)


@dataclass(frozen=True, slots=True)
class ActionConfidence:
    theme: str
    theme_slug: str
    action: ActionStatus
    confidence: Confidence | None
    optimism_bias: bool

    @property
    def id(self) -> str:
        return self.action.action.id


def action_confidence(status: PlanStatus) -> list[ActionConfidence]:
    """Every action's confidence of delivery at the plan's reporting date, with the bias flag."""
    found = []
    for theme in status.themes:
        for action in theme.actions:
            confidence = confidence_at(action.action.confidence, status.as_of)
            flagged = optimism_bias(confidence, action)
            found.append(ActionConfidence(theme.name, theme.slug, action, confidence, flagged))
    return found


@dataclass(frozen=True, slots=True)
class DirectionProgress:
    direction: Direction
    actions: tuple[str, ...]  # ids of the actions serving it
    counts: Counts  # their milestones, by status
    action_counts: dict[Status, int]  # the actions, by rolled-up status
    measures: MeasureCounts
    optimism_bias: tuple[str, ...]  # ids of its actions flagged

    @property
    def id(self) -> str:
        return self.direction.id


def direction_progress(
    directions: Sequence[Direction], status: PlanStatus, measures: Sequence[PlacedMeasure]
) -> list[DirectionProgress]:
    """Progress against each Direction in force or past at the reporting date, in the plan's order."""
    day = status.as_of
    confidences = {c.id: c for c in action_confidence(status)}
    progress = []
    for direction in directions:
        if direction.issued is not None and direction.issued > day:
            continue
        serving = [a for a in status.actions() if direction.id in a.action.directions]
        action_counts = dict.fromkeys(Status, 0)
        for action in serving:
            action_counts[action.status] += 1
        progress.append(
            DirectionProgress(
                direction,
                tuple(a.action.id for a in serving),
                sum((a.counts for a in serving), Counts()),
                action_counts,
                MeasureCounts.of([m.status for m in measures if direction.id in m.directions]),
                tuple(a.action.id for a in serving if confidences[a.action.id].optimism_bias),
            )
        )
    return progress
