"""Finding things in the plans: what a user's PLAN/ID names, one item's whole life across plans, the
ids and titles, and text search.

Every command that takes an item from the user reads it with `split_reference` (ID or PLAN/ID,
and `--plan`) and finds a plan by id with `plan_named`, so that each refuses the same way.
Pure: takes loaded plans, returns data for `bvplan show`, `list`, `search` and the edits to use. An item
carried forward keeps its id in the next plan and names where it came from (`carried_from`), so an
item's life is the chain of those links, followed back from the latest plan that holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bvplan.errors import UsageError
from bvplan.format.model import Action, Milestone
from bvplan.format.workspace import Plan, Theme, Workspace
from bvplan.rules.owners import matches_owner
from bvplan.suggest import did_you_mean


class NotFound(UsageError, ValueError):
    """No action or milestone has the id asked for; the message says what there is."""


REFERENCE_FORMS = "ID or PLAN/ID, e.g. PR2.3 or bvip-2017-18/PR2.3"


def split_reference(reference: str, plan_option: str | None = None) -> tuple[str | None, str]:
    """What a user wrote for an item, ID or PLAN/ID (with `--plan`'s value, if given): the plan it
    names (None when neither does) and the item's id. A PLAN/ID naming another plan than --plan is
    refused, as is an empty part."""
    named, slash, item_id = reference.strip().rpartition("/")
    if not item_id or (slash and not named):
        raise NotFound(f"'{reference}' is not an item; write {REFERENCE_FORMS}")
    if slash and plan_option is not None and named != plan_option:
        raise NotFound(f"'{reference}' names plan '{named}' but --plan names '{plan_option}'; give one")
    return (named if slash else plan_option), item_id


def plan_named(workspace: Workspace, plan_id: str, problems: bool = False) -> Plan:
    """The plan with this id; NotFound naming the nearest ids (or all) when there is none. `problems`:
    some plans did not load, which may be why (the message says so)."""
    plan = workspace.plan(plan_id)
    if plan is None:
        hint = did_you_mean(plan_id, workspace.ids) or "plans: " + ", ".join(workspace.ids)
        why = " (some plans have errors: run 'bvplan validate')" if problems else ""
        raise NotFound(f"no plan '{plan_id}'; {hint}{why}")
    return plan


@dataclass(frozen=True)
class Event:
    on: dt.date
    kind: str  # "due", "proposed", "agreed", "withdrawn", "note", "completed", "cancelled", "reopened"
    text: str


@dataclass(frozen=True)
class Stage:
    """The item as one plan holds it."""

    plan: Plan
    theme: Theme
    action: Action
    milestone: Milestone | None  # None when the item is an action
    events: list[Event] = field(default_factory=list)

    @property
    def reference(self) -> str:
        return f"{self.plan.id}/{self.item_id}"

    @property
    def item_id(self) -> str:
        return self.milestone.id if self.milestone else self.action.id

    @property
    def title(self) -> str:
        return self.milestone.title if self.milestone else self.action.title

    @property
    def carried_from(self) -> str | None:
        return self.milestone.carried_from if self.milestone else self.action.carried_from


def _find(plan: Plan, item_id: str) -> tuple[Theme, Action, Milestone | None] | None:
    for theme in plan.themes:
        for action in theme.model.actions:
            if action.id == item_id:
                return theme, action, None
            for milestone in action.milestones:
                if milestone.id == item_id:
                    return theme, action, milestone
    return None


def events_of(milestone: Milestone) -> list[Event]:
    """Everything the file records of a milestone, in date order (a deadline before facts of its day)."""
    found = [Event(milestone.due, "due", "original deadline")]
    for revision in milestone.revisions:
        found.append(Event(revision.proposed, "proposed", f"new deadline {revision.to}: {revision.reason}"))
        if revision.agreed:
            found.append(
                Event(
                    revision.agreed, "agreed", f"deadline {revision.to}" + (f" by {revision.by}" if revision.by else "")
                )
            )
        if revision.withdrawn:
            found.append(
                Event(revision.withdrawn.on, "withdrawn", f"proposal of {revision.to}: {revision.withdrawn.reason}")
            )
    found += [Event(note.on, "note", note.text) for note in milestone.notes]
    if milestone.completed:
        found.append(Event(milestone.completed, "completed", "completed"))
    if milestone.cancelled:
        found.append(Event(milestone.cancelled.on, "cancelled", milestone.cancelled.reason))
    for correction in milestone.corrections:
        found.append(
            Event(correction.on, "reopened", f"{correction.reopened} {correction.was} taken back: {correction.reason}")
        )
    rank = {"due": 0}
    return sorted(found, key=lambda e: (e.on, rank.get(e.kind, 1)))


def life(workspace: Workspace, reference: str) -> list[Stage]:
    """The item `reference` (ID or PLAN/ID) in every plan it passed through, oldest first.

    A bare id starts from the latest plan holding it; the chain then follows `carried_from` back.
    """
    plan_id, item_id = split_reference(reference)
    if plan_id is not None:
        start = [plan_named(workspace, plan_id)]
    else:
        start = sorted(workspace.plans, key=lambda p: (p.model.start, p.id), reverse=True)
    stages: list[Stage] = []
    for plan in start:
        hit = _find(plan, item_id)
        if hit is not None:
            stages.append(_stage(plan, *hit))
            break
    if not stages:
        raise NotFound(f"no action or milestone '{reference}'")
    seen = {stages[0].reference}
    while stages[-1].carried_from:
        try:
            back_plan, back_id = split_reference(stages[-1].carried_from)
        except NotFound:  # not PLAN/ID: validate reports it (BV306); the chain ends here
            break
        plan_found = workspace.plan(back_plan) if back_plan is not None else None
        hit = _find(plan_found, back_id) if plan_found else None
        if plan_found is None or hit is None or f"{back_plan}/{back_id}" in seen:
            break
        seen.add(f"{back_plan}/{back_id}")
        stages.append(_stage(plan_found, *hit))
    return stages[::-1]


def _stage(plan: Plan, theme: Theme, action: Action, milestone: Milestone | None) -> Stage:
    return Stage(plan, theme, action, milestone, events_of(milestone) if milestone else [])


@dataclass(frozen=True)
class Entry:
    plan: str
    theme: str
    kind: str  # "action" or "milestone"
    item_id: str
    title: str
    owner: str | None
    due: dt.date | None


def listing(
    workspace: Workspace, plan_id: str | None = None, theme: str | None = None, owners: Sequence[str] = ()
) -> list[Entry]:
    """Actions and their milestones, plan by plan in the order of the plans' start, themes in report order;
    with `owners`, those whose owner (or their action's) contains one of them."""
    plans = sorted(workspace.plans, key=lambda p: (p.model.start, p.id))
    if plan_id is not None:
        plans = [plan_named(workspace, plan_id)]
    if theme:
        names = {name for plan in plans for t in plan.themes for name in (t.slug, t.name)}
        if theme.casefold() not in {name.casefold() for name in names}:
            slugs = sorted({t.slug for plan in plans for t in plan.themes})
            raise NotFound(f"no theme '{theme}' in the chosen plans; themes: {', '.join(slugs)}")
    entries: list[Entry] = []
    for plan in plans:
        for each in plan.ordered_themes():
            if theme and theme.casefold() not in (each.slug.casefold(), each.name.casefold()):
                continue
            for action in each.model.actions:
                kept = [m for m in action.milestones if matches_owner(m.owner or action.owner or "", owners)]
                if owners and not kept and not matches_owner(action.owner or "", owners):
                    continue
                entries.append(Entry(plan.id, each.name, "action", action.id, action.title, action.owner, None))
                entries += [
                    Entry(plan.id, each.name, "milestone", m.id, m.title, m.owner or action.owner, m.due) for m in kept
                ]
    return entries


@dataclass(frozen=True)
class Hit:
    plan: str
    theme: str
    item_id: str  # the action or milestone; the period for a theme update
    kind: str  # "action", "milestone", "note", "update"
    text: str  # the text that matched


def search(workspace: Workspace, text: str) -> list[Hit]:
    """Every action, milestone, note and theme update whose text contains `text` (case-insensitive)."""
    wanted = text.casefold()
    hits: list[Hit] = []

    def look(plan: Plan, theme: Theme, item_id: str, kind: str, *texts: str | None) -> None:
        for each in texts:
            if each and wanted in each.casefold():
                hits.append(Hit(plan.id, theme.name, item_id, kind, each))
                return

    for plan in sorted(workspace.plans, key=lambda p: (p.model.start, p.id)):
        for theme in plan.ordered_themes():
            for action in theme.model.actions:
                look(plan, theme, action.id, "action", action.id, action.title, action.owner)
                for milestone in action.milestones:
                    look(plan, theme, milestone.id, "milestone", milestone.id, milestone.title, milestone.owner)
                    for note in milestone.notes:
                        look(plan, theme, milestone.id, "note", note.text)
            for period, update in theme.model.updates.items():
                look(
                    plan,
                    theme,
                    period,
                    "update",
                    update.summary,
                    *update.achievements,
                    *update.outcomes,
                    *update.continuing,
                )
    return hits
