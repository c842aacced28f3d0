"""`bvplan due` as text and Markdown: what each owner has overdue or due soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bvplan.papers.markdown import escape
from bvplan.rules.owners import OwnedMilestone, by_owner
from bvplan.rules.status import Status


def when(row: OwnedMilestone, as_of: dt.date) -> str:
    status = row.status
    if status.status is Status.OVERDUE:
        days = status.days_overdue
        return f"overdue by {days} day{'s' if days != 1 else ''}"
    days = (status.deadline - as_of).days
    if days == 0:
        return "due today"
    return f"due in {days} day{'s' if days != 1 else ''}"


def heading(rows: Sequence[OwnedMilestone], as_of: dt.date, within: int) -> str:
    overdue = sum(r.status.status is Status.OVERDUE for r in rows)
    owners = len({r.owner for r in rows})
    return (
        f"Due within {within} days of {as_of.isoformat()}, or overdue: {len(rows)} milestone"
        f"{'s' if len(rows) != 1 else ''} ({overdue} overdue) for {owners} owner{'s' if owners != 1 else ''}"
    )


def _line(row: OwnedMilestone, as_of: dt.date, with_owner: bool) -> str:
    status = row.status
    owner = f"  [{row.owner}]" if with_owner else ""
    return (
        f"  {status.deadline.isoformat()}  {when(row, as_of):<20} {row.plan_id}/{status.id}  "
        f"{status.milestone.title}{owner}"
    )


def as_text(rows: Sequence[OwnedMilestone], as_of: dt.date, within: int, grouped: bool) -> str:
    out = [heading(rows, as_of, within)]
    if grouped:
        for owner, items in by_owner(rows).items():
            out += ["", f"{owner} ({len(items)})"]
            out += [_line(r, as_of, with_owner=False) for r in items]
    else:
        out.append("")
        out += [_line(r, as_of, with_owner=True) for r in rows]
    return "\n".join(out) + "\n"


def as_markdown(rows: Sequence[OwnedMilestone], as_of: dt.date, within: int, grouped: bool) -> str:
    out = [f"# {escape(heading(rows, as_of, within))}"]
    groups = by_owner(rows) if grouped else {"": list(rows)}
    for owner, items in groups.items():
        if owner:
            out += ["", f"## {escape(owner)}"]
        out += ["", "| Deadline | When | Milestone | Title | Owner |", "|---|---|---|---|---|"]
        out += [
            f"| {r.status.deadline.isoformat()} | {when(r, as_of)} | {escape(r.reference)} | "
            f"{escape(r.status.milestone.title)} | {escape(r.owner)} |"
            for r in items
        ]
    return "\n".join(out) + "\n"
