"""Text made visible: what a plan file holds can never drive a terminal or hide a line."""

from __future__ import annotations

from bvplan.papers.visible import clean


def test_control_characters_show_as_escapes_and_lines_stay() -> None:
    assert clean("red \x1b[31mtext\x1b[0m") == "red \\x1b[31mtext\\x1b[0m"
    assert clean("a\tb\nc\r\nd") == "a\tb\nc\nd"


def test_bidi_overrides_and_undecodable_bytes_show_as_escapes() -> None:
    assert clean("abc\u202edef") == "abc\\u202edef"
    assert clean(b"caf\xe9".decode("utf-8", "surrogateescape")) == "caf\\xe9"


def test_ordinary_text_is_unchanged() -> None:
    text = "Hold the elections on 3 May 2018 – £1,250 “agreed”"
    assert clean(text) == text
