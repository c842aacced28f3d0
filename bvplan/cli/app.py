"""The typer application that every command module registers on, and its options before any command."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="bvplan",
    help="Keep a Best Value improvement plan as YAML: check it, report status, write the board paper.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _show_version(asked: bool) -> None:
    if asked:
        from bvplan import __version__
        from bvplan.cli.output import stdout

        stdout().write(f"bvplan {__version__}\n")
        raise typer.Exit(0)


# A callback makes the app a group of commands even when only the one being run is registered (see
# bvplan/cli/__init__.py); without it typer would run that one command with its name as an argument.
@app.callback()
def options(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print bvplan's version and exit.", callback=_show_version, is_eager=True),
    ] = False,
) -> None:
    """Keep a Best Value improvement plan as YAML: check it, report status, write the board paper."""
