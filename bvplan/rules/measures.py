"""The measure rules: where each performance measure stands on a reporting date.

Pure and exact under time travel, as the milestone rules are: the state at date D uses only facts
known on or before D. An actual counts from its `on` date, a baseline from its date; targets are
the plan's intent for each period and are known throughout.

- The latest actual is the one with the latest `on` date by D (of two on the same day, the later
  in the file, as a correction is written after what it corrects).
- The target in force at D is the target for the shortest period that holds D (a quarter's target
  wins over the year's); if no target's period holds D, the target of the latest period that
  ended before D; a target for a period still to come is not yet in force.
- On target when the latest actual meets the target in the better direction; within tolerance
  when it misses by no more than the measure's tolerance; else off target.
- The trend compares the latest actual of each of the last reporting periods (by the plan's
  cadence) that have one: improving, worsening or steady between the last two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from bvplan.format.model import Actual, Baseline, Measure, RagColour, Target
from bvplan.format.periods import DEFAULT_YEAR_START, Period, make_period, parse_key, period_for_date
from bvplan.format.workspace import Plan

TREND_PERIODS = 4  # how many reporting periods the trend and its chart look back over


class Standing(StrEnum):
    ON_TARGET = "On target"
    WITHIN_TOLERANCE = "Within tolerance"
    OFF_TARGET = "Off target"
    NO_TARGET = "No target"
    NO_DATA = "No data"


class Trend(StrEnum):
    IMPROVING = "Improving"
    WORSENING = "Worsening"
    STEADY = "Steady"
    UNKNOWN = "Not enough data"


STANDING_RAG: dict[Standing, RagColour | None] = {
    Standing.ON_TARGET: "green",
    Standing.WITHIN_TOLERANCE: "amber",
    Standing.OFF_TARGET: "red",
    Standing.NO_TARGET: None,
    Standing.NO_DATA: None,
}


@dataclass(frozen=True, slots=True)
class Point:
    """The latest actual of one reporting period: a point of the trend."""

    period: str
    on: dt.date
    value: float


@dataclass(frozen=True, slots=True)
class MeasureStatus:
    measure: Measure
    as_of: dt.date
    baseline: Baseline | None  # None until its date
    latest: Actual | None
    target: Target | None
    target_period: Period | None
    standing: Standing
    trend: Trend
    history: tuple[Point, ...]  # oldest first, at most TREND_PERIODS

    @property
    def id(self) -> str:
        return self.measure.id

    @property
    def rag(self) -> RagColour | None:
        return STANDING_RAG[self.standing]

    @property
    def gap(self) -> float | None:
        """How far the latest actual is from the target, positive when better than it."""
        if self.latest is None or self.target is None:
            return None
        difference = float(self.latest.value) - float(self.target.value)
        return difference if self.measure.better == "higher" else -difference


def known_actuals(measure: Measure, day: dt.date) -> list[Actual]:
    """The actuals known on `day`, oldest first (file order within a day)."""
    known = [(a.on, i, a) for i, a in enumerate(measure.actuals) if a.on <= day]
    return [a for _on, _i, a in sorted(known, key=lambda k: (k[0], k[1]))]


def target_period(target: Target, year_start: str = DEFAULT_YEAR_START) -> Period | None:
    parsed = parse_key(target.period)
    return make_period(parsed[0], parsed[1], year_start) if parsed else None


def target_in_force(
    targets: Sequence[Target], day: dt.date, year_start: str = DEFAULT_YEAR_START
) -> tuple[Target, Period] | None:
    periods = [(t, p) for t in targets if (p := target_period(t, year_start)) is not None]
    holding = [(t, p) for t, p in periods if day in p]
    if holding:
        # The shortest period wins; of equal ones, the later in the file (a correction).
        return min(reversed(holding), key=lambda tp: tp[1].end - tp[1].start)
    past = [(t, p) for t, p in periods if p.end < day]
    if past:
        return max(reversed(past), key=lambda tp: (tp[1].end, tp[1].start))
    return None


def compare(value: float, target: float, tolerance: float, better: str) -> Standing:
    gap = value - target if better == "higher" else target - value
    if gap >= 0:
        return Standing.ON_TARGET
    if -gap <= tolerance:
        return Standing.WITHIN_TOLERANCE
    return Standing.OFF_TARGET


def history(
    actuals: Sequence[Actual], cadence: str = "quarterly", year_start: str = DEFAULT_YEAR_START
) -> tuple[Point, ...]:
    """The latest actual of each reporting period, for the last TREND_PERIODS periods that have one."""
    by_period: dict[str, Point] = {}
    for actual in actuals:  # oldest first, so a later actual of the same period replaces an earlier
        label = period_for_date(actual.on, cadence, year_start).label
        by_period[label] = Point(label, actual.on, float(actual.value))
    return tuple(sorted(by_period.values(), key=lambda p: p.on))[-TREND_PERIODS:]


def trend_of(points: Sequence[Point], better: str) -> Trend:
    if len(points) < 2:
        return Trend.UNKNOWN
    change = points[-1].value - points[-2].value
    if change == 0:
        return Trend.STEADY
    return Trend.IMPROVING if (change > 0) == (better == "higher") else Trend.WORSENING


def measure_status(
    measure: Measure, day: dt.date, cadence: str = "quarterly", year_start: str = DEFAULT_YEAR_START
) -> MeasureStatus:
    actuals = known_actuals(measure, day)
    latest = actuals[-1] if actuals else None
    in_force = target_in_force(measure.targets, day, year_start)
    target, period = in_force if in_force else (None, None)
    if latest is None:
        standing = Standing.NO_DATA
    elif target is None:
        standing = Standing.NO_TARGET
    else:
        standing = compare(float(latest.value), float(target.value), float(measure.tolerance), measure.better)
    points = history(actuals, cadence, year_start)
    baseline = measure.baseline if measure.baseline is not None and measure.baseline.on <= day else None
    return MeasureStatus(
        measure, day, baseline, latest, target, period, standing, trend_of(points, measure.better), points
    )


@dataclass(frozen=True, slots=True)
class MeasureCounts:
    on_target: int = 0
    within_tolerance: int = 0
    off_target: int = 0
    no_target: int = 0
    no_data: int = 0

    @property
    def total(self) -> int:
        return self.on_target + self.within_tolerance + self.off_target + self.no_target + self.no_data

    @classmethod
    def of(cls, statuses: Sequence[MeasureStatus]) -> MeasureCounts:
        tally = dict.fromkeys(Standing, 0)
        for status in statuses:
            tally[status.standing] += 1
        return cls(
            tally[Standing.ON_TARGET],
            tally[Standing.WITHIN_TOLERANCE],
            tally[Standing.OFF_TARGET],
            tally[Standing.NO_TARGET],
            tally[Standing.NO_DATA],
        )


@dataclass(frozen=True, slots=True)
class PlacedMeasure:
    """A measure's status with where it sits: its theme, and its action if it belongs to one."""

    theme_slug: str
    theme_name: str
    action_id: str | None
    directions: tuple[str, ...]  # its own, then its action's
    status: MeasureStatus
    owner: str | None = None  # its own owner, else its action's, else its theme's lead


def plan_measures(plan: Plan, day: dt.date) -> list[PlacedMeasure]:
    """Every measure of a plan on `day`, theme by theme in report order, each theme's own first.

    Give it the public view of the plan (rules/public_view.py) for the public measures only.
    """
    cadence, year_start = plan.model.cadence, plan.model.year_start
    placed: list[PlacedMeasure] = []
    for theme in plan.ordered_themes():
        model = theme.model
        held: list[tuple[str | None, tuple[str, ...], str | None, Measure]] = [
            (None, (), None, m) for m in model.measures
        ]
        for action in model.actions:
            held += [(action.id, tuple(action.directions), action.owner, m) for m in action.measures]
        for action_id, inherited, action_owner, measure in held:
            directions = tuple(dict.fromkeys((*measure.directions, *inherited)))
            status = measure_status(measure, day, cadence, year_start)
            owner = measure.owner or action_owner or model.lead or None
            placed.append(PlacedMeasure(theme.slug, theme.name, action_id, directions, status, owner))
    return placed
