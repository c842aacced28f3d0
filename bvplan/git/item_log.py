"""Which commits changed an item: the plans at each commit that touched the plans folder, compared
with the commit before, as `bvplan changes` compares two revisions (read through git, no checkout).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bvplan.format.workspace import Workspace
from bvplan.git.history import Endpoint, PlansDoNotLoad, Repository, _git, _text, workspace_at
from bvplan.rules.changes import Change, diff


@dataclass(frozen=True)
class Commit:
    commit: str
    day: str  # YYYY-MM-DD, the commit's date
    subject: str


def item_commits(plans_dir: Path, references: set[str]) -> list[tuple[Commit, Change]]:
    """Every change to the items `references` (PLAN/ID), with the commit that made it, oldest first.

    Raises UsageError when `plans_dir` is not in a git repository.
    """
    repository = Repository.containing(plans_dir)
    relative = repository.relative(plans_dir)
    log = _git(
        repository.root, "log", "--reverse", "--first-parent", "--format=%H%x09%cs%x09%s", "HEAD", "--", f"{relative}/"
    )
    if log.returncode != 0:
        return []  # no commits yet
    found: list[tuple[Commit, Change]] = []
    before = Workspace()
    for line in _text(log).splitlines():
        commit, day, subject = [*line.split("\t", 2), "", ""][:3]
        try:
            after = workspace_at(repository, Endpoint(commit[:7], commit, day), plans_dir)
        except PlansDoNotLoad:
            continue  # a commit whose plans did not load: its changes show against the next one that does
        for change in diff(before, after):
            if f"{change.plan}/{change.item_id}" in references:
                found.append((Commit(commit, day, subject), change))
        before = after
    return found
