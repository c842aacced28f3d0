"""Text from plan files made inert in GitHub-flavoured Markdown.

Titles and notes are written by many hands; in a published paper a stray `*`, `|` or `<script>`
must show as typed, not become emphasis, break a table, or run as HTML.
"""

from __future__ import annotations

import re

# Characters that open or close inline markup, tables, HTML or entities anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# Characters that start a block (heading, list, quote, rule) when they begin a line.
_LEADING = re.compile(r"^([#+\-=]|\d+[.)])")
_SPACE = re.compile(r"\s+")


def escape(text: str) -> str:
    """One line of Markdown that renders exactly as `text` reads."""
    flat = _SPACE.sub(" ", text).strip()
    flat = _INLINE.sub(r"\\\1", flat)
    return _LEADING.sub(lambda m: m.group(1)[:-1] + "\\" + m.group(1)[-1], flat)
