"""The registers in the papers: the Directions progress summary, and the rows of the exit-readiness paper.

Pure: takes a plan's registers on the paper's position date (rules/chain.py, the public view
already applied), returns the rows the templates print. A plan without registers gets none, so
its papers are unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bvplan.format.model import RagColour
from bvplan.papers.measure_paper import MeasureRow, measure_row
from bvplan.rules.chain import DONE, ItemStatus, Registers
from bvplan.rules.status import Status, worst_rag


@dataclass(frozen=True)
class DirectionSummaryRow:
    """One row of the Directions progress summary (and one Direction of the exit paper)."""

    id: str
    title: str
    kind: str  # direction, objective, exit criterion
    rag: RagColour
    rag_words: str  # Met, On track, At risk, Off track
    status: str
    requirements_met: int
    requirements_total: int
    requirements_overdue: int
    outcome_measures: tuple[MeasureRow, ...]
    commentary: str | None
    evidence: tuple[str, ...]
    met_on: dt.date | None  # when it was met (all requirements, or the Direction as a whole)
    outstanding: tuple[str, ...]  # its requirements still open; without requirements, its open actions
    by_when: dt.date | None  # the latest deadline of what is outstanding


@dataclass(frozen=True)
class RegisterRow:
    """A requirement or recommendation as the exit paper lists it."""

    id: str
    kind: str  # requirement, recommendation
    text: str
    status: str  # Met, Closed, Open, Overdue, Rejected, Ongoing
    done: bool
    due: dt.date | None
    done_on: dt.date | None
    evidence: tuple[str, ...]
    evidence_needed: tuple[str, ...]  # what is outstanding: the evidence still to come
    actions: tuple[str, ...]  # ids of the actions answering it (public ones only)
    source: str | None = None  # for a recommendation: its source, "Best Value inspection (30 October 2024)"
    response: str | None = None
    reason: str | None = None
    owner_rag: RagColour | None = None
    computed_rag: RagColour | None = None  # the worst RAG of the actions answering it
    monitoring: str | None = None
    exempt: bool = False  # marked "Exempt" in the full paper; the public view leaves it out
    open_actions: tuple[str, ...] = ()  # answering actions not yet completed
    planned: dt.date | None = None  # the latest deadline among their open milestones


@dataclass(frozen=True)
class RegistersPart:
    directions: tuple[DirectionSummaryRow, ...] = ()
    requirements: tuple[tuple[str, tuple[RegisterRow, ...]], ...] = ()  # by Direction id
    recommendations: tuple[RegisterRow, ...] = ()


def has_registers(found: Registers) -> bool:
    """Whether the plan keeps registers: the Directions progress summary has something to show."""
    model = found.plan.model
    return bool(model.recommendations) or any(
        d.requirements or d.met or d.commentary or d.evidence for d in model.directions
    )


def registers_part(found: Registers) -> RegistersPart:
    if not has_registers(found):
        return RegistersPart()
    day = found.as_of
    directions = []
    requirements = []
    for direction in found.directions():
        summary = found.summary(direction)
        met_on = direction.met if direction.met is not None and direction.met <= day else None
        if met_on is None and summary.total and summary.met == summary.total:
            met_on = max(r.met for r, _s in summary.requirements if r.met is not None)
        outstanding, by_when = summary.outstanding, summary.by_when
        if not summary.total and met_on is None:
            outstanding, by_when = _open(found, list(summary.actions))
        directions.append(
            DirectionSummaryRow(
                direction.id,
                direction.title,
                direction.kind,
                summary.rag,
                summary.rag_words,
                summary.status.value,
                summary.met,
                summary.total,
                summary.overdue,
                tuple(measure_row(found.measures[m.id]) for m in summary.outcome_measures if m.id in found.measures),
                direction.commentary.strip() if direction.commentary else None,
                tuple(direction.evidence),
                met_on,
                outstanding,
                by_when,
            )
        )
        rows = []
        for requirement, status in summary.requirements:
            answering = [p.action.id for p in found.answering(requirement.id)]
            done = status in DONE
            open_ids, planned = ((), None) if done else _open(found, answering)
            rows.append(
                RegisterRow(
                    requirement.id,
                    "requirement",
                    requirement.text,
                    status.value,
                    done,
                    requirement.due,
                    requirement.met if done else None,
                    tuple(requirement.evidence) if done else (),
                    () if done else tuple(requirement.evidence_needed),
                    tuple(answering),
                    computed_rag=_worst(found, answering),
                    exempt=requirement.exempt,
                    open_actions=open_ids,
                    planned=planned,
                )
            )
        if rows:
            requirements.append((direction.id, tuple(rows)))
    recommendations = []
    for recommendation in found.recommendations():
        status = found.recommendation_status(recommendation)
        answering = [p.action.id for p in found.answering(recommendation.id)]
        done = status in DONE or status is ItemStatus.REJECTED
        open_ids, planned = ((), None) if done else _open(found, answering)
        source = recommendation.source
        recommendations.append(
            RegisterRow(
                recommendation.id,
                "recommendation",
                recommendation.text,
                status.value,
                done,
                recommendation.due,
                recommendation.closed if status is ItemStatus.CLOSED else None,
                tuple(recommendation.evidence) if status is ItemStatus.CLOSED else (),
                () if done else tuple(recommendation.evidence_needed),
                tuple(answering),
                source=source.title,
                response=recommendation.response,
                reason=recommendation.reason.strip() if recommendation.reason else None,
                owner_rag=recommendation.owner_rag,
                computed_rag=_worst(found, answering),
                monitoring=recommendation.monitoring,
                exempt=recommendation.exempt,
                open_actions=open_ids,
                planned=planned,
            )
        )
    return RegistersPart(tuple(directions), tuple(requirements), tuple(recommendations))


def _open(found: Registers, action_ids: list[str]) -> tuple[tuple[str, ...], dt.date | None]:
    """The actions not yet completed, and the latest deadline among their open milestones."""
    open_ids, deadlines = [], []
    for action_id in action_ids:
        action = found.actions.get(action_id)
        if action is None or action.status in (Status.COMPLETED, Status.CANCELLED):
            continue
        open_ids.append(action_id)
        deadlines += [m.deadline for m in action.milestones if m.status not in (Status.COMPLETED, Status.CANCELLED)]
    return tuple(open_ids), max(deadlines) if deadlines else None


def _worst(found: Registers, action_ids: list[str]) -> RagColour | None:
    """The RAG bvplan computes for a register item: the worst of the actions answering it."""
    return worst_rag(found.actions[a].rag for a in action_ids if a in found.actions)
