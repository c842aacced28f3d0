"""What counts as text in a plan: the one rule that `validate`, the importers and every writer share.

Text in a plan is what a board paper, a workbook or a calendar can carry: it holds no control
character but tab and line feed (none of C0's others, no DEL, no C1), no lone surrogate (a byte that
was not UTF-8) and neither of the non-characters U+FFFE and U+FFFF. YAML lets a double-quoted
string hold any of them as an escape ("\\e", "\\x0b", "\\x7f"); Word's XML, Excel's XML and a
terminal do not, so `validate` refuses them (BV350) where they are written, rather than a writer
failing on them later (the reader, `bvplan.format.yamlsource`, checks each value it reads by this
rule). Raw control characters in a file are already refused by the YAML reader
(BV102); only an escape, or a NEL read as a line break, can put one into a value.

Text that a spreadsheet would take for a formula (`FORMULA_STARTS`) is valid text; what makes it
safe is how a spreadsheet is written (papers/cells.py) and read (format/spreadsheet.py).
"""

from __future__ import annotations

import re

# A cell typed with one of these first is a formula to Excel and LibreOffice (OWASP, "CSV injection"):
# text that starts so is written as text by every spreadsheet writer (papers/cells.py).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# YAML's double-quoted escapes that can make a control character or a non-character: \0 \a \b \v \f
# \r \e, \N (NEL), and any \x, \u or \U code; and a NEL typed as itself.
_MAY_MAKE_CONTROL = re.compile(r"\\[0abvfreNxuU]|\x85")
_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
}


def describe(char: str) -> str:
    """A character that is not text, as a user can find it: `U+001B (escape)`."""
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (a lone surrogate: not a character)"
    if code in (0xFFFE, 0xFFFF):
        return f"U+{code:04X} (not a character)"
    return f"U+{code:04X} ({_NAMES.get(code, 'a control character')})"


def not_text(text: str) -> str | None:
    """The first character of `text` that text may not hold, or None when it is all text."""
    found = NOT_TEXT.search(text)
    return found.group() if found else None


def starts_a_formula(text: str) -> bool:
    """Whether a spreadsheet would read `text`, typed into a cell or read from a CSV, as a formula."""
    return text.startswith(FORMULA_STARTS)


def may_hold_control_characters(text: str) -> bool:
    """Whether a YAML file's values may hold characters that are not text: only through an escape
    that can make one in a double-quoted string (not `\\n`, `\\t`, `\\"` or `\\\\`) or a NEL. A quick
    test on the whole file, so that clean files (nearly all) are never walked value by value."""
    return _MAY_MAKE_CONTROL.search(text) is not None
