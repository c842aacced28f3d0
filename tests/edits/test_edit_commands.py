"""The point edits on copies of the shipped plans: exact splices, validation first, refusals write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from bvplan.edits import edit_commands as edits
from bvplan.edits.edit_commands import Found, Operation, edit_milestone, write_changes
from bvplan.errors import UsageError
from bvplan.format.yamlsource import parse
from bvplan.rules.validation import validate
from tests.conftest import RunMain
from tests.edits.test_yaml_edit import splice_parts

D = dt.date(2018, 6, 30)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def to_crlf(folder: Path) -> None:
    for path in folder.rglob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def milestone_data(raw: bytes, path: tuple[str | int, ...]) -> dict[str, object]:
    data = parse(raw.decode(), "t").data
    for part in path:
        data = data[part]
    assert isinstance(data, dict)
    return data


def open_and_any(plans: Path) -> list[tuple[str, str, str | None]]:
    """For each theme file: (plan/file, a milestone reference, an open milestone reference or None)."""
    chosen = []
    for plan in validate([plans]).workspace.plans:
        for theme in plan.themes:
            milestones = [m for a in theme.model.actions for m in a.milestones]
            open_ones = [m for m in milestones if m.completed is None and m.cancelled is None]
            chosen.append(
                (
                    theme.path,
                    f"{plan.id}/{milestones[-1].id}",
                    f"{plan.id}/{open_ones[0].id}" if open_ones else None,
                )
            )
    return chosen


Make = Callable[[Found], Operation]
OPERATIONS: dict[str, Make] = {
    "note": lambda f: edits.note(f, "Progress: 'on track' # yes, really", D),
    "revise": lambda f: edits.revise(f, dt.date(2019, 3, 31), "Delayed: awaiting Cabinet", D),
    "complete": lambda f: edits.complete(f, D),
    "cancel": lambda f: edits.cancel(f, "no longer needed: see minutes", D),
}
EXPECTED_TEXT = {"note": "on track", "revise": "2019-03-31", "complete": "completed", "cancel": "cancelled"}


# Every command on LF files; CRLF files get a note each (the splices are the same code, and
# test_yaml_edit covers every operation on every milestone in both line endings).
@pytest.mark.parametrize(("newline", "commands"), [("\n", [*OPERATIONS, "agree"]), ("\r\n", ["note"])])
def test_every_command_on_every_shipped_theme_file_is_an_exact_splice(
    plans_copy: Path, newline: str, commands: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if newline == "\r\n":
        to_crlf(plans_copy)
    monkeypatch.chdir(plans_copy.parent)
    plans = Path("plans")
    ran: dict[str, int] = dict.fromkeys([*OPERATIONS, "agree"], 0)
    for shown, any_ref, open_ref in open_and_any(plans):
        for name, make in OPERATIONS.items():
            reference = any_ref if name == "note" else open_ref
            if reference is None or name not in commands:
                continue
            outcome = edit_milestone(plans, reference, make, name)
            (change,) = outcome.changes
            assert change.shown == shown
            before = change.snapshot.content or b""
            removed, inserted = splice_parts(before, change.after)
            assert removed == b"", f"{name} on {reference} removed bytes"
            assert inserted.count(b"\r\n") == inserted.count(b"\n") if newline == "\r\n" else b"\r" not in inserted
            assert change.after.count(b"\r\n") == (change.after.count(b"\n") if newline == "\r\n" else 0)
            assert EXPECTED_TEXT[name].encode() in inserted
            ran[name] += 1
        if open_ref is not None and "agree" in commands:
            # agree needs a proposal: write one, then agree it.
            write_changes(edit_milestone(plans, open_ref, OPERATIONS["revise"], "revise").changes)
            outcome = edit_milestone(plans, open_ref, lambda f: edits.agree(f, D, None), "agree")
            (change,) = outcome.changes
            removed, inserted = splice_parts(change.snapshot.content or b"", change.after)
            assert removed == b""
            assert b"agreed: 2018-06-30" in inserted and b"by: Best Value" in inserted
            ran["agree"] += 1
    assert all(ran[name] >= 5 for name in commands), ran
    assert ran["note"] == len(open_and_any(plans))


def test_cli_complete_writes_the_splice_and_the_plan_stays_valid(plans_copy: Path, run_main: RunMain) -> None:
    theme = plans_copy / "bvip-2017-18" / "property.yaml"
    before = theme.read_bytes()
    done = run_main("complete", "bvip-2017-18/PR1.5", "--on", "2018-04-20", "--plans", plans_copy)
    assert done.returncode == 0, done.stderr
    assert "+        completed: 2018-04-20" in done.stdout
    assert "wrote completion of bvip-2017-18/PR1.5" in done.stderr
    line = b"        completed: 2018-04-20\n"
    after = theme.read_bytes()
    assert after.count(line) == 1 and after.replace(line, b"") == before
    assert run_main("validate", plans_copy).returncode == 0


def test_cli_dry_run_prints_the_diff_and_writes_nothing(plans_copy: Path, run_main: RunMain) -> None:
    before = tree(plans_copy)
    done = run_main(
        "revise", "bvip-2017-18/PR2.3", "--to", "2018-06-30", "--reason", "yes: #1", "--proposed", "2018-04-01",
        "--dry-run", "--plans", plans_copy,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "+          - to: 2018-06-30" in done.stdout or "+        revisions:" in done.stdout
    assert '"yes: #1"' in done.stdout
    assert "dry run, nothing written" in done.stderr
    assert tree(plans_copy) == before


def test_cli_revise_then_agree(plans_copy: Path, run_main: RunMain) -> None:
    ref = "bvip-2017-18/GR2.3"
    common = ("--plans", plans_copy)
    assert run_main("agree", ref, *common).returncode == 2  # nothing proposed yet
    first = run_main("revise", ref, "--to", "2018-09-30", "--reason", "Delayed", "--proposed", "2018-04-10", *common)
    assert first.returncode == 0, first.stderr
    agreed = run_main("agree", ref, "--on", "2018-04-20", "--by", "Best Value Improvement Board", *common)
    assert agreed.returncode == 0, agreed.stderr
    theme = plans_copy / "bvip-2017-18" / "grants.yaml"
    loaded = validate([plans_copy])
    plan = loaded.workspace.plan("bvip-2017-18")
    assert plan is not None
    (milestone,) = [m for _t, _a, m, _p in plan.milestones() if m.id == "GR2.3"]
    last = milestone.revisions[-1]
    assert (last.to, last.proposed, last.agreed, last.by) == (
        dt.date(2018, 9, 30), dt.date(2018, 4, 10), dt.date(2018, 4, 20), "Best Value Improvement Board"
    )  # fmt: skip
    assert loaded.report.errors == 0
    again = run_main("agree", ref, *common)
    assert again.returncode == 2 and "no proposed revision" in again.stderr
    assert theme.read_bytes().count(b"agreed: 2018-04-20") == 1


def test_cli_note_and_cancel(plans_copy: Path, run_main: RunMain) -> None:
    note = run_main(
        "note", "bvip-2017-18/OC3.5", "Line one\nline two: 'x'", "--on", "2018-03-31", "--plans", plans_copy
    )
    assert note.returncode == 0, note.stderr
    cancel = run_main("cancel", "bvip-2017-18/OC3.5", "--reason", "- superseded", "--on", "2018-03-31",
                     "--plans", plans_copy)  # fmt: skip
    assert cancel.returncode == 0, cancel.stderr
    plan = validate([plans_copy]).workspace.plan("bvip-2017-18")
    assert plan is not None
    (milestone,) = [m for _t, _a, m, _p in plan.milestones() if m.id == "OC3.5"]
    assert milestone.notes[-1].text == "Line one\nline two: 'x'"
    assert milestone.cancelled is not None and milestone.cancelled.reason == "- superseded"
    assert run_main("complete", "bvip-2017-18/OC3.5", "--plans", plans_copy).returncode == 2


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("complete", "PR9.9"), 2, "no milestone 'PR9.9'"),
        (("complete", "bvip-2017-18/PR1.55"), 2, "did you mean 'bvip-2017-18/PR1.5'"),
        # A bare id in closed plans only (today is after 2018-19 ended): name the plan to edit it.
        (("complete", "GR3.1"), 2, "to edit a closed plan, name it: bvip-2018-19/GR3.1"),
        (("complete", "bvip-2018-19/GR3.1", "--plan", "bvip-2017-18"), 2, "give one"),
        # A fact cannot be dated after today; a deadline can, but not before the day it is proposed.
        (("complete", "bvip-2018-19/GR3.1", "--on", "2999-01-01"), 2, "a fact cannot be dated in the future"),
        (("note", "bvip-2018-19/GR3.1", "x", "--on", "2999-01-01"), 2, "a fact cannot be dated in the future"),
        (("agree", "bvip-2018-19/PR1.2", "--on", "2999-01-01"), 2, "a fact cannot be dated in the future"),
        (("cancel", "bvip-2018-19/GR3.1", "--reason", "r", "--on", "2999-01-01"), 2, "cannot be dated in the future"),
        (
            ("revise", "bvip-2018-19/PR2.1", "--to", "2018-03-01", "--reason", "x", "--proposed", "2018-06-25"),
            2,
            "--to 2018-03-01 is before the day it is proposed (2018-06-25)",
        ),
        (("complete", "nosuchplan/GR3.1"), 2, "no plan 'nosuchplan'"),
        (("complete", "bvip-2017-18/PR1"), 2, "is an action, not a milestone"),
        (("complete", "bvip-2017-18/PR1.5", "--on", "30/06/2018"), 2, "not a date"),
        (("complete", "bvip-2017-18/PR1.1"), 2, "was completed on"),
        (("cancel", "bvip-2017-18/PR1.5", "--reason", "  "), 2, "must not be empty"),
        # Agreed before it was proposed: validation refuses the result (BV302).
        (("agree", "bvap-2015-16/GR3.1", "--on", "2015-01-01"), 1, "BV302"),
        # Proposed before the revision above it: BV303.
        (
            ("revise", "bvip-2017-18/PR1.5", "--to", "2018-09-30", "--reason", "r", "--proposed", "2016-01-01"),
            1,
            "BV303",
        ),
    ],
)
def test_refusals_leave_every_file_byte_identical(
    plans_copy: Path, run_main: RunMain, args: tuple[str, ...], code: int, message: str
) -> None:
    before = tree(plans_copy)
    if args[1] == "bvip-2017-18/PR1.5" and args[0] == "revise":
        assert run_main("revise", args[1], "--to", "2018-08-31", "--reason", "r", "--proposed", "2018-04-01",
                       "--plans", plans_copy).returncode == 0  # fmt: skip
        before = tree(plans_copy)
    done = run_main(*args, "--plans", plans_copy)
    assert done.returncode == code, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert tree(plans_copy) == before


def test_refuses_a_read_only_file(plans_copy: Path, run_main: RunMain) -> None:
    theme = plans_copy / "bvip-2017-18" / "property.yaml"
    theme.chmod(0o444)
    before = tree(plans_copy)
    done = run_main("complete", "bvip-2017-18/PR1.5", "--plans", plans_copy)
    assert done.returncode == 2  # a file bvplan will not write (bvplan.errors.RefusedOutput)
    assert "read-only" in done.stderr
    assert tree(plans_copy) == before


def test_refuses_a_file_changed_after_it_was_read(plans_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(plans_copy.parent)
    outcome = edit_milestone(Path("plans"), "bvip-2017-18/PR1.5", lambda f: edits.complete(f, D), "completion of")
    theme = plans_copy / "bvip-2017-18" / "property.yaml"
    theirs = theme.read_bytes() + b"# an edit made in an editor meanwhile\n"
    theme.write_bytes(theirs)
    with pytest.raises(UsageError, match="changed on disk"):
        write_changes(outcome.changes)
    assert theme.read_bytes() == theirs
    assert sorted(p.name for p in theme.parent.iterdir() if p.name.startswith(".")) == []
