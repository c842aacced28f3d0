"""Carry-forward: which actions and milestones move from one plan into the next, and how they read there.

Pure: takes loaded plans and dates, returns the proposal and the YAML data of what would be added.
An action carries when any of its milestones is neither completed nor cancelled on the as-of date;
only those milestones go with it, keeping their original dates, revisions and notes, and each gets
`carried_from: PLAN/ID` so that the history can be followed back. Items the target already carries
are skipped, which makes carrying forward twice the same as carrying forward once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bvplan.format.model import Action, Measure, Milestone, PlanFile
from bvplan.format.periods import financial_year_of, make_period, parse_key, year_label
from bvplan.format.workspace import Plan
from bvplan.rules.status import Status, milestone_status

_YEAR_LABEL = re.compile(r"\b\d{4}-\d{2}\b")
# Keys of plan.yaml that describe the programme rather than one year of it, copied to a new plan.
# Directions too: the carried actions name them, and a new plan usually answers to the same ones.
_INHERITED = (
    "authority",
    "board",
    "cadence",
    "author",
    "year_start",
    "due_soon_days",
    "rag",
    "directions",
    "require_evidence",
)


@dataclass(frozen=True)
class CarriedMilestone:
    milestone: Milestone
    new_id: str
    status: Status
    deadline: dt.date  # in force on the as-of date
    needs_revised_date: bool  # the deadline falls before the new plan starts


@dataclass(frozen=True)
class CarriedAction:
    theme: str  # the theme file's name without .yaml, the same in both plans
    action: Action
    new_id: str
    milestones: tuple[CarriedMilestone, ...]


@dataclass(frozen=True)
class Proposal:
    from_plan: str
    to_plan: str
    as_of: dt.date
    new_start: dt.date
    actions: tuple[CarriedAction, ...]
    already_carried: tuple[str, ...]  # ids of actions the target already holds

    @property
    def milestone_count(self) -> int:
        return sum(len(a.milestones) for a in self.actions)


def target_ids(target: Plan | None) -> tuple[set[str], set[str]]:
    """Every id in the target plan, and every `carried_from` reference it already holds."""
    ids: set[str] = set()
    carried: set[str] = set()
    if target is None:
        return ids, carried
    for _theme, _index, action in target.actions():
        ids.add(action.id)
        if action.carried_from:
            carried.add(action.carried_from)
        for milestone in action.milestones:
            ids.add(milestone.id)
            if milestone.carried_from:
                carried.add(milestone.carried_from)
    return ids, carried


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}-{n}"
    taken.add(candidate)
    return candidate


def propose(source: Plan, to_plan: str, target: Plan | None, as_of: dt.date, new_start: dt.date) -> Proposal:
    taken, carried = target_ids(target)
    # Source ids are reserved first, so that a renamed item can never take an id a later one keeps.
    reserved = taken | {a.id for _t, _i, a in source.actions()} | {m.id for _t, _a, m, _p in source.milestones()}
    actions: list[CarriedAction] = []
    skipped: list[str] = []
    for theme in source.ordered_themes():
        for action in theme.model.actions:
            if f"{source.id}/{action.id}" in carried:
                if _open_milestones(action, as_of, source):
                    skipped.append(action.id)
                continue
            open_ones = [
                status
                for status in _open_milestones(action, as_of, source)
                if f"{source.id}/{status.milestone.id}" not in carried
            ]
            if not open_ones:
                continue
            new_action_id = action.id if action.id not in taken else _free_id(action.id, reserved)
            taken.add(new_action_id)
            milestones = []
            for status in open_ones:
                milestone = status.milestone
                new_id = milestone.id if milestone.id not in taken else _free_id(milestone.id, reserved)
                taken.add(new_id)
                milestones.append(
                    CarriedMilestone(milestone, new_id, status.status, status.deadline, status.deadline < new_start)
                )
            actions.append(CarriedAction(theme.slug, action, new_action_id, tuple(milestones)))
    return Proposal(source.id, to_plan, as_of, new_start, tuple(actions), tuple(skipped))


def _open_milestones(action: Action, day: dt.date, plan: Plan) -> list[Any]:
    statuses = [milestone_status(m, action, day, plan.model.due_soon_days) for m in action.milestones]
    return [s for s in statuses if s.status not in (Status.COMPLETED, Status.CANCELLED)]


def action_data(
    carried: CarriedAction,
    from_plan: str,
    new_start: dt.date | None = None,
    directions: frozenset[str] | None = None,
) -> dict[str, Any]:
    """The carried action as YAML data: as written in the source (only keys given), re-pointed.

    Its measures go with it, with their baseline and actuals (see `measure_data`). `directions`, when
    given, are the Directions the target plan lists: names of others are left behind, as the
    target does not answer to them.
    """
    data = _only_directions(carried.action.model_dump(exclude_unset=True), directions)
    if data.get("measures"):
        data["measures"] = [measure_data(m, from_plan, new_start, directions) for m in data["measures"]]
    data["id"] = carried.new_id
    data["carried_from"] = f"{from_plan}/{carried.action.id}"
    milestones = []
    for item in carried.milestones:
        milestone = item.milestone.model_dump(exclude_unset=True)
        milestone["id"] = item.new_id
        milestone["carried_from"] = f"{from_plan}/{item.milestone.id}"
        milestones.append(_in_field_order(milestone, Milestone))
    data["milestones"] = milestones
    return _in_field_order(data, Action)


def _only_directions(data: dict[str, Any], directions: frozenset[str] | None) -> dict[str, Any]:
    if directions is not None and "directions" in data:
        data["directions"] = [d for d in data["directions"] if d in directions]
        if not data["directions"]:
            del data["directions"]
    return data


def measure_data(
    measure: dict[str, Any], from_plan: str, new_start: dt.date | None, directions: frozenset[str] | None = None
) -> dict[str, Any]:
    """A measure carried forward: its whole history (baseline, actuals), `carried_from` its old id,
    and only the targets for periods that end on or after the new plan starts (the rest stay in the
    plan they were set for)."""
    data = _only_directions(dict(measure), directions)
    data["carried_from"] = f"{from_plan}/{measure['id']}"
    if new_start is not None and "targets" in data:
        kept = []
        for target in data["targets"]:
            parsed = parse_key(str(target.get("period", "")))
            if parsed is None or make_period(*parsed).end >= new_start:
                kept.append(target)
        data["targets"] = kept
        if not kept:
            del data["targets"]
    return _in_field_order(data, Measure)


def theme_measures_data(
    source_theme: dict[str, Any], from_plan: str, new_start: dt.date, directions: frozenset[str] | None = None
) -> dict[str, Any]:
    """A new theme file's `measures`: the source theme's own, carried with their history."""
    measures = source_theme.get("measures") or []
    return {"measures": [measure_data(m, from_plan, new_start, directions) for m in measures]} if measures else {}


def _in_field_order(data: dict[str, Any], model: type[Action] | type[Milestone] | type[Measure]) -> dict[str, Any]:
    return {name: data[name] for name in model.model_fields if name in data}


def new_plan_start(source: PlanFile) -> dt.date:
    return source.end + dt.timedelta(days=1)


def _anniversary(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: a year on is 1 March
        return dt.date(day.year + 1, 3, 1)


def new_plan_data(source: PlanFile, plan_id: str, themes: list[str]) -> dict[str, Any]:
    """plan.yaml for a plan that follows `source`: the next year, the same authority, board and cadence."""
    start = new_plan_start(source)
    end = _anniversary(start) - dt.timedelta(days=1)
    label = year_label(financial_year_of(start, source.year_start))
    title = _YEAR_LABEL.sub(label, source.title) if _YEAR_LABEL.search(source.title) else f"{source.title} {label}"
    given = source.model_dump(exclude_unset=True)
    data: dict[str, Any] = {"id": plan_id, "title": title}
    for key in ("authority", "board"):
        data[key] = given[key]
    data.update({"start": start, "end": end, "cadence": source.cadence, "carried_from": source.id})
    for key in _INHERITED:
        if key in given and key not in data:
            data[key] = given[key]
    data["themes"] = themes
    return data


def theme_header_data(source_theme: dict[str, Any]) -> dict[str, Any]:
    """A new theme file's keys before its actions: the theme's name, lead and reference."""
    return {key: source_theme[key] for key in ("theme", "lead", "ref", "best_value_themes") if key in source_theme}
