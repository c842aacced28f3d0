"""The registers of a plan indexed by id: Directions, their requirements, recommendations, and who answers each.

Pure and built in one pass over the plan, so that the chain checks, `trace` and the papers look
items up by id (a dictionary) instead of searching lists: a register of thousands of requirements
stays linear. Ids of Directions, requirements, recommendations, actions and milestones share one
id space; the first of two items with one id wins here (the duplicate is an error, BV406).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bvplan.format.model import Action, Direction, Measure, Milestone, Recommendation, Requirement
from bvplan.format.workspace import Plan, Theme
from bvplan.format.yamlsource import Path


@dataclass(frozen=True, slots=True)
class PlacedAction:
    """An action with the theme that holds it and its path in the theme file."""

    theme: Theme
    index: int  # in the theme model's list of actions
    action: Action

    @property
    def path(self) -> Path:
        return self.theme.action_path(self.index)


@dataclass(frozen=True, slots=True)
class PlacedRequirement:
    direction: Direction
    direction_index: int
    index: int
    requirement: Requirement

    @property
    def path(self) -> Path:
        return ("directions", self.direction_index, "requirements", self.index)


@dataclass
class RegisterIndex:
    """Every register item of a plan by id, and the actions that answer or serve each."""

    directions: dict[str, tuple[int, Direction]] = field(default_factory=dict)
    requirements: dict[str, PlacedRequirement] = field(default_factory=dict)
    recommendations: dict[str, tuple[int, Recommendation]] = field(default_factory=dict)
    actions: dict[str, PlacedAction] = field(default_factory=dict)
    milestones: dict[str, tuple[PlacedAction, int, Milestone]] = field(default_factory=dict)
    # Measures by id, with the theme and the action (if any) that hold them.
    measures: dict[str, tuple[Theme, Action | None, Measure]] = field(default_factory=dict)
    # requirement or recommendation id -> the actions whose `answers` name it, in file order.
    answered_by: dict[str, list[PlacedAction]] = field(default_factory=dict)
    # Direction id -> the actions that name it in `directions` or answer one of its requirements.
    served_by: dict[str, list[PlacedAction]] = field(default_factory=dict)
    # Direction id -> the measures that name it or sit under an action serving it, in file order.
    measures_of: dict[str, list[Measure]] = field(default_factory=dict)

    def register_ids(self) -> list[str]:
        """The ids an action's `answers` may name: requirements, then recommendations."""
        return [*self.requirements, *self.recommendations]

    def kind_of(self, item_id: str) -> str | None:
        for kind, table in (
            ("direction", self.directions),
            ("requirement", self.requirements),
            ("recommendation", self.recommendations),
            ("action", self.actions),
            ("milestone", self.milestones),
            ("measure", self.measures),
        ):
            if item_id in table:
                return kind
        return None

    def outcome_measures(self, direction_id: str) -> list[Measure]:
        """The outcome measures that name the Direction, or sit under an action serving it."""
        return [m for m in self.measures_of.get(direction_id, []) if m.kind == "outcome"]


def index_registers(plan: Plan) -> RegisterIndex:
    """One pass over the plan: every register item, action, milestone and measure by id."""
    index = RegisterIndex()
    for d, direction in enumerate(plan.model.directions):
        index.directions.setdefault(direction.id, (d, direction))
        for r, requirement in enumerate(direction.requirements):
            index.requirements.setdefault(requirement.id, PlacedRequirement(direction, d, r, requirement))
    for r, recommendation in enumerate(plan.model.recommendations):
        index.recommendations.setdefault(recommendation.id, (r, recommendation))
    for placed in _actions(plan):
        action = placed.action
        index.actions.setdefault(action.id, placed)
        for m, milestone in enumerate(action.milestones):
            index.milestones.setdefault(milestone.id, (placed, m, milestone))
        for measure in action.measures:
            index.measures.setdefault(measure.id, (placed.theme, action, measure))
        served: set[str] = set()
        for named in action.answers:
            index.answered_by.setdefault(named, []).append(placed)
            held = index.requirements.get(named)
            if held is not None:
                served.add(held.direction.id)
        served.update(action.directions)
        for direction_id in sorted(served):
            index.served_by.setdefault(direction_id, []).append(placed)
        for measure in action.measures:
            for direction_id in sorted(served | set(measure.directions)):
                index.measures_of.setdefault(direction_id, []).append(measure)
    for theme in plan.themes:
        for measure in theme.model.measures:
            index.measures.setdefault(measure.id, (theme, None, measure))
            for direction_id in sorted(set(measure.directions)):
                index.measures_of.setdefault(direction_id, []).append(measure)
    return index


def _actions(plan: Plan) -> Iterator[PlacedAction]:
    for theme in plan.themes:
        for index, action in enumerate(theme.model.actions):
            yield PlacedAction(theme, index, action)
