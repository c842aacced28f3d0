"""Read one YAML file into plain Python data, remembering where every key and value came from.

The C-backed composer of ruamel.yaml (ruamel.yaml.clib) builds the node tree; bvplan then builds the
values itself rather than using a YAML constructor, because a plan file must mean exactly one thing:
- scalars resolve by YAML 1.2's core schema, so `yes` and `on` stay text (and are flagged where a
  boolean or date was meant), and only `YYYY-MM-DD` becomes a date, checked to exist;
- a key given twice is an error, not a silent overwrite;
- aliases may not expand to much more data than the file holds (no "billion laughs").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver

from bvplan.diagnostics import Diagnostic, Span, error

Path = tuple[str | int, ...]

MAX_DEPTH = 64
# Every node takes at least one character of text, so an honest file builds at most about as many
# values as it has characters; aliases that build far more are an expansion attack or a mistake.
EXPANSION_FACTOR = 4
EXPANSION_FLOOR = 10_000

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?$")
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
YAML11_BOOLEANS = {"yes", "no", "on", "off", "y", "n"}


class _Loader(CParser, BaseResolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        BaseResolver.__init__(self)


@dataclass(frozen=True)
class Located:
    key: Span | None
    value: Span


@dataclass
class SourceMap:
    """Where each value of a document stands, by its path of keys and indexes."""

    spans: dict[Path, Located] = field(default_factory=dict)
    # Plain scalars that a YAML 1.1 tool would read as booleans, and invalid dates, by path.
    yaml11_booleans: set[Path] = field(default_factory=set)
    bad_dates: set[Path] = field(default_factory=set)

    def value(self, path: Path) -> Span | None:
        """The span of the value at `path`, or of its nearest ancestor that exists."""
        while True:
            located = self.spans.get(path)
            if located is not None:
                return located.value
            if not path:
                return None
            path = path[:-1]

    def key(self, path: Path) -> Span | None:
        located = self.spans.get(path)
        if located is not None and located.key is not None:
            return located.key
        return self.value(path)


@dataclass
class Document:
    data: Any
    source: SourceMap
    lines: list[str]
    diagnostics: list[Diagnostic]


def _span(node: Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _mark_span(mark: Any) -> Span:
    return Span.point(mark.line + 1, mark.column + 1)


def resolve_plain(text: str) -> Any:
    """YAML 1.2 core schema for an unquoted scalar; dates only as strict ISO `YYYY-MM-DD`."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return text
    return text


class _Builder:
    def __init__(self, path: str, budget: int) -> None:
        self.path = path
        self.source = SourceMap()
        self.diagnostics: list[Diagnostic] = []
        self.budget = budget
        self.built = 0
        self.exhausted = False

    def build(self, node: Node, path: Path, key: Span | None, depth: int) -> Any:
        self.built += 1
        if self.built > self.budget:
            if not self.exhausted:
                self.exhausted = True
                self.diagnostics.append(
                    error(
                        self.path,
                        _span(node),
                        "BV104",
                        "aliases expand to far more data than the file holds; refusing to read on",
                        "write the values out, or use fewer nested aliases",
                    )
                )
            return None
        if depth > MAX_DEPTH:
            self.diagnostics.append(
                error(
                    self.path,
                    _span(node),
                    "BV106",
                    f"nested more than {MAX_DEPTH} levels deep",
                    "plan files need only a few levels; check the indentation",
                )
            )
            self.exhausted = True
            return None
        self.source.spans[path] = Located(key, _span(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i), None, depth + 1) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        return None  # pragma: no cover - the composer makes no other kind of node

    def _scalar(self, node: ScalarNode, path: Path) -> Any:
        text = node.value
        if node.style not in (None, ""):
            return text
        value = resolve_plain(text)
        if isinstance(value, str):
            if value.lower() in YAML11_BOOLEANS:
                self.source.yaml11_booleans.add(path)
            elif _DATE_LIKE.match(value):
                self.source.bad_dates.add(path)
        return value

    def _mapping(self, node: MappingNode, path: Path, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Span] = {}
        for key_node, value_node in node.value:
            key_span = _span(key_node)
            if not isinstance(key_node, ScalarNode):
                self.diagnostics.append(
                    error(self.path, key_span, "BV202", "a key must be plain text, not a list or mapping")
                )
                continue
            key = key_node.value
            if key == "<<" and key_node.style in (None, ""):
                self.diagnostics.append(
                    error(
                        self.path,
                        key_span,
                        "BV201",
                        "merge keys ('<<') are not supported in plan files",
                        "write the keys out in full",
                    )
                )
                continue
            if key in first_seen:
                earlier = first_seen[key]
                self.diagnostics.append(
                    error(
                        self.path,
                        key_span,
                        "BV103",
                        f"duplicate key '{key}' (first given on line {earlier.line})",
                        "YAML would silently keep only the last value; remove or rename one",
                    )
                )
                continue
            first_seen[key] = key_span
            result[key] = self.build(value_node, (*path, key), key_span, depth + 1)
        return result


def _first_bad_utf8(raw: bytes, exc: UnicodeDecodeError) -> Span:
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return Span.point(line, col)


def decode(raw: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, error(
            path,
            _first_bad_utf8(raw, exc),
            "BV101",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            "save the file as UTF-8 (most editors have an 'encoding' menu)",
        )
    return text, None


def parse(text: str, path: str) -> Document:
    """Parse one YAML document; problems become diagnostics, never exceptions."""
    lines = text.splitlines()
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = _mark_span(mark) if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        hint = None
        if "tab" in problem:
            hint = "indent with spaces, not tabs"
        elif "expected a single document" in str(exc):
            problem, hint = "more than one YAML document in the file", "remove the '---' separator"
        return Document(None, SourceMap(), lines, [error(path, span, "BV102", problem, hint)])
    except YAMLError as exc:
        return Document(None, SourceMap(), lines, [error(path, None, "BV102", str(exc))])
    finally:
        loader.dispose()
    if node is None:
        return Document(
            None,
            SourceMap(),
            lines,
            [error(path, None, "BV105", "the file is empty", "a theme file needs at least 'theme:' and 'actions:'")],
        )
    builder = _Builder(path, EXPANSION_FACTOR * len(text) + EXPANSION_FLOOR)
    data = builder.build(node, (), None, 0)
    if builder.exhausted:
        data = None
    return Document(data, builder.source, lines, builder.diagnostics)


def walk_paths(data: Any, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk_paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_paths(value, (*path, i))
