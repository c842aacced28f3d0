"""Checks of the chain from a Direction or recommendation to its evidence (codes BV400-BV407).

The chain runs: Direction -> numbered requirement (or a recommendation) -> the actions that answer
it (`answers`) -> their milestones and measures -> the evidence. Each gap has its own code.
Pure: takes a loaded plan, returns diagnostics; `today` decides what is overdue and what is a
fact dated in the future. Linear in the size of the registers: every lookup goes through the
id index of format/registers.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bvplan.format.diagnostics import Diagnostic, error, warning
from bvplan.format.registers import RegisterIndex, index_registers
from bvplan.format.workspace import Plan
from bvplan.suggest import did_you_mean


def check_chain(plan: Plan, today: dt.date) -> Iterator[Diagnostic]:
    model = plan.model
    if not (model.recommendations or any(d.requirements or d.met for d in model.directions) or _answers(plan)):
        return  # a plan without registers (the 2015-19 plans): nothing to follow
    index = index_registers(plan)
    yield from _duplicates(plan)
    yield from _requirements(plan, index, today)
    yield from _recommendations(plan, index, today)
    yield from _actions(plan, index)
    yield from _directions(plan, index, today)


def _answers(plan: Plan) -> bool:
    return any(action.answers or action.ongoing for _theme, _index, action in plan.actions())


def _duplicates(plan: Plan) -> Iterator[Diagnostic]:
    """Requirement and recommendation ids share the id space of Directions, actions and milestones."""
    taken: dict[str, str] = {d.id: "a Direction" for d in plan.model.directions}
    places: list[tuple[str, tuple[str | int, ...]]] = []
    for d, direction in enumerate(plan.model.directions):
        places += [(r.id, ("directions", d, "requirements", i, "id")) for i, r in enumerate(direction.requirements)]
    places += [(r.id, ("recommendations", i, "id")) for i, r in enumerate(plan.model.recommendations)]
    for item_id, path in places:
        other = taken.get(item_id)
        if other is None and (item_id in plan.action_ids or item_id in plan.milestone_ids):
            other = "an action" if item_id in plan.action_ids else "a milestone"
        if other is not None:
            yield error(
                plan.path,
                plan.source.value(path),
                "BV406",
                f"id '{item_id}' is already used by {other}",
                "requirements, recommendations, Directions, actions and milestones share one id space; choose another",
            )
        what = "a requirement" if path[0] == "directions" else "a recommendation"
        taken.setdefault(item_id, what)


def _requirements(plan: Plan, index: RegisterIndex, today: dt.date) -> Iterator[Diagnostic]:
    for placed in index.requirements.values():
        requirement, path = placed.requirement, placed.path
        if requirement.id not in index.answered_by:
            yield error(
                plan.path,
                plan.source.value((*path, "id")),
                "BV400",
                f"no action answers requirement {requirement.id}",
                f"name it in the `answers` of the action that delivers it: answers: [{requirement.id}]",
            )
        if requirement.met is not None:
            if not requirement.evidence:
                yield error(
                    plan.path,
                    plan.source.value((*path, "met")),
                    "BV402",
                    f"requirement {requirement.id} is met with no evidence",
                    "add `evidence:` (links or repository paths) showing it is met",
                )
            if requirement.met > today:
                yield _future(plan, (*path, "met"), "requirement met", requirement.met, today)
        elif requirement.due is not None and requirement.due < today:
            yield warning(
                plan.path,
                plan.source.value((*path, "due")),
                "BV404",
                f"requirement {requirement.id} was due on {requirement.due} and is still open",
                "record `met:` with its evidence, or report the slip to the board",
            )


def _recommendations(plan: Plan, index: RegisterIndex, today: dt.date) -> Iterator[Diagnostic]:
    for i, recommendation in index.recommendations.values():
        path = ("recommendations", i)
        if recommendation.response == "rejected":
            if not (recommendation.reason or "").strip():
                yield error(
                    plan.path,
                    plan.source.value((*path, "response")),
                    "BV407",
                    f"recommendation {recommendation.id} is rejected with no reason",
                    "give the reason the council rejected it: reason: ...",
                )
            continue
        if recommendation.id not in index.answered_by:
            yield error(
                plan.path,
                plan.source.value((*path, "id")),
                "BV400",
                f"no action answers accepted recommendation {recommendation.id}",
                f"name it in the `answers` of the action that delivers it: answers: [{recommendation.id}]",
            )
        if recommendation.closed is not None:
            if not recommendation.evidence:
                yield error(
                    plan.path,
                    plan.source.value((*path, "closed")),
                    "BV402",
                    f"recommendation {recommendation.id} is closed with no evidence",
                    "add `evidence:` (links or repository paths) showing it is done",
                )
            if recommendation.closed > today:
                yield _future(plan, (*path, "closed"), "recommendation closed", recommendation.closed, today)
        elif recommendation.due is not None and recommendation.due < today:
            yield warning(
                plan.path,
                plan.source.value((*path, "due")),
                "BV404",
                f"recommendation {recommendation.id} was due on {recommendation.due} and is still open",
                "record `closed:` with its evidence, or report the slip to the board",
            )


def _actions(plan: Plan, index: RegisterIndex) -> Iterator[Diagnostic]:
    known = index.register_ids()
    for placed in index.actions.values():
        action, theme, path = placed.action, placed.theme, placed.path
        for i, named in enumerate(action.answers):
            if named in index.requirements or named in index.recommendations:
                continue
            kind = index.kind_of(named)
            hint = (
                f"'{named}' is a Direction: name it in `directions`, or name one of its requirements here"
                if kind == "direction"
                else did_you_mean(named, known)
                or ("known: " + ", ".join(known[:8]) + (", ..." if len(known) > 8 else "") if known else None)
            )
            yield error(
                theme.path,
                theme.source.value((*path, "answers", i)),
                "BV403",
                f"action {action.id} answers '{named}', which is no requirement or recommendation of the plan",
                hint,
            )
        if action.answers and not action.milestones and not action.ongoing:
            yield error(
                theme.path,
                theme.source.value((*path, "answers")),
                "BV401",
                f"action {action.id} answers {', '.join(action.answers)} but has no milestones",
                "give it the dated milestones that deliver it, or mark a standing commitment `ongoing: true`",
            )


def _directions(plan: Plan, index: RegisterIndex, today: dt.date) -> Iterator[Diagnostic]:
    for d, direction in index.directions.values():
        path = ("directions", d)
        if direction.met is not None:
            if not direction.evidence:
                yield error(
                    plan.path,
                    plan.source.value((*path, "met")),
                    "BV402",
                    f"{direction.kind} {direction.id} is met with no evidence",
                    "add `evidence:` (links or repository paths) showing it is met",
                )
            if direction.met > today:
                yield _future(plan, (*path, "met"), f"{direction.kind} met", direction.met, today)
        # Only a Direction with numbered requirements is followed as a register: the 2015-19
        # plans record their Directions as references, with nothing to measure them by.
        if direction.requirements and not index.outcome_measures(direction.id):
            yield warning(
                plan.path,
                plan.source.value((*path, "id")),
                "BV405",
                f"Direction {direction.id} has no outcome measure",
                "add a measure with `kind: outcome` that names it in `directions` (or sits under an action serving it)",
            )


def _future(plan: Plan, path: tuple[str | int, ...], what: str, day: dt.date, today: dt.date) -> Diagnostic:
    return error(
        plan.path,
        plan.source.value(path),
        "BV320",
        f"{what} dated {day}, after today ({today})",
        "a fact cannot be dated in the future; a deadline (due) can",
    )
