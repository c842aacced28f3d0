"""The typer application that every command module registers on, and its options before any command.

Help is printed through bvplan's checked standard output (`bvplan.cli.output`), so that a help
page written to a full disk is reported like any other short write: the app and its commands use
`CheckedHelpGroup` and `CheckedHelpCommand`, typer's own classes with their `--help` option's
callback replaced (typer's documented `cls=` extension point; nothing in typer is patched).
`bvplan.cli.application` gives every registered command `CheckedHelpCommand` unless it names its own
class. Help shows each value by its metavar (every parameter gives one: PATH, PLAN, DATE, TEXT). `--help` also lists the exit codes (`bvplan.cli.boundary.EXIT_CODES`).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from bvplan.cli.boundary import exit_codes_help


def _show_help(ctx: Any, _param: Any, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from bvplan.cli.output import stdout

    stdout().write(ctx.get_help() + "\n")
    ctx.exit()


class _CheckedHelp:
    """`--help` written through the checked standard output."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.callback = _show_help
        return option


class CheckedHelpCommand(_CheckedHelp, TyperCommand):
    """A bvplan command: typer's command, with help written through the checked standard output, and
    its arguments listed by their metavar alone (typer would add the Python type: `PATH <list[Path]>`)."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """The usage line: `[OPTIONS] ID`, `[PATH]...` (typer would write a required argument `{ID}`)."""
        pieces = [self.options_metavar or "[OPTIONS]"]
        for param in self.get_params(ctx):
            if param.param_type_name != "argument":
                pieces.extend(param.get_usage_pieces(ctx))
                continue
            name = str(param.metavar or param.name.upper())
            pieces.append((name if param.required else f"[{name}]") + ("..." if param.nargs != 1 else ""))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name = str(param.metavar or param.name.upper()) + ("..." if param.nargs != 1 else "")
                arguments.append((name, record[1]))
            else:
                options.append(record)
        for title, records in (("Arguments", arguments), ("Options", options)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)


class CheckedHelpGroup(_CheckedHelp, TyperGroup):
    """bvplan itself and its groups of commands (`export`, `import`), with help checked likewise."""


HELP = "Keep a Best Value improvement plan as YAML: check it, report status, write the board paper."

app = typer.Typer(
    name="bvplan",
    cls=CheckedHelpGroup,
    help=HELP,
    epilog=exit_codes_help(),
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
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", help="On an internal error, show the traceback (for a bug report). Give it before the command."
        ),
    ] = False,
) -> None:
    """Keep a Best Value improvement plan as YAML: check it, report status, write the board paper."""
    # --debug is read by bvplan.cli.main before the command runs (the error boundary needs it then).
