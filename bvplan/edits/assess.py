"""`assess`: record a dated rating of a framework characteristic in plan.yaml's `assessments`.

Written as every single edit is (edit_commands.edit_item): read plan.yaml once, splice the new
entry onto the end of `assessments`, validate the plans as they would be, refuse anything that adds
an error (an unknown level, a date still to come), and write atomically only if the file has not
changed since it was read. Only the finding is this module's: which plan rates the characteristic.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from bvplan.edits.edit_commands import (
    Outcome,
    _refuse_a_file_with_errors,
    _suggest,
    edit_item,
    load_plans,
)
from bvplan.edits.yaml_edit import append_item
from bvplan.errors import UsageError
from bvplan.format.frameworks import Framework
from bvplan.format.loader import Loaded
from bvplan.format.workspace import Plan


def _rated_in(loaded: Loaded, reference: str, day: dt.date) -> tuple[Plan, Framework, str]:
    """The plan whose frameworks hold the characteristic `reference` names (CI001 or PLAN/CI001).

    Of several plans holding it, the one live on `day`; a plan named is taken as it is.
    """
    plan_id, slash, characteristic = reference.rpartition("/")
    plans: tuple[Plan, ...] = loaded.workspace.plans
    if slash:
        named = loaded.workspace.plan(plan_id)
        if named is None:
            raise UsageError(f"no plan '{plan_id}'{_suggest(plan_id, loaded.workspace.ids)}")
        plans = (named,)
    holding = [
        (plan, framework)
        for plan in plans
        for framework in loaded.workspace.frameworks_of(plan)
        if characteristic in framework.characteristics
    ]
    if len(holding) > 1:
        live = [(p, f) for p, f in holding if p.model.start <= day <= p.model.end]
        if len(live) != 1:
            options = ", ".join(f"{p.id}/{characteristic}" for p, _f in holding)
            raise UsageError(f"characteristic '{characteristic}' is in more than one plan; name one: {options}")
        holding = live
    if holding:
        return holding[0][0], holding[0][1], characteristic
    known = sorted(
        {c for plan in plans for framework in loaded.workspace.frameworks_of(plan) for c in framework.characteristics}
    )
    if not known:
        raise UsageError(
            "no plan names a framework to assess against; add one to plan.yaml, e.g. frameworks: [best-value-2024]"
        )
    problems = " (some plans have errors: run 'bvplan validate')" if loaded.report.errors else ""
    raise UsageError(
        f"no characteristic '{reference}' in the plans' frameworks{_suggest(characteristic, known)}{problems}"
    )


def assess(
    plans_dir: Path,
    reference: str,
    level: str,
    on: dt.date,
    evidence: list[str] | None = None,
    note: str | None = None,
    by: str | None = None,
    external: bool = False,
) -> Outcome:
    """Append `{characteristic, level, on, by, external, evidence, note}` to the plan's `assessments`."""
    for text, what in [(by, "--by"), (note, "--note"), *((link, "--evidence") for link in evidence or [])]:
        if text is not None and not text.strip():
            raise UsageError(f"{what} must not be empty")
    loaded = load_plans(plans_dir)
    plan, framework, characteristic = _rated_in(loaded, reference, on)
    if level not in framework.levels:
        levels = [lv.id for lv in framework.model.scale.levels]
        raise UsageError(
            f"'{level}' is not a level of {framework.id}'s rating scale ({', '.join(levels)}){_suggest(level, levels)}"
        )
    _refuse_a_file_with_errors(loaded, plan.path)
    item: dict[str, Any] = {"characteristic": characteristic, "level": level, "on": on}
    if by is not None:
        item["by"] = by
    if external:
        item["external"] = True
    if evidence:
        item["evidence"] = list(evidence)
    if note is not None:
        item["note"] = note
    outcome = edit_item(
        plans_dir, loaded, plan.path, (), plan.id, lambda source: append_item(source, (), "assessments", item)
    )
    kind = "an external" if external else "a self"
    words = framework.levels[level][1].words
    outcome.summary = f"{kind} rating of {characteristic} on {on}, {words} ({level}), in {plan.path}"
    return outcome
