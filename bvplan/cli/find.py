"""`bvplan show | list | search`: find a milestone or action, across plans and through git."""

from __future__ import annotations

from typing import Annotated

import typer

from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, console, fail, load_plans
from bvplan.cli.completion import complete_milestone
from bvplan.cli.options import Owner, PlanId, PlansDir


@app.command(short_help="One milestone or action through its whole life.")
def show(
    item: Annotated[
        str,
        typer.Argument(
            help="Milestone or action id (the latest plan holding it), or PLAN/ID.",
            metavar="ID",
            autocompletion=complete_milestone,
            show_default=False,
        ),
    ],
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """One milestone or action across its whole life: every plan it was carried through (following
    carried_from back), each revision, note, completion and cancellation, and the commits that
    wrote them (when the plans are in git)."""
    from bvplan.errors import UsageError
    from bvplan.git.item_log import item_commits
    from bvplan.rules.lookup import life

    loaded = load_plans([plans_dir])
    stages = life(loaded.workspace, item)
    out = console()
    last = stages[-1]
    out.print(f"{last.item_id}: {last.title}")
    for stage in stages:
        kind = "milestone" if stage.milestone else "action"
        carried = f", carried from {stage.carried_from}" if stage.carried_from else ""
        out.print("")
        out.print(f"{stage.reference} ({kind}, {stage.theme.name}, {stage.plan.model.title}{carried})")
        if stage.milestone is None:
            for milestone in stage.action.milestones:
                done = f"completed {milestone.completed}" if milestone.completed else f"due {milestone.due}"
                out.print(f"  {milestone.id:<10} {milestone.title} ({done})")
        for event in stage.events:
            out.print(f"  {event.on}  {event.kind:<9}  {event.text}")
    try:
        commits = item_commits(plans_dir, {stage.reference for stage in stages})
    except UsageError as exc:
        out.print("")
        out.print(f"(No commits shown: {exc}.)")
        return
    out.print("")
    out.print("Commits:" if commits else "Commits: none touched it.")
    for commit, change in commits:
        out.print(f"  {commit.day} {commit.commit[:7]} {commit.subject}")
        out.print(f"      {change.plan}/{change.item_id}: {change.kind.replace('-', ' ')}, {change.detail}")


@app.command("list", short_help="The ids and titles of actions and milestones.")
def list_items(
    plan: PlanId = None,
    theme: Annotated[
        str | None, typer.Option(help="Only this theme (file name or title).", metavar="THEME", show_default=False)
    ] = None,
    owner: Owner = None,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """The ids and titles of the actions and milestones, plan by plan and theme by theme."""
    from bvplan.rules.lookup import listing

    loaded = load_plans([plans_dir])
    entries = listing(loaded.workspace, plan, theme, [owner] if owner else [])
    out = console()
    if not entries:
        out.print("No actions or milestones match.")
        return
    heading = None
    for entry in entries:
        if (entry.plan, entry.theme) != heading:
            heading = (entry.plan, entry.theme)
            out.print(f"{entry.plan}: {entry.theme}")
        if entry.kind == "action":
            out.print(f"  {entry.item_id:<8} {entry.title}")
        else:
            out.print(f"    {entry.item_id:<8} {entry.title} (due {entry.due})")


@app.command(short_help="Find milestones, actions, notes and updates by text.")
def search(
    text: Annotated[str, typer.Argument(help="What to look for (case-insensitive).", metavar="TEXT")],
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """The milestones, actions, notes and theme updates whose text contains TEXT."""
    from bvplan.rules.lookup import search as find

    if not text.strip():
        fail("give some text to search for")
    loaded = load_plans([plans_dir])
    hits = find(loaded.workspace, text)
    out = console()
    if not hits:
        out.print(f"Nothing mentions '{text}'.")
        return
    for hit in hits:
        out.print(f"{hit.plan}/{hit.item_id} ({hit.kind}, {hit.theme}): {' '.join(hit.text.split())}")
