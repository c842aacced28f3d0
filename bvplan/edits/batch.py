"""Many milestone edits at once, through the same path as one: combined per file, checked together.

The operations are those of the point edits (`complete`, `note`, `revise` in edit_commands.py), so
every policy they hold holds here too. All the edits to one theme file are spliced into one new
text; the plans are validated once as they would be with every new text; the result is refused
as a whole if it adds an error. Writing (`write_changes`) checks first that no file changed since it
was read, so a refusal writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bvplan.edits.edit_commands import (
    FileChange,
    Found,
    Operation,
    Outcome,
    _refuse_a_file_with_errors,
    _refuse_new_errors,
    _snapshot,
)
from bvplan.edits.yaml_edit import EditError, Source
from bvplan.errors import UsageError
from bvplan.format.loader import Loaded
from bvplan.rules.validation import validate


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
        snapshot = _snapshot(path)
        try:
            new_bytes = _edit_file(Source(snapshot.content or b"", shown), file_edits)
        except EditError as exc:
            raise UsageError(str(exc)) from exc
        changes.append(FileChange(path, snapshot, new_bytes))
    if not changes:
        return Outcome([], summary)
    after = validate([plans_dir], overrides={c.path.resolve(): c.after for c in changes})
    warnings = _refuse_new_errors(loaded.report, after)
    return Outcome(changes, summary, warnings, after.lines)


def _edit_file(source: Source, file_edits: Sequence[MilestoneEdits]) -> bytes:
    """The file's new bytes with every edit made.

    Each operation verifies its splice by parsing the text it edits, so running them one after
    another on the whole file costs a parse of the file per operation: minutes for a few hundred
    rows. Instead each milestone's block of lines is edited as a small document of its own (with
    the whole file's indentation style), and the edited blocks are put back from the bottom of
    the file up, so no block moves before it is replaced. A milestone written in flow style
    (`{id: ..., ...}`) is edited in the whole file, one operation at a time.
    """
    blocks: list[tuple[int, int, str]] = []
    sequential: list[MilestoneEdits] = []
    for edit in file_edits:
        _same_milestone(source, edit.found)
        path = edit.found.path
        if any(source.is_flow(path[:i]) for i in range(1, len(path) + 1)):
            sequential.append(edit)
            continue
        first = source.document.source.spans[path].value.line
        start, end = source.starts[first - 1], source.after_line(source.last_line(path))
        blocks.append((start, end, _edit_block(source, source.text[start:end], edit)))
    text = source.text
    for start, end, replacement in sorted(blocks, reverse=True):
        text = text[:start] + replacement + text[end:]
    if sequential:
        current = Source(source.encode(text), source.shown)
        for edit in sequential:
            for operation in edit.operations:
                _same_milestone(current, edit.found)
                current = Source(current.encode(operation(current, edit.found).text), source.shown)
        text = current.text
    return source.encode(text)


_BLOCK_KEY = "milestone"


def _edit_block(whole: Source, block: str, edit: MilestoneEdits) -> str:
    """`block` (a milestone's lines, a list item) after the edit's operations, run on it alone."""
    head = f"{_BLOCK_KEY}:{whole.newline}"
    found = replace(edit.found, path=(_BLOCK_KEY, 0))
    current = _block_source(whole, head + block)
    for operation in edit.operations:
        current = _block_source(whole, operation(current, found).text)
    if not current.text.startswith(head):
        raise EditError(f"could not edit {whole.shown} without changing more than asked; edit it by hand")
    return current.text[len(head) :]


def _block_source(whole: Source, text: str) -> Source:
    source = Source(text.encode("utf-8"), whole.shown)
    source.style = whole.style  # new keys and items are laid out as the whole file lays them out
    return source


def _same_milestone(source: Source, found: Found) -> None:
    try:
        current = source.get(found.path)
    except (KeyError, IndexError, TypeError):
        current = None
    if not isinstance(current, dict) or current.get("id") != found.milestone.id:
        raise UsageError(f"{found.theme.path} changed while bvplan read it; run the command again")
