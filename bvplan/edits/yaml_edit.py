"""Surgical edits of YAML text: change one value, add one key or list item, leave every other byte alone.

A round-trip dumper would re-flow comments, quoting and indentation that people wrote by hand, so
edits here are splices: the parse (with the line and column of every value) says where the target
is, a small fragment of YAML is emitted in the file's own indentation and line endings, and the text
around it is kept byte for byte. Every emitted scalar is read back to prove it means the value
given, and the whole edited document is read back and compared with the intended data, so an edit
either does exactly what was asked or raises EditError.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bvplan.format.text import describe, not_text
from bvplan.format.yamlsource import YAML11_BOOLEANS, Document, Path, parse, resolve_plain

BOM = "\ufeff"
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}([Tt ].*)?$")
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = set(",[]{}")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Escapes that JSON leaves as raw characters but that YAML would read as line breaks.
_YAML_BREAKS = {"\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}
FOLD_WIDTH = 88


class EditError(Exception):
    """The edit cannot be made safely; the text is unchanged."""


@dataclass(frozen=True)
class Style:
    """The file's own indentation: how far a nested mapping, a list's dash and an item's content sit."""

    step: int = 2
    seq_offset: int = 2
    item_pad: int = 2


# --- scalars -------------------------------------------------------------------------------------


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip() or not all(_yaml_printable(c) and c not in _YAML_BREAKS for c in text):
        return False
    if resolve_plain(text) != text or text.lower() in YAML11_BOOLEANS or _DATE_LIKE.match(text):
        return False
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return False
    return not (flow and any(c in _FLOW_SPECIAL for c in text))


def _yaml_printable(char: str) -> bool:
    code = ord(char)
    return (
        0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or (0xE000 <= code <= 0xFFFD and code != 0xFEFF) or code > 0xFFFF
    )


def _double_quoted(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    for raw, escape in _YAML_BREAKS.items():
        quoted = quoted.replace(raw, escape)
    # JSON leaves these raw, but YAML may not hold them unescaped.
    return "".join(c if _yaml_printable(c) or c in "\t" else f"\\u{ord(c):04x}" for c in quoted)


def scalar(value: object, flow: bool = False) -> str:
    """One-line YAML for a scalar, proved to read back as `value`."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):  # a measure's value; repr is the shortest text that reads back the same
        text = repr(value)
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        refused = not_text(value)
        if refused is not None:
            raise EditError(f"the text holds the character {describe(refused)}, which a plan may not hold (BV350)")
        if _plain_ok(value, flow):
            try:
                return _proven(value, value, flow)
            except EditError:
                pass  # a corner of YAML's plain-scalar rules the checks above miss: quote it
        text = _double_quoted(value)
    else:
        raise EditError(f"cannot write a value of type {type(value).__name__}")
    return _proven(text, value, flow)


def _proven(text: str, value: object, flow: bool) -> str:
    _prove(f"[{text}]" if flow else f"k: {text}", [value] if flow else {"k": value})
    return text


def _prove(fragment: str, expected: object) -> None:
    document = parse(fragment + "\n", "<fragment>")
    if document.diagnostics or document.data != expected or _types(document.data) != _types(expected):
        raise EditError(f"cannot write {expected!r} as YAML that reads back the same")


def _types(data: object) -> object:
    if isinstance(data, dict):
        return {k: _types(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_types(v) for v in data]
    return type(data)


def _foldable(text: str) -> bool:
    return (
        len(text) > FOLD_WIDTH // 2 and text == text.strip() and "  " not in text and all(c.isprintable() for c in text)
    )


# --- emitting new YAML ---------------------------------------------------------------------------


def key_text(key: str) -> str:
    """A mapping key; keys are always text to bvplan, so `on:` needs no quotes even though `on` would."""
    return key if _PLAIN_KEY.fullmatch(key) else scalar(key, flow=True)


def flow(value: object) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key_text(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value, flow=True)


def block_mapping(data: Mapping[str, Any], indent: int, style: Style) -> list[str]:
    """Lines (without line breaks) of a block mapping whose keys sit at `indent`."""
    pad = " " * indent
    lines: list[str] = []
    for key, value in data.items():
        head = f"{pad}{key_text(key)}:"
        if isinstance(value, Mapping):
            if value:
                lines.append(head)
                lines.extend(block_mapping(value, indent + style.step, style))
            else:
                lines.append(head + " {}")
        elif isinstance(value, list):
            if value:
                lines.append(head)
                lines.extend(block_sequence(value, indent + style.seq_offset, style))
            else:
                lines.append(head + " []")
        else:
            lines.extend(_scalar_lines(head, value, indent + style.step))
    return lines


def block_sequence(items: Sequence[Any], dash_indent: int, style: Style) -> list[str]:
    dash = " " * dash_indent + "-" + " " * max(style.item_pad - 1, 1)
    lines: list[str] = []
    for item in items:
        if isinstance(item, Mapping) and item:
            inner = block_mapping(item, len(dash), style)
            lines.append(dash + inner[0].lstrip(" "))
            lines.extend(inner[1:])
        elif isinstance(item, Mapping | list):
            lines.append(dash + flow(item))
        else:
            lines.append(dash + scalar(item))
    return lines


def _scalar_lines(head: str, value: object, content_indent: int) -> list[str]:
    one_line = f"{head} {scalar(value)}"
    if isinstance(value, str) and len(one_line) > FOLD_WIDTH + 12 and _foldable(value):
        width = max(FOLD_WIDTH - content_indent, 40)
        wrapped = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
        pad = " " * content_indent
        lines = [f"{head} >-", *(pad + part for part in wrapped)]
        try:
            _prove("k: >-\n" + "\n".join("  " + part for part in wrapped), {"k": value})
        except EditError:
            return [one_line]
        return lines
    return [one_line]


def dump_document(data: Mapping[str, Any], header: Sequence[str] = (), newline: str = "\n") -> str:
    """A whole new YAML document in block style, after `header` comment lines."""
    text = newline.join([*header, *block_mapping(data, 0, Style())]) + newline
    document = parse(text, "<new>")
    if document.diagnostics or document.data != data:
        raise EditError("the new file does not read back as intended")
    return text


# --- the source being edited ---------------------------------------------------------------------


class Source:
    """One YAML file's text with its parse, and the arithmetic between lines, columns and offsets."""

    def __init__(self, raw: bytes, shown: str) -> None:
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EditError(f"{shown} is not UTF-8") from exc
        self.shown = shown
        self.bom = decoded.startswith(BOM)
        self.text = decoded[1:] if self.bom else decoded
        first_break = _BREAK.search(self.text)
        # The file's own line ending, CR alone (classic Mac) included, so that an edit never mixes two.
        self.newline = first_break.group() if first_break and first_break.group() in ("\n", "\r\n", "\r") else "\n"
        self.document = self._parse(self.text)
        self.starts = [0] + [m.end() for m in _BREAK.finditer(self.text)]
        self.style = self._style()

    def _parse(self, text: str) -> Document:
        document = parse(text, self.shown)
        if document.diagnostics or not isinstance(document.data, dict):
            raise EditError(f"{self.shown} has YAML problems; fix them first ('bvplan validate' lists them)")
        return document

    @property
    def data(self) -> Any:
        return self.document.data

    def encode(self, text: str) -> bytes:
        return ((BOM if self.bom else "") + text).encode("utf-8")

    def offset(self, line: int, col: int) -> int:
        return self.starts[line - 1] + col - 1

    def line_text(self, line: int) -> str:
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        return self.text[self.starts[line - 1] : end].rstrip("\r\n\x85\u2028\u2029")

    def after_line(self, line: int) -> int:
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def get(self, path: Path) -> Any:
        value = self.data
        for part in path:
            value = value[part]
        return value

    def first_char(self, path: Path) -> str:
        span = self.document.source.spans[path].value
        return self.text[self.offset(span.line, span.col) : self.offset(span.line, span.col) + 1]

    def is_flow(self, path: Path) -> bool:
        return self.first_char(path) in ("{", "[")

    def last_line(self, path: Path) -> int:
        """The last line holding text of the value at `path`, leaving out trailing blank and comment lines."""
        located = self.document.source.spans[path]
        span = located.value
        value = self.get(path)
        if isinstance(value, dict | list):
            if self.is_flow(path) or not value:
                return span.end_line
            children = [(*path, k) for k in (value if isinstance(value, dict) else range(len(value)))]
            return max(self.last_line(child) for child in children)
        if value is None and located.key is not None:
            return located.key.end_line
        if self.first_char(path) in ("|", ">"):
            return self._block_scalar_end(span.line, span.end_line)
        return span.end_line if span.end_col > 1 else span.end_line - 1

    def _block_scalar_end(self, header: int, bound: int) -> int:
        last, content_indent = header, None
        for line in range(header + 1, min(bound, len(self.starts)) + 1):
            text = self.line_text(line)
            if not text.strip():
                continue
            indent = len(text) - len(text.lstrip(" "))
            if content_indent is None:
                content_indent = indent
            if indent < content_indent:
                break
            last = line
        return last

    def comments_after(self, line: int, indent: int) -> int:
        """The last of the comment lines that directly follow `line` (no blank line between) indented
        at least `indent`: a person reads those as part of the block above (the commented-out keys
        of a template, say), so what is added to that block goes after them, not among them."""
        last = line
        while last < len(self.starts):
            text = self.line_text(last + 1)
            stripped = text.lstrip(" ")
            if not stripped.startswith("#") or len(text) - len(stripped) < indent:
                break
            last += 1
        return last

    def first_line(self, path: Path) -> int:
        """The line a list item starts on: its dash's line."""
        return self.document.source.spans[path].value.line

    def indent_of(self, path: Path) -> int:
        return self.document.source.spans[path].value.col - 1

    def _style(self) -> Style:
        steps: Counter[int] = Counter()
        offsets: Counter[int] = Counter()
        pads: Counter[int] = Counter()
        for path, located in self.document.source.spans.items():
            if located.key is None or not path:
                continue
            value = self.get(path)
            if not value or not isinstance(value, dict | list) or self.is_flow(path):
                continue
            if located.value.line == located.key.line:
                continue  # a list item's mapping, measured below
            distance = located.value.col - located.key.col
            if isinstance(value, dict):
                steps[distance] += 1
            else:
                offsets[distance] += 1
                first = (*path, 0)
                if isinstance(value[0], dict) and value[0] and not self.is_flow(first):
                    pads[self.indent_of(first) - self.indent_of(path)] += 1
        default = Style()

        def common(counter: Counter[int], fallback: int) -> int:
            return counter.most_common(1)[0][0] if counter else fallback

        return Style(common(steps, default.step), common(offsets, default.seq_offset), common(pads, default.item_pad))


# --- edits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edited:
    """The new text, and the replaced region of the old one (start and end offsets, end exclusive)."""

    text: str
    start: int
    end: int
    inserted: str


def _insert_lines(source: Source, after: int, lines: list[str]) -> tuple[int, str]:
    at = source.after_line(after)
    prefix = ""
    if at == len(source.text) and source.text and source.text[-1] not in "\r\n":
        prefix = source.newline
    return at, prefix + "".join(line + source.newline for line in lines)


def _splice(source: Source, start: int, end: int, inserted: str, expected: Any) -> Edited:
    text = source.text[:start] + inserted + source.text[end:]
    document = parse(text, source.shown)
    if document.diagnostics or document.data != expected or _types(document.data) != _types(expected):
        raise EditError(f"could not edit {source.shown} without changing more than asked; edit it by hand")
    return Edited(text, start, end, inserted)


def _mapping_at(source: Source, path: Path) -> dict[str, Any]:
    try:
        value = source.get(path)
    except (KeyError, IndexError, TypeError):
        raise EditError(f"{source.shown}: nothing at {'/'.join(map(str, path))}") from None
    if not isinstance(value, dict):
        raise EditError(f"{source.shown}: {'/'.join(map(str, path))} is not a mapping")
    return value


def _add_key(source: Source, path: Path, key: str, value: Any) -> tuple[int, int, str]:
    mapping = _mapping_at(source, path)
    if source.is_flow(path):
        span = source.document.source.spans[path].value
        if mapping:
            last = source.document.source.spans[(*path, list(mapping)[-1])].value
            at = source.offset(last.end_line, last.end_col)
            return at, at, f", {key_text(key)}: {flow(value)}"
        at = source.offset(span.line, span.col) + 1
        return at, at, f"{key_text(key)}: {flow(value)}"
    indent = source.indent_of(path)
    lines = block_mapping({key: value}, indent, source.style)
    at, inserted = _insert_lines(source, source.comments_after(source.last_line(path), indent), lines)
    return at, at, inserted


def set_key(source: Source, path: Path, key: str, value: Any) -> Edited:
    """Set `key` in the mapping at `path`: add it, or replace a one-line scalar value in place."""
    mapping = _mapping_at(source, path)
    expected = copy.deepcopy(source.data)
    _mapping_at_data(expected, path)[key] = value
    if key not in mapping:
        start, end, inserted = _add_key(source, path, key, value)
        return _splice(source, start, end, inserted, expected)
    old = mapping[key]
    span = source.document.source.spans[(*path, key)].value
    if isinstance(old, dict | list) or isinstance(value, dict | list) or span.line != span.end_line:
        raise EditError(f"{source.shown}:{span.line}: '{key}' already holds a value that bvplan will not overwrite")
    start, end = source.offset(span.line, span.col), source.offset(span.end_line, span.end_col)
    text = scalar(value, flow=_inside_flow(source, path))
    if start == end:  # an empty value (`key:`): the new one goes right after the colon
        text = " " + text
    return _splice(source, start, end, text, expected)


def append_item(source: Source, path: Path, key: str, item: Any) -> Edited:
    """Append `item` to the list under `key` in the mapping at `path`, creating the key if absent."""
    return insert_item(source, path, key, item, None)


def insert_item(source: Source, path: Path, key: str, item: Any, index: int | None) -> Edited:
    """Insert `item` into the list under `key` of the mapping at `path` before position `index`
    (None: at the end), creating the key if absent."""
    mapping = _mapping_at(source, path)
    expected = copy.deepcopy(source.data)
    target = _mapping_at_data(expected, path)
    if key not in mapping:
        target[key] = [item]
        start, end, inserted = _add_key(source, path, key, [item])
        return _splice(source, start, end, inserted, expected)
    existing = mapping[key]
    list_path = (*path, key)
    if not isinstance(existing, list):
        span = source.document.source.spans[list_path].value
        raise EditError(f"{source.shown}:{span.line}: '{key}' is not a list")
    at_end = index is None or index >= len(existing)
    position = len(existing) if index is None or at_end else max(index, 0)
    target[key].insert(position, item)
    span = source.document.source.spans[list_path].value
    if source.is_flow(list_path):
        if position > 0:
            last = source.document.source.spans[(*list_path, position - 1)].value
            at = source.offset(last.end_line, last.end_col)
            return _splice(source, at, at, ", " + flow(item), expected)
        at = source.offset(span.line, span.col) + 1
        return _splice(source, at, at, flow(item) + (", " if existing else ""), expected)
    dash_indent = span.col - 1
    style = source.style
    first = (*list_path, 0)
    if isinstance(existing[0], dict) and existing[0] and not source.is_flow(first):
        style = Style(style.step, style.seq_offset, source.indent_of(first) - dash_indent)
    lines = block_sequence([item], dash_indent, style)
    if at_end:
        after = source.comments_after(source.last_line(list_path), dash_indent)
    elif position == 0:
        after = source.first_line((*list_path, 0)) - 1
    else:
        after = source.comments_after(source.last_line((*list_path, position - 1)), dash_indent + 1)
    at, inserted = _insert_lines(source, after, lines)
    return _splice(source, at, at, inserted, expected)


def remove_key(source: Source, path: Path, key: str) -> Edited:
    """Remove `key` and its value from the block mapping at `path`: whole lines, nothing else."""
    mapping = _mapping_at(source, path)
    if key not in mapping:
        raise EditError(f"{source.shown}: no '{key}' to remove")
    located = source.document.source.spans[(*path, key)]
    if _inside_flow(source, path) or located.key is None:
        raise EditError(f"{source.shown}:{located.value.line}: '{key}' is written inline; edit it by hand")
    key_line = located.key.line
    before = source.line_text(key_line)[: located.key.col - 1]
    if before.strip():
        raise EditError(f"{source.shown}:{key_line}: '{key}' shares its line with other keys; edit it by hand")
    expected = copy.deepcopy(source.data)
    del _mapping_at_data(expected, path)[key]
    last = source.last_line((*path, key))
    start = source.starts[key_line - 1]
    return _splice(source, start, source.after_line(last), "", expected)


def _mapping_at_data(data: Any, path: Path) -> dict[str, Any]:
    for part in path:
        data = data[part]
    assert isinstance(data, dict)
    return data


def _inside_flow(source: Source, path: Path) -> bool:
    return any(source.is_flow(path[:i]) for i in range(1, len(path) + 1))
