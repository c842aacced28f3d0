"""The edit commands' work between the command line and the disk: find, edit, check, show, write.

Every write goes the same way: read the file once (the snapshot), compute the new bytes by a
surgical splice, validate the plans as they would be with the new bytes, and only then write
atomically, refusing if the file changed since the snapshot. An edit that would add an error is
refused with the validator's message; nothing is written on any refusal.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from bvplan.clock import today
from bvplan.edits.files import Snapshot, read_snapshot, write_plan_files
from bvplan.edits.yaml_edit import (
    Edited,
    EditError,
    Source,
    append_item,
    insert_item,
    remove_key,
    set_key,
)
from bvplan.errors import UsageError
from bvplan.format.diagnostics import Diagnostic, PlansInvalid, Report, Severity
from bvplan.format.loader import Loaded, display_path
from bvplan.format.model import Action, Milestone
from bvplan.format.periods import parse_date
from bvplan.format.workspace import Plan, Theme
from bvplan.format.yamlsource import Path as DataPath
from bvplan.rules.lookup import plan_named, split_reference
from bvplan.rules.validation import validate
from bvplan.suggest import closest

MODELINE = "# yaml-language-server:"


@dataclass
class FileChange:
    path: Path
    snapshot: Snapshot
    after: bytes

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def diff(self) -> str:
        before = (self.snapshot.content or b"").decode("utf-8", "replace").splitlines()
        after = self.after.decode("utf-8", "replace").splitlines()
        old_name = "/dev/null" if self.snapshot.content is None else f"a/{self.shown}"
        lines = difflib.unified_diff(before, after, old_name, f"b/{self.shown}", lineterm="")
        return "".join(line + "\n" for line in lines)


@dataclass
class Outcome:
    changes: list[FileChange]
    summary: str
    warnings: list[Diagnostic] = field(default_factory=list)
    lines: dict[str, list[str]] = field(default_factory=dict)
    chosen: str = ""  # which plan a bare id was taken to mean, and why


def fact_date(text: str | None, what: str, today: dt.date) -> dt.date:
    """The date of something that happened: today by default, never after today."""
    return refuse_future(today if text is None else parse_date(text, what), what, today)


def refuse_future(day: dt.date, what: str, today: dt.date) -> dt.date:
    """`day`, the date of something that happened, unless it is after today."""
    if day > today:
        raise UsageError(
            f"{what} {day} is after today ({today}): a fact cannot be dated in the future (a deadline can: revise --to)"
        )
    return day


def load_plans(plans_dir: Path) -> Loaded:
    return validate([plans_dir])


# --- finding a milestone --------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    plan: Plan
    theme: Theme
    action: Action
    milestone: Milestone
    path: DataPath  # of the milestone within the theme file
    why: str = ""  # how a bare id was matched to this plan, for the user; empty when the plan was named

    @property
    def reference(self) -> str:
        return f"{self.plan.id}/{self.milestone.id}"


def find_milestone(loaded: Loaded, reference: str, day: dt.date | None = None, plan_id: str | None = None) -> Found:
    """The milestone `reference` names on the edit's date `day` (default: today).

    `PLAN/ID` or `plan_id` name the plan. A bare id means the milestone in the plan live on `day`,
    else in the latest plan holding it; a plan that ended before `day` is closed, and is edited only
    when named.
    """
    day = day or today()
    named, item_id = split_reference(reference, plan_id)
    plans = loaded.workspace.plans
    if named:
        plans = (plan_named(loaded.workspace, named, bool(loaded.report.errors)),)
    matches = [
        Found(plan, theme, action, milestone, path)
        for plan in plans
        for theme, action, milestone, path in plan.milestones()
        if milestone.id == item_id
    ]
    if matches and named:
        return matches[0]
    if matches:
        return _current(matches, item_id, day)
    actions = [a for plan in plans for _t, _i, a in plan.actions() if a.id == item_id]
    if actions:
        ids = ", ".join(m.id for m in actions[0].milestones)
        raise UsageError(f"'{item_id}' is an action, not a milestone; its milestones: {ids}")
    known = [m.id for plan in plans for _t, _a, m, _p in plan.milestones()]
    known += [f"{plan.id}/{m.id}" for plan in plans for _t, _a, m, _p in plan.milestones()]
    problems = " (some plans have errors: run 'bvplan validate')" if loaded.report.errors else ""
    raise UsageError(f"no milestone '{reference}'{_suggest(reference, known)}{problems}")


def _current(matches: list[Found], item_id: str, day: dt.date) -> Found:
    """Of the plans holding a bare id: the one live on `day`, else the latest, unless that one is closed."""
    others = len(matches) > 1
    live = [m for m in matches if m.plan.model.start <= day <= m.plan.model.end]
    if len(live) > 1:
        options = ", ".join(m.reference for m in live)
        raise UsageError(f"milestone '{item_id}' is in more than one plan live on {day}; name one: {options}")
    if live:
        also = f"; also in {', '.join(m.plan.id for m in matches if m is not live[0])}" if others else ""
        return replace(live[0], why=f"the plan live on {day}{also}")
    latest = max(matches, key=lambda m: (m.plan.model.start, m.plan.id))
    if latest.plan.model.end < day:
        raise UsageError(
            f"{item_id} is in {latest.plan.id}, which closed on {latest.plan.model.end}, before {day}; "
            f"to edit a closed plan, name it: {latest.reference} (or --plan {latest.plan.id})",
        )
    return replace(latest, why=f"the latest plan holding {item_id}; none is live on {day}")


def _suggest(word: str, choices: list[str]) -> str:
    matches = closest(word, sorted(set(choices)), n=3)
    return "; did you mean " + " or ".join(f"'{m}'" for m in matches) + "?" if matches else ""


# --- point edits ----------------------------------------------------------------------------------

Operation = Callable[[Source, Found], Edited]


def edit_milestone(
    plans_dir: Path,
    reference: str,
    operation: Callable[[Found], Operation],
    what: str,
    day: dt.date | None = None,
    plan_id: str | None = None,
) -> Outcome:
    """Find the milestone (as on the edit's date `day`), apply `operation(found)` to its theme file,
    validate the result."""
    loaded = load_plans(plans_dir)
    found = find_milestone(loaded, reference, day, plan_id)
    _refuse_a_file_with_errors(loaded, found.theme.path)
    edit = operation(found)  # policy checks (already completed, ...) happen here, before any reading
    outcome = edit_item(
        plans_dir, loaded, found.theme.path, found.path, found.milestone.id, lambda source: edit(source, found)
    )
    outcome.summary = f"{what} {found.reference} in {found.theme.path}"
    if found.why:
        outcome.chosen = f"{reference} is {found.reference}: {found.why}"
    return outcome


def edit_item(
    plans_dir: Path, loaded: Loaded, shown: str, path: DataPath, item_id: str, edit: Callable[[Source], Edited]
) -> Outcome:
    """Apply `edit` to the item `item_id` at `path` of the file `shown`, and validate the plans as they
    would be after it: the one way every single edit is made. The summary is the caller's to set."""
    file = Path(shown)
    snapshot = _snapshot(file)
    source = _source(snapshot, shown)
    try:
        current = source.get(path)
    except (KeyError, IndexError, TypeError):
        current = None
    if not isinstance(current, dict) or current.get("id") != item_id:
        raise UsageError(f"{shown} changed while bvplan read it; run the command again")
    try:
        edited = edit(source)
    except EditError as exc:
        raise UsageError(str(exc)) from exc
    change = FileChange(file, snapshot, source.encode(edited.text))
    after = validate([plans_dir], overrides={file.resolve(): change.after})
    warnings = _refuse_new_errors(loaded.report, after)
    return Outcome([change], "", warnings, after.lines)


def _refuse_a_file_with_errors(loaded: Loaded, shown: str) -> None:
    """An edit is checked by validating the file it writes, which a file with errors cannot pass."""
    problems = [d for d in loaded.report.diagnostics if d.path == shown and d.severity is Severity.ERROR]
    if problems:
        raise PlansInvalid(
            f"{shown} has errors; fix them first ('bvplan validate' lists them), then run the command again",
            problems,
            loaded.lines,
        )


def _snapshot(path: Path) -> Snapshot:
    snapshot = read_snapshot(path)  # RefusedOutput for what is not a regular file
    if snapshot.content is None:
        raise UsageError(f"{display_path(path)} disappeared while bvplan read it")
    return snapshot


def _source(snapshot: Snapshot, shown: str) -> Source:
    try:
        return Source(snapshot.content or b"", shown)
    except EditError as exc:
        raise UsageError(str(exc)) from exc


def _refuse_new_errors(before: Report, after: Loaded) -> list[Diagnostic]:
    """Refuse when the edit adds errors; return the warnings it adds, to be shown."""

    def tally(diagnostics: list[Diagnostic], severity: Severity) -> Counter[tuple[str, str]]:
        return Counter((d.path, d.code) for d in diagnostics if d.severity is severity)

    new = {}
    for severity in Severity:
        grown = tally(after.report.diagnostics, severity) - tally(before.diagnostics, severity)
        new[severity] = [d for d in after.report.sorted() if d.severity is severity and (d.path, d.code) in grown]
    if new[Severity.ERROR]:
        raise PlansInvalid("the edit would make the plan invalid; nothing written", new[Severity.ERROR], after.lines)
    return new[Severity.WARNING]


def _milestone_state(milestone: Milestone) -> str | None:
    if milestone.completed is not None:
        return f"was completed on {milestone.completed}"
    if milestone.cancelled is not None:
        return f"was cancelled on {milestone.cancelled.on}"
    return None


def complete(found: Found, on: dt.date, evidence: list[str] | None = None) -> Operation:
    state = _milestone_state(found.milestone)
    if state:
        raise UsageError(f"{found.reference} {state}; if that was a mistake, 'bvplan reopen' it first, with a reason")
    links = list(evidence or [])
    for link in links:
        _need_text(link, "--evidence")

    def apply(source: Source, f: Found) -> Edited:
        done = set_key(source, f.path, "completed", on)
        for link in links:  # after any evidence already listed
            done = append_item(Source(source.encode(done.text), source.shown), f.path, "evidence", link)
        return done

    return apply


def cancel(found: Found, reason: str, on: dt.date) -> Operation:
    state = _milestone_state(found.milestone)
    if state:
        raise UsageError(f"{found.reference} {state}; if that was a mistake, 'bvplan reopen' it first, with a reason")
    _need_text(reason, "--reason")
    return lambda source, f: set_key(source, f.path, "cancelled", {"on": on, "reason": reason})


def reopen(found: Found, reason: str, on: dt.date) -> Operation:
    """Take back a completion or cancellation recorded by mistake, recording the correction and why."""
    milestone = found.milestone
    _need_text(reason, "--reason")
    if milestone.completed is not None:
        key, was = "completed", milestone.completed
    elif milestone.cancelled is not None:
        key, was = "cancelled", milestone.cancelled.on
    else:
        raise UsageError(f"{found.reference} is neither completed nor cancelled; there is nothing to reopen")
    if on < was:
        raise UsageError(f"--on {on} is before the {key} date it corrects ({was})")
    correction = {"on": on, "reopened": key, "was": was, "reason": reason}

    def apply(source: Source, f: Found) -> Edited:
        removed = remove_key(source, f.path, key)
        again = Source(source.encode(removed.text), source.shown)
        return append_item(again, f.path, "corrections", correction)

    return apply


def note(found: Found, text: str, on: dt.date) -> Operation:
    _need_text(text, "the note")
    notes = found.milestone.notes
    if any(n.on == on and n.text.strip() == text.strip() for n in notes):
        raise UsageError(f"{found.reference} already has this note on {on}; nothing written")
    # Notes stay in date order; of notes on one day, the one written last is the latest.
    index = next((i for i, n in enumerate(notes) if n.on > on), None)
    return lambda source, f: insert_item(source, f.path, "notes", {"on": on, "text": text}, index)


def revise(found: Found, to: dt.date, reason: str, proposed: dt.date) -> Operation:
    state = _milestone_state(found.milestone)
    if state:
        raise UsageError(f"{found.reference} {state}; a finished milestone needs no new date")
    _need_text(reason, "--reason")
    if to < proposed:
        raise UsageError(
            f"--to {to} is before the day it is proposed ({proposed}); a revised deadline is a date still to come"
        )
    item = {"to": to, "reason": reason, "proposed": proposed}
    return lambda source, f: append_item(source, f.path, "revisions", item)


def superseded(found: Found) -> list[str]:
    """The proposals a new `revise` supersedes: those still waiting (see model.Revision)."""
    revisions = found.milestone.revisions
    if revisions and revisions[-1].agreed is None and revisions[-1].withdrawn is None:
        last = revisions[-1]
        return [f"the proposal of {last.proposed} (to {last.to})"]
    return []


def _waiting(found: Found, verb: str) -> int:
    """The index of the one revision that can be agreed or withdrawn: the latest, while it waits."""
    revisions = found.milestone.revisions
    if not revisions:
        raise UsageError(f"{found.reference} has no proposed revision to {verb}")
    last = revisions[-1]
    if last.agreed is not None:
        raise UsageError(
            f"{found.reference} has no proposed revision waiting: the latest (to {last.to}) was agreed on "
            f"{last.agreed}, and it superseded any before it; to move the deadline again, propose a new date "
            "with 'bvplan revise'"
        )
    if last.withdrawn is not None:
        raise UsageError(
            f"{found.reference} has no proposed revision waiting: the latest (to {last.to}) was withdrawn on "
            f"{last.withdrawn.on}; propose a new date with 'bvplan revise'"
        )
    return len(revisions) - 1


def agree(found: Found, on: dt.date, by: str | None) -> Operation:
    index = _waiting(found, "agree")
    board = by if by is not None else found.plan.model.board
    _need_text(board, "--by")

    def apply(source: Source, f: Found) -> Edited:
        path = (*f.path, "revisions", index)
        first = set_key(source, path, "agreed", on)
        again = Source(source.encode(first.text), source.shown)
        return set_key(again, path, "by", board)

    return apply


def withdraw(found: Found, reason: str, on: dt.date) -> Operation:
    index = _waiting(found, "withdraw")
    _need_text(reason, "--reason")
    return lambda source, f: set_key(source, (*f.path, "revisions", index), "withdrawn", {"on": on, "reason": reason})


def _need_text(text: str, what: str) -> None:
    if not text.strip():
        raise UsageError(f"{what} must not be empty")


# --- writing --------------------------------------------------------------------------------------


def write_changes(changes: list[FileChange]) -> None:
    """Write every change or none (bvplan.edits.files.write_plan_files), each refused if its file
    changed since it was read (bvplan.edits.files.ChangedOnDisk); every file is as it was after any
    error (RefusedOutput, OutputFailed)."""
    write_plan_files([(change.snapshot, change.after) for change in changes])
