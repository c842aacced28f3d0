"""The command line: thin wrappers that parse arguments, call the library and print."""

from __future__ import annotations

from bvplan.cli import carry, changes, edit, init, report, schema, status, validate  # noqa: F401  (each module registers its commands)
from bvplan.cli.app import app


def main() -> None:
    app()
