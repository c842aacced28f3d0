"""What is sound in a theme file whose shape has errors, so that the checks across files still run.

A file with one mistyped date would otherwise hide every duplicate id and dangling `carried_from`
in it until that date is fixed; instead, each action and milestone that is valid on its own is kept
(with its position in the file, for pointing at it), and only the broken ones are left out. A
salvaged theme is only ever checked: a plan with errors is never reported on or edited.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from bvplan.format.model import Action, Milestone, ThemeFile, Update

# For each kept action: its index in the file, and the indexes of its kept milestones.
Origin = tuple[tuple[int, tuple[int, ...]], ...]


def _valid_milestones(raw: Any) -> list[tuple[int, Milestone]]:
    kept = []
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        try:
            kept.append((index, Milestone.model_validate(item)))
        except ValidationError:
            continue
    return kept


def _valid_action(raw: Any) -> tuple[Action, tuple[int, ...]] | None:
    if not isinstance(raw, dict):
        return None
    milestones = _valid_milestones(raw.get("milestones"))
    try:
        action = Action.model_validate({**raw, "milestones": []})
    except ValidationError:
        return None
    return action.model_copy(update={"milestones": [m for _i, m in milestones]}), tuple(i for i, _m in milestones)


def salvage(data: Any) -> tuple[ThemeFile, Origin] | None:
    """The valid actions and milestones of a theme file's data, or None if there is nothing to keep."""
    if not isinstance(data, dict) or not isinstance(data.get("actions"), list):
        return None
    actions: list[Action] = []
    origin: list[tuple[int, tuple[int, ...]]] = []
    for index, raw in enumerate(data["actions"]):
        kept = _valid_action(raw)
        if kept is not None:
            actions.append(kept[0])
            origin.append((index, kept[1]))
    updates: dict[str, Update] = {}
    if isinstance(data.get("updates"), dict):
        for key, raw in data["updates"].items():
            try:
                updates[key] = Update.model_validate(raw)
            except ValidationError:
                continue
    given = data.get("theme")
    name = given if isinstance(given, str) and given else "(unnamed theme)"
    theme = ThemeFile.model_construct(theme=name, actions=actions, updates=updates, exempt=False)
    return theme, tuple(origin)
