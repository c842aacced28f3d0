"""`bvplan validate`: check plan files, for people, pre-commit and CI."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bvplan.cli import output
from bvplan.cli.app import app
from bvplan.cli.common import DEFAULT_PLANS, show_diagnostics
from bvplan.cli.options import format_option


class DiagnosticFormat(StrEnum):
    text = "text"
    json = "json"
    github = "github"


@app.command(short_help="Check the plan files; say where each problem is.")
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Plans folder, plan folders or plan files. Default: plans/.", metavar="PATH", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        str | None,
        format_option(
            *DiagnosticFormat, help="text, json, or github (workflow annotations; the default under GitHub Actions)"
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
) -> None:
    """Check plan files: every problem in every file, as path:line:col with a hint.

    Exit 0 when clean, 1 when problems are found (or warnings, with --strict), 2 for a usage error.
    """
    from bvplan.errors import CheckFailed
    from bvplan.format.diagnostic_format import as_github, as_json
    from bvplan.rules.validation import validate as run

    chosen = (
        DiagnosticFormat(output_format)
        if output_format
        else (DiagnosticFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else DiagnosticFormat.text)
    )
    loaded = run(paths or [DEFAULT_PLANS])
    report = loaded.report
    # Machine-read formats are written as they are: a terminal's word-wrapping would break them.
    if chosen is DiagnosticFormat.json:
        output.stdout(json=True).write(as_json(report) + "\n")
    elif chosen is DiagnosticFormat.github:
        output.workflow_commands().write("".join(line + "\n" for line in as_github(report)))
    else:
        show_diagnostics(report, loaded.lines)
    failed = report.errors > 0 or (strict and report.warnings > 0)
    if failed:
        raise CheckFailed("")  # what failed is the report above
