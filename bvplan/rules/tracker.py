"""A council's existing tracker (one row per milestone) turned into a plan's theme files, as data.

Pure: which column holds which field (guessed from the headings, or set by the user), then each
row read into a milestone under its theme and action. What cannot be used is reported by row and
column, never guessed at: a row holding a formula, a date that cannot be read or does not exist, or
text that is not text is left out whole and said so (the import then refuses, unless asked to skip
such rows); a "Completed" status with no completion date stays open, and is said so.
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
from bvplan.format.text import describe, not_text
from bvplan.rules.owners import slug
from bvplan.rules.updates import cell_date

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
    "revision_proposed": ("date proposed", "proposed on", "revision proposed", "date revision proposed"),
    "revision_agreed": (
        "date agreed",
        "agreed on",
        "agreed",
        "revision agreed",
        "date revision agreed",
        "date revised",
        "revised on",
    ),
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


def guess_columns(
    header: Sequence[str],
    given: Mapping[str, str],
    fields: Mapping[str, Sequence[str]] = FIELDS,
    required: Sequence[str] = REQUIRED,
) -> dict[str, int]:
    """Column index for each field: those `given` (column heading or letter -> field) first, then guesses.

    `fields` and `required` are the tracker's unless given: the register import has its own."""
    mapping: dict[str, int] = {}
    letters = {column_letter(i): i for i in range(len(header))}
    by_heading = {normal(h): i for i, h in enumerate(header) if h}
    for column, name in given.items():
        if name not in fields:
            raise MappingError(f"--map {column}={name}: no field '{name}'; fields: {', '.join(fields)}")
        index = by_heading.get(normal(column), letters.get(column.upper()))
        if index is None:
            raise MappingError(
                f"--map {column}={name}: no column '{column}'; columns: {', '.join(h for h in header if h)}"
            )
        mapping[name] = index
    used = set(mapping.values())
    for name, words in fields.items():
        if name in mapping:
            continue
        for word in words:
            index = by_heading.get(word)
            if index is not None and index not in used:
                mapping[name] = index
                used.add(index)
                break
    missing = [name for name in required if name not in mapping]
    if missing:
        raise MappingError(
            f"no column for {', '.join(missing)}; columns: {', '.join(repr(h) for h in header if h)}; "
            f"name them with --map COLUMN=FIELD (e.g. --map 'Target'=due)"
        )
    return mapping


def tracker_date(value: Any) -> dt.date:
    """A date as trackers hold them, or ValueError saying why it is none: what every import reads
    (`rules.updates.cell_date`: a real date, an Excel serial, 30/06/2018, 2018-06-30), or a month as
    the papers write it, 'Oct-15' or 'February 2016' (its last day)."""
    try:
        return cell_date(value)
    except ValueError:
        if not isinstance(value, str):
            raise
        match = _MONTH_YEAR.fullmatch(value.strip())
        if not match:
            raise
    months = {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
    months |= {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
    month = months.get(match[1].casefold())
    if month is None:
        raise ValueError(f"{value.strip()} is not a date; write it as 30/06/2018")
    year = int(match[2]) + (2000 if len(match[2]) == 2 else 0)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class Unmapped:
    """Something in the tracker that was not brought in as it stands. `left_out`: the row it is in
    cannot be brought in at all (an import refuses unless asked to skip such rows); otherwise it is
    a remark, such as a status word that bvplan computes for itself."""

    row: int
    column: str
    message: str
    left_out: bool = True

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}" + ("; row left out" if self.left_out else "")


@dataclass
class TrackerPlan:
    themes: dict[str, dict[str, Any]]  # slug -> theme file data
    theme_order: list[str]
    milestones: int
    first_due: dt.date | None
    last_due: dt.date | None
    unmapped: list[Unmapped] = field(default_factory=list)

    @property
    def rows_left_out(self) -> list[int]:
        """The rows that could not be brought in, in order."""
        return sorted({u.row for u in self.unmapped if u.left_out})


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


@dataclass
class _Row:
    """One row of the tracker as it is read: each field's value, and what could not be read."""

    number: int
    values: Sequence[Any]
    header: Sequence[str]
    mapping: Mapping[str, int]
    formulas: frozenset[tuple[int, int]]
    problems: list[Unmapped] = field(default_factory=list)

    def column(self, name: str) -> str:
        index = self.mapping[name]
        heading = self.header[index] if index < len(self.header) and self.header[index] else ""
        return f"{column_letter(index)} ({heading})" if heading else column_letter(index)

    def problem(self, name: str, message: str, left_out: bool = True) -> None:
        self.problems.append(Unmapped(self.number, self.column(name), message, left_out))

    def raw(self, name: str) -> Any:
        index = self.mapping.get(name)
        if index is None or index >= len(self.values):
            return None
        value = self.values[index]
        if (self.number, index) in self.formulas:
            shown = _text(value)
            what = f" ({shown[:40]})" if shown else ""
            self.problem(name, f"holds a formula{what}; type the value itself")
            return None
        return value

    def text(self, name: str) -> str:
        value = self.raw(name)
        refused = not_text(str(value)) if value is not None else None
        if refused is not None:
            self.problem(name, f"holds the character {describe(refused)}, which is not text")
            return ""
        return _text(value)

    def date(self, name: str) -> dt.date | None:
        value = self.raw(name)
        if not _text(value):
            return None
        try:
            return tracker_date(value)
        except ValueError as exc:
            self.problem(name, str(exc))
            return None


def build(
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[Any]]],
    mapping: Mapping[str, int],
    on: dt.date,
    formulas: frozenset[tuple[int, int]] = frozenset(),
) -> TrackerPlan:
    """Theme files' data from the tracker's rows; `on` dates the notes it brings in.

    A row is brought in whole or not at all: a row with any cell that cannot be read (a formula, a
    date that does not exist, text that is not text) is left out, with every reason listed in
    `unmapped`. Revisions are dated as the tracker dates them (see `_revision`).
    """

    unmapped: list[Unmapped] = []
    themes: dict[str, dict[str, Any]] = {}
    actions: dict[tuple[str, str], dict[str, Any]] = {}
    prefixes: dict[str, str] = {}
    ids: set[str] = set()
    dues: list[dt.date] = []

    count = 0
    for number, values in rows:
        if not any(_text(v) for v in values):
            continue
        row = _Row(number, values, header, mapping, formulas)
        theme_name = row.text("theme")
        title = row.text("milestone")
        due = row.date("due")
        required = (
            ("theme", "no theme", theme_name),
            ("milestone", "no milestone title", title),
            ("due", "no due date", due),
        )
        for name, what, present in required:
            if not present and not any(p.column == row.column(name) for p in row.problems):
                row.problem(name, what)
        action_title = row.text("action")
        action_id_text = row.text("action_id")
        milestone_id = row.text("milestone_id")
        owner = row.text("owner")
        ref = row.text("ref")
        revised = row.date("revised") if "revised" in mapping else None
        revision = _revision(row, due, revised, on) if revised is not None and due is not None else None
        status = row.text("status")
        completed = row.date("completed") if "completed" in mapping else None
        note = row.text("notes")
        if completed is None and not any(p.left_out for p in row.problems):
            if status.casefold() in DONE_WORDS:
                row.problem("status", f"'{status}' but no completion date; left open", left_out=False)
            elif status.casefold() not in OPEN_WORDS:
                row.problem("status", f"status '{status}' not understood; status is computed", left_out=False)
        unmapped += row.problems
        if any(p.left_out for p in row.problems):
            continue
        assert due is not None
        theme_slug = slug(theme_name)
        theme = themes.setdefault(theme_slug, {"theme": theme_name, "actions": []})
        prefix = prefixes.setdefault(theme_slug, _unique_prefix(_prefix(theme_name), set(prefixes.values())))
        action_title = action_title or theme_name
        key = (theme_slug, action_title.casefold())
        action = actions.get(key)
        if action is None:
            action_id = action_id_text or f"{prefix}{len(theme['actions']) + 1}"
            action_id = _unique(_safe_id(action_id, f"{prefix}{len(theme['actions']) + 1}"), ids)
            action = {"id": action_id, "title": action_title, "milestones": []}
            actions[key] = action
            theme["actions"].append(action)
        fallback = f"{action['id']}.{len(action['milestones']) + 1}"
        milestone: dict[str, Any] = {"id": _unique(_safe_id(milestone_id, fallback), ids), "title": title}
        if owner:
            milestone["owner"] = owner
        if ref:
            milestone["ref"] = ref
        milestone["due"] = due
        dues.append(due)
        if revision is not None:
            milestone["revisions"] = [revision]
        if completed is not None:
            milestone["completed"] = completed
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


NO_REASON = "Revised date brought in from the tracker; its reason was not recorded there"


def _revision(row: _Row, due: dt.date, revised: dt.date, on: dt.date) -> dict[str, Any] | None:
    """The tracker's revised date as a revision, dated as the tracker dates it.

    Where the tracker says when the revision was proposed or agreed, those dates are kept: a
    revision with a proposal date and no agreement date is a proposal still waiting. Where it says
    neither, the revision is taken as proposed and agreed on the original deadline (or on `on`, the
    day of the import, or the new deadline, if either is earlier): a tracker lists the deadline in
    force, so a milestone was not overdue against a deadline the board had moved, and no date is
    made up after the fact that would make a past `--as-of` show it overdue.
    """
    if revised == due:
        return None
    reason = row.text("revision_reason") or NO_REASON
    proposed = row.date("revision_proposed") if "revision_proposed" in row.mapping else None
    agreed = row.date("revision_agreed") if "revision_agreed" in row.mapping else None
    if proposed is None and agreed is None:
        when = min(due, revised, on)
        return {"to": revised, "reason": reason, "proposed": when, "agreed": when}
    revision: dict[str, Any] = {"to": revised, "reason": reason, "proposed": proposed or agreed}
    if agreed is not None:
        revision["agreed"] = agreed
    return revision


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
