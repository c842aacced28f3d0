"""Shell completion of plan ids and milestone ids, read from the plans folder named on the command line.

Typer's own completion (`bvplan --install-completion`) completes commands and options; these
callbacks add the values people type most: `PLAN`, `ID` and `PLAN/ID`. They never fail: a plans
folder that does not load completes nothing.
"""

from __future__ import annotations

from pathlib import Path

import typer


def _plans_dir(ctx: typer.Context) -> Path:
    chosen = ctx.params.get("plans_dir")
    return chosen if isinstance(chosen, Path) else Path("plans")


def _ids(ctx: typer.Context) -> tuple[list[str], list[tuple[str, str]]]:
    """Plan ids, and (plan id, milestone id) pairs, of the plans that load."""
    from bvplan.format.loader import load

    try:
        workspace = load([_plans_dir(ctx)]).workspace
    except Exception:  # completion must never print a traceback into the user's shell
        return [], []
    pairs = [(plan.id, m.id) for plan in workspace.plans for _t, _a, m, _p in plan.milestones()]
    return workspace.ids, pairs


def complete_plan(ctx: typer.Context, incomplete: str) -> list[str]:
    plans, _pairs = _ids(ctx)
    return [p for p in sorted(set(plans)) if p.startswith(incomplete)]


def complete_milestone(ctx: typer.Context, incomplete: str) -> list[str]:
    plans, pairs = _ids(ctx)
    chosen = ctx.params.get("plan")
    if "/" in incomplete or (incomplete and any(p.startswith(incomplete) for p in plans)):
        words = [f"{plan}/{item}" for plan, item in pairs]
    else:
        words = [item for plan, item in pairs if chosen is None or plan == chosen]
    return sorted({w for w in words if w.startswith(incomplete)})
