"""Checks of framework packs, of the characteristics actions serve, and of assessments (BV420-BV427).

Pure: takes the loaded workspace, returns diagnostics. The packs' shape is already checked by their
model; these check their meaning (ids, the rating scale) and a plan's references into them. Only
the dates of assessments read the clock (a rating cannot be given on a day still to come), taking
`today` from the caller. The optimism warning (BV428) needs the plan's status, a rule: it is in
`bvplan.rules.assessments`, run by `bvplan.rules.validation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from bvplan.format.diagnostics import Diagnostic, error
from bvplan.format.frameworks import Framework
from bvplan.format.workspace import Plan, Workspace
from bvplan.suggest import did_you_mean


def check_packs(workspace: Workspace) -> Iterator[Diagnostic]:
    """The council's own packs: ids against file names, ids used twice, the rating scale."""
    first: dict[str, Framework] = {}
    for pack in workspace.packs:
        source = pack.source
        stem = Path(pack.path).stem
        if pack.id != stem:
            yield error(
                pack.path,
                source.value(("id",)),
                "BV423",
                f"framework id '{pack.id}' differs from its file name '{stem}'",
                f"rename the file to '{pack.id}.yaml' or set id: {stem}",
            )
        earlier = first.setdefault(pack.id, pack)
        if earlier is not pack:
            yield error(
                pack.path,
                source.value(("id",)),
                "BV422",
                f"framework id '{pack.id}' is also declared by {earlier.path}",
                "give each pack its own id (a pack with a shipped id replaces the shipped one)",
            )
        yield from _pack_ids(pack)
        yield from _scale(pack)


def _pack_ids(pack: Framework) -> Iterator[Diagnostic]:
    themes: set[str] = set()
    characteristics: set[str] = set()
    for t, theme in enumerate(pack.model.themes):
        if theme.id in themes:
            yield error(
                pack.path,
                pack.source.value(("themes", t, "id")),
                "BV424",
                f"theme id '{theme.id}' is used twice in the pack",
                "give each theme its own id",
            )
        themes.add(theme.id)
        for c, characteristic in enumerate(theme.characteristics):
            if characteristic.id in characteristics:
                yield error(
                    pack.path,
                    pack.source.value(("themes", t, "characteristics", c, "id")),
                    "BV424",
                    f"characteristic id '{characteristic.id}' is used twice in the pack",
                    "give each characteristic its own id, e.g. CI001, CI002, ...",
                )
            characteristics.add(characteristic.id)


def _scale(pack: Framework) -> Iterator[Diagnostic]:
    scale = pack.model.scale
    seen: set[str] = set()
    for index, level in enumerate(scale.levels):
        if level.id in seen:
            yield error(
                pack.path,
                pack.source.value(("scale", "levels", index, "id")),
                "BV426",
                f"the rating scale has the level '{level.id}' twice",
                "give each level its own id",
            )
        seen.add(level.id)
    for index, good in enumerate(scale.good):
        if good not in seen:
            hint = did_you_mean(good, sorted(seen)) or f"the levels are {', '.join(lv.id for lv in scale.levels)}"
            yield error(
                pack.path,
                pack.source.value(("scale", "good", index)),
                "BV426",
                f"the rating scale counts '{good}' as good, but has no such level",
                hint,
            )


def check_plan_frameworks(plan: Plan, workspace: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    """A plan's frameworks, the characteristics its actions serve, and its assessments."""
    model, source = plan.model, plan.source
    for index, name in enumerate(model.frameworks):
        if name not in workspace.frameworks:
            known = sorted(workspace.frameworks)
            yield error(
                plan.path,
                source.value(("frameworks", index)),
                "BV420",
                f"no framework '{name}'",
                did_you_mean(name, known)
                or f"frameworks: {', '.join(known) or 'none'}; a council's own packs go in plans/frameworks/",
            )
    frameworks = workspace.frameworks_of(plan)
    owner: dict[str, Framework] = {}
    for framework in frameworks:
        for characteristic in framework.characteristics:
            other = owner.setdefault(characteristic, framework)
            if other is not framework:
                yield error(
                    plan.path,
                    source.value(("frameworks", model.frameworks.index(framework.id))),
                    "BV424",
                    f"characteristic '{characteristic}' is in two of the plan's frameworks: {other.id} and {framework.id}",
                    "give the characteristics of a council's own pack ids of their own",
                )
    known = sorted(owner)
    for theme, index, action in plan.actions():
        for c, characteristic in enumerate(action.characteristics):
            if characteristic not in owner:
                yield error(
                    theme.path,
                    theme.source.value(("actions", index, "characteristics", c)),
                    "BV421",
                    f"no characteristic '{characteristic}' in the plan's frameworks",
                    _hint(characteristic, known, model.frameworks),
                )
    for index, assessment in enumerate(model.assessments):
        path = ("assessments", index)
        rated = owner.get(assessment.characteristic)
        if rated is None:
            yield error(
                plan.path,
                source.value((*path, "characteristic")),
                "BV421",
                f"no characteristic '{assessment.characteristic}' in the plan's frameworks",
                _hint(assessment.characteristic, known, model.frameworks),
            )
        elif assessment.level not in rated.levels:
            levels = [level.id for level in rated.model.scale.levels]
            yield error(
                plan.path,
                source.value((*path, "level")),
                "BV425",
                f"'{assessment.level}' is not a level of {rated.id}'s rating scale",
                did_you_mean(assessment.level, levels) or f"the levels are {', '.join(levels)}",
            )
        if assessment.on > today:
            yield error(
                plan.path,
                source.value((*path, "on")),
                "BV427",
                f"an assessment dated {assessment.on}, which is still to come",
                "date a rating the day it was given",
            )


def _hint(word: str, known: list[str], frameworks: list[str]) -> str:
    if not frameworks:
        return "name the framework it comes from in plan.yaml, e.g. frameworks: [best-value-2024]"
    return did_you_mean(word, known) or f"the characteristics of {', '.join(frameworks)} are listed by 'bvplan heatmap'"
