"""Load plans and check them: the shape of each file, the meaning across files and plans, then the
checks that need the rules (a rating of good while the work slips: BV428).

It is in the rules layer because its last checks read a plan's status; the format's own checks
(`bvplan.format.checks`) know nothing of the rules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from bvplan.clock import today
from bvplan.format.checks import check
from bvplan.format.diagnostics import Diagnostic
from bvplan.format.loader import Loaded, load, load_sources
from bvplan.rules.assessments import optimism_warnings


def validate(paths: list[Path], overrides: Mapping[Path, bytes] | None = None) -> Loaded:
    """Every problem in every file, in one pass. Raises UsageError for paths that cannot be used.

    `overrides`: resolved path -> bytes to check in place of the file on disk (an edit not yet written).
    """
    loaded = load(paths, overrides)
    loaded.report.diagnostics.extend(_checks(loaded))
    return loaded


def validate_sources(plans: Mapping[str, Mapping[str, bytes | None]]) -> Loaded:
    """The same checks on plans given as bytes (plan folder -> file name -> bytes), e.g. read from git."""
    loaded = load_sources(plans)
    loaded.report.diagnostics.extend(_checks(loaded))
    return loaded


def _checks(loaded: Loaded) -> list[Diagnostic]:
    day = today()
    found = check(loaded.workspace, loaded.selected, day)
    for plan in loaded.workspace.plans:
        if plan.id in loaded.selected:
            found.extend(optimism_warnings(plan, loaded.workspace, day))
    return found
