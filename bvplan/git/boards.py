"""The plans' history between board meetings, read from git: what the public site's changes and feed say.

A board's revision is its tag `board-YYYY-MM-DD` (tagged after the meeting, as the README advises),
else the last commit on the main line on or before that day, as `bvplan changes --since DATE` reads a
date. Each revision's plans are read from git once (`history.workspace_at`) and compared with the
changes rules (`rules.changes.diff`), exempt items left out. Where git cannot say (no repository, no
commit that early, plans that do not load there) the answer is the reason, in words, not an error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bvplan.errors import UsageError
from bvplan.format.workspace import Workspace
from bvplan.git.history import Endpoint, PlansDoNotLoad, Repository, workspace_at
from bvplan.rules.changes import Change, diff


class BoardHistory:
    """The plans' history board by board, each revision's plans read from git once."""

    def __init__(self, plans_dir: Path) -> None:
        self.plans_dir = plans_dir.resolve()
        self.why: str | None = None
        self.repository: Repository | None = None
        self._cache: dict[str | None, Workspace] = {}
        try:
            self.repository = Repository.containing(self.plans_dir)
        except UsageError as exc:
            self.why = f"The plans' history cannot be read from git: {exc}"

    def _endpoint(self, day: dt.date) -> Endpoint:
        """The commit that held the plans at a board: its tag board-YYYY-MM-DD, else the last commit that day."""
        assert self.repository is not None
        for name in (f"board-{day.isoformat()}", day.isoformat()):
            try:
                return self.repository.resolve(name)
            except UsageError as exc:
                last = exc
        raise last

    def _workspace(self, day: dt.date | None) -> Workspace:
        assert self.repository is not None
        endpoint = Endpoint("working tree") if day is None else self._endpoint(day)
        key = endpoint.commit
        if key not in self._cache:
            self._cache[key] = workspace_at(self.repository, endpoint, self.plans_dir)
        return self._cache[key]

    def until(self, day: dt.date) -> dt.date | None:
        """Where "since the last board" ends: the plans as they are (None) unless git has commits after
        `day`, when it ends with the last commit of that day (a site of a past date shows that date)."""
        if self.repository is None:
            return None
        try:
            at, head = self.repository.resolve(day.isoformat()), self.repository.resolve("HEAD")
        except UsageError:
            return None
        return None if at.commit == head.commit else day

    def changes(self, since: dt.date, until: dt.date | None) -> list[Change] | str:
        """The public changes between the plans at two boards (`until` None: as they are now), or why not."""
        if self.repository is None:
            return self.why or "The plans are not in a git repository."
        try:
            return diff(self._workspace(since), self._workspace(until), include_exempt=False)
        except UsageError as exc:
            return f"Not recorded: git has no version of the plans from the board of {since.isoformat()} ({exc})."
        except PlansDoNotLoad as exc:
            return f"Not recorded: {exc}."
