"""Checks of a plan's measures, Directions, confidence and evidence (codes BV340-BV346, BV351).

Pure: takes a loaded plan, returns diagnostics. Only the confidence and actual checks need the
date (neither a confidence of delivery nor a measurement can be dated on a day still to come), and
they take `today` from their caller. BV351 (an actual after today) is checked here too.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from bvplan.format.diagnostics import Diagnostic, error, warning
from bvplan.format.model import Measure
from bvplan.format.periods import make_period, parse_key
from bvplan.format.workspace import Plan, Theme, Workspace
from bvplan.format.yamlsource import Path
from bvplan.suggest import did_you_mean

PERIOD_FORMS = "write it like '2018-19 Q1', '2015-16 H2' or '2017-18' (the financial year, then Q1-Q4 or H1-H2)"


def check_measures(plan: Plan, workspace: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    directions = [d.id for d in plan.model.directions]
    yield from _duplicates(plan)
    for theme in plan.themes:
        for index, measure in enumerate(theme.model.measures):
            yield from _measure(plan, theme, measure, ("measures", index), directions, workspace, today)
        for a, action in enumerate(theme.model.actions):
            path = theme.action_path(a)
            yield from _unknown_directions(theme, (*path, "directions"), action.directions, directions)
            for index, confidence in enumerate(action.confidence):
                if confidence.on > today:
                    yield error(
                        theme.path,
                        theme.source.value((*path, "confidence", index, "on")),
                        "BV344",
                        f"confidence of delivery dated {confidence.on}, which is still to come",
                        "date it the day it was given",
                    )
            for index, measure in enumerate(action.measures):
                yield from _measure(plan, theme, measure, (*path, "measures", index), directions, workspace, today)
    if plan.model.require_evidence:
        for theme, _action, milestone, path in plan.milestones():
            if milestone.completed is not None and not milestone.evidence:
                yield warning(
                    theme.path,
                    theme.source.value((*path, "completed")),
                    "BV345",
                    f"milestone {milestone.id} is completed with no evidence, and the plan requires evidence",
                    "add evidence: a link or a path in the repository ('bvplan complete ... --evidence LINK')",
                )


def _duplicates(plan: Plan) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for index, direction in enumerate(plan.model.directions):
        if direction.id in seen:
            yield error(
                plan.path,
                plan.source.value(("directions", index, "id")),
                "BV346",
                f"Direction id '{direction.id}' is used twice",
                "give each Direction its own id",
            )
        seen.add(direction.id)
    measures: set[str] = set()
    for theme in plan.themes:
        places: list[tuple[Path, str]] = [(("measures", i, "id"), m.id) for i, m in enumerate(theme.model.measures)]
        for a, action in enumerate(theme.model.actions):
            places += [((*theme.action_path(a), "measures", i, "id"), m.id) for i, m in enumerate(action.measures)]
        for place, measure_id in places:
            if measure_id in measures:
                yield error(
                    theme.path,
                    theme.source.value(place),
                    "BV346",
                    f"measure id '{measure_id}' is used twice in the plan",
                    "measure ids are unique within a plan, across its theme files; choose another",
                )
            measures.add(measure_id)


def _unknown_directions(theme: Theme, path: Path, named: list[str], known: list[str]) -> Iterator[Diagnostic]:
    for index, direction in enumerate(named):
        if direction not in known:
            hint = did_you_mean(direction, known) or (
                "Directions: " + ", ".join(known) if known else "list the Directions under directions: in plan.yaml"
            )
            yield error(
                theme.path, theme.source.value((*path, index)), "BV342", f"no Direction '{direction}' in the plan", hint
            )


def _carried_from(theme: Theme, path: Path, reference: str, workspace: Workspace) -> Iterator[Diagnostic]:
    plan_id, _, measure_id = reference.partition("/")
    target = workspace.plan(plan_id)
    ids = sorted(m.id for t in target.themes for m in _measures_of(t)) if target else []
    if target is None or measure_id not in ids:
        what = f"plan '{plan_id}', which is not among the plans" if target is None else f"no measure '{measure_id}'"
        message = f"carried_from names {what}" if target is None else f"plan '{plan_id}' has {what}"
        yield error(theme.path, theme.source.value(path), "BV306", message, did_you_mean(measure_id, ids))


def _measures_of(theme: Theme) -> list[Measure]:
    return [*theme.model.measures, *(m for a in theme.model.actions for m in a.measures)]


def _measure(
    plan: Plan,
    theme: Theme,
    measure: Measure,
    path: Path,
    directions: list[str],
    workspace: Workspace,
    today: dt.date,
) -> Iterator[Diagnostic]:
    source, shown = theme.source, theme.path
    yield from _unknown_directions(theme, (*path, "directions"), measure.directions, directions)
    if measure.carried_from:
        yield from _carried_from(theme, (*path, "carried_from"), measure.carried_from, workspace)
    values: list[tuple[Path, float]] = []
    if measure.baseline is not None:
        values.append(((*path, "baseline", "value"), measure.baseline.value))
    values += [((*path, "targets", i, "value"), t.value) for i, t in enumerate(measure.targets)]
    values += [((*path, "actuals", i, "value"), a.value) for i, a in enumerate(measure.actuals)]
    for where, value in values:
        problem = unit_problem(value, measure.unit)
        if problem:
            yield error(
                shown, source.value(where), "BV343", f"{value} {problem}", f"measure {measure.id} counts {measure.unit}"
            )
    if measure.baseline is not None:
        for index, actual in enumerate(measure.actuals):
            if actual.on < measure.baseline.on:
                yield error(
                    shown,
                    source.value((*path, "actuals", index, "on")),
                    "BV340",
                    f"actual dated {actual.on}, before the baseline of {measure.baseline.on}",
                    "the baseline is the starting point: date it on or before the first actual",
                )
    for index, actual in enumerate(measure.actuals):
        if actual.on > today:
            yield error(
                shown,
                source.value((*path, "actuals", index, "on")),
                "BV351",
                f"actual of measure {measure.id} dated {actual.on}, after today ({today})",
                "an actual is recorded once it is measured: date it the day it was (a target may be for a later period)",
            )
    start, end = plan.model.start, plan.model.end
    for index, target in enumerate(measure.targets):
        span = source.value((*path, "targets", index, "period"))
        parsed = parse_key(target.period)
        if parsed is None:
            yield error(shown, span, "BV309", f"'{target.period}' is not a period", PERIOD_FORMS)
            continue
        period = make_period(parsed[0], parsed[1], plan.model.year_start)
        if period.end < start or period.start > end:
            yield warning(
                shown,
                span,
                "BV341",
                f"target for {target.period} ({period.start} to {period.end}) is outside the plan period "
                f"({start} to {end})",
                "set targets for the plan's own periods; earlier ones stay in the plan they belong to",
            )


def unit_problem(value: float, unit: str) -> str | None:
    """Why `value` cannot be a value of `unit`, or None when it can."""
    if not math.isfinite(value):
        return "is not a finite number"
    if unit == "percent" and not 0 <= value <= 100:
        return "is not a percentage between 0 and 100"
    if unit == "days" and value < 0:
        return "is a negative number of days"
    if unit == "pounds" and abs(round(value * 100) - value * 100) > 1e-6:
        return "is not a sum of pounds and pence (at most two decimal places)"
    return None
