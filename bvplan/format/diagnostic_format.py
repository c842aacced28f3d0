"""Diagnostics as people and machines read them: text with excerpts, JSON, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from bvplan.format.diagnostics import CODES, Diagnostic, Report, Severity

if TYPE_CHECKING:
    from rich.text import Text

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow"}

# A line of text as (text, style) pieces: drawn by rich for a terminal, joined as they are otherwise,
# so that rich (a fifth of a run) is imported only when there is a terminal to style.
Line = list[tuple[str, str | None]]


def _excerpt(diagnostic: Diagnostic, lines: Sequence[str]) -> Iterator[Line]:
    span = diagnostic.span
    if span is None or not 1 <= span.line <= len(lines):
        return
    source = lines[span.line - 1].replace("\t", " ")
    width = len(str(span.line))
    gutter = " " * width
    end = span.end_col if span.end_line == span.line and span.end_col > span.col else len(source) + 1
    carets = max(1, min(end, len(source) + 1) - span.col)
    yield [(f"{gutter} |", "blue")]
    yield [(f"{span.line} | ", "blue"), (source, None)]
    yield [(f"{gutter} | ", "blue"), (" " * (span.col - 1) + "^" * carets, _STYLE[diagnostic.severity])]


def _lines(diagnostic: Diagnostic, lines: Sequence[str] | None) -> Iterator[Line]:
    yield [
        (f"{diagnostic.location}: ", "bold"),
        (f"{diagnostic.severity.value}[{diagnostic.code}]", _STYLE[diagnostic.severity]),
        (f": {diagnostic.message}", None),
    ]
    if lines is not None:
        yield from _excerpt(diagnostic, lines)
    if diagnostic.hint:
        width = len(str(diagnostic.span.line)) if diagnostic.span else 1
        yield [(f"{' ' * width} = ", "blue"), ("hint", "bold"), (f": {diagnostic.hint}", None)]


def _text(line: Line) -> Text:
    from rich.text import Text

    text = Text()
    for piece, style in line:
        text.append(piece, style=style)
    return text


def _plain(line: Line) -> str:
    return "".join(piece for piece, _style in line)


def text_lines(diagnostic: Diagnostic, lines: Sequence[str] | None) -> Iterator[Text]:
    for line in _lines(diagnostic, lines):
        yield _text(line)


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


def _report_lines(report: Report, sources: Mapping[str, Sequence[str]]) -> Iterator[Line]:
    for diagnostic in report.sorted():
        yield from _lines(diagnostic, sources.get(diagnostic.path))
        yield []
    yield [(summary(report), "bold")]


def as_text(report: Report, sources: Mapping[str, Sequence[str]]) -> Iterator[Text]:
    """The report as styled lines for a terminal (rich)."""
    for line in _report_lines(report, sources):
        yield _text(line)


def as_plain_text(report: Report, sources: Mapping[str, Sequence[str]]) -> Iterator[str]:
    """The same lines as `as_text`, unstyled: for a pipe, a file or a CI log."""
    for line in _report_lines(report, sources):
        yield _plain(line)


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
