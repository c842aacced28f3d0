"""Text from plan files made inert in Markdown: it renders exactly as it reads."""

from __future__ import annotations

import pytest

from bvplan.papers.markdown import escape


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("*not emphasis* and _not_ either", r"\*not emphasis\* and \_not\_ either"),
        ("a | b", r"a \| b"),
        ("[a link](https://example.org)", r"\[a link\](https://example.org)"),
        ("<script>alert(1)</script>", r"\<script\>alert(1)\</script\>"),
        ("# not a heading", r"\# not a heading"),
        ("first line\nsecond line", "first line second line"),
    ],
)
def test_markup_in_plan_text_is_escaped(text: str, expected: str) -> None:
    assert escape(text) == expected
