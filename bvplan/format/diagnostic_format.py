"""Diagnostics as people and machines read them: text with excerpts, JSON, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence

from rich.text import Text

from bvplan.format.diagnostics import CODES, Diagnostic, Report, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow"}


def _excerpt(diagnostic: Diagnostic, lines: Sequence[str]) -> Iterator[Text]:
    span = diagnostic.span
    if span is None or not 1 <= span.line <= len(lines):
        return
    source = lines[span.line - 1].replace("\t", " ")
    width = len(str(span.line))
    gutter = " " * width
    end = span.end_col if span.end_line == span.line and span.end_col > span.col else len(source) + 1
    carets = max(1, min(end, len(source) + 1) - span.col)
    yield Text(f"{gutter} |", style="blue")
    row = Text(f"{span.line} | ", style="blue")
    row.append(source)
    yield row
    marker = Text(f"{gutter} | ", style="blue")
    marker.append(" " * (span.col - 1) + "^" * carets, style=_STYLE[diagnostic.severity])
    yield marker


def text_lines(diagnostic: Diagnostic, lines: Sequence[str] | None) -> Iterator[Text]:
    head = Text(f"{diagnostic.location}: ", style="bold")
    head.append(f"{diagnostic.severity.value}[{diagnostic.code}]", style=_STYLE[diagnostic.severity])
    head.append(f": {diagnostic.message}")
    yield head
    if lines is not None:
        yield from _excerpt(diagnostic, lines)
    if diagnostic.hint:
        width = len(str(diagnostic.span.line)) if diagnostic.span else 1
        hint = Text(f"{' ' * width} = ", style="blue")
        hint.append("hint", style="bold")
        hint.append(f": {diagnostic.hint}")
        yield hint


def summary(report: Report) -> str:
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''}"
    if not report.diagnostics:
        return f"{files} checked: no problems."
    parts = []
    if report.errors:
        parts.append(f"{report.errors} error{'s' if report.errors != 1 else ''}")
    if report.warnings:
        parts.append(f"{report.warnings} warning{'s' if report.warnings != 1 else ''}")
    return f"{files} checked: {' and '.join(parts)}."


def as_text(report: Report, sources: Mapping[str, Sequence[str]]) -> Iterator[Text]:
    for diagnostic in report.sorted():
        yield from text_lines(diagnostic, sources.get(diagnostic.path))
        yield Text("")
    yield Text(summary(report), style="bold")


def as_dict(diagnostic: Diagnostic) -> dict[str, object]:
    span = diagnostic.span
    return {
        "path": diagnostic.path,
        "line": span.line if span else None,
        "column": span.col if span else None,
        "end_line": span.end_line if span else None,
        "end_column": span.end_col if span else None,
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "name": CODES[diagnostic.code][0],
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def as_json(report: Report) -> str:
    document = {
        "files_checked": report.files_checked,
        "errors": report.errors,
        "warnings": report.warnings,
        "diagnostics": [as_dict(d) for d in report.sorted()],
    }
    return json.dumps(document, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(report: Report) -> Iterator[str]:
    """GitHub Actions workflow commands: each problem becomes an annotation on the pull request."""
    for diagnostic in report.sorted():
        level = "error" if diagnostic.severity is Severity.ERROR else "warning"
        props = [f"file={_escape_property(diagnostic.path)}"]
        if diagnostic.span:
            span = diagnostic.span
            props += [f"line={span.line}", f"col={span.col}", f"endLine={span.end_line}", f"endColumn={span.end_col}"]
        props.append(f"title={_escape_property(diagnostic.code + ' ' + CODES[diagnostic.code][0])}")
        message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
        yield f"::{level} {','.join(props)}::{_escape_data(message)}"
    yield summary(report)
