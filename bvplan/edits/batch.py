"""Many milestone edits at once, through the same path as one: combined per file, checked together.

The operations are those of the point edits (`complete`, `note`, `revise` in edit_commands.py), so
every policy they hold holds here too. All the edits to one theme file are spliced into one new
text; the plans are validated once as they would be with every new text; the result is refused
as a whole if it adds an error. Writing (`write_changes`) checks first that no file changed since it
was read, so a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bvplan.edits.atomic import WriteError, read_snapshot
from bvplan.edits.edit_commands import (
    EXIT_PROBLEMS,
    CommandError,
    FileChange,
    Found,
    Operation,
    Outcome,
    _refuse_a_file_with_errors,
    _refuse_new_errors,
)
from bvplan.edits.yaml_edit import EditError, Source
from bvplan.format.loader import Loaded, display_path
from bvplan.format.validation import validate


@dataclass(frozen=True)
class MilestoneEdits:
    found: Found
    operations: Sequence[Operation]


def combine(plans_dir: Path, loaded: Loaded, edits: Sequence[MilestoneEdits], summary: str) -> Outcome:
    """The changes that make every edit, one per theme file, validated together."""
    by_file: dict[str, list[MilestoneEdits]] = {}
    for edit in edits:
        if edit.operations:
            by_file.setdefault(edit.found.theme.path, []).append(edit)
    changes: list[FileChange] = []
    for shown, file_edits in by_file.items():
        _refuse_a_file_with_errors(loaded, shown)
        path = Path(shown)
        try:
            snapshot = read_snapshot(path)
        except WriteError as exc:
            raise CommandError(str(exc), EXIT_PROBLEMS) from exc
        if snapshot.content is None:
            raise CommandError(f"{display_path(path)} disappeared while bvplan read it", EXIT_PROBLEMS)
        try:
            source = Source(snapshot.content, shown)
            for edit in file_edits:
                for operation in edit.operations:
                    _same_milestone(source, edit.found)
                    edited = operation(source, edit.found)
                    source = Source(source.encode(edited.text), shown)
        except EditError as exc:
            raise CommandError(str(exc), EXIT_PROBLEMS) from exc
        changes.append(FileChange(path, snapshot, source.encode(source.text)))
    if not changes:
        return Outcome([], summary)
    after = validate([plans_dir], overrides={c.path.resolve(): c.after for c in changes})
    warnings = _refuse_new_errors(loaded.report, after)
    return Outcome(changes, summary, warnings, after.lines)


def _same_milestone(source: Source, found: Found) -> None:
    try:
        current = source.get(found.path)
    except (KeyError, IndexError, TypeError):
        current = None
    if not isinstance(current, dict) or current.get("id") != found.milestone.id:
        raise CommandError(f"{found.theme.path} changed while bvplan read it; run the command again", EXIT_PROBLEMS)
