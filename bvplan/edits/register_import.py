"""A register of recommendations brought into an existing plan: its recommendations, and a theme file of the actions.

plan.yaml gains the recommendations (and the new theme in its `themes` list, if it keeps one),
edited in place line by line so that nothing else in it moves; the actions that answer them go
into a new theme file, which must not exist yet. The plan is validated as it would be after the
import, and refused if the import would add an error. Nothing is written when a row could not be
brought in: the import names those rows.
"""

from __future__ import annotations

from pathlib import Path

from bvplan.edits.edit_commands import (
    FileChange,
    Outcome,
    _refuse_new_errors,
    _snapshot,
    _source,
    load_plans,
)
from bvplan.edits.files import Snapshot
from bvplan.edits.yaml_edit import EditError, Source, append_item, dump_document
from bvplan.errors import UsageError
from bvplan.format.loader import PLAN_FILE, YAML_SUFFIXES, display_path
from bvplan.rules.owners import slug
from bvplan.rules.register_import import Register
from bvplan.rules.validation import validate_sources
from bvplan.suggest import did_you_mean


def import_register(plans_dir: Path, plan_id: str, register: Register, theme: str, source_name: str) -> Outcome:
    if register.unmapped:
        count = len({u.row for u in register.unmapped})
        raise UsageError(
            f"{count} row{'s' if count != 1 else ''} of {source_name} could not be brought in (listed above); "
            "nothing written",
        )
    if not register.rows:
        raise UsageError(f"{source_name} holds no rows to bring in; nothing written")
    if not theme.strip():
        raise UsageError("--theme must not be empty")
    loaded = load_plans(plans_dir)
    plan = loaded.workspace.plan(plan_id)
    if plan is None:
        ids = loaded.workspace.ids
        hint = did_you_mean(plan_id, ids) or ("plans: " + ", ".join(ids) if ids else "no plans were found")
        raise UsageError(f"no plan '{plan_id}'; {hint}")
    folder = Path(plan.folder)
    theme_slug = slug(theme, 60)
    theme_file = folder / f"{theme_slug}.yaml"
    if theme_file.exists() or theme_slug in plan.theme_files:
        raise UsageError(
            f"{display_path(theme_file)} already exists; bvplan never overwrites a theme file "
            "(name another with --theme)",
        )
    plan_file = folder / PLAN_FILE
    snapshot = _snapshot(plan_file)
    source = _source(snapshot, display_path(plan_file))
    try:
        for recommendation in register.recommendations:
            source = _again(source, append_item(source, (), "recommendations", recommendation).text)
        if plan.model.themes is not None:
            source = _again(source, append_item(source, (), "themes", theme_slug).text)
    except EditError as exc:
        raise UsageError(str(exc)) from exc
    plan_bytes = source.encode(source.text)
    header = [f"# {theme}: brought in from the register {source_name} by bvplan."]
    theme_bytes = dump_document({"theme": theme, "actions": register.actions}, header).encode("utf-8")
    before_files = _plan_files(folder)
    after_files = {**before_files, PLAN_FILE: plan_bytes, theme_file.name: theme_bytes}
    shown = display_path(folder)
    before = validate_sources({shown: before_files})
    after = validate_sources({shown: after_files})
    warnings = _refuse_new_errors(before.report, after)
    changes = [
        FileChange(plan_file, snapshot, plan_bytes),
        FileChange(theme_file, Snapshot(theme_file, None), theme_bytes),
    ]
    recs = len(register.recommendations)
    summary = (
        f"{recs} recommendation{'s' if recs != 1 else ''} and {register.rows} action{'s' if register.rows != 1 else ''}"
        f" ({register.standing} standing) from {source_name} into {plan_id}"
    )
    return Outcome(changes, summary, warnings, after.lines)


def _again(source: Source, text: str) -> Source:
    """The source as edited, read again, for the next edit."""
    try:
        return Source(source.encode(text), source.shown)
    except EditError as exc:
        raise UsageError(str(exc)) from exc


def _plan_files(folder: Path) -> dict[str, bytes | None]:
    files: dict[str, bytes | None] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix in YAML_SUFFIXES and path.is_file():
            files[path.name] = path.read_bytes()
    return files


def taken_ids(plans_dir: Path, plan_id: str) -> set[str]:
    """The ids the plan already uses, which the imported items must not take."""
    loaded = load_plans(plans_dir)
    plan = loaded.workspace.plan(plan_id)
    if plan is None:
        return set()
    taken = set(plan.action_ids | plan.milestone_ids)
    for direction in plan.model.directions:
        taken.add(direction.id)
        taken.update(r.id for r in direction.requirements)
    taken.update(r.id for r in plan.model.recommendations)
    return taken
