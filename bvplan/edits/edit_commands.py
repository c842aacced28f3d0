"""The edit commands' work between the command line and the disk: find, edit, check, show, write.

Every write goes the same way: read the file once (the snapshot), compute the new bytes by a
surgical splice, validate the plans as they would be with the new bytes, and only then write
atomically, refusing if the file changed since the snapshot. An edit that would add an error is
refused with the validator's message; nothing is written on any refusal.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bvplan.edits.atomic import Snapshot, WriteError, read_snapshot, write_atomic
from bvplan.edits.yaml_edit import Edited, EditError, Source, append_item, dump_document, set_key
from bvplan.format.diagnostics import Diagnostic, Report, Severity
from bvplan.format.loader import PLAN_FILE, YAML_SUFFIXES, Loaded, UsageError, display_path
from bvplan.format.model import PLAN_ID_PATTERN, Action, Milestone
from bvplan.format.validation import validate, validate_sources
from bvplan.format.workspace import Plan, Theme
from bvplan.format.yamlsource import Path as DataPath
from bvplan.rules import carry
from bvplan.suggest import closest

EXIT_PROBLEMS, EXIT_USAGE = 1, 2
MODELINE = "# yaml-language-server:"


class CommandError(Exception):
    """Why an edit was refused; `code` is the exit status, `diagnostics` what validation found."""

    def __init__(
        self,
        message: str,
        code: int = EXIT_USAGE,
        diagnostics: list[Diagnostic] | None = None,
        lines: Mapping[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.diagnostics = diagnostics or []
        self.lines = dict(lines or {})


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


def parse_date(text: str | None, what: str, today: dt.date) -> dt.date:
    if text is None:
        return today
    try:
        return dt.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else _bad_date(text, what)
    except ValueError:
        return _bad_date(text, what)


def _bad_date(text: str, what: str) -> dt.date:
    raise CommandError(f"{what} '{text}' is not a date; write it as YYYY-MM-DD, e.g. 2018-06-30")


def load_plans(plans_dir: Path) -> Loaded:
    try:
        return validate([plans_dir])
    except UsageError as exc:
        raise CommandError(str(exc)) from exc


# --- finding a milestone --------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    plan: Plan
    theme: Theme
    action: Action
    milestone: Milestone
    path: DataPath  # of the milestone within the theme file

    @property
    def reference(self) -> str:
        return f"{self.plan.id}/{self.milestone.id}"


def find_milestone(loaded: Loaded, reference: str) -> Found:
    plan_id, slash, item_id = reference.rpartition("/")
    plans = loaded.workspace.plans
    if slash:
        plan = loaded.workspace.plan(plan_id)
        if plan is None:
            raise CommandError(f"no plan '{plan_id}'{_suggest(plan_id, loaded.workspace.ids)}")
        plans = [plan]
    matches = [
        Found(plan, theme, action, milestone, path)
        for plan in plans
        for theme, action, milestone, path in plan.milestones()
        if milestone.id == item_id
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        options = ", ".join(m.reference for m in matches)
        raise CommandError(f"milestone '{item_id}' is in more than one plan; name one: {options}")
    actions = [a for plan in plans for _t, _i, a in plan.actions() if a.id == item_id]
    if actions:
        ids = ", ".join(m.id for m in actions[0].milestones)
        raise CommandError(f"'{item_id}' is an action, not a milestone; its milestones: {ids}")
    known = [m.id for plan in plans for _t, _a, m, _p in plan.milestones()]
    known += [f"{plan.id}/{m.id}" for plan in plans for _t, _a, m, _p in plan.milestones()]
    problems = " (some plans have errors: run 'bvplan validate')" if loaded.report.errors else ""
    raise CommandError(f"no milestone '{reference}'{_suggest(reference, known)}{problems}")


def _suggest(word: str, choices: list[str]) -> str:
    matches = closest(word, sorted(set(choices)), n=3)
    return "; did you mean " + " or ".join(f"'{m}'" for m in matches) + "?" if matches else ""


# --- point edits ----------------------------------------------------------------------------------

Operation = Callable[[Source, Found], Edited]


def edit_milestone(plans_dir: Path, reference: str, operation: Callable[[Found], Operation], what: str) -> Outcome:
    """Find the milestone, apply `operation(found)` to its theme file, validate the result."""
    loaded = load_plans(plans_dir)
    found = find_milestone(loaded, reference)
    _refuse_a_file_with_errors(loaded, found.theme.path)
    edit = operation(found)  # policy checks (already completed, ...) happen here, before any reading
    path = Path(found.theme.path)
    snapshot = _snapshot(path)
    source = _source(snapshot, found.theme.path)
    try:
        current = source.get(found.path)
    except (KeyError, IndexError, TypeError):
        current = None
    if not isinstance(current, dict) or current.get("id") != found.milestone.id:
        raise CommandError(f"{found.theme.path} changed while bvplan read it; run the command again", EXIT_PROBLEMS)
    try:
        edited = edit(source, found)
    except EditError as exc:
        raise CommandError(str(exc), EXIT_PROBLEMS) from exc
    change = FileChange(path, snapshot, source.encode(edited.text))
    after = validate([plans_dir], overrides={path.resolve(): change.after})
    warnings = _refuse_new_errors(loaded.report, after)
    return Outcome([change], f"{what} {found.reference} in {found.theme.path}", warnings, after.lines)


def _refuse_a_file_with_errors(loaded: Loaded, shown: str) -> None:
    """An edit is checked by validating the file it writes, which a file with errors cannot pass."""
    problems = [d for d in loaded.report.diagnostics if d.path == shown and d.severity is Severity.ERROR]
    if problems:
        raise CommandError(
            f"{shown} has errors; fix them first ('bvplan validate' lists them), then run the command again",
            EXIT_PROBLEMS,
            problems,
            loaded.lines,
        )


def _snapshot(path: Path) -> Snapshot:
    try:
        snapshot = read_snapshot(path)
    except WriteError as exc:
        raise CommandError(str(exc), EXIT_PROBLEMS) from exc
    if snapshot.content is None:
        raise CommandError(f"{display_path(path)} disappeared while bvplan read it", EXIT_PROBLEMS)
    return snapshot


def _source(snapshot: Snapshot, shown: str) -> Source:
    try:
        return Source(snapshot.content or b"", shown)
    except EditError as exc:
        raise CommandError(str(exc), EXIT_PROBLEMS) from exc


def _refuse_new_errors(before: Report, after: Loaded) -> list[Diagnostic]:
    """Refuse when the edit adds errors; return the warnings it adds, to be shown."""

    def tally(diagnostics: list[Diagnostic], severity: Severity) -> Counter[tuple[str, str]]:
        return Counter((d.path, d.code) for d in diagnostics if d.severity is severity)

    new = {}
    for severity in Severity:
        grown = tally(after.report.diagnostics, severity) - tally(before.diagnostics, severity)
        new[severity] = [d for d in after.report.sorted() if d.severity is severity and (d.path, d.code) in grown]
    if new[Severity.ERROR]:
        raise CommandError(
            "the edit would make the plan invalid; nothing written", EXIT_PROBLEMS, new[Severity.ERROR], after.lines
        )
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
        raise CommandError(f"{found.reference} {state}; edit the file to change that")
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
        raise CommandError(f"{found.reference} {state}; edit the file to change that")
    _need_text(reason, "--reason")
    return lambda source, f: set_key(source, f.path, "cancelled", {"on": on, "reason": reason})


def note(found: Found, text: str, on: dt.date) -> Operation:
    _need_text(text, "the note")
    return lambda source, f: append_item(source, f.path, "notes", {"on": on, "text": text})


def revise(found: Found, to: dt.date, reason: str, proposed: dt.date) -> Operation:
    state = _milestone_state(found.milestone)
    if state:
        raise CommandError(f"{found.reference} {state}; a finished milestone needs no new date")
    _need_text(reason, "--reason")
    item = {"to": to, "reason": reason, "proposed": proposed}
    return lambda source, f: append_item(source, f.path, "revisions", item)


def agree(found: Found, on: dt.date, by: str | None) -> Operation:
    revisions = found.milestone.revisions
    pending = [i for i, r in enumerate(revisions) if r.agreed is None]
    if not pending:
        raise CommandError(f"{found.reference} has no proposed revision waiting to be agreed")
    index = pending[-1]
    board = by if by is not None else found.plan.model.board
    _need_text(board, "--by")

    def apply(source: Source, f: Found) -> Edited:
        path = (*f.path, "revisions", index)
        first = set_key(source, path, "agreed", on)
        again = Source(source.encode(first.text), source.shown)
        return set_key(again, path, "by", board)

    return apply


def _need_text(text: str, what: str) -> None:
    if not text.strip():
        raise CommandError(f"{what} must not be empty")


# --- carry-forward --------------------------------------------------------------------------------


@dataclass
class CarryPlan:
    proposal: carry.Proposal
    outcome: Outcome


def carry_forward(plans_dir: Path, from_id: str, to_id: str, as_of: dt.date | None) -> CarryPlan:
    if not re.match(PLAN_ID_PATTERN, to_id):
        raise CommandError(f"'{to_id}' is not a plan id: lower-case letters, digits, '.', '_' and '-'")
    if to_id == from_id:
        raise CommandError("--from and --to name the same plan")
    loaded = load_plans(plans_dir)
    workspace = loaded.workspace
    source = workspace.plan(from_id)
    if source is None:
        hint = " (some plans have errors: run 'bvplan validate')" if loaded.report.errors else ""
        raise CommandError(f"no plan '{from_id}'{_suggest(from_id, workspace.ids)}{hint}")
    target = workspace.plan(to_id)
    folder = Path(target.folder) if target is not None else plans_dir / to_id
    if target is None and _yaml_files(folder):
        raise CommandError(
            f"{display_path(folder)} holds YAML files but no valid {PLAN_FILE}; fix it first ('bvplan validate')",
            EXIT_PROBLEMS,
        )
    new_start = target.model.start if target is not None else carry.new_plan_start(source.model)
    day = as_of or source.model.end
    proposal = carry.propose(source, to_id, target, day, new_start)
    changes = _carry_changes(source, target, folder, proposal)
    warnings: list[Diagnostic] = []
    lines: dict[str, list[str]] = {}
    if changes:
        after = _validate_with(plans_dir, changes)
        warnings = _refuse_new_errors(loaded.report, after)
        lines = after.lines
    flagged = sum(m.needs_revised_date for a in proposal.actions for m in a.milestones)
    # Carried deadlines before the new plan starts are expected, and flagged in the proposal.
    warnings = [w for w in warnings if w.code != "BV305"]
    summary = (
        f"{len(proposal.actions)} actions and {proposal.milestone_count} milestones carried "
        f"from {from_id} into {to_id}" + (f"; {flagged} need a revised date ('bvplan revise')" if flagged else "")
    )
    return CarryPlan(proposal, Outcome(changes, summary, warnings, lines))


def _yaml_files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES]
    except OSError:
        return []


def _carry_changes(source: Plan, target: Plan | None, folder: Path, proposal: carry.Proposal) -> list[FileChange]:
    by_theme: dict[str, list[carry.CarriedAction]] = {}
    for carried in proposal.actions:
        by_theme.setdefault(carried.theme, []).append(carried)
    source_themes = {theme.slug: theme for theme in source.themes}
    changes: list[FileChange] = []
    created: list[str] = []
    for slug, actions in by_theme.items():
        path = folder / f"{slug}.yaml"
        snapshot = read_snapshot(path) if target is not None else Snapshot(path, None)
        known = frozenset(d.id for d in target.model.directions) if target is not None else None
        data = [carry.action_data(a, source.id, proposal.new_start, known) for a in actions]
        if snapshot.content is None:
            created.append(slug)
            changes.append(
                FileChange(path, snapshot, _new_theme(source_themes[slug], data, source.id, proposal.new_start, known))
            )
        else:
            changes.append(FileChange(path, snapshot, _append_actions(snapshot, display_path(path), data)))
    plan_path = folder / PLAN_FILE
    if target is None:
        themes = [t.slug for t in source.ordered_themes() if t.slug in created]
        plan_data = carry.new_plan_data(source.model, proposal.to_plan, themes)
        if not themes or source.model.themes is None:
            del plan_data["themes"]
        header = _header(Path(source.path), f"{proposal.to_plan}: carried forward from {source.id} by bvplan.")
        text = dump_document(plan_data, header, _newline_of(Path(source.path)))
        changes.insert(0, FileChange(plan_path, Snapshot(plan_path, None), text.encode("utf-8")))
    elif target.model.themes is not None and created:
        snapshot = _snapshot(plan_path)
        plan_source = _source(snapshot, display_path(plan_path))
        for slug in created:
            try:
                edited = append_item(plan_source, (), "themes", slug)
            except EditError as exc:
                raise CommandError(str(exc), EXIT_PROBLEMS) from exc
            plan_source = Source(plan_source.encode(edited.text), plan_source.shown)
        changes.insert(0, FileChange(plan_path, snapshot, plan_source.encode(plan_source.text)))
    return changes


def _append_actions(snapshot: Snapshot, shown: str, actions: list[dict[str, Any]]) -> bytes:
    source = _source(snapshot, shown)
    for action in actions:
        try:
            edited = append_item(source, (), "actions", action)
        except EditError as exc:
            raise CommandError(str(exc), EXIT_PROBLEMS) from exc
        source = Source(source.encode(edited.text), shown)
    return source.encode(source.text)


def _new_theme(
    theme: Theme, actions: list[dict[str, Any]], from_plan: str, new_start: dt.date, directions: frozenset[str] | None
) -> bytes:
    given = theme.model.model_dump(exclude_unset=True)
    data = carry.theme_header_data(given)
    data["actions"] = actions
    data.update(carry.theme_measures_data(given, from_plan, new_start, directions))
    header = _header(Path(theme.path), f"{theme.name}: actions carried forward by bvplan.")
    return dump_document(data, header, _newline_of(Path(theme.path))).encode("utf-8")


def _header(source_file: Path, description: str) -> list[str]:
    """The source file's editor modeline, if it has one, then a line saying where the file came from."""
    try:
        with source_file.open("r", encoding="utf-8-sig", newline="") as stream:
            first = stream.readline().rstrip("\r\n")
    except OSError:
        first = ""
    return [first, "#", f"# {description}"] if first.startswith(MODELINE) else [f"# {description}"]


def _newline_of(source_file: Path) -> str:
    try:
        return "\r\n" if b"\r\n" in source_file.read_bytes()[:4096] else "\n"
    except OSError:
        return "\n"


def _validate_with(plans_dir: Path, changes: list[FileChange]) -> Loaded:
    """Validate every plan under `plans_dir` as it would be after `changes`, new files included."""
    planned = {change.path.resolve(): change.after for change in changes}
    folders: dict[str, dict[str, bytes | None]] = {}
    candidates = [p for p in sorted(plans_dir.iterdir()) if p.is_dir()]
    candidates += [c.path.parent for c in changes if not c.path.parent.exists()]
    for folder in candidates:
        files: dict[str, bytes | None] = {}
        for path in sorted(folder.iterdir()) if folder.exists() else []:
            if path.suffix in YAML_SUFFIXES and not path.name.startswith("."):
                files[path.name] = planned.get(path.resolve()) or _read(path)
        for change in changes:
            if change.path.parent == folder:
                files[change.path.name] = change.after
        if PLAN_FILE in files:
            folders[display_path(folder)] = files
    return validate_sources(folders)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


# --- writing --------------------------------------------------------------------------------------


def write_changes(changes: list[FileChange]) -> None:
    """Write every change; first check that none of the files changed, so a refusal writes nothing."""
    for change in changes:
        try:
            current = change.path.read_bytes() if change.path.exists() else None
        except OSError as exc:
            raise CommandError(f"cannot read {change.shown}: {exc.strerror}", EXIT_PROBLEMS) from exc
        if current != change.snapshot.content:
            raise CommandError(f"{change.shown} changed on disk since bvplan read it; nothing written", EXIT_PROBLEMS)
    for change in changes:
        try:
            os.makedirs(change.path.parent, exist_ok=True)
            write_atomic(change.snapshot, change.after)
        except WriteError as exc:
            raise CommandError(str(exc), EXIT_PROBLEMS) from exc
        except OSError as exc:
            raise CommandError(
                f"cannot create {display_path(change.path.parent)}: {exc.strerror}", EXIT_PROBLEMS
            ) from exc
