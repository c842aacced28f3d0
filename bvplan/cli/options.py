"""The options commands share, declared once: each spelling means one thing in every command.

A command takes them as parameter annotations, with its own default:

    from bvplan.cli.options import AsOf, OutputFile, PlanId, PlansDir, Public, format_option
    from bvplan.cli.common import DEFAULT_PLANS

    @app.command(short_help="...")
    def heatmap(
        as_of: AsOf = None,
        plan: PlanId = None,
        output_format: Annotated[str, format_option("text", "json", "markdown")] = "text",
        output: OutputFile = None,
        public: Public = False,
        plans_dir: PlansDir = DEFAULT_PLANS,
    ) -> None: ...

What they mean, everywhere:
- `--plans PATH`: the plans folder (default `plans/`).
- `--plan PLAN`: the plan, by id; without it a command chooses by date (the plan or plans live on
  the date it works on) and says which.
- `--as-of DATE`: the day the answer is as at: YYYY-MM-DD, or a period (`q1`, `'2018-19 q1'`,
  `2018-19`) meaning its last day. Default: today (or what the command's help says).
- `--on DATE`: the day something happened, for a command that records it (an edit): YYYY-MM-DD,
  not after today. Default: today.
- `--format NAME`: the output format. The names are the same in every command: `text` (for
  people: a table or list; `table` is an alias), `markdown` (`md` is an alias), `json`, `csv`,
  `html`, ... Each command lists those it has; `format_option` declares the option.
- `-o, --output PATH`: write there instead of standard output (`output_option` when a command's
  PATH is a folder, or the output is required).
- `--public`: leave out everything marked exempt, and every count it takes part in.
- `--owner TEXT`: only owners whose name contains TEXT, ignoring case (`Owners`: repeatable, any
  of them, for the commands that write per owner).

Every option has a metavar, so that help shows PATH, PLAN, DATE and TEXT rather than Python types.
Dates typed by a user are read by `bvplan.format.periods.parse_date` (YYYY-MM-DD only); periods by
`bvplan.format.periods.parse_reporting`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bvplan.cli.completion import complete_plan

PlansDir = Annotated[Path, typer.Option("--plans", metavar="PATH", help="The plans folder.")]


def plan_option(help: str = "The plan, by id. Default: chosen by the date (the plan live on it).") -> Any:
    """`--plan PLAN` (with the help a command needs: a required new plan's id, say)."""
    return typer.Option("--plan", metavar="PLAN", help=help, autocompletion=complete_plan, show_default=False)


PlanId = Annotated[str | None, plan_option()]

AS_OF_HELP = (
    "The day the answer is as at: YYYY-MM-DD, or a period (q1-q4, h1, h2, year, '2018-19 q1', 2018-19) meaning "
    "its last day. Default: today."
)


def as_of_option(help: str = AS_OF_HELP) -> Any:
    """`--as-of DATE` (with the help a command needs, when its default is not today)."""
    return typer.Option("--as-of", metavar="DATE", help=help, show_default=False)


AsOf = Annotated[str | None, as_of_option()]

On = Annotated[
    str | None,
    typer.Option(
        "--on",
        metavar="DATE",
        help="The day it happened (YYYY-MM-DD), not after today. Default: today.",
        show_default=False,
    ),
]

Public = Annotated[
    bool,
    typer.Option(
        "--public", help="Leave out everything marked exempt (not for publication), and every count it takes part in."
    ),
]


def owner_option(help: str = "Only owners whose name contains this, ignoring case.") -> Any:
    """`--owner TEXT`."""
    return typer.Option("--owner", metavar="TEXT", help=help, show_default=False)


Owner = Annotated[str | None, owner_option()]
Owners = Annotated[
    list[str] | None, owner_option("Only owners whose name contains this, ignoring case (repeatable: any of them).")
]

# Other spellings of a format name that users may rely on: each means the canonical name.
FORMAT_ALIASES = {"md": "markdown", "table": "text"}


def format_option(*names: str, help: str = "") -> Any:
    """`--format NAME`, one of `names` (canonical names; the aliases in FORMAT_ALIASES are accepted
    for them). The value the command gets is the canonical name, as a string."""
    known = list(names)
    aliases = [alias for alias, name in FORMAT_ALIASES.items() if name in known]

    def canonical(value: str) -> str:
        word = value.strip().lower()
        word = FORMAT_ALIASES.get(word, word) if word not in known else word
        if word not in known:
            raise typer.BadParameter(f"'{value}' is not a format here; choose {', '.join(known)}")
        return word

    also = "; " + ", ".join(f"{a} = {FORMAT_ALIASES[a]}" for a in aliases) if aliases else ""
    return typer.Option(
        "--format",
        metavar="[" + "|".join(known) + "]",
        parser=canonical,
        help=(help + f" (also{also[1:]})" if also else help),
        show_default=False,
    )


def output_option(help: str = "Write to this file instead of standard output.") -> Any:
    """`-o, --output PATH`."""
    return typer.Option("-o", "--output", metavar="PATH", help=help, show_default=False)


OutputFile = Annotated[Path | None, output_option()]
