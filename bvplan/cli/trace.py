"""`bvplan trace ID`: the chain of one item, up to its Direction or recommendation and down to the evidence."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, fail, load_plans, require_sound
from bvplan.cli.options import PlansDir, Public, as_of_option, format_option, plan_option
from bvplan.clock import today


class TraceFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command(short_help="The chain of any item to its evidence, with each gap.")
def trace(
    item: Annotated[
        str,
        typer.Argument(
            help="Id of a Direction, requirement, recommendation, action, milestone or measure.",
            metavar="ID",
            show_default=False,
        ),
    ],
    plan: Annotated[
        str | None,
        plan_option("Plan id. Default: the plan holding ID."),
    ] = None,
    as_of: Annotated[
        str | None,
        as_of_option(
            "Reporting date: 2026-01-19, or a period (q1-q4, '2025-26 q3', 2025-26) meaning its last day. "
            "Default: today."
        ),
    ] = None,
    output_format: Annotated[str, format_option(*TraceFormat, help="text (a tree), markdown or json")] = "text",
    public: Public = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """The whole chain of one item: up to the Direction (through its numbered requirement) or the
    recommendation it answers, and down through the actions that answer it, their milestones and
    measures, to the evidence. Each gap is marked GAP with the code `validate` gives it (BV400-BV407;
    BV345 for a milestone completed with no evidence). Only facts dated on or before the reporting
    date count, so a past date gives the same answer every time."""
    from bvplan.cli.common import say
    from bvplan.papers.trace_views import RENDERERS
    from bvplan.rules.chain import registers
    from bvplan.rules.selection import SelectionError, select
    from bvplan.rules.trace import trace as trace_of

    loaded = load_plans([plans_dir])
    workspace = loaded.workspace
    if plan is None:
        holding = [p for p in workspace.plans if _holds(p, item)]
        if len(holding) > 1:
            fail(f"'{item}' is in several plans ({', '.join(p.id for p in holding)}); choose one with --plan")
        if not holding:
            require_sound(loaded, workspace.plans, everything=True)
            fail(f"no plan holds an item '{item}'; check the id, or choose a plan with --plan")
        plan = holding[0].id
    try:
        selection = select(workspace, as_of, plan, today())
    except SelectionError as exc:
        fail(str(exc))
    chosen = selection.plans[0]
    require_sound(loaded, [chosen])
    day = selection.as_of if as_of is not None else today()
    if public:  # the public view, before anything sees the plan
        from bvplan.rules.public_view import public_plan

        chosen = public_plan(chosen)
    found = trace_of(registers(chosen, day, public=public), item)
    say(RENDERERS[output_format](found).rstrip("\n").split("\n"))


def _holds(plan: object, item_id: str) -> bool:
    from bvplan.format.registers import index_registers
    from bvplan.format.workspace import Plan

    assert isinstance(plan, Plan)
    return index_registers(plan).kind_of(item_id) is not None
