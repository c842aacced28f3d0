"""The paper's "Changes since the last meeting": each change in words a board member reads.

Pure: the changes `bvplan changes` finds (rules/changes.py) in, lines for the paper out. A kind is
said in words ("Completed", "New deadline proposed"), never as its code (`milestone-completed`);
plans are named by title, not id, and dates are written out ("11 Jun 2018").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bvplan.rules.changes import KINDS, Change

# The words a board member reads for each kind of change (never the internal code).
CHANGE_WORDS: dict[str, str] = {
    "plan-added": "New plan",
    "plan-removed": "Plan removed",
    "milestone-completed": "Completed",
    "milestone-cancelled": "Cancelled",
    "deadline-proposed": "New deadline proposed",
    "deadline-agreed": "New deadline agreed",
    "deadline-moved": "Deadline changed",
    "deadline-withdrawn": "Proposed deadline withdrawn",
    "action-carried-forward": "Carried forward",
    "action-added": "New action",
    "action-removed": "Action removed",
    "milestone-carried-forward": "Carried forward",
    "milestone-added": "New milestone",
    "milestone-removed": "Milestone removed",
    "milestone-reopened": "Completion withdrawn",
    "milestone-reinstated": "Cancellation withdrawn",
    "note-added": "Progress note",
}
assert CHANGE_WORDS.keys() == KINDS.keys()


@dataclass(frozen=True)
class ChangeLine:
    """A change since the last meeting, in words: `what` is "Completed", never `milestone-completed`."""

    kind: str  # the code, for house templates that sort or filter
    what: str
    theme: str
    item_id: str
    title: str
    detail: str


_REFERENCE = re.compile(r"\bfrom ([a-z0-9][a-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _in_words(detail: str, plan_titles: Mapping[str, str]) -> str:
    """A change's detail as a board member reads it: plans by title, not id; dates as '11 Jun 2018'."""

    def plan(match: re.Match[str]) -> str:
        title = plan_titles.get(match[1])
        return f"from the {title} ({match[2]})" if title else match[0]

    def day(match: re.Match[str]) -> str:
        try:
            when = dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return match[0]
        return f"{when.day} {_MONTHS[when.month - 1]} {when.year}"

    return _ISO_DATE.sub(day, _REFERENCE.sub(plan, detail))


def change_lines(
    changes: Iterable[Change], plan_id: str, hidden_ids: set[str], plan_titles: Mapping[str, str]
) -> tuple[ChangeLine, ...]:
    return tuple(
        ChangeLine(
            kind=c.kind,
            what=CHANGE_WORDS.get(c.kind) or c.kind.replace("-", " ").capitalize(),
            theme=c.theme,
            item_id=c.item_id,
            title=c.title,
            detail=_in_words(c.detail, plan_titles),
        )
        for c in changes
        if not (c.plan == plan_id and c.item_id in hidden_ids)
    )
