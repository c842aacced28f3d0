"""A council's register of recommendations (one row per action) turned into recommendations, actions and milestones.

Pure. The layout councils keep: `Recommendation No | Action | Responsibility | Date | Monitoring |
RAG Status | Key Deliverables`. Headings are recognised as the tracker import recognises them
(rules/tracker.py: its heading matching and its date reading are reused, not copied), with the
register's own words. Each recommendation number becomes a recommendation; each row an action
answering it, with a milestone due on the row's date. A row whose number is blank continues the
recommendation above (a merged cell). "Ongoing" is a standing commitment: an action marked
`ongoing`, with no deadline and no milestone, never dropped. The owner's RAG is kept as the
action's `owner_rag`; key deliverables become the evidence the recommendation needs.

Every row comes in, or is named (row and column) with why it did not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bvplan.format.spreadsheet import column_letter
from bvplan.rules.tracker import (  # the tracker's cell text and unique ids, shared
    Unmapped,
    _text,
    _unique,
    guess_columns,
    normal,
    tracker_date,
)

# field -> headings that mean it (compared as rules.tracker.normal leaves them).
FIELDS: dict[str, tuple[str, ...]] = {
    "number": (
        "recommendation no",
        "recommendation number",
        "recommendation ref",
        "recommendation reference",
        "rec no",
        "rec",
        "recommendation id",
        "ref",
        "no",
    ),
    "text": ("recommendation", "recommendation text", "finding", "recommendation made"),
    "action": ("action", "actions", "action to be taken", "agreed action", "management response", "response"),
    "owner": (
        "responsibility",
        "responsible",
        "responsible officer",
        "lead officer",
        "lead",
        "owner",
        "action owner",
        "officer",
    ),
    "due": ("date", "due", "due date", "deadline", "target date", "timescale", "by when", "completion date"),
    "monitoring": ("monitoring", "monitoring arrangements", "monitored by", "monitoring route", "assurance"),
    "owner_rag": ("rag status", "rag", "status", "rag rating"),
    "deliverables": ("key deliverables", "deliverables", "key deliverable", "evidence", "evidence needed", "outputs"),
}
REQUIRED = ("number", "action", "due")
# A date cell meaning a standing commitment, with no deadline.
STANDING_WORDS = {"ongoing", "on going", "continuous", "continual", "rolling", "business as usual", "bau"}
RAG_WORDS = {
    "red": "red",
    "r": "red",
    "amber": "amber",
    "a": "amber",
    "green": "green",
    "g": "green",
    "blue": "blue",
    "b": "blue",
    "complete": "blue",
    "completed": "blue",
}


@dataclass
class Register:
    """What a register brings in: recommendations for plan.yaml and a theme file of the actions."""

    recommendations: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    rows: int  # rows brought in
    standing: int  # of them, standing commitments
    unmapped: list[Unmapped] = field(default_factory=list)  # rows not brought in, and why


def register_columns(header: Sequence[str], given: Mapping[str, str]) -> dict[str, int]:
    """Which column holds which field: `given` (heading or letter -> field) first, then the headings."""
    return guess_columns(header, given, fields=FIELDS, required=REQUIRED)


def _lines(value: Any) -> list[str]:
    """A cell's items: one a line, or split at ';' (key deliverables are often listed so)."""
    if value is None:
        return []
    parts = re.split(r"[\n;]+|^\s*[-•*]\s*", str(value), flags=re.MULTILINE)
    return [" ".join(p.split()).lstrip("-•* ").strip() for p in parts if p and p.strip(" -•*\t")]


def _id_part(number: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", number).strip("-._")


def build_register(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[Any]]],
    mapping: Mapping[str, int],
    prefix: str,
    source: Mapping[str, Any],
    taken: set[str],
    formulas: frozenset[tuple[int, int]] = frozenset(),
) -> Register:
    """The recommendations and answering actions of a register's rows.

    `prefix` starts each id (`INS` + number 3 -> INS3; its actions INS3.1, INS3.2, their milestones
    INS3.1.1); `taken` holds the plan's ids already used, and gains the new ones.
    """
    unmapped: list[Unmapped] = []
    recommendations: dict[str, dict[str, Any]] = {}
    actions: list[dict[str, Any]] = []
    count = standing = 0
    current: str | None = None

    def column(name: str) -> str:
        index = mapping[name]
        heading = header[index] if index < len(header) else ""
        return f"{column_letter(index)} ({heading})" if heading else column_letter(index)

    def cell(number: int, values: Sequence[Any], name: str) -> Any:
        index = mapping.get(name)
        if index is None or index >= len(values):
            return None
        if (number, index) in formulas:
            unmapped.append(Unmapped(number, column(name), "holds a formula (type the value itself)"))
            return None
        return values[index]

    for number, values in rows:
        if not any(_text(v) for v in values):
            continue
        before = len(unmapped)
        rec_number = _text(cell(number, values, "number")) or current
        title = _text(cell(number, values, "action"))
        due_text = _text(cell(number, values, "due"))
        ongoing = normal(due_text) in STANDING_WORDS
        due = None if ongoing else _date_or_none(cell(number, values, "due"))
        rag_text = _text(cell(number, values, "owner_rag"))
        rag = RAG_WORDS.get(normal(rag_text)) if rag_text else None
        problems = []
        if rec_number is None or not _id_part(rec_number):
            problems.append(("number", "no recommendation number, and none above it"))
        if not title:
            problems.append(("action", "no action"))
        if not ongoing and due is None:
            problems.append(("due", f"'{due_text}' is not a date, nor 'Ongoing'" if due_text else "no date"))
        if rag_text and rag is None:
            problems.append(("owner_rag", f"'{rag_text}' is not a RAG status (Red, Amber, Green, Blue)"))
        if problems or len(unmapped) > before:
            unmapped.extend(Unmapped(number, column(name), what) for name, what in problems)
            continue
        assert rec_number is not None
        current = rec_number
        recommendation = recommendations.get(rec_number)
        if recommendation is None:
            rec_id = _unique(f"{prefix}{_id_part(rec_number)}", taken)
            text = _text(cell(number, values, "text")) or (
                f"Recommendation {rec_number} of {source['title']} (its text is not in the register)"
            )
            recommendation = {"id": rec_id, "source": dict(source), "text": text}
            recommendations[rec_number] = recommendation
        elif _text(cell(number, values, "text")) and recommendation["text"].endswith(
            "(its text is not in the register)"
        ):
            recommendation["text"] = _text(cell(number, values, "text"))
        answering = [a for a in actions if recommendation["id"] in a["answers"]]
        action_id = _unique(f"{recommendation['id']}.{len(answering) + 1}", taken)
        action: dict[str, Any] = {"id": action_id, "title": title}
        owner = _text(cell(number, values, "owner"))
        if owner:
            action["owner"] = owner
        action["answers"] = [recommendation["id"]]
        if rag is not None:
            action["owner_rag"] = rag
        if ongoing:
            action["ongoing"] = True
            action["milestones"] = []
            standing += 1
        else:
            assert due is not None
            action["milestones"] = [{"id": _unique(f"{action_id}.1", taken), "title": title, "due": due}]
            previous = recommendation.get("due")
            recommendation["due"] = due if previous is None or due > previous else previous
        for item in _lines(cell(number, values, "deliverables")):
            needed = recommendation.setdefault("evidence_needed", [])
            if item not in needed:
                needed.append(item)
        monitoring = _text(cell(number, values, "monitoring"))
        if monitoring:
            known = recommendation.get("monitoring")
            if known is None:
                recommendation["monitoring"] = monitoring
            elif monitoring not in known.split("; "):
                recommendation["monitoring"] = f"{known}; {monitoring}"
        actions.append(action)
        count += 1
    ordered = [_in_format_order(r) for r in recommendations.values()]
    return Register(ordered, actions, count, standing, unmapped)


_RECOMMENDATION_KEYS = ("id", "source", "text", "due", "evidence_needed", "monitoring")


def _in_format_order(recommendation: dict[str, Any]) -> dict[str, Any]:
    return {key: recommendation[key] for key in _RECOMMENDATION_KEYS if key in recommendation}


def _date_or_none(value: Any) -> dt.date | None:
    """The tracker import's reading of a date cell (rules.tracker.tracker_date), or None."""
    try:
        return tracker_date(value)
    except ValueError:
        return None


def default_prefix(kind: str) -> str:
    """The id prefix for a source kind: INS for an inspection, S24 for an auditor's recommendations..."""
    return {"inspection": "INS", "notice": "BVN", "auditor": "S24-", "peer-challenge": "PC", "cipfa": "CIPFA"}.get(
        kind, "REC"
    )


def source_of(kind: str, title: str, date: dt.date | None) -> dict[str, Any]:
    source: dict[str, Any] = {"kind": kind, "title": title}
    if date is not None:
        source["date"] = date
    return source
