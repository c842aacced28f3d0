"""Carry-forward's files: what it would write, checked; then all of it written, or none of it.

A carry writes several files (plan.yaml, a theme file per theme), and a crash, a full disk or a
Ctrl-C between two of them must not leave a plan that lists a theme whose file does not exist.
So they are written as one transaction (`bvplan.edits.files.write_plan_files`), new theme files
first and plan.yaml last, with a journal (`.bvplan-carry-journal.json` in the plans folder): a
failure inside the process rolls every file back, and a process killed while committing leaves the
journal, which the next `carry-forward --apply` rolls back (a target is restored only while it
still holds exactly what the carry wrote, so nobody's later edit is undone) before carrying again.

The checks before any of this: the source and target plans must have no errors (as an edit's file
must not), and the plans as they would be after the carry must have no error they did not have
before, compared error by error (file, code and message), not by counting.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bvplan.edits.edit_commands import (
    FileChange,
    Outcome,
    load_plans,
)
from bvplan.edits.files import Snapshot, read_snapshot, write_plan_files
from bvplan.edits.files import recover as recover_journal
from bvplan.edits.yaml_edit import EditError, Source, append_item, dump_document
from bvplan.errors import BvplanError, OutputFailed, RefusedOutput, UsageError
from bvplan.format.diagnostics import Diagnostic, PlansInvalid, Report, Severity
from bvplan.format.loader import PLAN_FILE, YAML_SUFFIXES, Loaded, display_path
from bvplan.format.model import PLAN_ID_PATTERN
from bvplan.format.workspace import Plan, Theme
from bvplan.rules import carry
from bvplan.rules.validation import validate_sources
from bvplan.suggest import closest

MODELINE = "# yaml-language-server:"
JOURNAL = ".bvplan-carry-journal.json"


@dataclass
class CarryPlan:
    proposal: carry.Proposal
    outcome: Outcome


# --- what to write --------------------------------------------------------------------------------


def carry_forward(plans_dir: Path, from_id: str, to_id: str, as_of: dt.date | None) -> CarryPlan:
    for flag, plan_id in (("--from", from_id), ("--to", to_id)):
        if not re.fullmatch(PLAN_ID_PATTERN, plan_id):
            raise UsageError(f"{flag} '{plan_id}' is not a plan id: lower-case letters, digits, '.', '_' and '-'")
    if to_id == from_id:
        raise UsageError("--from and --to name the same plan")
    if (plans_dir / PLAN_FILE).exists():
        # One plan's folder means that plan alone (see the README): carry-forward reads one plan and
        # writes another, so it needs the folder that holds them both.
        raise UsageError(
            f"carry-forward reads one plan and writes another: give the plans folder that holds both "
            f"(--plans {display_path(plans_dir.resolve().parent)}), not one plan's folder"
        )
    loaded = load_plans(plans_dir)
    workspace = loaded.workspace
    source = workspace.plan(from_id)
    if source is None:
        hint = " (some plans have errors: run 'bvplan validate')" if loaded.report.errors else ""
        raise UsageError(f"no plan '{from_id}'{_suggest(from_id, workspace.ids)}{hint}")
    target = workspace.plan(to_id)
    folder = Path(target.folder) if target is not None else plans_dir / to_id
    if target is None and _yaml_files(folder):
        raise UsageError(
            f"{display_path(folder)} holds YAML files but no valid {PLAN_FILE}; fix it first ('bvplan validate')",
        )
    _refuse_plans_with_errors(loaded, [Path(source.folder), folder])
    if target is None and source.model.end >= dt.date(dt.MAXYEAR, 1, 1):
        raise UsageError(f"{from_id} ends on {source.model.end}: there is no following year to carry it into")
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


def _suggest(word: str, choices: list[str]) -> str:
    matches = closest(word, sorted(set(choices)), n=3)
    return "; did you mean " + " or ".join(f"'{m}'" for m in matches) + "?" if matches else ""


def _refuse_plans_with_errors(loaded: Loaded, folders: list[Path]) -> None:
    """A carry reads the source and writes the target: both must be sound first, as an edit's file must."""
    shown = [display_path(f) for f in folders]
    problems = [
        d
        for d in loaded.report.diagnostics
        if d.severity is Severity.ERROR and any(d.path == s or d.path.startswith(s + os.sep) for s in shown)
    ]
    if problems:
        raise PlansInvalid(
            f"{' and '.join(dict.fromkeys(d.path for d in problems))} ha{'ve' if len(problems) > 1 else 's'} "
            "errors; fix them first ('bvplan validate' lists them), then run the command again",
            problems,
            loaded.lines,
        )


def _identity(diagnostic: Diagnostic) -> tuple[str, str, str]:
    return diagnostic.path, diagnostic.code, diagnostic.message


def _refuse_new_errors(before: Report, after: Loaded) -> list[Diagnostic]:
    """Refuse when the carry adds any error, each error known by file, code and message; return new warnings."""
    new: dict[Severity, list[Diagnostic]] = {}
    for severity in Severity:
        seen = Counter(_identity(d) for d in before.diagnostics if d.severity is severity)
        new[severity] = []
        for diagnostic in after.report.sorted():
            if diagnostic.severity is not severity:
                continue
            if seen[_identity(diagnostic)] > 0:
                seen[_identity(diagnostic)] -= 1
            else:
                new[severity].append(diagnostic)
    if new[Severity.ERROR]:
        raise PlansInvalid("the carry would make the plans invalid; nothing written", new[Severity.ERROR], after.lines)
    return new[Severity.WARNING]


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
    # A theme the target already has is appended to in its own file, whatever its suffix (grants.yml).
    existing = {theme.slug: Path(theme.path) for theme in target.themes} if target is not None else {}
    changes: list[FileChange] = []
    created: list[str] = []
    for slug, actions in by_theme.items():
        suffix = Path(source_themes[slug].path).suffix or ".yaml"
        path = existing.get(slug) or _existing_file(folder, slug) or folder / f"{slug}{suffix}"
        snapshot = _snapshot(path) if target is not None else Snapshot(path, None)
        # Directions the target lists: an action keeps only those (a new plan inherits them all).
        known = frozenset(d.id for d in target.model.directions) if target is not None else None
        data = [carry.action_data(a, source.id, proposal.new_start, known) for a in actions]
        if snapshot.content is None:
            created.append(slug)
            theme_bytes = _new_theme(source_themes[slug], data, source.id, proposal.new_start, known)
            changes.append(FileChange(path, snapshot, theme_bytes))
        else:
            changes.append(FileChange(path, snapshot, _append_actions(snapshot, display_path(path), data)))
    plan_path = folder / PLAN_FILE
    if target is None:
        themes = [t.slug for t in source.ordered_themes() if t.slug in created]
        plan_data = carry.new_plan_data(source.model, proposal.to_plan, themes)
        if not themes or source.model.themes is None:
            del plan_data["themes"]
        header = _header(Path(source.path), f"{proposal.to_plan}: carried forward from {source.id} by bvplan.")
        try:
            text = dump_document(plan_data, header, _newline_of(Path(source.path)))
        except EditError as exc:
            raise UsageError(str(exc)) from exc
        changes.append(FileChange(plan_path, Snapshot(plan_path, None), text.encode("utf-8")))
    elif target.model.themes is not None and created:
        snapshot = _snapshot(plan_path)
        plan_source = _source(snapshot, display_path(plan_path))
        for slug in created:
            try:
                edited = append_item(plan_source, (), "themes", slug)
            except EditError as exc:
                raise UsageError(str(exc)) from exc
            plan_source = Source(plan_source.encode(edited.text), plan_source.shown)
        changes.append(FileChange(plan_path, snapshot, plan_source.encode(plan_source.text)))
    # plan.yaml last: should anything stop the commit half-way, it never lists a file not yet written.
    return changes


def _existing_file(folder: Path, slug: str) -> Path | None:
    for suffix in sorted(YAML_SUFFIXES):
        candidate = folder / f"{slug}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _snapshot(path: Path) -> Snapshot:
    try:
        return read_snapshot(path)
    except BvplanError as exc:
        raise UsageError(str(exc)) from exc


def _source(snapshot: Snapshot, shown: str) -> Source:
    try:
        return Source(snapshot.content or b"", shown)
    except EditError as exc:
        raise UsageError(str(exc)) from exc


def _append_actions(snapshot: Snapshot, shown: str, actions: list[dict[str, Any]]) -> bytes:
    source = _source(snapshot, shown)
    for action in actions:
        try:
            edited = append_item(source, (), "actions", action)
        except EditError as exc:
            raise UsageError(str(exc)) from exc
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
    try:
        return dump_document(data, header, _newline_of(Path(theme.path))).encode("utf-8")
    except EditError as exc:
        raise UsageError(str(exc)) from exc


def _header(source_file: Path, description: str) -> list[str]:
    """The source file's editor modeline, if it has one, then a line saying where the file came from."""
    try:
        with source_file.open("r", encoding="utf-8-sig", newline="") as stream:
            first = stream.readline().rstrip("\r\n")
    except (OSError, UnicodeDecodeError):
        first = ""
    return [first, "#", f"# {description}"] if first.startswith(MODELINE) else [f"# {description}"]


def _newline_of(source_file: Path) -> str:
    """The line ending a file uses (its first), for a new file made from it: LF, CRLF or CR alone."""
    head = _content(source_file) or b""
    found = re.search(rb"\r\n|\r|\n", head[:4096])
    return found.group().decode() if found else "\n"


def _validate_with(plans_dir: Path, changes: list[FileChange]) -> Loaded:
    """Validate every plan under `plans_dir` as it would be after `changes`, new files included."""
    planned = {change.path.resolve(): change.after for change in changes}
    folders: dict[str, dict[str, bytes | None]] = {}
    candidates = [p for p in sorted(plans_dir.iterdir()) if p.is_dir()]
    candidates += [c.path.parent for c in changes if not c.path.parent.exists()]
    for folder in dict.fromkeys(candidates):
        files: dict[str, bytes | None] = {}
        for path in sorted(folder.iterdir()) if folder.exists() else []:
            if path.suffix in YAML_SUFFIXES and not path.name.startswith("."):
                files[path.name] = planned.get(path.resolve()) or _content(path)
        for change in changes:
            if change.path.parent == folder:
                files[change.path.name] = change.after
        if PLAN_FILE in files:
            folders[display_path(folder)] = files
    return validate_sources(folders)


# --- writing: all or nothing ----------------------------------------------------------------------


def _content(path: Path) -> bytes | None:
    try:
        return read_snapshot(path).content
    except BvplanError:
        return None


def journal_path(plans_dir: Path) -> Path:
    return plans_dir / JOURNAL


def write_all(plans_dir: Path, changes: list[FileChange]) -> None:
    """Write every change or none, journalled so that a kill half-way is rolled back by the next run
    (bvplan.edits.files.write_plan_files). Raises a bvplan error; the files are then as they were."""
    journal = journal_path(plans_dir)
    if journal.exists():
        raise UsageError(f"{display_path(journal)}: an interrupted carry-forward; run it again to roll that back")
    try:
        write_plan_files([(change.snapshot, change.after) for change in changes], journal)
    except (RefusedOutput, OutputFailed) as exc:  # the same kind of error, saying the carry was undone
        raise type(exc)(f"{exc}; every file of the carry was rolled back") from exc


def recover(plans_dir: Path) -> str | None:
    """Roll back a carry that was killed while committing; a message saying so, or None when none was."""
    recovered = recover_journal(journal_path(plans_dir))
    if recovered is None:
        return None
    count, kept = recovered
    message = f"rolled back an interrupted carry-forward ({count} files)"
    if kept:
        message += f"; changed since, left as they are: {', '.join(kept)}"
    return message
