"""Load plans and check them: the shape of each file, then the meaning across files and plans."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bvplan.clock import today
from bvplan.format.checks import check
from bvplan.format.loader import Loaded, load, load_sources


def validate(paths: list[Path], overrides: Mapping[Path, bytes] | None = None) -> Loaded:
    """Every problem in every file, in one pass. Raises UsageError for paths that cannot be used.

    `overrides`: resolved path -> bytes to check in place of the file on disk (an edit not yet written).
    """
    loaded = load(paths, overrides)
    loaded.report.diagnostics.extend(check(loaded.workspace, loaded.selected, today()))
    return loaded


def validate_sources(plans: Mapping[str, Mapping[str, bytes | None]]) -> Loaded:
    """The same checks on plans given as bytes (plan folder -> file name -> bytes), e.g. read from git."""
    loaded = load_sources(plans)
    loaded.report.diagnostics.extend(check(loaded.workspace, loaded.selected, today()))
    return loaded
