"""`bvplan import register`: a council's register of recommendations brought into a plan.

bvplan.cli.owners registers it on its `import` group, beside `import tracker`.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from bvplan.cli.common import DEFAULT_PLANS, console, fail
from bvplan.cli.options import PlansDir, plan_option


class SourceKind(StrEnum):
    inspection = "inspection"
    notice = "notice"
    auditor = "auditor"
    peer_challenge = "peer-challenge"
    cipfa = "cipfa"
    other = "other"


def import_register(
    file: Annotated[
        Path, typer.Argument(help="The register: .xlsx (its first sheet, or --sheet) or .csv.", metavar="FILE")
    ],
    plan: Annotated[str, plan_option("The plan that takes the register, e.g. example-2025-26.")],
    source_title: Annotated[
        str,
        typer.Option(
            "--source", metavar="TEXT", help="Where the recommendations come from, e.g. 'Best Value inspection report'."
        ),
    ],
    kind: Annotated[
        SourceKind,
        typer.Option(
            "--kind",
            metavar="[inspection|notice|auditor|peer-challenge|cipfa|other]",
            help="inspection, notice, auditor (s24), peer-challenge, cipfa or other.",
        ),
    ] = SourceKind.inspection,
    source_date: Annotated[
        str | None,
        typer.Option("--source-date", metavar="DATE", help="The date of the report (YYYY-MM-DD).", show_default=False),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option(
            "--theme",
            metavar="TEXT",
            help="The theme the actions go in. Default: the source's title.",
            show_default=False,
        ),
    ] = None,
    prefix: Annotated[
        str | None,
        typer.Option(
            "--prefix",
            metavar="TEXT",
            help="Start of the recommendation ids (INS -> INS1, INS1.1...). Default: INS, BVN, S24-, PC, CIPFA "
            "or REC by --kind.",
            show_default=False,
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="COLUMN=FIELD where the heading is not recognised (repeatable); fields: number, text, action, "
            "owner, due, monitoring, owner_rag, deliverables.",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="The sheet to read.", show_default=False)
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the changes; write nothing.")] = False,
    plans_dir: PlansDir = DEFAULT_PLANS,
) -> None:
    """A register of recommendations into a plan: the layout `Recommendation No | Action |
    Responsibility | Date | Monitoring | RAG Status | Key Deliverables` and the like, headings
    recognised without --map.

    Each recommendation number becomes a recommendation in plan.yaml; each row an action answering
    it (in a new theme file), with a milestone due on its date. "Ongoing" is kept as a standing
    commitment with no deadline. The owner's RAG is kept beside the one bvplan computes; key
    deliverables become the evidence the recommendation needs. Every row comes in, or the rows that
    could not are named and nothing is written (exit 1).
    """
    from bvplan.cli.edit import finish
    from bvplan.edits.register_import import import_register as bring_in
    from bvplan.edits.register_import import taken_ids
    from bvplan.format.periods import parse_date
    from bvplan.format.spreadsheet import column_letter, read_table
    from bvplan.rules.register_import import build_register, default_prefix, register_columns, source_of

    given: dict[str, str] = {}
    for item in mapping or []:
        column, equals, name = item.rpartition("=")
        if not equals or not column.strip():
            fail(f"--map '{item}': write COLUMN=FIELD, e.g. 'Lead officer'=owner")
        given[column.strip()] = name.strip()
    if not source_title.strip():
        fail("--source must not be empty")
    err = console(stderr=True)
    day = parse_date(source_date, "--source-date") if source_date else None
    table = read_table(file, str(file), sheet)
    columns = register_columns(table.header, given)
    err.print(f"bvplan: columns: {', '.join(f'{name} <- {table.header[i]!r}' for name, i in columns.items())}")
    for index, heading in enumerate(table.header):
        if heading and index not in set(columns.values()):
            err.print(f"bvplan: not brought in: {file}: column {column_letter(index)} ({heading}): no field for it")
    register = build_register(
        table.header,
        table.rows,
        columns,
        prefix if prefix is not None else default_prefix(kind.value),
        source_of(kind.value, source_title.strip(), day),
        taken_ids(plans_dir, plan),
        table.formulas,
    )
    for problem in register.unmapped:
        err.print(f"bvplan: not brought in: {file}: {problem}")
    outcome = bring_in(plans_dir, plan, register, (theme or source_title).strip(), file.name)
    finish(outcome, dry_run)
