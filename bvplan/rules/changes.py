"""What changed between two versions of the plans: the board's "what has moved since we last met".

Pure: two workspaces in, a list of changes out. Items are matched by id within their plan (ids are
unique in a plan), so an item that moves between themes or files is not reported as removed and
added. The highest new or removed thing is reported, not everything under it: a new action is one
change, not one per milestone; a new plan is one change plus each action it carries forward.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bvplan.format.model import Action, Milestone, Revision
from bvplan.format.workspace import Plan, Theme, Workspace
from bvplan.rules.public_view import public_view
from bvplan.rules.status import DeadlinesBefore, deadline_at

# Every kind of change, in the order reports list them, with the heading for each.
KINDS: dict[str, str] = {
    "plan-added": "Plans added",
    "plan-removed": "Plans removed",
    "milestone-completed": "Milestones completed",
    "milestone-cancelled": "Milestones cancelled",
    "deadline-proposed": "Revised deadlines proposed",
    "deadline-agreed": "Revised deadlines agreed",
    "deadline-moved": "Deadlines moved",
    "deadline-withdrawn": "Revised deadlines withdrawn",
    "action-carried-forward": "Actions carried forward",
    "action-added": "Actions added",
    "action-removed": "Actions removed",
    "milestone-carried-forward": "Milestones carried forward",
    "milestone-added": "Milestones added",
    "milestone-removed": "Milestones removed",
    "milestone-reopened": "Completions withdrawn",
    "milestone-reinstated": "Cancellations withdrawn",
    "note-added": "Notes added",
}
_KIND_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Change:
    kind: str  # a key of KINDS
    plan: str  # plan id
    theme: str  # theme name as the papers give it ("Property"); empty for a whole plan
    item_id: str  # the action or milestone id; the plan id for a whole plan
    title: str
    detail: str  # what happened, e.g. "2018-04-30 → 2018-10-31, agreed 2018-06-11: <reason>"


@dataclass(frozen=True)
class _Item:
    theme: Theme
    action: Action
    position: tuple[int, int, int]  # theme rank, action index, milestone index (-1 for the action)
    milestone: Milestone | None = None


def _one_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _index(plan: Plan, ranks: dict[str, int]) -> tuple[dict[str, _Item], dict[str, _Item]]:
    actions: dict[str, _Item] = {}
    milestones: dict[str, _Item] = {}
    for theme in plan.ordered_themes():
        rank = ranks.setdefault(theme.slug, len(ranks))
        for a, action in enumerate(theme.model.actions):
            actions.setdefault(action.id, _Item(theme, action, (rank, a, -1)))
            for m, milestone in enumerate(action.milestones):
                milestones.setdefault(milestone.id, _Item(theme, action, (rank, a, m), milestone))
    return actions, milestones


class _Collector:
    def __init__(self, plan_id: str, plan_rank: int) -> None:
        self.plan_id = plan_id
        self.plan_rank = plan_rank
        self.found: list[tuple[tuple[int, ...], Change]] = []

    def add(self, kind: str, item: _Item | None, title: str, item_id: str, detail: str) -> None:
        position = item.position if item else (-1, -1, -1)
        theme = item.theme.name if item else ""
        key = (self.plan_rank, _KIND_RANK[kind], *position, len(self.found))
        self.found.append((key, Change(kind, self.plan_id, theme, item_id, title, detail)))

    def item(self, kind: str, item: _Item, detail: str) -> None:
        thing = item.milestone or item.action
        self.add(kind, item, thing.title, thing.id, detail)


def _agreement(revision: Revision) -> str:
    by = f" by {revision.by}" if revision.by else ""
    return f", agreed {revision.agreed}{by}"


def _milestone_changes(out: _Collector, old: Milestone, new: Milestone, item: _Item) -> None:
    if old.completed is None and new.completed is not None:
        deadline = deadline_at(new, new.completed)
        late = (new.completed - deadline).days
        timing = f"by the deadline {deadline}" if late <= 0 else f"{_plural(late, 'day')} after the deadline {deadline}"
        out.item("milestone-completed", item, f"on {new.completed}, {timing}")
    elif old.completed is not None and new.completed is None:
        out.item("milestone-reopened", item, f"the completion of {old.completed} was withdrawn")
    if old.cancelled is None and new.cancelled is not None:
        out.item("milestone-cancelled", item, f"on {new.cancelled.on}: {_one_line(new.cancelled.reason)}")
    elif old.cancelled is not None and new.cancelled is None:
        out.item("milestone-reinstated", item, f"the cancellation of {old.cancelled.on} was withdrawn")
    if old.due != new.due:
        out.item("deadline-moved", item, f"{old.due} → {new.due}: the original deadline was rewritten, not revised")
    before = {(r.proposed, r.to): (i, r) for i, r in enumerate(old.revisions)}
    after = {(r.proposed, r.to) for r in new.revisions}
    new_before, old_before = DeadlinesBefore(new), DeadlinesBefore(old)
    for index, revision in enumerate(new.revisions):
        _, previous = before.get((revision.proposed, revision.to), (-1, None))
        newly_agreed = previous is not None and previous.agreed is None and revision.agreed is not None
        newly_withdrawn = previous is not None and previous.withdrawn is None and revision.withdrawn is not None
        if previous is not None and not newly_agreed and not newly_withdrawn:
            continue  # unchanged: nothing to say, and nothing to compute
        reason = _one_line(revision.reason)
        move = f"{new_before(index)} → {revision.to}"
        if previous is None and revision.agreed is None:
            out.item("deadline-proposed", item, f"{move}, proposed {revision.proposed}: {reason}")
        elif previous is None:
            out.item("deadline-moved", item, f"{move}{_agreement(revision)}: {reason}")
        elif newly_agreed:
            out.item("deadline-agreed", item, f"{move}{_agreement(revision)}: {reason}")
        elif revision.withdrawn is not None:
            why = _one_line(revision.withdrawn.reason)
            out.item(
                "deadline-withdrawn",
                item,
                f"{move}, proposed {revision.proposed}, withdrawn {revision.withdrawn.on}: {why}",
            )
    for key, (old_index, revision) in before.items():
        if key not in after:
            state = "agreed" if revision.agreed else "proposed"
            move = f"{old_before(old_index)} → {revision.to}"
            out.item("deadline-withdrawn", item, f"{move} ({state} {revision.agreed or revision.proposed}) removed")
    known = {(n.on, n.text) for n in old.notes}
    for note in new.notes:
        if (note.on, note.text) not in known:
            out.item("note-added", item, f"{note.on}: {_one_line(note.text)}")


def _carried(reference: str | None) -> str:
    return f"from {reference}; " if reference else ""


def _plan_changes(out: _Collector, old: Plan, new: Plan) -> None:
    ranks: dict[str, int] = {}
    new_actions, new_milestones = _index(new, ranks)
    old_actions, old_milestones = _index(old, ranks)
    for action_id, item in new_actions.items():
        if action_id not in old_actions:
            count = _plural(len(item.action.milestones), "milestone")
            kind = "action-carried-forward" if item.action.carried_from else "action-added"
            out.item(kind, item, _carried(item.action.carried_from) + count)
    for action_id, item in old_actions.items():
        if action_id not in new_actions:
            out.item("action-removed", item, f"with {_plural(len(item.action.milestones), 'milestone')}")
    for milestone_id, item in new_milestones.items():
        milestone = item.milestone
        assert milestone is not None
        previous = old_milestones.get(milestone_id)
        if previous is not None:
            assert previous.milestone is not None
            _milestone_changes(out, previous.milestone, milestone, item)
        elif item.action.id in old_actions:
            kind = "milestone-carried-forward" if milestone.carried_from else "milestone-added"
            out.item(kind, item, f"{_carried(milestone.carried_from)}due {milestone.due}")
    for milestone_id, item in old_milestones.items():
        if milestone_id not in new_milestones and item.action.id in new_actions:
            assert item.milestone is not None
            out.item("milestone-removed", item, f"was due {deadline_at(item.milestone, dt.date.max)}")


def _new_plan(out: _Collector, plan: Plan) -> None:
    actions, milestones = _index(plan, {})
    carried = [item for item in actions.values() if item.action.carried_from]
    summary = f"{_plural(len(actions), 'action')}, {_plural(len(milestones), 'milestone')}"
    if plan.model.carried_from and carried:
        summary += f"; {len(carried)} carried forward from {plan.model.carried_from}"
    elif plan.model.carried_from:
        summary += f"; continues {plan.model.carried_from}"
    out.add("plan-added", None, plan.model.title, plan.id, f"{plan.model.start} to {plan.model.end}: {summary}")
    for item in carried:
        count = _plural(len(item.action.milestones), "milestone")
        out.item("action-carried-forward", item, _carried(item.action.carried_from) + count)


def diff(old: Workspace, new: Workspace, include_exempt: bool = True) -> list[Change]:
    """Every change from `old` to `new`, by plan, then kind (KINDS order), then place in the plan.

    `include_exempt=False` compares the public views (rules/public_view.py), so every figure a
    change gives ("3 milestones", "2 actions, 5 milestones") is counted from what is public. An
    item exempt at either end is hidden at both, so that marking something exempt does not show
    as its removal.
    """
    if not include_exempt:
        hidden = public_view(old).withheld_ids | public_view(new).withheld_ids
        old, new = public_view(old, hidden).workspace, public_view(new, hidden).workspace
    by_id = {p.id: p for p in old.plans} | {p.id: p for p in new.plans}
    order = sorted(by_id.values(), key=lambda p: (p.model.start, p.id))
    found: list[tuple[tuple[int, ...], Change]] = []
    for rank, plan in enumerate(order):
        out = _Collector(plan.id, rank)
        before, after = old.plan(plan.id), new.plan(plan.id)
        if before is None and after is not None:
            _new_plan(out, after)
        elif after is None and before is not None:
            summary = _plural(sum(1 for _ in before.milestones()), "milestone")
            out.add("plan-removed", None, before.model.title, before.id, f"with {summary}")
        elif before is not None and after is not None:
            _plan_changes(out, before, after)
        found.extend(out.found)
    return [change for _, change in sorted(found, key=lambda pair: pair[0])]
