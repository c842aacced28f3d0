"""`bvplan schema`: the JSON Schema of plan files, for editors and other validators."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bvplan.cli.app import app


class SchemaKind(StrEnum):
    plan = "plan"
    theme = "theme"
    framework = "framework"


@app.command(short_help="Print the JSON Schema of a plan, theme or framework file.")
def schema(
    kind: Annotated[
        SchemaKind,
        typer.Argument(
            help="plan (plan.yaml), theme (a theme file) or framework (a framework pack).",
            metavar="[plan|theme|framework]",
        ),
    ] = SchemaKind.theme,
) -> None:
    """Print the JSON Schema of plan.yaml, of a theme file or of a framework pack."""
    from bvplan.cli.output import stdout
    from bvplan.format.schema import schema_text

    stdout(json=True).write(schema_text(kind.value))
