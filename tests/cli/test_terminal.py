"""One rule for drawing (bvplan.cli.output.is_terminal): rich's boxes and colour on a terminal, plain
text whenever standard output is anything else, in every command; and nothing drawn for nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bvplan.cli import main
from tests.conftest import run_in_terminal

BOX = "┃│┏━┡╇─"


def _drawn(text: str) -> bool:
    return any(char in text for char in BOX)


def test_carry_forward_piped_is_plain_text_one_milestone_a_line(
    plans_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["carry-forward", "--from", "bvip-2018-19", "--to", "bvip-2019-20", "--plans", str(plans_copy)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert not _drawn(out), out
    lines = out.splitlines()
    assert lines[0].startswith("Carry forward from bvip-2018-19 into bvip-2019-20, as at 2019-03-31")
    assert lines[2].split() == ["Theme", "Action", "Milestone", "Status", "In", "force", "Flag"]
    assert len(lines) > 4
    on_a_terminal = run_in_terminal(plans_copy.parent, *args, no_color=True)
    assert _drawn(on_a_terminal)


def test_carry_forward_with_nothing_to_carry_says_so_instead_of_an_empty_table(
    plans_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["carry-forward", "--from", "bvip-2017-18", "--to", "bvip-2018-19", "--plans", str(plans_copy)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Nothing to carry forward from bvip-2017-18 into bvip-2018-19 (already carried: ")
    assert captured.out.count("\n") == 1
    on_a_terminal = run_in_terminal(plans_copy.parent, *args, no_color=True)
    assert "Nothing to carry forward" in on_a_terminal
    assert not _drawn(on_a_terminal)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_changes_piped_is_plain_text_and_drawn_on_a_terminal(
    plans_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = plans_copy.parent
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "plans")
    note = ["note", "bvip-2018-19/GR1.1", "Interviews booked", "--on", "2018-05-02", "--plans", str(plans_copy)]
    assert main(note) == 0
    capsys.readouterr()
    args = ["changes", "--since", "HEAD", "--plans", str(plans_copy)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert not _drawn(out), out
    assert out.startswith("Changes from HEAD")
    assert any("GR1.1" in line and "Interviews booked" in line for line in out.splitlines())
    assert _drawn(run_in_terminal(repo, *args, no_color=True))
