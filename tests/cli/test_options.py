"""Shared options (bvplan/cli/options.py): declared once, one meaning and one spelling in every
command, readable help without patching typer, and the one date grammar for every date option."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.core
import typer.main

from bvplan.cli import application, main
from bvplan.cli.options import FORMAT_ALIASES
from tests.conftest import REPO, SHIPPED_PLANS

PACKAGE = REPO / "bvplan"


def _every_command() -> list[tuple[str, Any]]:
    group: Any = typer.main.get_command(application())
    found = []

    def walk(prefix: str, command: Any) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            found.append((f"{prefix}{name}", sub))
            walk(f"{prefix}{name} ", sub)

    walk("", group)
    return found


@pytest.mark.parametrize("flag", ["--plans", "--plan", "--as-of", "--public", "--owner", "--format", "--output"])
def test_each_shared_option_is_declared_once(flag: str) -> None:
    declared = subprocess.run(
        ["grep", "-rn", "--include=*.py", f'"{flag}"', str(PACKAGE)], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    declared = [line for line in declared if "typer.Option(" in line or line.split(":", 2)[2].strip().startswith('"')]
    where = {line.split(":", 1)[0] for line in declared if "bvplan/cli/" in line}
    assert where <= {str(PACKAGE / "cli" / "options.py"), str(PACKAGE / "cli" / "owners.py")}, declared


def test_plans_is_declared_in_one_place() -> None:
    found = subprocess.run(
        ["grep", "-rn", '"--plans"', str(PACKAGE)], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    assert len(found) == 1, found
    assert "bvplan/cli/options.py" in found[0]


def test_every_option_and_argument_has_a_readable_metavar() -> None:
    unreadable = []
    for name, command in _every_command():
        for param in command.params:
            if getattr(param, "is_flag", False) or param.name in ("help",):
                continue
            if param.metavar is None:
                unreadable.append(f"{name} {param.name}")
    assert unreadable == []


def test_help_shows_no_python_types(capsys: pytest.CaptureFixture[str]) -> None:
    for name, _command in _every_command():
        assert main([*name.split(), "--help"]) == 0
        shown = capsys.readouterr().out
        assert not re.search(r"<(str|path|int|list\[)", shown, re.IGNORECASE), (name, shown)


def test_typer_is_not_patched() -> None:
    application()
    for kind in (typer.core.TyperArgument, typer.core.TyperOption):
        for attribute in ("display_type_rich", "_usage_display_name", "_rich_display_name"):
            function = getattr(kind, attribute, None)
            if function is not None:
                assert function.__module__ == "typer.core", (kind, attribute)


def test_no_stand_in_modules_after_a_run(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SHIPPED_PLANS)]) == 0
    capsys.readouterr()
    for name, module in list(sys.modules.items()):
        if name.startswith(("pydantic", "typer")):
            assert type(module).__module__ == "builtins", name  # a real module, not a stand-in class


def _out(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main([*args, "--plans", str(SHIPPED_PLANS)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("command", "canonical", "alias"),
    [
        (["status", "--as-of", "2018-06-30"], "markdown", "md"),
        (["status", "--as-of", "2018-06-30"], "text", "table"),
        (["report", "q1", "--plan", "bvip-2018-19"], "markdown", "md"),
        (["due", "--as-of", "2018-06-30"], "markdown", "md"),
    ],
)
def test_format_aliases_mean_the_canonical_name(
    command: list[str], canonical: str, alias: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _out([*command, "--format", alias], capsys) == _out([*command, "--format", canonical], capsys)


def test_the_format_aliases_are_the_documented_ones() -> None:
    assert FORMAT_ALIASES == {"md": "markdown", "table": "text"}
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`text` (a table or list for people; `table` is an alias), `markdown` (`md` is an\nalias)" in readme


def test_a_format_a_command_does_not_have_is_refused_with_its_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["changes", "--since", "HEAD", "--format", "csv"]) == 2
    assert "'csv' is not a format here; choose text, json, markdown" in capsys.readouterr().err


ISO_ONLY = "is not a date; write it as YYYY-MM-DD, e.g. 2018-06-30"


@pytest.mark.parametrize("text", ["20180520", "2018-W20-7", "2018-5-20", "20/05/2018", "2018-02-30"])
@pytest.mark.parametrize(
    "command",
    [
        ["status", "--as-of", "{}"],
        ["report", "q1", "--plan", "bvip-2018-19", "--as-of", "{}"],
        ["report", "q1", "--plan", "bvip-2018-19", "--meeting-date", "{}"],
        ["report", "{}", "--plan", "bvip-2018-19"],
        ["due", "--as-of", "{}"],
        ["carry-forward", "--from", "bvip-2017-18", "--to", "bvip-2018-19", "--as-of", "{}"],
        ["note", "bvip-2018-19/GR1.1", "a note", "--on", "{}"],
        ["revise", "bvip-2018-19/GR1.1", "--to", "{}", "--reason", "why"],
        ["record", "bvip-2018-19/M1", "64", "--on", "{}"],
    ],
    ids=lambda c: " ".join(c[:2]) if isinstance(c, list) else c,
)
def test_every_date_option_reads_iso_dates_only_with_one_message(
    command: list[str], text: str, plans_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [word.replace("{}", text) for word in command]
    assert main([*args, "--plans", str(plans_copy)]) == 2
    err = capsys.readouterr().err
    assert f"'{text}' {ISO_ONLY}" in err, err
    assert err.count("\n") == 1


def test_import_tracker_on_is_the_old_name_of_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tracker = tmp_path / "tracker.csv"
    tracker.write_text("Theme,Action,Milestone,Owner,Due\nGov,Set up,Hold a meeting,Clerk,2018-06-30\n", "utf-8")
    plans = tmp_path / "plans"
    plans.mkdir()
    args = ["import", "tracker", str(tracker), "--plan", "bvip-2018-19", "--authority", "Council", "--dry-run"]
    assert main([*args, "--on", "2018-05-01", "--plans", str(plans)]) in (0, 1, 2)
    assert "import tracker --on is now --as-of" in capsys.readouterr().err
