"""A council's existing tracker (one row per milestone) turned into a plan's theme files, as data.

Pure: which column holds which field (guessed from the headings, or set by the user), then each
row read into a milestone under its theme and action. What cannot be used is reported by row and
column, never guessed at: a "Completed" status with no completion date stays open, a date that
cannot be read is left out and said so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bvplan.errors import UsageError
from bvplan.format.spreadsheet import column_letter
from bvplan.rules.owners import slug
from bvplan.rules.updates import as_date

# field -> headings that mean it (compared in lower case, punctuation as spaces).
FIELDS: dict[str, tuple[str, ...]] = {
    "theme": ("theme", "area", "work stream", "workstream", "action plan", "priority", "strand"),
    "action": ("action", "strategic action", "action title", "action description"),
    "action_id": ("action id", "action ref", "action no", "action number", "action reference"),
    "milestone": ("milestone", "key milestone", "milestones", "deliverable", "milestone title", "task"),
    "milestone_id": ("milestone id", "milestone ref", "milestone no", "milestone number", "id", "no"),
    "owner": ("owner", "lead", "lead officer", "responsible officer", "responsible", "officer", "milestone owner"),
    "due": ("due", "due date", "deadline", "target date", "original deadline", "original date", "date due", "target"),
    "revised": ("revised date", "revised deadline", "new date", "revised target", "revised target date", "revised"),
    "revision_reason": ("reason", "reason for revision", "revision reason", "reason for change"),
    "status": ("status", "rag", "rag status", "progress status"),
    "completed": ("completed", "completed on", "date completed", "completion date", "actual date"),
    "notes": ("notes", "note", "comments", "commentary", "progress", "update", "latest update", "progress update"),
    "ref": ("ref", "reference", "code", "pentana code", "pentana ref", "system ref"),
}
REQUIRED = ("theme", "milestone", "due")
DONE_WORDS = {"completed", "complete", "done", "achieved", "delivered", "blue", "closed"}
OPEN_WORDS = {
    "in progress",
    "on track",
    "on target",
    "overdue",
    "not started",
    "green",
    "amber",
    "red",
    "delayed",
    "at risk",
    "",
}
_MONTH_YEAR = re.compile(r"([A-Za-z]{3,9})[- ](\d{2}|\d{4})")


class MappingError(UsageError, ValueError):
    """The columns cannot be mapped: a --map names nothing, or a required field has no column."""


def normal(heading: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", heading.casefold()).split())


def guess_columns(header: Sequence[str], given: Mapping[str, str]) -> dict[str, int]:
    """Column index for each field: those `given` (column heading or letter -> field) first, then guesses."""
    mapping: dict[str, int] = {}
    letters = {column_letter(i): i for i in range(len(header))}
    by_heading = {normal(h): i for i, h in enumerate(header) if h}
    for column, name in given.items():
        if name not in FIELDS:
            raise MappingError(f"--map {column}={name}: no field '{name}'; fields: {', '.join(FIELDS)}")
        index = by_heading.get(normal(column), letters.get(column.upper()))
        if index is None:
            raise MappingError(
                f"--map {column}={name}: no column '{column}'; columns: {', '.join(h for h in header if h)}"
            )
        mapping[name] = index
    used = set(mapping.values())
    for name, words in FIELDS.items():
        if name in mapping:
            continue
        for word in words:
            index = by_heading.get(word)
            if index is not None and index not in used:
                mapping[name] = index
                used.add(index)
                break
    missing = [name for name in REQUIRED if name not in mapping]
    if missing:
        raise MappingError(
            f"no column for {', '.join(missing)}; columns: {', '.join(repr(h) for h in header if h)}; "
            f"name them with --map COLUMN=FIELD (e.g. --map 'Target'=due)"
        )
    return mapping


def tracker_date(value: Any) -> dt.date | None:
    """A date as trackers hold them: a real date, 30/06/2018, 2018-06-30, or a month 'Oct-15' (its last day)."""
    day = as_date(value)
    if day is not None or not isinstance(value, str):
        return day
    match = _MONTH_YEAR.fullmatch(value.strip())
    if not match:
        return None
    months = {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
    months |= {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
    month = months.get(match[1].casefold())
    if month is None:
        return None
    year = int(match[2]) + (2000 if len(match[2]) == 2 else 0)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class Unmapped:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class TrackerPlan:
    themes: dict[str, dict[str, Any]]  # slug -> theme file data
    theme_order: list[str]
    milestones: int
    first_due: dt.date | None
    last_due: dt.date | None
    unmapped: list[Unmapped] = field(default_factory=list)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _prefix(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.casefold() not in {"and", "of", "the", "for"}]
    letters = "".join(w[0] for w in words[:2]).upper() if len(words) > 1 else (words[0][:2].upper() if words else "T")
    return letters or "T"


def build(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[Any]]],
    mapping: Mapping[str, int],
    on: dt.date,
    formulas: frozenset[tuple[int, int]] = frozenset(),
) -> TrackerPlan:
    """Theme files' data from the tracker's rows; `on` dates the notes and revisions it brings in."""

    unmapped: list[Unmapped] = []
    themes: dict[str, dict[str, Any]] = {}
    actions: dict[tuple[str, str], dict[str, Any]] = {}
    prefixes: dict[str, str] = {}
    ids: set[str] = set()
    dues: list[dt.date] = []

    def cell(number: int, values: Sequence[Any], name: str) -> Any:
        index = mapping.get(name)
        if index is None or index >= len(values):
            return None
        if (number, index) in formulas:
            unmapped.append(Unmapped(number, _column(index), "holds a formula; left out (type the value itself)"))
            return None
        return values[index]

    def _column(index: int) -> str:
        heading = header[index] if index < len(header) and header[index] else ""
        return f"{column_letter(index)} ({heading})" if heading else column_letter(index)

    count = 0
    for number, values in rows:
        if not any(_text(v) for v in values):
            continue
        theme_name = _text(cell(number, values, "theme"))
        title = _text(cell(number, values, "milestone"))
        due_value = cell(number, values, "due")
        due = tracker_date(due_value)
        missing = [
            (name, what)
            for name, what, ok in (
                ("theme", "no theme", theme_name),
                ("milestone", "no milestone title", title),
                ("due", f"'{_text(due_value)}' is not a date" if _text(due_value) else "no due date", due),
            )
            if not ok
        ]
        if missing:
            for name, what in missing:
                unmapped.append(Unmapped(number, _column(mapping[name]), f"{what}; row left out"))
            continue
        assert due is not None
        theme_slug = slug(theme_name)
        theme = themes.setdefault(theme_slug, {"theme": theme_name, "actions": []})
        prefix = prefixes.setdefault(theme_slug, _unique_prefix(_prefix(theme_name), set(prefixes.values())))
        action_title = _text(cell(number, values, "action")) or theme_name
        key = (theme_slug, action_title.casefold())
        action = actions.get(key)
        if action is None:
            action_id = _text(cell(number, values, "action_id")) or f"{prefix}{len(theme['actions']) + 1}"
            action_id = _unique(_safe_id(action_id, f"{prefix}{len(theme['actions']) + 1}"), ids)
            action = {"id": action_id, "title": action_title, "milestones": []}
            actions[key] = action
            theme["actions"].append(action)
        milestone_id = _text(cell(number, values, "milestone_id"))
        fallback = f"{action['id']}.{len(action['milestones']) + 1}"
        milestone: dict[str, Any] = {"id": _unique(_safe_id(milestone_id, fallback), ids), "title": title}
        owner = _text(cell(number, values, "owner"))
        if owner:
            milestone["owner"] = owner
        ref = _text(cell(number, values, "ref"))
        if ref:
            milestone["ref"] = ref
        milestone["due"] = due
        dues.append(due)
        revised_value = cell(number, values, "revised")
        if _text(revised_value):
            revised = tracker_date(revised_value)
            if revised is None:
                unmapped.append(
                    Unmapped(number, _column(mapping["revised"]), f"'{_text(revised_value)}' is not a date; left out")
                )
            elif revised != due:
                reason = _text(cell(number, values, "revision_reason")) or (
                    "Revised date brought in from the tracker; its reason was not recorded there"
                )
                # A tracker does not say when a date was revised: the import's date, but never after the
                # new deadline itself, since no revision proposes a deadline already past (BV321).
                when = min(on, revised)
                milestone["revisions"] = [{"to": revised, "reason": reason, "proposed": when, "agreed": when}]
        status = _text(cell(number, values, "status"))
        completed_value = cell(number, values, "completed")
        completed = tracker_date(completed_value) if _text(completed_value) else None
        if _text(completed_value) and completed is None:
            unmapped.append(
                Unmapped(number, _column(mapping["completed"]), f"'{_text(completed_value)}' is not a date; left out")
            )
        if completed is not None:
            milestone["completed"] = completed
        elif status.casefold() in DONE_WORDS:
            where = _column(mapping["status"])
            unmapped.append(Unmapped(number, where, f"'{status}' but no completion date; left open"))
        elif status.casefold() not in OPEN_WORDS:
            unmapped.append(
                Unmapped(number, _column(mapping["status"]), f"status '{status}' not understood; status is computed")
            )
        note = _text(cell(number, values, "notes"))
        if note:
            milestone["notes"] = [{"on": on, "text": note}]
        action["milestones"].append(milestone)
        count += 1
    for action in actions.values():
        owners = {m.get("owner") for m in action["milestones"]}
        if len(owners) == 1 and None not in owners:
            action_owner = owners.pop()
            for m in action["milestones"]:
                del m["owner"]
            # Keep the key order of the format: id, title, owner, then milestones.
            action["owner"] = action_owner
            action["milestones"] = action.pop("milestones")
    return TrackerPlan(themes, list(themes), count, min(dues, default=None), max(dues, default=None), unmapped)


def _safe_id(text: str, fallback: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")
    return cleaned if cleaned else fallback


def _unique(candidate: str, taken: set[str]) -> str:
    result, n = candidate, 1
    while result in taken:
        n += 1
        result = f"{candidate}-{n}"
    taken.add(result)
    return result


def _unique_prefix(prefix: str, taken: set[str]) -> str:
    return _unique(prefix, set(taken))
