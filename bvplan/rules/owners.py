"""Milestones by the person who answers for them: owner lists, what is due, and fingerprints.

Pure: given plan statuses on a reporting date, which milestones each owner has open, which are due
soon or overdue, and a fingerprint of each milestone as it stands, so that an owner's returned
spreadsheet can be checked against the plan it was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bvplan.format.model import Milestone
from bvplan.rules.status import STANDARD, MilestoneStatus, PlanStatus, Status, Vocabulary

NO_OWNER = "(no owner)"
OPEN = (Status.IN_PROGRESS, Status.OVERDUE, Status.NOT_STARTED)


@dataclass(frozen=True, slots=True)
class OwnedMilestone:
    plan_id: str
    theme: str
    action_id: str
    action_title: str
    status: MilestoneStatus
    vocabulary: Vocabulary = STANDARD  # the plan's words for the status

    @property
    def owner(self) -> str:
        return self.status.owner or NO_OWNER

    @property
    def reference(self) -> str:
        return f"{self.plan_id}/{self.status.id}"

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.plan_id, self.status.milestone)


def fingerprint(plan_id: str, milestone: Milestone) -> str:
    """A short hash of a milestone's data: it changes with any fact of the milestone, not with layout."""
    data = {"plan": plan_id, "milestone": milestone.model_dump(mode="json", exclude_defaults=True)}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def owned(statuses: Iterable[PlanStatus]) -> list[OwnedMilestone]:
    """Every milestone of the plans with its owner (through the owner chain), in plan order."""
    rows: list[OwnedMilestone] = []
    for plan in statuses:
        for theme in plan.themes:
            for action in theme.actions:
                for milestone in action.milestones:
                    rows.append(
                        OwnedMilestone(
                            plan.plan_id, theme.name, action.action.id, action.action.title, milestone, plan.vocabulary
                        )
                    )
    return rows


def matches_owner(owner: str, wanted: Sequence[str]) -> bool:
    """True when no owner is asked for, or `owner` contains one of `wanted` (ignoring case)."""
    return not wanted or any(w.casefold() in owner.casefold() for w in wanted)


def open_milestones(rows: Iterable[OwnedMilestone], wanted_owners: Sequence[str] = ()) -> list[OwnedMilestone]:
    """Milestones still to be delivered on the reporting date: in progress, overdue or not started."""
    return [r for r in rows if r.status.status in OPEN and matches_owner(r.owner, wanted_owners)]


def to_deliver(rows: Iterable[OwnedMilestone]) -> list[OwnedMilestone]:
    """Rows whose milestone the files do not already record as completed or cancelled, on any date.

    An export on a past reporting date must not ask an owner about work the plan already shows done.
    """
    return [r for r in rows if r.status.milestone.completed is None and r.status.milestone.cancelled is None]


def by_owner(rows: Iterable[OwnedMilestone]) -> dict[str, list[OwnedMilestone]]:
    """Rows grouped by owner, owners in alphabetical order (ignoring case), rows kept in their order."""
    groups: dict[str, list[OwnedMilestone]] = {}
    for row in rows:
        groups.setdefault(row.owner, []).append(row)
    return {owner: groups[owner] for owner in sorted(groups, key=lambda o: (o == NO_OWNER, o.casefold(), o))}


def due(rows: Iterable[OwnedMilestone], day: dt.date, within_days: int) -> list[OwnedMilestone]:
    """Open milestones overdue on `day`, or whose deadline in force falls within `within_days` of it."""
    chosen = [
        row
        for row in rows
        if row.status.status is Status.OVERDUE
        or (row.status.status in OPEN and (row.status.deadline - day).days <= within_days)
    ]
    return sorted(chosen, key=lambda r: (r.status.deadline, r.plan_id, r.status.id))


def slug(text: str, limit: int = 60) -> str:
    """A file name for an owner: lower-case words joined by '-', never empty."""
    words = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
    return words[:limit].rstrip("-") or "owner"


def unique_slugs(names: Iterable[str]) -> dict[str, str]:
    """A distinct file-name slug for each name: a clash gets '-2', '-3'."""
    taken: set[str] = set()
    result: dict[str, str] = {}
    for name in names:
        base = slug(name)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        result[name] = candidate
    return result
