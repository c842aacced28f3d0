"""The typer application that every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="bvplan",
    help="Keep a Best Value improvement plan as YAML: check it, report status, write the board paper.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
