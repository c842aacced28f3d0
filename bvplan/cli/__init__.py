"""The command line: thin wrappers that parse arguments, call the library and print.

Each command lives in a module of its own that registers it on the typer app when imported. Only
the module of the command being run is imported, so `bvplan status` pays for neither the edit
commands nor git; `--help`, shell completion and anything unknown import them all, in the order of
the work, which is the order `--help` lists them.

`main(argv)` runs one command line and returns its exit code; what a command raises is turned into
its message and code by the error boundary (`bvplan.cli.boundary`), the only place that knows the
codes. Options shared by commands are declared once, in `bvplan.cli.options`; output goes through
the checked streams of `bvplan.cli.output`.
"""

from __future__ import annotations

import copy
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer
    from typer.models import CommandInfo

# Command name -> the module that registers it, in the order of the work: check, see, report, find, edit,
# year end, history, start. A new command is added here and nowhere else.
COMMANDS: dict[str, str] = {
    "validate": "bvplan.cli.validate",
    "status": "bvplan.cli.status",
    "report": "bvplan.cli.report",
    "site": "bvplan.cli.site",
    "heatmap": "bvplan.cli.heatmap",
    "show": "bvplan.cli.find",
    "list": "bvplan.cli.find",
    "search": "bvplan.cli.find",
    "trace": "bvplan.cli.trace",
    "complete": "bvplan.cli.edit",
    "note": "bvplan.cli.edit",
    "revise": "bvplan.cli.edit",
    "agree": "bvplan.cli.edit",
    "withdraw": "bvplan.cli.edit",
    "cancel": "bvplan.cli.edit",
    "reopen": "bvplan.cli.edit",
    "record": "bvplan.cli.measures",
    "confidence": "bvplan.cli.measures",
    "assess": "bvplan.cli.assess",
    "carry-forward": "bvplan.cli.carry",
    "changes": "bvplan.cli.changes",
    "due": "bvplan.cli.owners",
    "init": "bvplan.cli.init",
    "schema": "bvplan.cli.schema",
    # Groups of commands (`export updates`, `import updates|tracker`): typer lists groups after
    # single commands, so they stand last here too.
    "export": "bvplan.cli.owners",
    "import": "bvplan.cli.owners",
}


def _command_named(argv: list[str]) -> str | None:
    """The command a command line runs: its first word that is not an option."""
    for word in argv:
        if not word.startswith("-"):
            return word
    return None


def application(names: list[str] | None = None) -> typer.Typer:
    """The app with the commands `names` registered (every command when None), listed in COMMANDS order."""
    from bvplan.cli.app import app

    wanted = COMMANDS if names is None else {n: COMMANDS[n] for n in COMMANDS if n in names}
    for module in dict.fromkeys(wanted.values()):
        importlib.import_module(module)
    rank = {name: i for i, name in enumerate(COMMANDS)}

    def name_of(info: CommandInfo) -> str:
        return info.name or (info.callback.__name__.replace("_", "-") if info.callback else "")

    app.registered_commands.sort(key=lambda info: rank.get(name_of(info), len(rank)))
    _check_help(app)
    return app


def _check_help(app: typer.Typer) -> None:
    """Every command and group prints its help through the checked standard output (bvplan.cli.app),
    unless it names a class of its own (typer's own classes are the default, and are replaced)."""
    from typer.core import TyperCommand, TyperGroup

    from bvplan.cli.app import CheckedHelpCommand, CheckedHelpGroup

    for info in app.registered_commands:
        if info.cls in (None, TyperCommand):
            info.cls = CheckedHelpCommand
    for group in app.registered_groups:
        if group.typer_instance is not None:
            if group.typer_instance.info.cls in (None, TyperGroup):
                group.typer_instance.info.cls = CheckedHelpGroup
            if group.cls in (None, TyperGroup):
                group.cls = CheckedHelpGroup
            _check_help(group.typer_instance)


def listing(app: typer.Typer) -> typer.Typer:
    """A copy of `app` for listing its commands only (`bvplan`, `bvplan --help`): each command keeps
    its name and help, without its options.

    typer builds every option of every command to list them, and the list shows none of them: a
    fifth of `bvplan --help`. Only for a command line that names no command, so nothing runs.
    """
    summaries = []
    for info in app.registered_commands:
        summary = copy.copy(info)
        summary.callback = _summary_of(info.callback)
        summaries.append(summary)
    listed = copy.copy(app)  # the app itself keeps its commands whole
    listed.registered_commands = summaries
    return listed


def _summary_of(callback: Callable[..., Any] | None) -> Callable[[], None] | None:
    if callback is None:
        return None

    def summary() -> None:
        """Stands in for the command in the list; never run."""

    summary.__name__ = callback.__name__
    summary.__doc__ = callback.__doc__
    return summary


def main(argv: Sequence[str] | None = None) -> int:
    """Run bvplan on `argv` (default: the process's arguments) and return the exit code.

    The console script does `sys.exit(main())`. In-process callers (tests) get the same: output
    goes to `sys.stdout` and `sys.stderr` as they are at the time of the call, and nothing is kept
    from one call to the next. Every exception ends in the error boundary (bvplan.cli.boundary).
    """
    from bvplan.cli.boundary import run

    args = list(sys.argv[1:] if argv is None else argv)
    return run(lambda: _run_command_line(args), debug=_asks_for_debug(args))


def _asks_for_debug(args: list[str]) -> bool:
    """`--debug`, given before the command (it is bvplan's own option, not a command's)."""
    name = _command_named(args)
    return "--debug" in (args[: args.index(name)] if name is not None else args)


def _run_command_line(args: list[str]) -> int | None:
    """Parse and run the command; typer's errors are raised (not printed) for the boundary to report."""
    import typer.main

    name = _command_named(args)
    completing = any(key.startswith("_BVPLAN_COMPLETE") for key in os.environ)
    if name is None and not completing:
        app = listing(application())  # lists the commands; nothing runs
    else:
        app = application([name] if name in COMMANDS and not completing else None)
    if any(_undecodable(word) for word in args):
        _refuse_undecodable_arguments(app, name, args)
    command = typer.main.get_command(app)
    result = command.main(args, prog_name="bvplan", standalone_mode=False)
    return result if isinstance(result, int) else None


def _undecodable(word: str) -> bool:
    """Whether an argument held bytes that are not UTF-8 (Python keeps them as lone surrogates)."""
    return any("\udc80" <= char <= "\udcff" for char in word)


def _refuse_undecodable_arguments(app: typer.Typer, name: str | None, argv: list[str]) -> None:
    """Exit 2 for an argument that is not valid text, unless it is a file name (which may be any bytes)."""
    import typer.main

    from bvplan.errors import UsageError

    # typer carries its own copy of click, so its classes are recognised by what they are, not by type.
    commands: dict[str, Any] = getattr(typer.main.get_command(app), "commands", {})
    command = commands.get(name or "")
    if command is None:
        raise UsageError(f"'{name or ''}' is not a bvplan command")
    params: list[Any] = list(command.params)
    options = {flag: p for p in params if p.param_type_name == "option" for flag in p.opts + p.secondary_opts}
    arguments = [p for p in params if p.param_type_name == "argument"]
    waiting: Any = None
    for word in argv[argv.index(name or "") + 1 :]:
        param: Any
        if waiting is not None:
            param, waiting = waiting, None
        elif word.startswith("--") and "=" in word:
            param = options.get(word.partition("=")[0])
        elif word in options:
            param = options[word]
            waiting = None if param.is_flag else param
            continue
        else:
            param = arguments[0] if arguments else None
        if not _undecodable(word) or _takes_a_path(param):
            continue
        what = f"{param.opts[0]} " if param is not None and param.param_type_name == "option" else ""
        raise UsageError(
            f"the argument {what}'{word}' is not valid text: its bytes are not UTF-8 "
            "(check the terminal's or the script's encoding)"
        )


def _takes_a_path(param: Any) -> bool:
    """Whether a parameter is a file name (typer's own description of it, or click's type)."""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    return "Path" in str(annotation) or type(getattr(param, "type", None)).__name__ == "Path"
