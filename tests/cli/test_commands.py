"""The command table (COMMANDS in bvplan/cli/__init__.py): `bvplan CMD` imports only the module the
table names for CMD, so that module must register CMD; and `--help` lists commands in the table's order."""

from __future__ import annotations

from types import ModuleType

from bvplan import __version__
from bvplan.cli import (
    COMMANDS,
    application,
    assess,
    carry,
    changes,
    edit,
    find,
    heatmap,
    init,
    measures,
    owners,
    report,
    schema,
    site,
    status,
    trace,
)
from bvplan.cli import validate as validate_command
from bvplan.cli.app import app
from tests.conftest import RunMain

COMMAND_MODULES: tuple[ModuleType, ...] = (
    validate_command, status, report, site, heatmap, find, trace, edit, measures, assess, carry, changes, owners, init,
    schema,
)  # fmt: skip


def registered_by_module() -> dict[str, set[str]]:
    """Command and group names by the module whose function they run."""
    application()
    found: dict[str, set[str]] = {}
    for info in app.registered_commands:
        assert info.callback is not None
        name = info.name or info.callback.__name__.replace("_", "-")
        found.setdefault(info.callback.__module__, set()).add(name)
    for group in app.registered_groups:
        [first, *_] = group.typer_instance.registered_commands if group.typer_instance else [None]
        assert first is not None and first.callback is not None and group.name
        found.setdefault(first.callback.__module__, set()).add(group.name)
    return found


def test_each_command_is_registered_by_the_module_the_table_names() -> None:
    registered = registered_by_module()
    for command, module in COMMANDS.items():
        assert command in registered.get(module, set()), f"{command}: {module} does not register it"


def test_the_table_names_every_command_module_and_every_command() -> None:
    assert set(COMMANDS.values()) == {module.__name__ for module in COMMAND_MODULES}
    assert set(COMMANDS) == set().union(*registered_by_module().values())


def test_help_lists_the_commands_in_the_tables_order(run_main: RunMain) -> None:
    listed = run_main("--help").stdout.split("Commands:")[1].split("\n\n")[0].splitlines()  # exit codes follow
    names = [line.split()[0] for line in listed if line.startswith("  ") and not line.startswith("   ")]
    assert names == list(COMMANDS)


def test_version(run_main: RunMain) -> None:
    result = run_main("--version")
    assert (result.returncode, result.stdout) == (0, f"bvplan {__version__}\n")
