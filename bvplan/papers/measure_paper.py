"""The paper's measures, Directions, confidence and evidence, as plain data for the templates.

Pure, like report.py: a plan and its status on the reporting date in; rows of text and numbers
out. A public paper gives it the public view of the plan (rules/public_view.py), so exempt
measures, and the measures of exempt themes and actions, are gone before anything is counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bvplan.format.model import RagColour
from bvplan.format.workspace import Plan
from bvplan.rules.directions import action_confidence, direction_progress
from bvplan.rules.measures import PlacedMeasure, plan_measures
from bvplan.rules.status import PlanStatus, Status, action_words

_UNIT = {"percent": "%", "pounds": "£", "days": " days", "number": ""}


def number(value: float | None) -> float | int | None:
    """A value as JSON and CSV give it: whole numbers without a decimal point."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def with_unit(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    shown = f"{number(value):,}"
    return f"£{shown}" if unit == "pounds" else shown + _UNIT[unit]


@dataclass(frozen=True)
class MeasureRow:
    id: str
    title: str
    action_id: str | None
    baseline: str  # with its unit, or "" when none is known by the reporting date
    baseline_on: dt.date | None
    target: str  # with its unit, or ""
    target_period: str | None
    latest: str  # with its unit, or ""
    latest_on: dt.date | None
    latest_note: str | None
    standing: str  # On target, Within tolerance, Off target, No target, No data
    rag: RagColour | None
    trend: str  # Improving, Worsening, Steady, Not enough data
    points: tuple[float, ...]  # the trend's values, oldest first
    trend_text: str  # the trend chart's text alternative: every value, then the trend in words
    kind: str = "output"  # output or outcome: papers show outcome measures apart
    metric: str | None = None  # an external metric it reports, e.g. a Local Outcomes Framework metric id

    @property
    def rag_words(self) -> str:
        return f"{self.standing} ({self.rag.title()})" if self.rag else self.standing


@dataclass(frozen=True)
class DirectionRow:
    id: str
    title: str
    kind: str
    ends: dt.date | None
    best_value_themes: tuple[str, ...]
    actions: int
    milestones_completed: int
    milestones_total: int
    milestones_overdue: int
    percent_delivered: str
    measures_total: int
    measures_on_target: int
    measures_within_tolerance: int
    measures_off_target: int
    optimism_bias: tuple[str, ...]


@dataclass(frozen=True)
class ConfidenceRow:
    theme: str
    action_id: str
    action_title: str
    status: str
    rag: RagColour | None
    level: str  # "High", "Medium", "Low"
    on: dt.date
    by: str | None
    reason: str
    assurance: str | None  # "Substantive (Internal Audit)"
    optimism_bias: bool


@dataclass(frozen=True)
class MeasuresPart:
    measures: Mapping[str, tuple[MeasureRow, ...]] = field(default_factory=dict)  # by theme name
    directions: tuple[DirectionRow, ...] = ()
    confidence: tuple[ConfidenceRow, ...] = ()  # actions with a confidence given by the reporting date
    completed_without_evidence: int | None = None  # None unless the plan requires evidence


def measure_row(placed: PlacedMeasure) -> MeasureRow:
    s = placed.status
    unit = s.measure.unit
    values = ", ".join(f"{with_unit(p.value, unit)} in {p.period}" for p in s.history)
    trend_text = f"{values}: {s.trend.value.lower()}" if values else "No values recorded"
    return MeasureRow(
        id=s.id,
        title=s.measure.title,
        action_id=placed.action_id,
        baseline=with_unit(s.baseline.value, unit) if s.baseline else "",
        baseline_on=s.baseline.on if s.baseline else None,
        target=with_unit(s.target.value, unit) if s.target else "",
        target_period=s.target.period if s.target else None,
        latest=with_unit(s.latest.value, unit) if s.latest else "",
        latest_on=s.latest.on if s.latest else None,
        latest_note=s.latest.note if s.latest else None,
        standing=s.standing.value,
        rag=s.rag,
        trend=s.trend.value,
        points=tuple(p.value for p in s.history),
        trend_text=trend_text,
        kind=s.measure.kind,
        metric=s.measure.metric,
    )


def measures_part(plan: Plan, status: PlanStatus) -> MeasuresPart:
    placed = plan_measures(plan, status.as_of)
    by_theme: dict[str, list[MeasureRow]] = {}
    for measure in placed:
        by_theme.setdefault(measure.theme_name, []).append(measure_row(measure))
    directions = tuple(
        DirectionRow(
            id=d.id,
            title=d.direction.title,
            kind=d.direction.kind,
            ends=d.direction.ends,
            best_value_themes=tuple(d.direction.best_value_themes),
            actions=len(d.actions),
            milestones_completed=d.counts.completed,
            milestones_total=d.counts.total,
            milestones_overdue=d.counts.overdue,
            percent_delivered=f"{d.counts.percent_delivered:.0f}%",
            measures_total=d.measures.total,
            measures_on_target=d.measures.on_target,
            measures_within_tolerance=d.measures.within_tolerance,
            measures_off_target=d.measures.off_target,
            optimism_bias=d.optimism_bias,
        )
        for d in direction_progress(plan.model.directions, status, placed)
    )
    confidence = []
    for item in action_confidence(status):
        if item.confidence is None:
            continue
        assurance = item.action.action.assurance
        confidence.append(
            ConfidenceRow(
                theme=item.theme,
                action_id=item.id,
                action_title=item.action.action.title,
                status=action_words(item.action, status.vocabulary),
                rag=item.action.rag,
                level=item.confidence.level.title(),
                on=item.confidence.on,
                by=item.confidence.by,
                reason=item.confidence.reason,
                assurance=(
                    f"{assurance.level.title()}{f' ({assurance.by})' if assurance.by else ''}" if assurance else None
                ),
                optimism_bias=item.optimism_bias,
            )
        )
    without = None
    if plan.model.require_evidence:
        without = sum(1 for m in status.milestones() if m.status is Status.COMPLETED and not m.milestone.evidence)
    return MeasuresPart({name: tuple(rows) for name, rows in by_theme.items()}, directions, tuple(confidence), without)
