"""The plans' history between boards (bvplan/git/boards.py): a board's tag wins over its date; no git, a reason."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

from bvplan.git.boards import BoardHistory
from tests.papers.test_report import write_plans

BOARD = dt.date(2018, 7, 19)


def _git(repo: Path, *args: str, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{when}T12:00:00", "GIT_COMMITTER_DATE": f"{when}T12:00:00"}
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env)


def test_a_boards_tag_wins_over_the_last_commit_of_its_day(tmp_path: Path) -> None:
    plans = write_plans(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main", when="2018-07-01")
    _git(tmp_path, "-c", "user.name=P", "-c", "user.email=p@example.org", "add", ".", when="2018-07-01")
    _git(tmp_path, "-c", "user.name=P", "-c", "user.email=p@example.org", "commit", "-qm", "a", when="2018-07-01")
    beta = plans / "demo-2018-19/beta.yaml"
    beta.write_text(
        beta.read_text(encoding="utf-8").replace(
            "due: 2018-09-30\n", "due: 2018-09-30\n        completed: 2018-07-19\n"
        ),
        encoding="utf-8",
    )
    _git(tmp_path, "-c", "user.name=P", "-c", "user.email=p@example.org", "commit", "-qam", "b", when="2018-07-19")
    history = BoardHistory(plans)
    assert history.until(BOARD) is None  # the last commit of that day is HEAD: the plans as they are
    assert history.changes(BOARD, None) == []  # the day's last commit holds the completion
    _git(tmp_path, "tag", "board-2018-07-19", "HEAD~1", when="2018-07-19")  # the board met before it
    found = BoardHistory(plans).changes(BOARD, None)
    assert isinstance(found, list) and [c.item_id for c in found] == ["B1.1"]


def test_without_git_the_answer_is_the_reason(tmp_path: Path) -> None:
    history = BoardHistory(write_plans(tmp_path))
    answer = history.changes(BOARD, None)
    assert isinstance(answer, str) and "git" in answer
    assert history.until(BOARD) is None
