"""Self-assessment over time: the ratings of a plan's framework characteristics, as a heat map.

Pure and exact under time travel: as at date D, only assessments dated on or before D count.

- Self ratings and external ratings (a peer challenge, the commissioners) are two series, kept
  apart: a column of the heat map is one day's ratings of one series, and a change is measured
  against the previous rating of the same characteristic in the same series.
- Of two ratings of one characteristic on one day in one series, the later in the file counts (a
  correction is written after what it corrects).
- Optimism bias: a characteristic whose latest self rating is good while an action serving it
  (`characteristics:` on the action) has an overdue milestone or a measure off target. The same
  rule as high confidence with overdue milestones (rules/directions.py, `slipping_while_good`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from bvplan.format.diagnostics import Diagnostic, warning
from bvplan.format.frameworks import Characteristic, Framework, FrameworkTheme, Level
from bvplan.format.model import Assessment
from bvplan.format.workspace import Plan, Workspace
from bvplan.rules.directions import slipping_while_good
from bvplan.rules.measures import PlacedMeasure, Standing
from bvplan.rules.status import ActionStatus


class Change(StrEnum):
    FIRST = "first rating"
    UP = "up"
    DOWN = "down"
    SAME = "no change"


@dataclass(frozen=True, slots=True)
class Column:
    """One day's ratings of one series: the self-assessment of a date, or an external one."""

    on: dt.date
    external: bool
    by: tuple[str, ...]  # who rated, in the order first met

    @property
    def series(self) -> str:
        return "external" if self.external else "self"

    @property
    def label(self) -> str:
        who = f" ({', '.join(self.by)})" if self.by else ""
        return f"{self.on.isoformat()} {self.series}{who}"


@dataclass(frozen=True, slots=True)
class Cell:
    """A characteristic's rating in one column, with the change since its series' previous rating."""

    rating: Assessment | None
    level: Level | None
    previous: Level | None
    change: Change | None

    @property
    def words(self) -> str:
        """The level in words with the change: never the colour alone."""
        if self.level is None:
            return ""
        return f"{self.level.words}{change_words(self.change, self.previous)}"


def change_words(change: Change | None, previous: Level | None) -> str:
    if change is Change.UP and previous is not None:
        return f" (up from {previous.words})"
    if change is Change.DOWN and previous is not None:
        return f" (down from {previous.words})"
    if change is Change.SAME:
        return " (no change)"
    return ""


@dataclass(frozen=True, slots=True)
class Optimism:
    """Why a good self rating is flagged: the serving actions overdue and measures off target."""

    overdue_actions: tuple[str, ...]
    off_target_measures: tuple[str, ...]

    @property
    def words(self) -> str:
        parts = []
        if self.overdue_actions:
            parts.append("overdue: " + ", ".join(self.overdue_actions))
        if self.off_target_measures:
            parts.append("off target: " + ", ".join(self.off_target_measures))
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class HeatRow:
    framework: Framework
    theme: FrameworkTheme
    characteristic: Characteristic
    cells: tuple[Cell, ...]  # one per column
    latest_self: Cell | None
    latest_external: Cell | None
    actions: tuple[str, ...]  # ids of the actions serving it
    optimism: Optimism | None

    @property
    def id(self) -> str:
        return self.characteristic.id


@dataclass(frozen=True, slots=True)
class Heatmap:
    plan_id: str
    title: str
    as_of: dt.date
    frameworks: tuple[Framework, ...]
    columns: tuple[Column, ...]
    rows: tuple[HeatRow, ...]

    @property
    def flagged(self) -> list[HeatRow]:
        return [row for row in self.rows if row.optimism is not None]


def known_assessments(assessments: Iterable[Assessment], day: dt.date) -> list[Assessment]:
    return [a for a in assessments if a.on <= day]


def heatmap(
    plan_id: str,
    title: str,
    frameworks: Sequence[Framework],
    assessments: Sequence[Assessment],
    day: dt.date,
    actions: Sequence[ActionStatus] = (),
    measures: Sequence[PlacedMeasure] = (),
) -> Heatmap:
    """The heat map as at `day`: every characteristic of `frameworks` against the assessment columns.

    `actions` and `measures` are the plan's status on `day` (public or not, as the caller chose):
    they give each characteristic its serving actions and the optimism flag. Linear in the
    assessments and characteristics (the cells are characteristics x columns).
    """
    known = known_assessments(assessments, day)
    columns = _columns(known)
    index = {(c.on, c.external): i for i, c in enumerate(columns)}
    # Each characteristic's ratings by column; the later in the file wins a column.
    by_characteristic: dict[str, dict[int, Assessment]] = {}
    for assessment in known:
        by_characteristic.setdefault(assessment.characteristic, {})[index[(assessment.on, assessment.external)]] = (
            assessment
        )
    serving: dict[str, list[ActionStatus]] = {}
    for action in actions:
        for served in dict.fromkeys(action.action.characteristics):
            serving.setdefault(served, []).append(action)
    off_target: dict[str, list[str]] = {}
    for measure in measures:
        if measure.action_id is not None and measure.status.standing is Standing.OFF_TARGET:
            off_target.setdefault(measure.action_id, []).append(measure.status.id)
    rows = []
    for framework in frameworks:
        for theme in framework.model.themes:
            for characteristic in theme.characteristics:
                rows.append(
                    _row(
                        framework,
                        theme,
                        characteristic,
                        by_characteristic.get(characteristic.id, {}),
                        columns,
                        serving,
                        off_target,
                    )
                )
    return Heatmap(plan_id, title, day, tuple(frameworks), columns, tuple(rows))


def _columns(known: Sequence[Assessment]) -> tuple[Column, ...]:
    who: dict[tuple[dt.date, bool], dict[str, None]] = {}
    for assessment in known:
        names = who.setdefault((assessment.on, assessment.external), {})
        if assessment.by:
            names.setdefault(assessment.by, None)
    # Date order; on one day, the self-assessment before the external one.
    return tuple(Column(on, external, tuple(names)) for (on, external), names in sorted(who.items()))


def _row(
    framework: Framework,
    theme: FrameworkTheme,
    characteristic: Characteristic,
    ratings: dict[int, Assessment],
    columns: Sequence[Column],
    serving: dict[str, list[ActionStatus]],
    off_target: dict[str, list[str]],
) -> HeatRow:
    cells: list[Cell] = []
    last: dict[bool, tuple[int, Level] | None] = {False: None, True: None}
    latest: dict[bool, Cell | None] = {False: None, True: None}
    for i, column in enumerate(columns):
        rating = ratings.get(i)
        found = framework.levels.get(rating.level) if rating is not None else None
        if rating is None or found is None:
            cells.append(Cell(None, None, None, None))
            continue
        rank, level = found
        before = last[column.external]
        if before is None:
            change = Change.FIRST
        else:
            change = Change.UP if rank > before[0] else Change.DOWN if rank < before[0] else Change.SAME
        cell = Cell(rating, level, before[1] if before else None, change)
        cells.append(cell)
        last[column.external] = (rank, level)
        latest[column.external] = cell
    actions = serving.get(characteristic.id, [])
    overdue = tuple(a.action.id for a in actions if a.counts.overdue > 0)
    missed = tuple(m for a in actions for m in off_target.get(a.action.id, []))
    own = latest[False]
    good = own is not None and own.level is not None and framework.is_good(own.level.id)
    flagged = slipping_while_good(good, len(overdue), len(missed))
    return HeatRow(
        framework,
        theme,
        characteristic,
        tuple(cells),
        latest[False],
        latest[True],
        tuple(a.action.id for a in actions),
        Optimism(overdue, missed) if flagged else None,
    )


def plan_heatmap(plan: Plan, frameworks: Sequence[Framework], day: dt.date) -> Heatmap:
    """A plan's heat map as at `day`. Give it the public view of the plan (rules/public_view.py) for a
    public heat map: an exempt rating is then withheld whole, as every exempt item is."""
    from bvplan.rules.measures import plan_measures
    from bvplan.rules.status import status_of

    status = status_of(plan, day)
    measures = plan_measures(plan, day)
    return heatmap(plan.id, plan.model.title, frameworks, plan.model.assessments, day, status.actions(), measures)


def heatmaps(workspace: Workspace, plans: Sequence[Plan], day: dt.date) -> list[Heatmap]:
    """The heat map of each plan that names a framework, as at `day` (or the plan's end, if sooner)."""
    return [
        plan_heatmap(plan, workspace.frameworks_of(plan), min(day, plan.model.end))
        for plan in plans
        if plan.model.frameworks
    ]


def optimism_warnings(plan: Plan, workspace: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    """BV428: a characteristic the plan rates good while the actions serving it slip, as at today
    (or the plan's last day, once it has ended)."""
    frameworks = workspace.frameworks_of(plan)
    if not plan.model.assessments or not frameworks:
        return
    day = min(today, plan.model.end)
    place = {id(assessment): index for index, assessment in enumerate(plan.model.assessments)}
    for row in plan_heatmap(plan, frameworks, day).flagged:
        rating = row.latest_self.rating if row.latest_self else None
        yield warning(
            plan.path,
            plan.source.value(("assessments", place[id(rating)], "level")) if rating is not None else None,
            "BV428",
            f"{row.id} is rated good while the actions serving it slip ({row.optimism.words if row.optimism else ''})",
            "optimism bias: review the rating against the overdue milestones and measures, or bring them back on track",
        )
