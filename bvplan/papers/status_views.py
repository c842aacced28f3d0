"""Status as rows and in the formats people ask for: a terminal table, a plain table, JSON, CSV and Markdown.

The JSON keys and CSV columns are a public contract (documented in the README): performance
systems import them, so they are only ever added to, never renamed. rich is imported only to draw
the terminal table: it is a fifth of a run, and the other formats are plain text.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from bvplan.format.periods import Period
from bvplan.papers.cells import csv_cell
from bvplan.papers.markdown import escape
from bvplan.papers.visible import clean
from bvplan.rules.selection import owner_matches, theme_matches
from bvplan.rules.status import (
    STANDARD,
    ActionStatus,
    Counts,
    MilestoneStatus,
    PlanStatus,
    Status,
    Vocabulary,
    status_words,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

COLUMNS = (
    "plan",
    "theme",
    "action",
    "action_title",
    "milestone",
    "title",
    "owner",
    "start",
    "due",
    "deadline",
    "revised",
    "proposed_deadline",
    "proposed_reason",
    "status",
    "on_time",
    "completed",
    "cancelled",
    "due_soon",
    "days_overdue",
    "rag",
    "rag_reason",
    "latest_note",
    "ref",
)
SUMMARY_KEYS = (
    "completed",
    "in_progress",
    "overdue",
    "not_started",
    "total",
    "percent_delivered",
    "cancelled",
    "due_soon",
    "completed_late",
)
_STATUS_STYLE = {
    Status.COMPLETED: "blue",
    Status.IN_PROGRESS: "green",
    Status.OVERDUE: "bold red",
    Status.NOT_STARTED: "dim",
    Status.CANCELLED: "dim strike",
}
_RAG_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", "blue": "blue"}


@dataclass(frozen=True, slots=True)
class Row:
    plan: PlanStatus
    theme_slug: str
    theme_name: str
    action: ActionStatus
    milestone: MilestoneStatus


def rows_of(plans: Iterable[PlanStatus]) -> list[Row]:
    return [
        Row(plan, theme.slug, theme.name, action, milestone)
        for plan in plans
        for theme in plan.themes
        for action in theme.actions
        for milestone in action.milestones
    ]


def filter_rows(rows: Sequence[Row], theme: str | None, owner: str | None, statuses: Sequence[Status]) -> list[Row]:
    """The rows of `theme` and `owner` (as rules/selection.py matches them) with one of `statuses`."""
    return [
        r
        for r in rows
        if theme_matches(r.theme_slug, r.theme_name, theme)
        and owner_matches(r.milestone.owner, owner)
        and (not statuses or r.milestone.status in statuses)
    ]


def summary_dict(counts: Counts) -> dict[str, object]:
    return {
        "completed": counts.completed,
        "in_progress": counts.in_progress,
        "overdue": counts.overdue,
        "not_started": counts.not_started,
        "total": counts.total,
        "percent_delivered": round(counts.percent_delivered, 1),
        "cancelled": counts.cancelled,
        "due_soon": counts.due_soon,
        "completed_late": counts.completed_late,
    }


def _iso(value: object) -> str | None:
    return value.isoformat() if value is not None else None  # type: ignore[attr-defined]


def row_dict(row: Row) -> dict[str, object]:
    m = row.milestone
    return {
        "plan": row.plan.plan_id,
        "theme": row.theme_name,
        "action": row.action.action.id,
        "action_title": row.action.action.title,
        "milestone": m.id,
        "title": m.milestone.title,
        "owner": m.owner,
        "start": _iso(m.milestone.start),
        "due": _iso(m.original_due),
        "deadline": _iso(m.deadline),
        "revised": m.revised,
        "proposed_deadline": _iso(m.proposed.to) if m.proposed else None,
        "proposed_reason": m.proposed.reason if m.proposed else None,
        "status": m.status.value,
        "on_time": m.on_time,
        "completed": _iso(m.completed),
        "cancelled": _iso(m.cancelled.on) if m.cancelled else None,
        "due_soon": m.due_soon,
        "days_overdue": m.days_overdue,
        "rag": m.rag,
        "rag_reason": m.rag_override.reason if m.rag_override else None,
        "latest_note": m.note.text if m.note else None,
        "ref": m.milestone.ref,
    }


def _grouped(rows: Sequence[Row]) -> list[tuple[PlanStatus, list[tuple[str, list[Row]]]]]:
    plans: dict[str, tuple[PlanStatus, dict[str, list[Row]]]] = {}
    for row in rows:
        themes = plans.setdefault(row.plan.plan_id, (row.plan, {}))[1]
        themes.setdefault(row.theme_name, []).append(row)
    return [(plan, list(themes.items())) for plan, themes in plans.values()]


def write_json(
    rows: Sequence[Row],
    period: Period,
    stream: IO[str],
    plan_keys: Callable[[PlanStatus], Mapping[str, object]] | None = None,
) -> None:
    """The JSON document, written as it is encoded, one milestone a line.

    At 100,000 milestones the document held whole, or indented by the pure-Python encoder, costs
    more memory and time than reading the plans; each milestone's object is encoded by the C
    encoder instead, and nothing larger than one of them is held. `plan_keys` gives the keys each
    plan object gains after its themes (measures, Directions: see measure_views.py).
    """
    encode = json.JSONEncoder().encode
    write = stream.write
    write("{\n")
    write(f'  "as_of": {encode(period.end.isoformat())},\n  "period": {encode(period.label)},\n')
    write(f'  "summary": {encode(summary_dict(Counts.of(r.milestone for r in rows)))},\n  "plans": [')
    for p, (plan, themes) in enumerate(_grouped(rows)):
        plan_rows = (r.milestone for _name, theme_rows in themes for r in theme_rows)
        write(("," if p else "") + "\n    {\n")
        write(f'      "id": {encode(plan.plan_id)},\n      "title": {encode(plan.title)},\n')
        write(f'      "summary": {encode(summary_dict(Counts.of(plan_rows)))},\n      "themes": [')
        for t, (name, theme_rows) in enumerate(themes):
            write(("," if t else "") + "\n        {\n")
            write(f'          "theme": {encode(name)},\n')
            write(f'          "summary": {encode(summary_dict(Counts.of(r.milestone for r in theme_rows)))},\n')
            write('          "milestones": [')
            for m, row in enumerate(theme_rows):
                write(("," if m else "") + "\n            " + encode(row_dict(row)))
            write("\n          ]\n        }" if theme_rows else "]\n        }")
        write("\n      ]" if themes else "]")
        for key, value in (plan_keys(plan) if plan_keys else {}).items():
            write(f",\n      {encode(key)}: {encode(value)}")
        write("\n    }")
    write("\n  ]\n}\n" if rows else "]\n}\n")


def as_csv(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row_dict(row).items()})
    return buffer.getvalue()


def deadline_text(m: MilestoneStatus) -> str:
    text = m.deadline.isoformat()
    if m.revised:
        text += f" (was {m.original_due.isoformat()})"
    if m.proposed:
        text += f" (proposed {m.proposed.to.isoformat()})"
    return text


def rag_text(m: MilestoneStatus) -> str:
    """The RAG rating in words; a board's own rating is marked, its reason given beneath the table."""
    colour = (m.rag or "").title()
    return f"{colour} (board)" if m.rag_override else colour


def board_ratings(rows: Sequence[Row]) -> list[str]:
    """One line per board RAG override in force: whose rating, when, and why."""
    lines = []
    for r in rows:
        override = r.milestone.rag_override
        if override is not None:
            by = f" by {override.by}" if override.by else ""
            lines.append(f"{r.milestone.id}: rated {override.status.title()}{by} on {override.on}: {override.reason}")
    return lines


def _md(text: str | None) -> str:
    return escape(text or "")


def as_markdown(rows: Sequence[Row], period: Period) -> str:
    out = [f"# Status as at {period.end.isoformat()} ({period.label})", ""]
    for plan, themes in _grouped(rows):
        out += [f"## {_md(plan.title)}", ""]
        for name, theme_rows in themes:
            out += [
                f"### {_md(name)}",
                "",
                "| ID | Milestone | Owner | Deadline | Status | RAG |",
                "|---|---|---|---|---|---|",
            ]
            for r in theme_rows:
                m = r.milestone
                out.append(
                    f"| {_md(m.id)} | {_md(m.milestone.title)} | {_md(m.owner)} | {deadline_text(m)} | "
                    f"{status_words(m, vocabulary=r.plan.vocabulary)} | {rag_text(m)} |"
                )
            out.append("")
            ratings = board_ratings(theme_rows)
            if ratings:
                out += ["Board RAG ratings:", "", *(f"- {_md(line)}" for line in ratings), ""]
        words = plan.vocabulary
        counted = [
            (name, Counts.of((r.milestone for r in theme_rows), words.within_days)) for name, theme_rows in themes
        ]
        out += summary_markdown(counted, words)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def summary_markdown(themes: Sequence[tuple[str, Counts]], vocabulary: Vocabulary = STANDARD) -> list[str]:
    headings = [heading for heading, _key in vocabulary.summary_columns(True)]
    lines = [
        "| Theme | " + " | ".join(headings) + " | Total | % delivered |",
        "|---|" + "---:|" * (len(headings) + 2),
    ]
    total = Counts()
    for name, counts in themes:
        total = total + counts
        lines.append(_summary_cells(_md(name), counts, vocabulary))
    lines.append(_summary_cells("**Total**", total, vocabulary))
    return lines


def _summary_cells(name: str, c: Counts, vocabulary: Vocabulary) -> str:
    cells = " | ".join(str(getattr(c, key)) for _heading, key in vocabulary.summary_columns(True))
    return f"| {name} | {cells} | {c.total} | {c.percent_delivered:.0f}% |"


def as_table(rows: Sequence[Row], period: Period) -> RenderableType:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    parts: list[RenderableType] = [Text(f"Status as at {period.end.isoformat()} ({period.label})", style="bold")]
    for plan, themes in _grouped(rows):
        parts.append(Text(f"\n{plan.title}", style="bold underline"))
        for name, theme_rows in themes:
            table = Table(title=name, title_justify="left", title_style="bold", expand=False)
            for column in ("ID", "Milestone", "Owner", "Deadline", "Status", "RAG"):
                table.add_column(column, overflow="fold")
            for r in theme_rows:
                m = r.milestone
                table.add_row(
                    m.id,
                    m.milestone.title,
                    m.owner or "",
                    deadline_text(m),
                    Text(status_words(m, vocabulary=r.plan.vocabulary), style=_STATUS_STYLE[m.status]),
                    Text(rag_text(m), style=_RAG_STYLE.get(m.rag or "", "")),
                )
            parts.append(table)
            ratings = board_ratings(theme_rows)
            if ratings:
                parts.append(Text("Board RAG ratings:\n" + "\n".join(f"  {line}" for line in ratings)))
        words = plan.vocabulary
        parts.append(
            summary_table([(n, Counts.of((r.milestone for r in tr), words.within_days)) for n, tr in themes], words)
        )
    return Group(*parts)


def summary_table(themes: Sequence[tuple[str, Counts]], vocabulary: Vocabulary = STANDARD) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Summary", title_justify="left", title_style="bold")
    table.add_column("Theme")
    for column in summary_headings(vocabulary)[1:]:
        table.add_column(column, justify="right")
    total = Counts()
    for name, c in themes:
        total = total + c
        table.add_row(name, *_cells(c, vocabulary))
    table.add_section()
    table.add_row(Text("Total", style="bold"), *_cells(total, vocabulary))
    return table


def summary_headings(vocabulary: Vocabulary = STANDARD) -> tuple[str, ...]:
    """The summary's columns in the plan's words: Theme, the statuses, Total, % delivered, Cancelled."""
    statuses = (heading for heading, _key in vocabulary.summary_columns(True))
    return ("Theme", *statuses, "Total", "% delivered", "Cancelled")


def _cells(c: Counts, vocabulary: Vocabulary = STANDARD) -> list[str]:
    return [
        *(str(getattr(c, key)) for _heading, key in vocabulary.summary_columns(True)),
        str(c.total),
        f"{c.percent_delivered:.0f}%",
        str(c.cancelled),
    ]


# --- the plain table, for a pipe or a file ------------------------------------------------------

TABLE_COLUMNS = ("ID", "Milestone", "Owner", "Deadline", "Status", "RAG")


def as_plain_table(rows: Sequence[Row], period: Period) -> str:
    """The terminal table's content as fixed-width text: one milestone a line, nothing cut or wrapped.

    For output that is not a terminal (a pipe, a file, a CI log): there is no width to fit, so
    every column is as wide as its longest cell, and grep, cut and diff see one line per milestone.
    """
    out = [f"Status as at {period.end.isoformat()} ({period.label})"]
    for plan, themes in _grouped(rows):
        out += ["", one_line(plan.title)]
        for name, theme_rows in themes:
            cells = [
                (
                    r.milestone.id,
                    r.milestone.milestone.title,
                    r.milestone.owner or "",
                    deadline_text(r.milestone),
                    status_words(r.milestone, vocabulary=r.plan.vocabulary),
                    rag_text(r.milestone),
                )
                for r in theme_rows
            ]
            out += ["", one_line(name), *fixed_width(TABLE_COLUMNS, cells)]
            ratings = board_ratings(theme_rows)
            if ratings:
                out += ["", "Board RAG ratings:", *(f"  {one_line(line)}" for line in ratings)]
        words = plan.vocabulary
        counts = [
            (name, Counts.of((r.milestone for r in theme_rows), words.within_days)) for name, theme_rows in themes
        ]
        total = Counts()
        for _name, c in counts:
            total = total + c
        summary = [(name, *_cells(c, words)) for name, c in counts]
        footer = ("Total", *_cells(total, words))
        out += ["", "Summary", *fixed_width(summary_headings(words), summary, footer, numeric=True)]
    return "\n".join(out) + "\n"


def one_line(text: str) -> str:
    """One line of text: line breaks and tabs become spaces, other control characters show as escapes."""
    return " ".join(clean(text).replace("\t", " ").splitlines()) if text else text


def _width(text: str) -> int:
    """Columns the text takes in a monospaced font: East Asian wide characters take two."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in text)


def fixed_width(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    footer: Sequence[str] | None = None,
    numeric: bool = False,
) -> list[str]:
    """Columns two spaces apart, each as wide as its widest cell; numbers right-aligned when `numeric`."""
    lines = [list(header), *([one_line(c) for c in row] for row in body)]
    if footer is not None:
        lines.append([one_line(c) for c in footer])
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]

    def render(line: Sequence[str]) -> str:
        cells = []
        for i, text in enumerate(line):
            pad = " " * (widths[i] - _width(text))
            cells.append(pad + text if numeric and i else text + pad)
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    rendered = [render(lines[0]), rule, *(render(line) for line in lines[1 : len(body) + 1])]
    if footer is not None:
        rendered += [rule, render(lines[-1])]
    return rendered
