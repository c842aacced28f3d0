"""Checks beyond the shape of one file: the meaning of a plan, across its files and plans.

Pure: takes loaded plans, returns diagnostics. The shape of each file (types, keys, real dates) is
already checked by the models when these run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from bvplan.format.chain_checks import check_chain
from bvplan.format.diagnostics import Diagnostic, error, warning
from bvplan.format.framework_checks import check_packs, check_plan_frameworks
from bvplan.format.loader import gc_paused
from bvplan.format.measure_checks import check_measures
from bvplan.format.model import Milestone, Revision
from bvplan.format.periods import parse_key
from bvplan.format.workspace import Plan, Theme, Workspace
from bvplan.format.yamlsource import Path, SourceMap
from bvplan.suggest import did_you_mean

KEY_FORMS = "write it like '2018-19 Q1', '2015-16 H2' or '2017-18' (the financial year, then Q1-Q4 or H1-H2)"


# Paused as loading is (loader.gc_paused): the checks make no reference cycles either, and a large
# register's checks would otherwise rescan the loaded plans again and again, growing faster than linear.
@gc_paused
def check(workspace: Workspace, selected: set[str], today: dt.date) -> list[Diagnostic]:
    """Every problem of meaning in the selected plans; `today` is the last day a fact may be dated."""
    found: list[Diagnostic] = []
    found.extend(_duplicate_plans(workspace, selected))
    found.extend(check_packs(workspace))
    for plan in workspace.plans:
        if plan.id in selected:
            found.extend(check_plan(plan, workspace, today))
    return found


def _duplicate_plans(workspace: Workspace, selected: set[str]) -> Iterator[Diagnostic]:
    seen: dict[str, Plan] = {}
    for plan in workspace.plans:
        first = seen.setdefault(plan.id, plan)
        if first is not plan and plan.id in selected:
            yield error(
                plan.path,
                plan.source.value(("id",)),
                "BV314",
                f"plan id '{plan.id}' is also declared by {first.path}",
                "give each plan its own id",
            )


def check_plan(plan: Plan, workspace: Workspace, today: dt.date) -> Iterator[Diagnostic]:
    yield from _plan_file(plan, workspace)
    yield from _theme_order(plan)
    yield from _duplicate_ids(plan)
    for theme in plan.themes:
        yield from _period_keys(theme.path, theme.source, ("updates",), list(theme.model.updates))
        for index, action in enumerate(theme.model.actions):
            if action.carried_from:
                yield from _reference(
                    theme, (*theme.action_path(index), "carried_from"), action.carried_from, workspace, "action"
                )
    for theme, _action, milestone, path in plan.milestones():
        yield from _milestone(plan, theme, milestone, path, workspace)
        yield from _future_facts(theme, milestone, path, today)
    yield from check_measures(plan, workspace, today)
    yield from check_plan_frameworks(plan, workspace, today)
    yield from check_chain(plan, today)


def _plan_file(plan: Plan, workspace: Workspace) -> Iterator[Diagnostic]:
    model, source = plan.model, plan.source
    folder_name = plan.folder.rstrip("/").rsplit("/", 1)[-1]
    if folder_name not in (".", "") and model.id != folder_name:
        yield error(
            plan.path,
            source.value(("id",)),
            "BV307",
            f"plan id '{model.id}' differs from its folder name '{folder_name}'",
            f"rename the folder to '{model.id}' or set id: {folder_name}",
        )
    if model.end < model.start:
        yield error(
            plan.path, source.value(("end",)), "BV312", f"the plan ends ({model.end}) before it starts ({model.start})"
        )
    if model.carried_from and workspace.referenced(model.carried_from) is None:
        yield error(
            plan.path,
            source.value(("carried_from",)),
            "BV306",
            f"carried_from names plan '{model.carried_from}', which is not among the plans",
            _known("plans", workspace.known_ids),
        )
    for index, meeting in enumerate(model.meetings):
        if parse_key(meeting.period) is None:
            yield error(
                plan.path,
                source.value(("meetings", index, "period")),
                "BV309",
                f"'{meeting.period}' is not a period",
                KEY_FORMS,
            )
        if meeting.position is not None and meeting.position > meeting.date:
            yield warning(
                plan.path,
                source.value(("meetings", index, "position")),
                "BV330",
                f"the position of the meeting of {meeting.date} is taken after it, on {meeting.position}",
                "a paper can only report what was known when it went out: give a date on or before the meeting",
            )
        yield from _missing_sections(plan, index)
    yield from _period_keys(plan.path, source, ("updates",), list(model.updates))


def _missing_sections(plan: Plan, index: int) -> Iterator[Diagnostic]:
    model = plan.model
    meeting = model.meetings[index]
    present = set(model.sections) | set(meeting.sections)
    missing = [key for key in model.required_sections if key not in present]
    if missing:
        yield warning(
            plan.path,
            plan.source.value(("meetings", index, "period")),
            "BV331",
            f"the paper for the meeting of {meeting.date} lacks the required section(s) {', '.join(missing)}",
            "add them under the plan's sections, or under this meeting's sections",
        )


def _theme_order(plan: Plan) -> Iterator[Diagnostic]:
    listed = plan.model.themes
    if listed is None:
        return
    files = {theme.slug for theme in plan.themes} | plan.theme_files
    seen: set[str] = set()
    for index, slug in enumerate(listed):
        if slug in seen:
            yield error(plan.path, plan.source.value(("themes", index)), "BV310", f"theme '{slug}' is listed twice")
        elif slug not in files:
            yield error(
                plan.path,
                plan.source.value(("themes", index)),
                "BV310",
                f"no theme file '{slug}.yaml' in {plan.folder}",
                _known("theme files", sorted(files)),
            )
        seen.add(slug)
    for slug in sorted(files - seen):
        yield error(
            plan.path,
            plan.source.value(("themes",)),
            "BV310",
            f"theme file '{slug}.yaml' is missing from the themes list",
            f"add '{slug}' to themes",
        )


def _duplicate_ids(plan: Plan) -> Iterator[Diagnostic]:
    first: dict[str, tuple[Theme, Path]] = {}
    items: list[tuple[str, Theme, Path]] = []
    for theme in plan.themes:
        for a, action in enumerate(theme.model.actions):
            items.append((action.id, theme, (*theme.action_path(a), "id")))
            for m, milestone in enumerate(action.milestones):
                items.append((milestone.id, theme, (*theme.milestone_path(a, m), "id")))
    for item_id, theme, path in items:
        if item_id not in first:
            first[item_id] = (theme, path)
            continue
        other_theme, other_path = first[item_id]
        other_span = other_theme.source.value(other_path)
        where = f"{other_theme.path}:{other_span.line}:{other_span.col}" if other_span else other_theme.path
        yield error(
            theme.path,
            theme.source.value(path),
            "BV301",
            f"id '{item_id}' is already used at {where}",
            "ids are unique within a plan, across all its theme files; choose another",
        )


def _milestone(
    plan: Plan, theme: Theme, milestone: Milestone, path: Path, workspace: Workspace
) -> Iterator[Diagnostic]:
    source, shown = theme.source, theme.path
    revisions = milestone.revisions
    for index, revision in enumerate(revisions):
        if revision.agreed is not None and revision.agreed < revision.proposed:
            yield error(
                shown,
                source.value((*path, "revisions", index, "agreed")),
                "BV302",
                f"revision agreed on {revision.agreed}, before it was proposed on {revision.proposed}",
                "a board agrees a revision on or after the date it is proposed",
            )
        if revision.to < revision.proposed:
            yield error(
                shown,
                source.value((*path, "revisions", index, "to")),
                "BV321",
                f"the proposed deadline {revision.to} is before the day it was proposed ({revision.proposed})",
                "a revision moves a deadline to a date still to come when it is proposed",
            )
        yield from _not_pending(shown, source, (*path, "revisions"), revisions, index)
        if index and revision.proposed < revisions[index - 1].proposed:
            yield error(
                shown,
                source.value((*path, "revisions", index, "proposed")),
                "BV303",
                f"this revision was proposed on {revision.proposed}, before the one above it "
                f"({revisions[index - 1].proposed})",
                "list revisions in the order they were proposed",
            )
    if milestone.start and milestone.completed and milestone.completed < milestone.start:
        yield error(
            shown,
            source.value((*path, "completed")),
            "BV304",
            f"completed on {milestone.completed}, before the milestone's start ({milestone.start})",
        )
    if milestone.completed and milestone.cancelled:
        yield error(
            shown,
            source.value((*path, "cancelled")),
            "BV308",
            f"milestone {milestone.id} is both completed and cancelled",
            "keep the one that happened",
        )
    for index in range(1, len(milestone.notes)):
        if milestone.notes[index].on < milestone.notes[index - 1].on:
            yield warning(
                shown,
                source.value((*path, "notes", index, "on")),
                "BV313",
                "notes are not in date order",
                "list notes oldest first",
            )
    yield from _within_period(plan, theme, milestone, path)
    if milestone.carried_from:
        yield from _reference(theme, (*path, "carried_from"), milestone.carried_from, workspace, "milestone")


def _not_pending(
    shown: str, source: SourceMap, path: Path, revisions: list[Revision], index: int
) -> Iterator[Diagnostic]:
    """A revision waits from its proposal until it is agreed, withdrawn or superseded (see model.Revision)."""
    revision = revisions[index]
    later = revisions[index + 1] if index + 1 < len(revisions) else None
    here = (*path, index)
    if revision.agreed is not None and revision.withdrawn is not None:
        yield error(
            shown,
            source.value((*here, "withdrawn")),
            "BV322",
            "this revision is both agreed and withdrawn",
            "keep the one that happened; a withdrawal takes back a proposal the board has not agreed",
        )
    if revision.withdrawn is not None and revision.withdrawn.on < revision.proposed:
        yield error(
            shown,
            source.value((*here, "withdrawn", "on")),
            "BV322",
            f"withdrawn on {revision.withdrawn.on}, before it was proposed on {revision.proposed}",
        )
    for key, day in (("agreed", revision.agreed), ("withdrawn", revision.withdrawn.on if revision.withdrawn else None)):
        if day is not None and later is not None and later.proposed < day:
            yield error(
                shown,
                source.value((*here, key) if key == "agreed" else (*here, key, "on")),
                "BV322",
                f"{key} on {day}, after a later revision proposed on {later.proposed} had superseded it",
                "a new proposal supersedes the ones waiting; agree or withdraw the latest",
            )


# Facts (what happened) may not be dated after today; deadlines (`due`, `to`, `start`) may.
def _future_facts(theme: Theme, milestone: Milestone, path: Path, today: dt.date) -> Iterator[Diagnostic]:
    facts: list[tuple[dt.date, Path, str]] = []
    if milestone.completed:
        facts.append((milestone.completed, (*path, "completed"), "a completion"))
    if milestone.cancelled:
        facts.append((milestone.cancelled.on, (*path, "cancelled", "on"), "a cancellation"))
    for i, note in enumerate(milestone.notes):
        facts.append((note.on, (*path, "notes", i, "on"), "a note"))
    for i, revision in enumerate(milestone.revisions):
        facts.append((revision.proposed, (*path, "revisions", i, "proposed"), "a revision proposed"))
        if revision.agreed:
            facts.append((revision.agreed, (*path, "revisions", i, "agreed"), "a revision agreed"))
        if revision.withdrawn:
            facts.append((revision.withdrawn.on, (*path, "revisions", i, "withdrawn", "on"), "a revision withdrawn"))
    for i, correction in enumerate(milestone.corrections):
        facts.append((correction.on, (*path, "corrections", i, "on"), "a correction"))
    if milestone.rag:
        facts.append((milestone.rag.on, (*path, "rag", "on"), "a RAG rating"))
    for day, where, what in facts:
        if day > today:
            yield error(
                theme.path,
                theme.source.value(where),
                "BV320",
                f"{what} dated {day}, after today ({today})",
                "a fact cannot be dated in the future; a deadline (due, to) can",
            )


def _within_period(plan: Plan, theme: Theme, milestone: Milestone, path: Path) -> Iterator[Diagnostic]:
    start, end = plan.model.start, plan.model.end
    if milestone.revisions:
        deadline_path: Path = (*path, "revisions", len(milestone.revisions) - 1, "to")
        deadline = milestone.revisions[-1].to
    else:
        deadline_path, deadline = (*path, "due"), milestone.due
    dated = [(deadline, deadline_path, "deadline")]
    if milestone.completed:
        dated.append((milestone.completed, (*path, "completed"), "completion date"))
    if milestone.cancelled:
        dated.append((milestone.cancelled.on, (*path, "cancelled", "on"), "cancellation date"))
    for day, where, what in dated:
        if not start <= day <= end:
            yield warning(
                theme.path,
                theme.source.value(where),
                "BV305",
                f"{what} {day} is outside the plan period ({start} to {end})",
                "propose a revised date, or check the year",
            )


def _reference(theme: Theme, path: Path, reference: str, workspace: Workspace, kind: str) -> Iterator[Diagnostic]:
    plan_id, _, item_id = reference.partition("/")
    target = workspace.referenced(plan_id)
    if target is None:
        yield error(
            theme.path,
            theme.source.value(path),
            "BV306",
            f"carried_from names plan '{plan_id}', which is not among the plans",
            _known("plans", workspace.known_ids),
        )
        return
    ids = target.action_ids if kind == "action" else target.milestone_ids
    if item_id not in ids:
        # Places are looked up only for a problem: a clean file's source map is never built.
        yield error(
            theme.path,
            theme.source.value(path),
            "BV306",
            f"plan '{plan_id}' has no {kind} '{item_id}'",
            did_you_mean(item_id, sorted(ids)),
        )


def _known(what: str, names: list[str]) -> str | None:
    if not names:
        return None
    shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
    return f"known {what}: {shown}"


def _period_keys(shown: str, source: SourceMap, path: Path, keys: list[str]) -> Iterator[Diagnostic]:
    for key in keys:
        if parse_key(key) is None:
            yield error(shown, source.key((*path, key)), "BV309", f"'{key}' is not a period", KEY_FORMS)
