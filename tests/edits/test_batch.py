"""Many edits in one go (edits/batch.py) give exactly the bytes of the same edits made one by one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bvplan.edits import edit_commands as edits
from bvplan.edits.batch import MilestoneEdits, combine
from bvplan.edits.update_import import _mark_last_note_exempt
from bvplan.edits.yaml_edit import EditError, Source
from bvplan.errors import BvplanError

DAY = dt.date(2018, 6, 30)
THEME = """\
# yaml-language-server: $schema=../../schemas/theme.schema.json
theme: Property
lead: Director of Property
actions:
    -   id: PR1
        title: Community buildings
        milestones:
            -   id: PR1.1
                title: Open the hub   # a comment that stays
                due: 2018-07-31

            -   id: PR1.2
                title: Fit out
                due: 2018-08-31
                notes:
                    -   on: 2018-05-01
                        text: Started
            -   {id: PR1.3, title: Flow style, due: 2018-09-30}
            -   id: PR1.4
                title: Last one
                due: 2018-10-31
"""
PLAN = """\
id: demo
title: Demo improvement plan
authority: A borough council
board: Best Value Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""


def operations(found: edits.Found) -> list[edits.Operation]:
    chosen = {
        "PR1.1": [edits.complete(found, dt.date(2018, 6, 20)), edits.note(found, "Opened by the Mayor", DAY)],
        "PR1.2": [edits.note(found, "Half done, see: the plan", DAY), _mark_last_note_exempt],
        "PR1.3": [edits.note(found, "Flow, too", DAY), edits.revise(found, dt.date(2018, 12, 31), "Late", DAY)],
        "PR1.4": [edits.revise(found, dt.date(2018, 12, 31), "Supplier, delayed", DAY)],
    }
    return chosen[found.milestone.id]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("bom", [False, True])
def test_combined_edits_equal_the_same_edits_one_by_one(tmp_path: Path, newline: str, bom: bool) -> None:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    theme = folder / "property.yaml"
    theme.write_bytes(("\ufeff" if bom else "").encode() + THEME.replace("\n", newline).encode())
    loaded = edits.load_plans(tmp_path / "plans")
    found = [edits.find_milestone(loaded, f"demo/PR1.{n}") for n in (1, 2, 3, 4)]

    outcome = combine(tmp_path / "plans", loaded, [MilestoneEdits(f, operations(f)) for f in found], "test")

    one_by_one = Source(theme.read_bytes(), str(theme))
    for f in found:
        for operation in operations(f):
            one_by_one = Source(one_by_one.encode(operation(one_by_one, f).text), str(theme))
    (change,) = outcome.changes
    assert change.after == one_by_one.encode(one_by_one.text)
    assert b"# a comment that stays" in change.after
    assert change.after.count(b"exempt: true") == 1
    assert not outcome.warnings


def test_an_edit_that_would_make_the_plan_invalid_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN)
    (folder / "property.yaml").write_text(
        THEME.replace("due: 2018-07-31", "start: 2018-07-01\n                due: 2018-07-31")
    )
    loaded = edits.load_plans(tmp_path / "plans")
    found = edits.find_milestone(loaded, "demo/PR1.1")

    with pytest.raises(BvplanError) as refused:
        combine(tmp_path / "plans", loaded, [MilestoneEdits(found, [edits.complete(found, dt.date(2018, 6, 1))])], "t")

    assert "would make the plan invalid" in str(refused.value)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip()), st.booleans())
def test_any_note_text_combined_reads_back_as_one_by_one(tmp_path: Path, text: str, exempt: bool) -> None:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "plan.yaml").write_text(PLAN)
    theme = folder / "property.yaml"
    theme.write_text(THEME)
    loaded = edits.load_plans(tmp_path / "plans")
    found = [edits.find_milestone(loaded, f"demo/PR1.{n}") for n in (1, 2, 4)]

    def ops(f: edits.Found) -> list[edits.Operation]:
        return [edits.note(f, text, DAY), *([_mark_last_note_exempt] if exempt else [])]

    try:
        outcome = combine(tmp_path / "plans", loaded, [MilestoneEdits(f, ops(f)) for f in found], "t")
    except BvplanError:
        one = Source(theme.read_bytes(), str(theme))
        with pytest.raises((BvplanError, EditError)):
            for operation in ops(found[0]):
                one = Source(one.encode(operation(one, found[0]).text), str(theme))
        return
    one_by_one = Source(theme.read_bytes(), str(theme))
    for f in found:
        for operation in ops(f):
            one_by_one = Source(one_by_one.encode(operation(one_by_one, f).text), str(theme))
    assert outcome.changes[0].after == one_by_one.encode(one_by_one.text)
