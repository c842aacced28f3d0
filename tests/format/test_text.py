"""What counts as text in a plan: `validate` refuses control characters in any value or key (BV350),
at the value's place, and lets tab and newline through; clean files are never walked."""

from __future__ import annotations

import pytest

from bvplan.format.loader import load_sources
from bvplan.format.text import describe, may_hold_control_characters, not_text
from bvplan.format.yamlsource import parse

PLAN = b"id: hp\ntitle: Hostile Plan\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"


def _theme(title: str) -> str:
    return (
        "theme: Grants\nactions:\n  - id: GR1\n    title: Improve grants\n    milestones:\n"
        f"      - id: GR1.1\n        title: {title}\n        due: 2018-06-30\n"
    )


@pytest.mark.parametrize(
    ("escape", "named"),
    [
        ("\\e", "U+001B (escape)"),
        ("\\x0b", "U+000B (vertical tab)"),
        ("\\x7f", "U+007F (delete)"),
        ("\\x9b", "U+009B (a control character)"),
        ("\\N", "U+0085 (next line)"),
        ("\\r", "U+000D (carriage return)"),
        ("\\0", "U+0000 (NUL)"),
        ("\\uFFFE", "U+FFFE (not a character)"),
    ],
)
def test_a_control_character_in_a_title_is_bv350_at_the_title(escape: str, named: str) -> None:
    document = parse(_theme(f'"Report{escape} to CMT"'), "grants.yaml")
    [diagnostic] = document.diagnostics
    assert diagnostic.code == "BV350"
    assert diagnostic.location == "grants.yaml:7:16"
    assert named in diagnostic.message


@pytest.mark.parametrize(
    "title", ['"tab\\there"', '"two\\nlines"', "|\n          literal\n          block", "Plain £ é 中"]
)
def test_tab_newline_and_any_printable_text_pass(title: str) -> None:
    assert parse(_theme(title), "grants.yaml").diagnostics == []


def test_a_key_is_text_too() -> None:
    text = 'id: hp\nsections:\n  "bad\\ekey": {text: x}\n'
    [diagnostic] = parse(text, "plan.yaml").diagnostics
    assert (diagnostic.code, diagnostic.location) == ("BV350", "plan.yaml:3:3")
    assert "this key holds" in diagnostic.message


def test_every_place_of_a_plan_is_checked_and_validate_counts_it_an_error() -> None:
    theme = _theme("Fine").replace("title: Improve grants", 'title: "a\\x1bb"\n    owner: "c\\x7f"')
    loaded = load_sources({"plans/hp": {"plan.yaml": PLAN, "grants.yaml": theme.encode()}})
    found = [(d.code, d.location) for d in loaded.report.sorted()]
    assert found == [("BV350", "plans/hp/grants.yaml:4:12"), ("BV350", "plans/hp/grants.yaml:5:12")]
    assert loaded.report.errors == 2


def test_the_rule_and_its_quick_test() -> None:
    assert not_text("plain\ttext\nlines") is None
    assert not_text("a\x1bb") == "\x1b"
    assert not_text("lone\udcff") == "\udcff"
    assert describe("\udcff").startswith("U+DCFF (a lone surrogate")
    # Raw control characters are refused by the YAML reader; only an escape or a NEL can make one.
    assert not may_hold_control_characters("title: plain text\n")
    assert may_hold_control_characters('title: "a\\eb"\n')
