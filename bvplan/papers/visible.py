"""Text made visible: control characters, undecodable bytes and bidi overrides shown as escapes.

Text from plan files, file names and arguments can hold anything. Wherever bvplan shows it as
text (a terminal, a CI log, a plain table), a control character is written as its escape (`\\x1b`,
`\\u202e`, `\\xff`), so no escape sequence from a plan can move the cursor, clear the screen,
retitle the window or hide a line, and every character shown takes the room it seems to.
"""

from __future__ import annotations

import re

# Everything that is not plain text: C0 controls but tab and newline, DEL, C1 controls, lone
# surrogates (bytes that were not UTF-8, as Python decodes file names and arguments), and the
# Unicode controls that reorder or hide text (bidi embeddings, overrides and isolates).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, decoded with surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def clean(text: str) -> str:
    """`text` with every control character and undecodable byte shown as an escape; lines kept."""
    # A CRLF pair is a line end, not a control character: keep it as one newline.
    return _UNSAFE.sub(_escape, text.replace("\r\n", "\n"))
