"""Plan sets for the scaling cases of bench/run.py: many tiny plans, and one milestone with many revisions.

    python bench/scaling.py folders 1000 /tmp/f1000    # /tmp/f1000/plans/p0000 ... p0999
    python bench/scaling.py revisions 8000 /tmp/r8000  # /tmp/r8000: a git repository, 3 commits

Tiny plans show what grows with the number of plan folders (listing, resolving, reading siblings);
one milestone with N revisions shows what grows with revisions (the deadline before each one). The
revisions repository has three commits, the last two changing another milestone only, so that
`changes --since HEAD~2` has that milestone in both ends and unchanged. The same arguments give
the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

START, END = dt.date(2018, 4, 1), dt.date(2019, 3, 31)
PLAN_HEADER = (
    "authority: Bench Borough Council\nboard: Best Value Improvement Board\n"
    "start: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"
)


def tiny_plan(folder: Path, plan_id: str, carried_from: str | None = None) -> None:
    """One plan: plan.yaml and one theme file with one action of two milestones."""
    folder.mkdir(parents=True, exist_ok=True)
    carried = f"carried_from: {carried_from}\n" if carried_from else ""
    (folder / "plan.yaml").write_text(
        f"id: {plan_id}\ntitle: Improvement Plan {plan_id}\n{PLAN_HEADER}{carried}", encoding="utf-8"
    )
    reference = f"    carried_from: {carried_from}/GR1\n" if carried_from else ""
    (folder / "grants.yaml").write_text(
        "theme: Grants\nactions:\n  - id: GR1\n    title: Reform grant making\n"
        f"{reference}"
        "    milestones:\n"
        "      - id: GR1.1\n        title: Report to the board\n        due: 2018-06-30\n"
        "        completed: 2018-06-20\n"
        "      - id: GR1.2\n        title: Consult the voluntary sector\n        due: 2018-12-31\n",
        encoding="utf-8",
    )


def folders(count: int, target: Path) -> Path:
    """`count` tiny plans side by side; every tenth carries forward from the one before it."""
    plans = target / "plans"
    if plans.exists():
        shutil.rmtree(plans)
    for index in range(count):
        previous = f"p{index - 1:04}" if index % 10 == 9 else None
        tiny_plan(plans / f"p{index:04}", f"p{index:04}", previous)
    return plans


def _revisions(count: int) -> str:
    lines = []
    span = (END - START).days - 30
    for index in range(count):
        proposed = START + dt.timedelta(days=index * span // count)
        agreed = proposed + dt.timedelta(days=1)
        to = START + dt.timedelta(days=60 + index % 240)
        lines += [
            f"          - to: {to}",
            f"            reason: Revision {index + 1} of the timetable",
            f"            proposed: {proposed}",
            f"            agreed: {agreed}",
            "            by: Best Value Improvement Board",
        ]
    return "\n".join(lines) + "\n"


def _theme(count: int, notes: int) -> str:
    note_lines = "".join(
        f"          - on: {START + dt.timedelta(days=10 + n)}\n            text: Progress note {n + 1}\n"
        for n in range(notes)
    )
    return (
        "theme: Grants\nactions:\n  - id: GR1\n    title: Reform grant making\n    milestones:\n"
        "      - id: GR1.1\n        title: The milestone revised many times\n        due: 2018-05-31\n"
        f"        revisions:\n{_revisions(count)}"
        "      - id: GR1.2\n        title: Another milestone\n        due: 2018-12-31\n"
        + (f"        notes:\n{note_lines}" if notes else "")
    )


def _git(repo: Path, *args: str) -> None:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
        "GIT_AUTHOR_DATE": "2018-07-01T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2018-07-01T12:00:00+00:00",
    }
    subprocess.run(["git", *args], cwd=repo, env=environment, check=True, capture_output=True)


def revisions(count: int, target: Path) -> Path:
    """A git repository whose one plan has a milestone with `count` agreed revisions.

    Three commits: the plan, then two that each add a note to another milestone.
    """
    if target.exists():
        shutil.rmtree(target)
    folder = target / "plans" / "rv"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(f"id: rv\ntitle: Revisions Plan\n{PLAN_HEADER}", encoding="utf-8")
    _git(target, "init", "-q", "-b", "main")
    for notes in range(3):
        (folder / "grants.yaml").write_text(_theme(count, notes), encoding="utf-8")
        _git(target, "add", "-A")
        _git(target, "commit", "-q", "-m", f"commit {notes + 1}")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=("folders", "revisions"))
    parser.add_argument("count", type=int)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    made = folders(args.count, args.target) if args.kind == "folders" else revisions(args.count, args.target)
    print(made)


if __name__ == "__main__":
    main()
