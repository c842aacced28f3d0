"""`record` and `confidence`: point edits of a measure and of an action, written as `complete` is.

The same way as every edit (see edit_commands.py): read the file once, splice the new entry in,
validate the plans as they would be, refuse anything that adds an error, and write atomically only
if the file has not changed since it was read. Only the finding differs: a measure or an action
instead of a milestone.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bvplan.clock import today
from bvplan.edits.edit_commands import (
    Outcome,
    _refuse_a_file_with_errors,
    _suggest,
    edit_item,
    load_plans,
    refuse_future,
)
from bvplan.edits.yaml_edit import append_item
from bvplan.errors import UsageError
from bvplan.format.loader import Loaded
from bvplan.format.workspace import Plan, Theme
from bvplan.format.yamlsource import Path as DataPath
from bvplan.rules.lookup import plan_named, split_reference

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Located:
    """An item found by id: its plan, theme file and path within that file."""

    plan: Plan
    theme: Theme
    item_id: str
    path: DataPath

    @property
    def reference(self) -> str:
        return f"{self.plan.id}/{self.item_id}"


def _locate(loaded: Loaded, reference: str, kind: str, items: Callable[[Plan], list[Located]]) -> Located:
    plan_id, item_id = split_reference(reference)
    plans = loaded.workspace.plans
    if plan_id is not None:
        plans = (plan_named(loaded.workspace, plan_id, bool(loaded.report.errors)),)
    every = [found for plan in plans for found in items(plan)]
    matches = [found for found in every if found.item_id == item_id]
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = ", ".join(m.reference for m in matches)
        raise UsageError(f"{kind} '{item_id}' is in more than one plan; name one: {options}")
    known = [f.item_id for f in every] + [f.reference for f in every]
    problems = " (some plans have errors: run 'bvplan validate')" if loaded.report.errors else ""
    raise UsageError(f"no {kind} '{reference}'{_suggest(reference, known)}{problems}")


def measures_of(plan: Plan) -> list[Located]:
    found = []
    for theme in plan.themes:
        found += [Located(plan, theme, m.id, ("measures", i)) for i, m in enumerate(theme.model.measures)]
        for a, action in enumerate(theme.model.actions):
            path = theme.action_path(a)
            found += [Located(plan, theme, m.id, (*path, "measures", i)) for i, m in enumerate(action.measures)]
    return found


def actions_of(plan: Plan) -> list[Located]:
    return [
        Located(plan, theme, action.id, theme.action_path(a))
        for theme in plan.themes
        for a, action in enumerate(theme.model.actions)
    ]


def append_to(plans_dir: Path, located: Located, loaded: Loaded, key: str, item: dict[str, Any], what: str) -> Outcome:
    """Append `item` to the list `key` of the located item, validated as every edit is."""
    _refuse_a_file_with_errors(loaded, located.theme.path)
    outcome = edit_item(
        plans_dir,
        loaded,
        located.theme.path,
        located.path,
        located.item_id,
        lambda source: append_item(source, located.path, key, item),
    )
    outcome.summary = f"{what} {located.reference} in {located.theme.path}"
    return outcome


def parse_value(text: str) -> int | float:
    """A measured value as typed: 64, 64%, £1,250.50, -3.5; an int when it has no decimal part."""
    cleaned = text.strip().removeprefix("£").removesuffix("%").replace(",", "").strip()
    if not _NUMBER.match(cleaned):
        raise UsageError(f"'{text}' is not a number; write it like 64, 64%, 1250.50 or £1,250.50")
    if re.fullmatch(r"[+-]?\d+", cleaned):
        return int(cleaned)
    value = float(cleaned)
    if not math.isfinite(value):
        raise UsageError(f"'{text}' is too large a number")
    return value


def record(plans_dir: Path, reference: str, value: str, on: dt.date, note: str | None) -> Outcome:
    """Record an actual of a measure: `{on, value, note}` appended to its `actuals`."""
    number = parse_value(value)
    refuse_future(on, "--on", today())
    if note is not None and not note.strip():
        raise UsageError("--note must not be empty")
    loaded = load_plans(plans_dir)
    located = _locate(loaded, reference, "measure", measures_of)
    item: dict[str, Any] = {"on": on, "value": number}
    if note is not None:
        item["note"] = note
    return append_to(plans_dir, located, loaded, "actuals", item, f"an actual of {number} on {on} for")


def confidence(plans_dir: Path, reference: str, level: str, reason: str, on: dt.date, by: str | None) -> Outcome:
    """Record a dated confidence of delivery for an action: appended to its `confidence`."""
    refuse_future(on, "--on", today())
    if not reason.strip():
        raise UsageError("--reason must not be empty")
    if by is not None and not by.strip():
        raise UsageError("--by must not be empty")
    loaded = load_plans(plans_dir)
    located = _locate(loaded, reference, "action", actions_of)
    item: dict[str, Any] = {"level": level, "reason": reason, "on": on}
    if by is not None:
        item["by"] = by
    return append_to(plans_dir, located, loaded, "confidence", item, f"{level} confidence on {on} in")
