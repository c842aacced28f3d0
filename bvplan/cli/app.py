"""The typer application that every command module registers on, and its options before any command."""

from __future__ import annotations

import re
from typing import Annotated, Any

import typer
import typer.core

# Help names values as a person reads them (DATE, PLAN, ID, PATH; a choice as [a|b]), not as Python
# types: typer would print `<str>`, `<list[Path]>` and `{ID}`. Every parameter that takes a value
# should give a metavar; these are the fallbacks when one does not.
_TYPE_WORDS = {"str": "TEXT", "path": "PATH", "int": "NUMBER", "float": "NUMBER", "bool": "BOOLEAN"}


def _readable_type(parameter: Any, ctx: Any) -> str | None:
    if parameter.metavar is not None:
        return None if isinstance(parameter, typer.core.TyperArgument) else str(parameter.metavar)
    typed = typer.core._TyperParameter.display_type(parameter, ctx)
    inner = re.sub(r"^list\[(.*)\]$", r"\1", typed.strip("<>"))
    word = f"[{inner}]" if "|" in inner else _TYPE_WORDS.get(inner.lower(), inner.upper())
    if isinstance(parameter, typer.core.TyperArgument):
        return None
    return word + ("..." if parameter.nargs != 1 else "")


def _usage_name(argument: Any) -> str:
    name = str(argument.metavar or argument.name.upper())
    name = name if argument.required else f"[{name}]"
    return name + ("..." if argument.nargs != 1 else "")


def _argument_name(argument: Any) -> str:
    return str(argument.metavar or argument.name.upper()) + ("..." if argument.nargs != 1 else "")


typer.core.TyperArgument.display_type_rich = _readable_type  # type: ignore[method-assign,assignment]
typer.core.TyperOption.display_type_rich = _readable_type  # type: ignore[method-assign,assignment]
typer.core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign,assignment]
typer.core.TyperArgument._rich_display_name = _argument_name  # type: ignore[method-assign,assignment]

app = typer.Typer(
    name="bvplan",
    help="Keep a Best Value improvement plan as YAML: check it, report status, write the board paper.",
    no_args_is_help=True,
    add_completion=True,
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
