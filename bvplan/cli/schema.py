"""`bvplan schema`: the JSON Schema of plan files, for editors and other validators."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from bvplan.cli.app import app


class SchemaKind(StrEnum):
    plan = "plan"
    theme = "theme"


@app.command(short_help="Print the JSON Schema of plan.yaml or of a theme file.")
def schema(
    kind: Annotated[
        SchemaKind, typer.Argument(help="plan (plan.yaml) or theme (a theme file).", metavar="[plan|theme]")
    ] = SchemaKind.theme,
) -> None:
    """Print the JSON Schema of plan.yaml or of a theme file."""
    from bvplan.cli.output import stdout
    from bvplan.format.schema import schema_text

    stdout(json=True).write(schema_text(kind.value))
