"""`bvplan changes` as people and machines read it: JSON with stable names, and Markdown tables."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from bvplan.papers.markdown import escape
from bvplan.rules.changes import KINDS, Change


def as_records(changes: Iterable[Change]) -> list[dict[str, str]]:
    return [asdict(change) for change in changes]


def as_json(changes: Sequence[Change], since: dict[str, str | None], until: dict[str, str | None]) -> str:
    document = {"since": since, "until": until, "changes": as_records(changes)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_markdown(changes: Sequence[Change], heading: str) -> str:
    """A section per kind of change, each a table; the plan column only when several plans changed."""
    lines = [f"## {escape(heading)}", ""]
    if not changes:
        return "\n".join([*lines, "No changes.", ""])
    several = len({c.plan for c in changes}) > 1
    for kind, title in KINDS.items():
        chosen = [c for c in changes if c.kind == kind]
        if not chosen:
            continue
        columns = (["Plan"] if several else []) + ["Theme", "Item", "Title", "Detail"]
        lines += [f"### {title} ({len(chosen)})", "", "| " + " | ".join(columns) + " |"]
        lines.append("|" + "---|" * len(columns))
        for change in chosen:
            cells = ([change.plan] if several else []) + [change.theme, change.item_id, change.title, change.detail]
            lines.append("| " + " | ".join(escape(cell) for cell in cells) + " |")
        lines.append("")
    return "\n".join(lines)
