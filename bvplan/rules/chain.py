"""Where the registers stand on a date: each requirement, recommendation and Direction, and the chain of each item.

Pure and exact under time travel: a requirement met after the reporting date is still open on it.
The chain runs Direction -> requirement (or recommendation) -> answering actions -> milestones and
measures -> evidence. `chain_of(ID)` gives any item's chain up (what it answers to) and down (what
delivers it), each link with its status and its gaps: the same gaps `validate` reports (BV400-
BV405), seen on the reporting date.

The public view is applied before: give `registers` the public plan (rules/public_view.py, which
withholds exempt requirements and recommendations as it withholds every exempt item), and every
count here is of what a public reader may see. `public` only says that it was, so that the chain
does not report as a gap what the public view took out (an answer naming a withheld requirement).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bvplan.format.model import Direction, RagColour, Recommendation, Requirement
from bvplan.format.registers import PlacedAction, RegisterIndex, index_registers
from bvplan.format.workspace import Plan
from bvplan.rules.measures import MeasureStatus, PlacedMeasure, plan_measures
from bvplan.rules.status import ActionStatus, MilestoneStatus, Status, override_at, status_of, status_words


class ItemStatus(StrEnum):
    """Where a requirement, recommendation or Direction stands."""

    MET = "Met"
    CLOSED = "Closed"
    OPEN = "Open"
    OVERDUE = "Overdue"
    REJECTED = "Rejected"
    ONGOING = "Ongoing"


DONE = (ItemStatus.MET, ItemStatus.CLOSED)

# A Direction's RAG, always with its words: colour alone never carries the meaning.
RAG_WORDS: dict[RagColour, str] = {"blue": "Met", "green": "On track", "amber": "At risk", "red": "Off track"}


def requirement_status(requirement: Requirement, day: dt.date) -> ItemStatus:
    if requirement.met is not None and requirement.met <= day:
        return ItemStatus.MET
    if requirement.due is not None and requirement.due < day:
        return ItemStatus.OVERDUE
    return ItemStatus.OPEN


def recommendation_status(
    recommendation: Recommendation, answering: Sequence[PlacedAction], day: dt.date
) -> ItemStatus:
    """Rejected, Closed, Overdue, Ongoing (a standing commitment: no deadline, answered only by
    ongoing actions) or Open."""
    if recommendation.response == "rejected":
        return ItemStatus.REJECTED
    if recommendation.closed is not None and recommendation.closed <= day:
        return ItemStatus.CLOSED
    if recommendation.due is not None and recommendation.due < day:
        return ItemStatus.OVERDUE
    if recommendation.due is None and answering and all(p.action.ongoing for p in answering):
        return ItemStatus.ONGOING
    return ItemStatus.OPEN


@dataclass(frozen=True, slots=True)
class Gap:
    code: str  # the validate code of the same gap
    text: str


@dataclass(frozen=True, slots=True)
class DirectionSummary:
    """One row of the Directions progress summary."""

    direction: Direction
    rag: RagColour
    rag_words: str
    status: ItemStatus
    met: int  # requirements met of `total`
    total: int
    overdue: int
    requirements: tuple[tuple[Requirement, ItemStatus], ...]
    outcome_measures: tuple[MeasureStatus, ...]
    output_measures: tuple[MeasureStatus, ...]
    actions: tuple[str, ...]  # ids of the actions serving it
    outstanding: tuple[str, ...]  # ids of its requirements not met
    by_when: dt.date | None  # the latest deadline among what is outstanding

    @property
    def id(self) -> str:
        return self.direction.id


@dataclass
class Registers:
    """A plan's registers as they stand on `as_of`, in the public view when `public`."""

    plan: Plan
    as_of: dt.date
    public: bool
    index: RegisterIndex
    actions: dict[str, ActionStatus]
    measures: dict[str, PlacedMeasure]
    theme_of: dict[str, str] = field(default_factory=dict)  # action id -> theme name

    def answering(self, item_id: str) -> list[PlacedAction]:
        return self.index.answered_by.get(item_id, [])

    def requirements_of(self, direction: Direction) -> list[Requirement]:
        return list(direction.requirements)

    def recommendations(self) -> list[Recommendation]:
        return list(self.plan.model.recommendations)

    def directions(self) -> list[Direction]:
        """The Directions issued by the reporting date, in the plan's order."""
        return [d for d in self.plan.model.directions if d.issued is None or d.issued <= self.as_of]

    def recommendation_status(self, recommendation: Recommendation) -> ItemStatus:
        return recommendation_status(recommendation, self.answering(recommendation.id), self.as_of)

    def direction_measures(self, direction_id: str) -> list[MeasureStatus]:
        return [
            self.measures[m.id].status for m in self.index.measures_of.get(direction_id, []) if m.id in self.measures
        ]

    def summary(self, direction: Direction) -> DirectionSummary:
        day = self.as_of
        requirements = tuple((r, requirement_status(r, day)) for r in self.requirements_of(direction))
        met = sum(s is ItemStatus.MET for _r, s in requirements)
        overdue = sum(s is ItemStatus.OVERDUE for _r, s in requirements)
        measures = self.direction_measures(direction.id)
        outcomes = tuple(m for m in measures if m.measure.kind == "outcome")
        outputs = tuple(m for m in measures if m.measure.kind != "outcome")
        serving = [p.action.id for p in self.index.served_by.get(direction.id, []) if p.action.id in self.actions]
        if (direction.met is not None and direction.met <= day) or (requirements and met == len(requirements)):
            status = ItemStatus.MET
        elif overdue:
            status = ItemStatus.OVERDUE
        else:
            status = ItemStatus.OPEN
        override = override_at(direction.rag, day)
        rag: RagColour = override.status if override else self._computed_rag(status, serving, outcomes)
        outstanding = tuple(r.id for r, s in requirements if s not in DONE)
        dues = [r.due for r, s in requirements if s not in DONE and r.due is not None]
        return DirectionSummary(
            direction,
            rag,
            RAG_WORDS[rag],
            status,
            met,
            len(requirements),
            overdue,
            requirements,
            outcomes,
            outputs,
            tuple(serving),
            outstanding,
            max(dues) if dues else None,
        )

    def _computed_rag(self, status: ItemStatus, serving: list[str], outcomes: Sequence[MeasureStatus]) -> RagColour:
        """Met: blue. A requirement overdue: red. A serving action overdue or an outcome measure off
        target: amber. Otherwise green."""
        if status is ItemStatus.MET:
            return "blue"
        if status is ItemStatus.OVERDUE:
            return "red"
        if any(self.actions[a].status is Status.OVERDUE for a in serving) or any(m.rag == "red" for m in outcomes):
            return "amber"
        return "green"


def registers(plan: Plan, day: dt.date, public: bool = False) -> Registers:
    """The registers of `plan` on `day`. `public`: `plan` is the public view (see the module's doc)."""
    status = status_of(plan, day)
    actions: dict[str, ActionStatus] = {}
    theme_of: dict[str, str] = {}
    for theme in status.themes:
        for action in theme.actions:
            actions.setdefault(action.action.id, action)
            theme_of.setdefault(action.action.id, theme.name)
    measures = {m.status.id: m for m in plan_measures(plan, day)}
    return Registers(plan, day, public, index_registers(plan), actions, measures, theme_of)


def open_past_deadline(found: Registers) -> list[tuple[str, str, dt.date, str]]:
    """Every requirement and recommendation past its deadline and open on the reporting date:
    (id, kind, deadline, text), in the plan's order. `status` lists them; `validate` warns (BV404)."""
    rows: list[tuple[str, str, dt.date, str]] = []
    for direction in found.directions():
        for requirement in found.requirements_of(direction):
            if requirement_status(requirement, found.as_of) is ItemStatus.OVERDUE and requirement.due is not None:
                rows.append((requirement.id, "requirement", requirement.due, requirement.text))
    for recommendation in found.recommendations():
        if found.recommendation_status(recommendation) is ItemStatus.OVERDUE and recommendation.due is not None:
            rows.append((recommendation.id, "recommendation", recommendation.due, recommendation.text))
    return rows


def milestone_words(milestone: MilestoneStatus) -> str:
    return status_words(milestone)
