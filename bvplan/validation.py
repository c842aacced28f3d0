"""Load plans and check them: the shape of each file, then the meaning across files and plans."""

from __future__ import annotations

from pathlib import Path

from bvplan.checks import check
from bvplan.loader import Loaded, load


def validate(paths: list[Path]) -> Loaded:
    """Every problem in every file, in one pass. Raises UsageError for paths that cannot be used."""
    loaded = load(paths)
    loaded.report.diagnostics.extend(check(loaded.workspace, loaded.selected))
    return loaded
