"""Surgical YAML edits: the intended value changes, every other byte stays, the result reads back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bvplan.edits.yaml_edit import (
    EditError,
    Source,
    append_item,
    dump_document,
    insert_item,
    remove_key,
    scalar,
    set_key,
)
from bvplan.format.text import not_text
from bvplan.format.yamlsource import parse

D = dt.date(2018, 6, 30)


def splice_parts(old: bytes, new: bytes) -> tuple[bytes, bytes]:
    """(what was removed from old, what was inserted) around the longest common prefix and suffix."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return old[prefix : len(old) - suffix], new[prefix : len(new) - suffix]


def reads(text: str) -> Any:
    document = parse(text, "t")
    assert not document.diagnostics, document.diagnostics
    return document.data


NASTY = [
    "plain words",
    "reason: with a colon",
    "a # hash",
    "#starts with hash",
    "- leading dash",
    "-",
    "yes",
    "No",
    "on",
    "off",
    "null",
    "~",
    "true",
    "123",
    "1.5",
    "0x1F",
    "2018-06-31",
    "2018-06-30",
    "it's 'quoted'",
    '"double"',
    "line one\nline two",
    "trailing newline\n",
    " leading space",
    "trailing space ",
    "tab\there",
    "£1bn – Mayor’s “plan”",
    "line\u2028separator",
    "[flow, list]",
    "{flow: map}",
    "a, b",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`backtick",
    "| pipe",
    "> fold",
    "ends with colon:",
    "?question",
    "back\\slash",
]


@pytest.mark.parametrize("text", NASTY)
def test_scalars_read_back_as_given_in_block_and_flow(text: str) -> None:
    assert reads(f"k: {scalar(text)}\n") == {"k": text}
    assert reads(f"[{scalar(text, flow=True)}]\n") == [text]


def test_empty_string_and_other_types_read_back() -> None:
    assert reads(f"k: {scalar('')}\n") == {"k": ""}
    assert reads(f"k: {scalar(D)}\n") == {"k": D}
    assert reads(f"k: {scalar(True)}\n") == {"k": True}
    assert reads(f"k: {scalar(7)}\n") == {"k": 7}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_reads_back(text: str) -> None:
    if not_text(text) is not None:  # a control character: no plan holds one (BV350)
        with pytest.raises(EditError, match="BV350"):
            scalar(text)
        return
    assert reads(f"k: {scalar(text)}\n") == {"k": text}
    assert reads(f"[{scalar(text, flow=True)}]\n") == [text]


@pytest.mark.parametrize("text", ["nel\x85char", "esc\x1b[2J", "cr\rhere", "del\x7f", "nul\x00"])
def test_text_that_is_not_text_is_refused_not_written(text: str) -> None:
    with pytest.raises(EditError, match=r"U\+00[0-9A-F]{2} .*which a plan may not hold \(BV350\)"):
        scalar(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=400))
def test_appended_note_reads_back_and_keeps_the_rest(text: str) -> None:
    old = b"a:\n  - id: X  # keep me\n    due: 2018-01-01\n# tail\n"
    if not_text(text) is not None:  # a control character: refused, not written (BV350)
        with pytest.raises(EditError, match="BV350"):
            append_item(Source(old, "t"), ("a", 0), "notes", {"on": D, "text": text})
        return
    edited = append_item(Source(old, "t"), ("a", 0), "notes", {"on": D, "text": text})
    removed, _inserted = splice_parts(old, edited.text.encode())
    assert removed == b""
    assert reads(edited.text) == {"a": [{"id": "X", "due": dt.date(2018, 1, 1), "notes": [{"on": D, "text": text}]}]}


MILESTONES = """\
# yaml-language-server: $schema=../../bvplan/schemas/theme.schema.json
theme: T   # trailing comment
actions:
  - id: A1
    title: 'single quoted'
    milestones:
      - id: M1
        title: First
        due: 2018-03-31        # a comment after the value
        revisions:
          - to: 2018-05-31
            reason: >-
              Folded text whose last line
              # looks like a comment but is text

            proposed: 2018-03-01

        # a comment about M2, which must stay above it
      - id: M2
        title: "Second"
        due: 2018-04-30
        completed:
      - {id: M3, title: Flow, due: 2018-05-31, notes: []}
      - id: M4
        title: Last
        due: 2018-06-30
        notes: [{on: 2018-01-01, text: hi}]
"""


def source(text: str = MILESTONES) -> Source:
    return Source(text.encode(), "t.yaml")


M1, M2, M3, M4 = (("actions", 0, "milestones", i) for i in range(4))


def test_add_key_goes_after_the_last_content_line_before_trailing_comments() -> None:
    edited = set_key(source(), M1, "completed", D)
    removed, inserted = splice_parts(MILESTONES.encode(), edited.text.encode())
    assert removed == b""
    assert inserted == b"        completed: 2018-06-30\n"
    assert "proposed: 2018-03-01\n        completed: 2018-06-30\n\n        # a comment about M2" in edited.text


def test_add_key_after_a_folded_scalar_ending_in_a_hash_line() -> None:
    edited = set_key(source(), (*M1, "revisions", 0), "agreed", D)
    assert "proposed: 2018-03-01\n            agreed: 2018-06-30\n" in edited.text
    assert reads(edited.text)["actions"][0]["milestones"][0]["revisions"][0]["reason"].endswith("is text")


def test_empty_value_is_filled_after_the_colon() -> None:
    edited = set_key(source(), M2, "completed", D)
    removed, inserted = splice_parts(MILESTONES.encode(), edited.text.encode())
    assert (removed, inserted) == (b"", b" 2018-06-30")


def test_replace_a_scalar_keeps_its_comment() -> None:
    edited = set_key(source(), M1, "due", dt.date(2019, 1, 31))
    assert "        due: 2019-01-31        # a comment after the value\n" in edited.text


def test_flow_mapping_stays_flow() -> None:
    edited = set_key(source(), M3, "cancelled", {"on": D, "reason": "no longer: needed, sadly"})
    assert (
        '- {id: M3, title: Flow, due: 2018-05-31, notes: [], cancelled: {on: 2018-06-30, reason: "no longer: needed, sadly"}}'
        in edited.text
    )
    edited = append_item(source(), M3, "notes", {"on": D, "text": "yes"})
    assert '- {id: M3, title: Flow, due: 2018-05-31, notes: [{on: 2018-06-30, text: "yes"}]}' in edited.text


def test_append_to_a_flow_list() -> None:
    edited = append_item(source(), M4, "notes", {"on": D, "text": "second"})
    assert "notes: [{on: 2018-01-01, text: hi}, {on: 2018-06-30, text: second}]\n" in edited.text


def test_append_to_a_block_list_and_create_a_missing_list() -> None:
    revision = {"to": dt.date(2018, 9, 30), "reason": "a - b: c", "proposed": D}
    edited = append_item(source(), M1, "revisions", revision)
    assert (
        "            proposed: 2018-03-01\n"
        "          - to: 2018-09-30\n"
        '            reason: "a - b: c"\n'
        "            proposed: 2018-06-30\n"
    ) in edited.text
    edited = append_item(source(), M2, "notes", {"on": D, "text": "note"})
    assert "        completed:\n        notes:\n          - on: 2018-06-30\n            text: note\n" in edited.text


def test_indentless_sequences_are_matched() -> None:
    text = "theme: T\nactions:\n- id: A\n  title: t\n  milestones:\n  - id: M\n    title: m\n    due: 2018-01-01\n"
    edited = append_item(Source(text.encode(), "t"), ("actions", 0, "milestones", 0), "notes", {"on": D, "text": "x"})
    assert edited.text.endswith("    due: 2018-01-01\n    notes:\n    - on: 2018-06-30\n      text: x\n")


def test_four_space_files_keep_four_spaces() -> None:
    text = "actions:\n    -   id: A\n        milestones:\n            -   id: M\n                due: 2018-01-01\n"
    edited = append_item(Source(text.encode(), "t"), ("actions", 0, "milestones", 0), "notes", {"on": D, "text": "x"})
    assert edited.text.endswith(
        "                due: 2018-01-01\n                notes:\n                    -   on: 2018-06-30\n"
        "                        text: x\n"
    )


def test_crlf_bom_and_missing_final_newline_are_kept() -> None:
    text = "\ufefftheme: T\r\nactions:\r\n  - id: A\r\n    due: 2018-01-01"
    raw = text.encode()
    src = Source(raw, "t")
    new = src.encode(set_key(src, ("actions", 0), "completed", D).text)
    assert new == raw + b"\r\n    completed: 2018-06-30\r\n"
    assert new.startswith(b"\xef\xbb\xbf")


def test_long_text_is_folded_and_reads_back() -> None:
    text = " ".join(["word"] * 60)
    edited = append_item(source(), M2, "notes", {"on": D, "text": text})
    assert "text: >-\n" in edited.text
    assert reads(edited.text)["actions"][0]["milestones"][1]["notes"][0]["text"] == text


def test_refuses_to_overwrite_structures() -> None:
    with pytest.raises(EditError):
        set_key(source(), M1, "revisions", D)
    with pytest.raises(EditError):
        append_item(source(), M1, "title", {"a": 1})
    with pytest.raises(EditError):
        set_key(source(), ("actions", 0, "milestones", 9), "completed", D)


def test_broken_yaml_is_not_edited() -> None:
    with pytest.raises(EditError):
        Source(b"a: [unclosed\n", "t")


def test_dump_document_reads_back() -> None:
    data = {"id": "p", "title": "Plan: 2018-19", "themes": ["a", "b"], "start": D, "nested": {"on": D}}
    text = dump_document(data, ["# header"])
    assert text.startswith("# header\nid: p\n")
    assert reads(text) == data


def test_every_milestone_of_every_shipped_file_edits_byte_for_byte(repo_root: Path) -> None:
    """Each splice operation on each milestone leaves every other byte as it was."""
    files = sorted((repo_root / "plans").glob("*/*.yaml"))
    theme_files = [f for f in files if f.name != "plan.yaml"]
    assert theme_files, "the shipped plans are missing"
    edits = 0
    for path in theme_files:
        for newline in ("\n", "\r\n"):
            raw = path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", newline.encode())
            src = Source(raw, str(path))
            for a, action in enumerate(src.data["actions"]):
                for m, milestone in enumerate(action["milestones"]):
                    where = ("actions", a, "milestones", m)
                    results = [
                        append_item(src, where, "notes", {"on": D, "text": "Progress: 'on track' # yes"}),
                        append_item(src, where, "revisions", {"to": D, "reason": "- moved", "proposed": D}),
                        set_key(src, where, "completed", D),
                    ]
                    if "cancelled" not in milestone:
                        results.append(set_key(src, where, "cancelled", {"on": D, "reason": "no"}))
                    if milestone.get("revisions"):
                        last = (*where, "revisions", len(milestone["revisions"]) - 1)
                        if "agreed" not in milestone["revisions"][-1]:
                            results.append(set_key(src, last, "agreed", D))
                    for edited in results:
                        new = src.encode(edited.text)
                        removed, inserted = splice_parts(raw, new)
                        # Nothing went but (part of) the one value replaced; insertions remove nothing.
                        assert removed in src.text[edited.start : edited.end].encode()
                        assert edited.end - edited.start <= len("2015-12-31")
                        if newline == "\r\n":
                            assert b"\n" not in inserted.replace(b"\r\n", b"")
                        edits += 1
    assert edits > 500


TEMPLATE = """\
actions:
  - id: A1
    milestones:
      - id: M1
        due: 2018-06-30
        revisions:
          - to: 2018-09-30
            reason: r
            proposed: 2018-06-01
            # agreed: 2018-06-11     # the day the board agreed it
            # by: The Board
        # cancelled:
        #   on: 2018-07-01
# The theme's narrative
updates: {}
"""


def test_additions_go_after_the_comment_lines_that_directly_follow_a_block() -> None:
    src = Source(TEMPLATE.encode(), "t")
    revision = ("actions", 0, "milestones", 0, "revisions", 0)
    edited = set_key(src, revision, "agreed", D)
    assert edited.text.replace("            agreed: 2018-06-30\n", "", 1) == TEMPLATE
    assert "# by: The Board\n            agreed: 2018-06-30\n        # cancelled:" in edited.text
    edited = set_key(src, ("actions", 0, "milestones", 0), "completed", D)
    assert "        #   on: 2018-07-01\n        completed: 2018-06-30\n# The theme's narrative" in edited.text
    appended = append_item(src, ("actions", 0, "milestones", 0), "revisions", {"to": D, "reason": "x", "proposed": D})
    assert "# by: The Board\n          - to: 2018-06-30\n" in appended.text


def test_notes_are_inserted_at_a_position_byte_for_byte() -> None:
    text = "m:\n  notes:\n    - on: 2018-01-01\n      text: a\n    # about b\n    - on: 2018-03-01\n      text: b\n"
    src = Source(text.encode(), "t")
    first = insert_item(src, ("m",), "notes", {"on": dt.date(2017, 12, 1), "text": "z"}, 0)
    assert first.text == text.replace("  notes:\n", "  notes:\n    - on: 2017-12-01\n      text: z\n")
    middle = insert_item(src, ("m",), "notes", {"on": dt.date(2018, 2, 1), "text": "m"}, 1)
    assert middle.text == text.replace("text: a\n", "text: a\n    - on: 2018-02-01\n      text: m\n")
    flow = Source(b"m: {notes: [{on: 2018-01-01, text: a}]}\n", "t")
    assert insert_item(flow, ("m",), "notes", {"on": dt.date(2017, 1, 1), "text": "z"}, 0).text == (
        "m: {notes: [{on: 2017-01-01, text: z}, {on: 2018-01-01, text: a}]}\n"
    )


def test_remove_key_takes_out_whole_lines_only() -> None:
    text = "m:\n  due: 2018-01-01\n  completed: 2018-02-01   # oops\n  cancelled:\n    on: 2018-03-01\n    reason: r\n  # kept\n"
    src = Source(text.encode(), "t")
    assert remove_key(src, ("m",), "completed").text == text.replace("  completed: 2018-02-01   # oops\n", "")
    assert remove_key(src, ("m",), "cancelled").text == text.replace(
        "  cancelled:\n    on: 2018-03-01\n    reason: r\n", ""
    )
    with pytest.raises(EditError):
        remove_key(Source(b"m: {completed: 2018-01-01}\n", "t"), ("m",), "completed")
    with pytest.raises(EditError):
        remove_key(src, ("m",), "absent")
