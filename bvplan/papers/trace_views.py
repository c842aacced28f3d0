"""A trace as text (a tree), Markdown (nested lists) or JSON: what `bvplan trace` prints.

Pure: takes a rules.trace.Trace, returns the text. Each gap is marked "GAP [code]" so that it is
read without colour, and the same inputs always give the same bytes.
"""

from __future__ import annotations

import json

from bvplan.papers.measure_paper import with_unit
from bvplan.rules.trace import Link, Trace

_KIND_WORDS = {"exit criterion": "Exit criterion"}


def _kind(link: Link) -> str:
    return _KIND_WORDS.get(link.kind, link.kind.capitalize())


def _headline(link: Link) -> str:
    return f"{_kind(link)} {link.id}: {link.title} [{link.status}]"


def _facts(link: Link) -> list[str]:
    lines = [f"{label}: {value}" for label, value in link.details]
    if link.measure is not None:
        latest, target, unit = link.measure.latest, link.measure.target, link.measure.measure.unit
        if latest is not None:
            lines.append(f"latest: {with_unit(latest.value, unit)} on {latest.on.isoformat()}")
        if target is not None:
            lines.append(f"target: {with_unit(target.value, unit)} ({target.period})")
    if link.evidence_needed:
        lines.append("evidence needed: " + "; ".join(link.evidence_needed))
    if link.evidence:
        lines.append("evidence: " + "; ".join(link.evidence))
    lines.extend(f"GAP [{gap.code}]: {gap.text}" for gap in link.gaps)
    return lines


def _heading(trace: Trace) -> str:
    view = ", public view" if trace.public else ""
    return f"Trace of {trace.item.id} in {trace.plan_id}, as at {trace.as_of}{view}"


def _gaps_line(trace: Trace) -> str:
    count = trace.gaps()
    return "No gaps in the chain." if count == 0 else f"{count} gap{'s' if count != 1 else ''} in the chain."


def as_text(trace: Trace) -> str:
    lines = [_heading(trace), ""]
    if trace.up:
        lines.append("Up (what it answers to):")
        for path in trace.up:
            for depth, link in enumerate(path):
                lines.append("  " + "   " * depth + _headline(link))
                lines.extend("  " + "   " * depth + "   " + fact for fact in _facts(link))
        lines.append("")
    lines.append("Down (what delivers it):" if trace.item.children else "The item:")
    lines.extend(_tree(trace.item, "  ", "  "))
    lines.append("")
    lines.append(_gaps_line(trace))
    return "\n".join(lines) + "\n"


def _tree(link: Link, first: str, rest: str) -> list[str]:
    lines = [first + _headline(link)]
    facts_prefix = rest + ("│  " if link.children else "   ")
    lines.extend(facts_prefix + fact for fact in _facts(link))
    for i, child in enumerate(link.children):
        last = i == len(link.children) - 1
        lines.extend(_tree(child, rest + ("└─ " if last else "├─ "), rest + ("   " if last else "│  ")))
    return lines


def as_markdown(trace: Trace) -> str:
    lines = [f"# {_heading(trace)}", ""]
    if trace.up:
        lines += ["## Up: what it answers to", ""]
        for path in trace.up:
            for depth, link in enumerate(path):
                lines.extend(_md_link(link, depth))
        lines.append("")
    lines += ["## Down: what delivers it" if trace.item.children else "## The item", ""]
    lines.extend(_md_tree(trace.item, 0))
    lines += ["", _gaps_line(trace)]
    return "\n".join(lines) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[").replace("]", "\\]")


def _md_link(link: Link, depth: int) -> list[str]:
    indent = "  " * depth
    lines = [f"{indent}- **{_kind(link)} {_md_escape(link.id)}**: {_md_escape(link.title)} ({link.status})"]
    for fact in _facts(link):
        text = _md_escape(fact)
        lines.append(f"{indent}  - {'**' + text + '**' if fact.startswith('GAP') else text}")
    return lines


def _md_tree(link: Link, depth: int) -> list[str]:
    lines = _md_link(link, depth)
    for child in link.children:
        lines.extend(_md_tree(child, depth + 1))
    return lines


def as_json(trace: Trace) -> str:
    return json.dumps(trace.as_json(), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": as_text, "markdown": as_markdown, "json": as_json}
