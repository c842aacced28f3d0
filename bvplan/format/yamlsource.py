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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import BaseResolver

from bvplan.format.diagnostics import Diagnostic, Span, error
from bvplan.format.text import describe, may_hold_control_characters, not_text

Path = tuple[str | int, ...]

MAX_DEPTH = 64
# The C composer recurses once per level of nesting and overflows the C stack (the process dies, no
# exception) somewhere past twenty thousand levels, fewer on a smaller stack. A text that could
# nest beyond this is first walked event by event, which takes no recursion, to refuse it early.
SAFE_COMPOSE_DEPTH = 1000
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
# A plain scalar can be other than text only if it starts with one of these or with a decimal digit
# (any Unicode one, as `\d` in the patterns): most are text, and this spares them five pattern matches.
_TYPED_STARTS = frozenset("~nNtTfF+-.")


class _Loader(CParser, BaseResolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        CParser.__init__(self, stream)
        BaseResolver.__init__(self)

    # The composer asks the resolver about every node, in Python. A BaseResolver has no implicit or
    # path resolvers, so its answer is always the default tag for the kind of node; bvplan resolves
    # scalars itself and never reads tags. Answering directly saves a fifth of composing.
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@dataclass(frozen=True)
class Located:
    key: Span | None
    value: Span


class SourceMap:
    """Where each value of a document stands, by its path of keys and indexes.

    Locating every value costs as much as reading the file, and a clean file never needs it, so a
    map may be given `locate` instead: it is called once, on first use, to fill the map in.
    """

    def __init__(
        self,
        spans: dict[Path, Located] | None = None,
        yaml11_booleans: set[Path] | None = None,
        bad_dates: set[Path] | None = None,
        *,
        locate: Callable[[], SourceMap] | None = None,
    ) -> None:
        self._spans = spans if spans is not None else {}
        # Plain scalars that a YAML 1.1 tool would read as booleans, and invalid dates, by path.
        self._yaml11_booleans = yaml11_booleans if yaml11_booleans is not None else set()
        self._bad_dates = bad_dates if bad_dates is not None else set()
        self._locate = locate

    def _located(self) -> None:
        if self._locate is not None:
            found, self._locate = self._locate(), None
            self._spans, self._yaml11_booleans, self._bad_dates = found.spans, found.yaml11_booleans, found.bad_dates

    @property
    def spans(self) -> dict[Path, Located]:
        self._located()
        return self._spans

    @property
    def yaml11_booleans(self) -> set[Path]:
        self._located()
        return self._yaml11_booleans

    @property
    def bad_dates(self) -> set[Path]:
        self._located()
        return self._bad_dates

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
    if text and text[0] not in _TYPED_STARTS and not text[0].isdecimal():
        return text
    # Dates are the commonest typed value, and no text that is a date is also a null, boolean or number.
    match = _DATE.match(text)
    if match:
        year, month, day = map(int, match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return text
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (sys.int_info): no plan value is that long
            return text
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text)
    return text


class _Unusual(Exception):
    """The quick reading met something that the careful one reports on."""


class _QuickBuilder:
    """The values of a document without their places: most files are clean, and a clean file's places
    are wanted only if a later check finds a problem in it, so `_locate` finds them then.

    Anything `_Builder` would report on (a duplicate, merge or non-text key, too deep, too much
    expansion) raises `_Unusual`, for `_Builder` to read the document again and report it.
    """

    def __init__(self, budget: int) -> None:
        self.left = budget

    def build(self, node: Node, depth: int) -> Any:
        self.left -= 1
        if self.left < 0 or depth > MAX_DEPTH:
            raise _Unusual
        if isinstance(node, ScalarNode):
            return node.value if node.style else resolve_plain(node.value)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, depth + 1) for item in node.value]
        return None  # pragma: no cover - the composer makes no other kind of node

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        inner = depth + 1
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _Unusual
            key = key_node.value
            if key in result or (key == "<<" and not key_node.style):
                raise _Unusual
            # A scalar value is read in place: a call per value is a tenth of the reading.
            if type(value_node) is ScalarNode and inner <= MAX_DEPTH:
                self.left -= 1
                if self.left < 0:
                    raise _Unusual
                result[key] = value_node.value if value_node.style else resolve_plain(value_node.value)
            else:
                result[key] = self.build(value_node, inner)
        return result


def _locator(text: str, lines: list[str], path: str, budget: int) -> Callable[[], SourceMap]:
    # The document keeps its lines; the text is kept too only when they do not give it back exactly
    # (other line breaks than '\n'): a tenth of the memory of reading many plans.
    end = "\n" if text.endswith("\n") else ""
    if "\n".join(lines) + end != text:
        return lambda: _locate(text, path, budget)
    return lambda: _locate("\n".join(lines) + end, path, budget)


def _locate(text: str, path: str, budget: int) -> SourceMap:
    """The source map of a text that `parse` has read cleanly once already."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    builder = _Builder(path, budget)
    builder.build(node, (), None, 0)
    return builder.source


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


def _nesting_bound(text: str, lines: list[str]) -> int:
    """More than the text can nest: a block level takes a column of indentation or an indicator, a flow one a bracket."""
    return 2 * (max(map(len, lines), default=0) + text.count("[") + text.count("{")) + 2


def _too_deep(text: str, path: str) -> Diagnostic | None:
    """The first node nested deeper than MAX_DEPTH, found from parser events without composing."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, CollectionEndEvent):
                depth -= 1
                continue
            if isinstance(event, CollectionStartEvent | ScalarEvent | AliasEvent) and depth > MAX_DEPTH:
                return error(
                    path,
                    _mark_span(event.start_mark),
                    "BV106",
                    f"nested more than {MAX_DEPTH} levels deep",
                    "plan files need only a few levels; check the indentation",
                )
            if isinstance(event, CollectionStartEvent):
                depth += 1
    except YAMLError:
        return None  # composing stops at the same error, no deeper than here
    finally:
        loader.dispose()
    return None


def _reader_span(text: str, exc: ReaderError) -> Span | None:
    # libyaml counts the position in bytes of UTF-8, not in characters.
    if not isinstance(exc.position, int):
        return None
    before = text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore")
    head = before.splitlines(keepends=True)
    if not head or head[-1].splitlines() != [head[-1]]:
        return Span.point(len(head) + 1, 1)
    return Span.point(len(head), len(head[-1]) + 1)


def parse(text: str, path: str) -> Document:
    """Parse one YAML document; problems become diagnostics, never exceptions."""
    lines = text.splitlines()
    if _nesting_bound(text, lines) > SAFE_COMPOSE_DEPTH:
        deep = _too_deep(text, path)
        if deep is not None:
            return Document(None, SourceMap(), lines, [deep])
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
        elif "mapping values are not allowed" in problem:
            hint = "a value that contains ': ' must be in quotes"
        elif "expected a single document" in str(exc):
            problem, hint = "more than one YAML document in the file", "remove the '---' separator"
        return Document(None, SourceMap(), lines, [error(path, span, "BV102", problem, hint)])
    except ReaderError as exc:
        character = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        problem = f"the character U+{character:04X} is not allowed in YAML: {exc.reason}"
        hint = "remove it (a control character, often pasted in from another program)"
        return Document(None, SourceMap(), lines, [error(path, _reader_span(text, exc), "BV102", problem, hint)])
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
    budget = EXPANSION_FACTOR * len(text) + EXPANSION_FLOOR
    try:
        data = _QuickBuilder(budget).build(node, 0)
    except _Unusual:
        data = None
    if data is not None:
        source = SourceMap(locate=_locator(text, lines, path, budget))
        unclean = check_text(data, source, path) if may_hold_control_characters(text) else []
        return Document(data, source, lines, unclean)
    builder = _Builder(path, budget)
    data = builder.build(node, (), None, 0)
    if builder.exhausted:
        data = None
    elif data is None:  # only '---', '~' or 'null': as good as empty, and must not pass unnoticed
        builder.diagnostics.append(
            error(path, _span(node), "BV105", "the file holds no data", "a theme file needs 'theme:' and 'actions:'")
        )
    elif may_hold_control_characters(text):
        builder.diagnostics.extend(check_text(data, builder.source, path))
    return Document(data, builder.source, lines, builder.diagnostics)


def _strings(data: Any, path: Path) -> Iterator[tuple[Path, str, bool]]:
    """Every string of a document with its path, and whether it is a key."""
    if isinstance(data, str):
        yield path, data, False
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str):
                yield (*path, key), key, True
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def check_text(data: Any, source: SourceMap, shown: str) -> list[Diagnostic]:
    """BV350 for each value (or key) of a document holding a character that is not text."""
    found = []
    for path, text, is_key in _strings(data, ()):
        char = not_text(text)
        if char is None:
            continue
        what = "key" if is_key else "text"
        span = source.key(path) if is_key else source.value(path)
        found.append(
            error(
                shown,
                span,
                "BV350",
                f"this {what} holds the character {describe(char)}, which is not text",
                "remove the escape (such as \\e, \\x1b, \\x0b or \\x7f); tab and \\n are the only controls allowed",
            )
        )
    return found
