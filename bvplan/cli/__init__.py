"""The command line: thin wrappers that parse arguments, call the library and print.

Each command lives in a module of its own that registers it on the typer app when imported. Only
the module of the command being run is imported, so `bvplan status` pays for neither the edit
commands nor git; `--help`, shell completion and anything unknown import them all, in the order of
the work, which is the order `--help` lists them.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer
    from typer.models import CommandInfo

# Command name -> the module that registers it, in the order of the work: check, see, report, edit,
# year end, history, start. A new command is added here and nowhere else.
COMMANDS: dict[str, str] = {
    "validate": "bvplan.cli.validate",
    "status": "bvplan.cli.status",
    "report": "bvplan.cli.report",
    "complete": "bvplan.cli.edit",
    "note": "bvplan.cli.edit",
    "revise": "bvplan.cli.edit",
    "agree": "bvplan.cli.edit",
    "cancel": "bvplan.cli.edit",
    "record": "bvplan.cli.measures",
    "confidence": "bvplan.cli.measures",
    "carry-forward": "bvplan.cli.carry",
    "changes": "bvplan.cli.changes",
    "due": "bvplan.cli.owners",
    "export": "bvplan.cli.owners",
    "import": "bvplan.cli.owners",
    "init": "bvplan.cli.init",
    "schema": "bvplan.cli.schema",
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
    return app


def main() -> None:
    name = _command_named(sys.argv[1:])
    completing = any(key.startswith("_BVPLAN_COMPLETE") for key in os.environ)
    application([name] if name in COMMANDS and not completing else None)()
