"""What a command imports, and the plain output that lets it skip rich when there is no terminal.

Speed itself is measured in bench/ (ratios in one run); these tests hold the behaviour the speed
rests on: rich is imported only to draw for a terminal, nothing in bvplan stands in for a module of
pydantic's, and the plain output is what it should be: the piped status table is complete (never truncated, one
milestone a line), and plain diagnostics are byte for byte what rich printed.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bvplan.cli.common import as_printed
from bvplan.format.diagnostic_format import as_plain_text, as_text
from bvplan.format.diagnostics import Report, Span, error, warning
from tests.conftest import REPO, SHIPPED_PLANS, RunCli, run_in_terminal


def _imports(*args: str, env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run bvplan with -X importtime; the modules it imported."""
    environment = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PYDANTIC_DISABLE_PLUGINS")}
    environment.update(env or {})
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bvplan", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    modules = {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return result, modules


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2018-06-30", "--format", "csv"],
        ["status", "--as-of", "2018-06-30", "--format", "json"],
        ["status", "--as-of", "2018-06-30", "--format", "markdown"],
        ["status", "--as-of", "2018-06-30"],  # piped: the plain table
        ["validate", "plans"],
    ],
    ids=lambda args: " ".join(args),
)
def test_output_without_a_terminal_never_imports_rich(args: list[str]) -> None:
    result, modules = _imports(*args)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout
    drawn = sorted(m for m in modules if m.startswith("rich."))
    assert drawn == [], drawn  # `rich` itself comes with typer; none of its drawing modules


def test_pydantic_plugins_are_pydantics_own_business() -> None:
    """bvplan neither stands in for pydantic's plugin loader nor sets PYDANTIC_DISABLE_PLUGINS: the
    loader is pydantic's own module, and a user's setting is theirs."""
    script = (
        "import os, sys\n"
        "from bvplan.cli import main\n"
        "assert main(['status', '--as-of', '2018-06-30', '--format', 'csv']) == 0\n"
        "loader = sys.modules['pydantic.plugin._loader']\n"
        "assert loader.__file__.endswith('_loader.py'), loader\n"
        "assert 'PYDANTIC_DISABLE_PLUGINS' not in os.environ\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=environment, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


# --- the plain status table ------------------------------------------------------------------------


def test_piped_status_is_a_plain_table_that_never_truncates(run_cli: RunCli) -> None:
    """Issue #12 item 16: piped status cut theme names ("Communicati…") even with COLUMNS=200."""
    args = ("status", "--as-of", "2018-06-30", "--plans", SHIPPED_PLANS)
    table = run_cli(*args, env={"COLUMNS": "40"})
    wide = run_cli(*args, env={"COLUMNS": "200"})
    listed = run_cli(*args, "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert table.stdout == wide.stdout  # the terminal width plays no part
    out = table.stdout
    assert "…" not in out
    assert not any(c in out for c in "┃│┏━")
    lines = out.splitlines()
    assert lines[0] == "Status as at 2018-06-30 (2018-19 Q1)"
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    assert len(rows) == 43
    for row in rows:
        # Each milestone on one line, whole: its id, title, owner and status words.
        line = next(line for line in lines if line.startswith(row["milestone"] + " "))
        assert row["title"] in line
        assert row["owner"] in line
        assert row["status"] in line
    summary = lines[lines.index("Summary") :]
    summary = summary[: summary.index("")] if "" in summary else summary  # the Directions follow
    for theme in ("Elections", "Communications", "Property", "Grants", "Organisational Culture"):
        assert any(line.startswith(theme + " ") for line in summary), theme
    assert summary[-1].split() == ["Total", "18", "23", "2", "0", "43", "42%", "0"]


def test_plain_table_columns_line_up(run_cli: RunCli) -> None:
    out = run_cli("status", "--as-of", "2018-06-30", "--plans", SHIPPED_PLANS).stdout
    tables = 0
    for block in out.split("\n\n"):
        lines = block.splitlines()
        rules = [i for i, line in enumerate(lines) if line.startswith("---")]
        if not rules:
            continue
        tables += 1
        rule = lines[rules[0]]
        gaps = [i for i in range(1, len(rule)) if rule[i] == " " and rule[i - 1] == "-"]
        assert len(gaps) in (5, 6, 7)  # six columns, the Directions' seven, or the summary's eight
        for line in lines[rules[0] - 1 :]:
            if line.startswith("---"):
                assert line == rule
                continue
            # Every cell ends before each gap between columns: the two spaces are always there.
            for gap in gaps:
                assert line[gap : gap + 2] in ("  ", " ", ""), (line, gap)
    assert tables == 7  # five themes, the summary and the Directions


def test_a_terminal_still_gets_the_drawn_table(tmp_path: Path) -> None:
    out = run_in_terminal(REPO, "status", "--as-of", "2018-06-30", "--plans", str(SHIPPED_PLANS), no_color=True)
    assert "┃" in out or "│" in out
    assert "Status as at 2018-06-30 (2018-19 Q1)" in out


# --- plain diagnostics are what rich printed ---------------------------------------------------------


def _rich_printed(lines: object) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    # As bvplan.cli.common.console() is set up when the output is not a terminal.
    console = Console(
        file=buffer,
        highlight=False,
        soft_wrap=True,
        width=100,
        no_color=True,
        color_system=None,
        emoji=False,
        markup=False,
    )
    for line in lines:  # type: ignore[attr-defined]
        console.print(line)
    return buffer.getvalue()


def test_plain_diagnostics_are_byte_for_byte_what_rich_printed() -> None:
    odd = "a\tb \x07bell\x08 \x0b\x0c cr\r [bold]not markup[/] :smile: \x1b[31m 日本語\tz " + "long " * 40
    report = Report(
        [
            error("plans/x/a.yaml", Span(2, 3, 2, 9), "BV201", f"unknown key '{odd}'", f"hint with\ttab {odd}"),
            warning("plans/x/b.yaml", None, "BV305", "deadline outside", None),
            error("plans/x/c.yaml", Span(1, 1, 1, 2), "BV201", "first line", "h"),
        ],
        3,
    )
    sources = {"plans/x/a.yaml": ["id: x", "\tkey:\tvalue 日本語\t# c", "z"], "plans/x/c.yaml": ["\x07x"]}
    plain = "".join(as_printed(line) + "\n" for line in as_plain_text(report, sources))
    assert plain == _rich_printed(as_text(report, sources))


def test_piped_validate_prints_what_it_printed_through_rich(tmp_path: Path, run_cli: RunCli) -> None:
    plans = tmp_path / "plans"
    folder = plans / "hp"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        "id: hp\ntitle: T\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"
    )
    (folder / "grants.yaml").write_text("theme: Grants\nactions:\n  - id: G1\n    titel: x\n    milestones: []\n")
    result = run_cli("validate", "plans", cwd=tmp_path)
    assert result.returncode == 1
    from bvplan.rules.validation import validate

    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        loaded = validate([Path("plans")])
    finally:
        os.chdir(cwd)
    assert result.stdout == _rich_printed(as_text(loaded.report, loaded.lines))


def test_plain_table_keeps_odd_text_on_one_line_and_aligned(tmp_path: Path, run_cli: RunCli) -> None:
    folder = tmp_path / "plans" / "hp"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        "id: hp\ntitle: Plan\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n",
        encoding="utf-8",
    )
    (folder / "grants.yaml").write_text(
        'theme: "Grants\\tand 助成金"\nactions:\n  - id: G1\n    title: A\n    milestones:\n'
        '      - id: G1.1\n        title: "Two\\nlines\\tand a tab"\n        owner: 山田 太郎\n        due: 2018-06-30\n'
        "      - id: G1.2\n        title: Short\n        due: 2018-09-30\n",
        encoding="utf-8",
    )
    result = run_cli("status", "--as-of", "2018-06-30", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Grants and 助成金" in lines
    first = next(line for line in lines if line.startswith("G1.1 "))
    second = next(line for line in lines if line.startswith("G1.2 "))
    assert "Two lines and a tab" in first and "\t" not in result.stdout
    # The owner column starts at the same place on both lines, and the deadlines line up on
    # screen: 山田 太郎 takes 9 columns of a terminal (each of its four characters two), not 5.
    wide = sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in first[: first.index("2018-06-30")])
    assert wide == second.index("2018-09-30")


# --- the list of commands ----------------------------------------------------------------------------


def test_the_command_list_is_the_full_apps_without_building_options(run_cli: RunCli) -> None:
    from typer.testing import CliRunner

    from bvplan.cli import COMMANDS, application, listing

    full = CliRunner().invoke(application(), ["--help"], prog_name="bvplan")
    listed = CliRunner().invoke(listing(application()), ["--help"], prog_name="bvplan")
    assert listed.output == full.output
    assert "carry-forward  Carry unfinished actions into the next plan." in full.output
    # The app keeps its commands whole: a command still runs with its options.
    assert all(info.callback and info.callback.__code__.co_argcount for info in application().registered_commands)
    shown = run_cli("--help")
    assert shown.returncode == 0

    def names(output: str) -> list[str]:
        listed = output[output.index("Commands:") :].split("\n\n")[0]  # the exit codes follow
        return [line.split()[0] for line in listed.splitlines()[1:]]

    assert names(shown.stdout) == names(full.output) == list(COMMANDS)
