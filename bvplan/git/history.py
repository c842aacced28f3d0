"""Plans as they stood at a git revision, read through git itself: the checkout is never touched.

A revision is anything git names (a tag such as `board-2018-06-11`, a branch, a commit) or a date,
meaning the last commit on the main line made on or before the end of that day (local time). The
files come out of git's object store: `git ls-tree` lists them and one `git cat-file --batch`
process hands over every blob, so nothing is checked out, no index is written, and the working
tree is not read except when it is itself one end of the comparison.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bvplan.errors import UsageError
from bvplan.format.diagnostics import PlansInvalid
from bvplan.format.loader import PLAN_FILE, YAML_SUFFIXES, Loaded, display_path, load, load_sources
from bvplan.format.periods import PeriodError, parse_date
from bvplan.format.workspace import Workspace
from bvplan.rules.changes import Change, diff
from bvplan.suggest import closest

WORKING_TREE = "working tree"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HOW_TO_NAME = (
    "name a tag (e.g. board-2018-06-11; 'git tag' lists them), a branch, a commit, "
    "or a date YYYY-MM-DD (the last commit on or before that day)"
)


class PlansDoNotLoad(PlansInvalid):
    """The plans at one end of a comparison have errors in their files' shape."""

    def __init__(self, where: str, loaded: Loaded) -> None:
        super().__init__(
            f"the plans in {where} do not load; both ends of a comparison must be plans that load",
            loaded.report.diagnostics,
            loaded.lines,
            loaded.report.files_checked,
        )
        self.where = where
        self.loaded = loaded


@dataclass(frozen=True)
class Endpoint:
    """One end of a comparison: what the user named and what it resolved to."""

    name: str  # as typed, or "working tree"
    commit: str | None = None
    committed: str | None = None  # the commit's date, ISO 8601 with its offset

    @property
    def label(self) -> str:
        if self.commit is None:
            return f"the {WORKING_TREE}"
        day = self.committed[:10] if self.committed else "?"
        if self.name.startswith(self.commit[:7]):
            return f"{self.commit[:7]} ({day})"
        return f"{self.name} ({self.commit[:7]}, {day})"

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "commit": self.commit, "committed": self.committed}


@dataclass(frozen=True)
class Comparison:
    since: Endpoint
    until: Endpoint
    changes: list[Change]


def _git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    # GIT_OPTIONAL_LOCKS=0: even a read-only git command may refresh the index; this one must not.
    environment = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    try:
        return subprocess.run(
            ["git", "-C", str(root), "--literal-pathspecs", *args],
            input=stdin,
            capture_output=True,
            env=environment,
            check=False,
        )
    except FileNotFoundError as exc:
        raise UsageError("git is not installed or not on PATH; bvplan reads the plans' history with it") from exc


def _text(result: subprocess.CompletedProcess[bytes]) -> str:
    return result.stdout.decode("utf-8", "replace").strip()


class Repository:
    """A git repository, read without changing anything in it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def containing(cls, start: Path) -> Repository:
        folder = start if start.is_dir() else start.parent
        if not folder.is_dir():
            raise UsageError(f"{display_path(start)}: no such folder")
        result = _git(folder, "rev-parse", "--show-toplevel")
        said = result.stderr.decode("utf-8", "replace").strip()
        if result.returncode != 0 and said and "not a git repository" not in said:
            # Say what git said: "dubious ownership" needs a safe.directory, not a new repository.
            raise UsageError(f"git cannot read the repository holding {folder.resolve()}; git says: {said}")
        if result.returncode != 0:
            raise UsageError(
                f"{folder.resolve()} is not in a git repository; bvplan changes reads the plans' "
                "history from git, so run it inside the repository that holds the plans"
            )
        return cls(Path(_text(result)))

    def resolve(self, name: str) -> Endpoint:
        """The commit a revision or date names; UsageError (exit 2) saying how to name one if none."""
        if not name.strip():
            raise UsageError(f"an empty revision; {_HOW_TO_NAME}")
        if name.startswith("-"):
            raise UsageError(f"'{name}' is not a revision; {_HOW_TO_NAME}")
        if _git(self.root, "rev-parse", "--verify", "--quiet", "HEAD").returncode != 0:
            raise UsageError("the repository has no commits yet, so there is no history to compare")
        result = _git(self.root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        if result.returncode == 0:
            return self._endpoint(name, _text(result))
        if _DATE.fullmatch(name):
            return self._on_or_before(name)
        raise UsageError(f"unknown revision '{name}'; {_HOW_TO_NAME}{self._suggestion(name)}")

    def _endpoint(self, name: str, commit: str) -> Endpoint:
        committed = _text(_git(self.root, "show", "-s", "--format=%cI", commit))
        return Endpoint(name, commit, committed or None)

    def _on_or_before(self, text: str) -> Endpoint:
        try:
            day = parse_date(text)
        except PeriodError as exc:
            raise UsageError(f"{exc}; {_HOW_TO_NAME}") from None
        # First-parent: what the main line held that day, not a side branch merged in later.
        result = _git(self.root, "rev-list", "-1", "--first-parent", f"--before={day} 23:59:59", "HEAD")
        commit = _text(result)
        if result.returncode != 0 or not commit:
            first = _text(_git(self.root, "log", "--reverse", "--first-parent", "--format=%cs", "HEAD")).split("\n")[0]
            raise UsageError(f"no commit on or before {day}: the history starts on {first}")
        return self._endpoint(text, commit)

    def _suggestion(self, name: str) -> str:
        refs = _text(_git(self.root, "for-each-ref", "--format=%(refname:short)", "refs/tags", "refs/heads")).split()
        near = closest(name, refs, n=3)
        if near:
            return "; did you mean " + " or ".join(f"'{r}'" for r in near) + "?"
        tags = _text(_git(self.root, "tag", "--sort=-creatordate")).split()
        return f"; latest tags: {', '.join(tags[:5])}" if tags else ""

    def relative(self, path: Path) -> PurePosixPath:
        """`path` (a folder on disk, which need not exist any more) relative to the repository's top."""
        try:
            inside = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            raise UsageError(f"{display_path(path)} is outside the git repository at {self.root}") from None
        return PurePosixPath(inside.as_posix())

    def plan_sources(self, commit: str, plans: PurePosixPath, shown_as: str) -> dict[str, dict[str, bytes | None]]:
        """Plan folder (shown as `REV:path`) -> file name -> bytes, as the plans stood at `commit`.

        Symbolic links are followed as the working tree follows them: a theme file or a plan folder
        committed as a link reads as what it links to at that commit (git resolves links inside the
        repository; one to outside it is read from disk, as the working tree would read it).
        """
        found = self._files(commit, plans, shown_as, 0)
        folders = _plan_folders(plans, list(found))
        wanted = sorted(p for p in found if p.parent in folders)
        oids = [found[p] for p in wanted if isinstance(found[p], str)]
        blobs = iter(self._cat_blobs([oid for oid in oids if isinstance(oid, str)]))
        sources: dict[str, dict[str, bytes | None]] = {}
        for path in wanted:
            content = found[path]
            data = next(blobs) if isinstance(content, str) else content
            sources.setdefault(f"{shown_as}:{path.parent}", {})[path.name] = data
        return sources

    def _files(self, commit: str, at: PurePosixPath, shown_as: str, depth: int) -> dict[PurePosixPath, str | bytes]:
        """Every YAML file at or under `at`: its blob id, or its bytes when read from outside git."""
        kind, oid, outside = self._follow(f"{commit}:{at}")
        found: dict[PurePosixPath, str | bytes] = {}
        if kind == "blob":
            if _is_plan_file_name(at):
                found[at] = oid
        elif kind == "tree":
            listing = _git(self.root, "ls-tree", "-r", "-z", oid)
            if listing.returncode != 0:
                raise UsageError(f"git cannot list {at} at {shown_as}: {listing.stderr.decode(errors='replace')}")
            for record in listing.stdout.split(b"\0"):
                if not record:
                    continue
                meta, _, raw_path = record.partition(b"\t")
                mode, entry_kind, entry_oid = meta.decode().split()
                path = at / raw_path.decode("utf-8", "surrogateescape")
                if mode == "120000":
                    if depth < MAX_LINK_DEPTH:
                        found.update(self._files(commit, path, shown_as, depth + 1))
                elif entry_kind == "blob" and _is_plan_file_name(path):
                    found[path] = entry_oid
        elif outside is not None:
            found.update(_outside_files(self.root / at.parent / outside, at))
        return found

    def _follow(self, spec: str) -> tuple[str, str, str | None]:
        """(type, object id, None) of what `commit:path` names, links followed inside the repository;
        ("symlink", "", target) for a link that leaves it; ("missing", "", None) for nothing."""
        result = _git(self.root, "cat-file", "--batch-check", "--follow-symlinks", stdin=spec.encode() + b"\n")
        head, _newline, rest = result.stdout.partition(b"\n")
        words = head.decode("utf-8", "surrogateescape").split()
        if len(words) == 3 and words[1] in ("blob", "tree"):
            return words[1], words[0], None
        if len(words) == 2 and words[0] == "symlink":
            return "symlink", "", rest[: int(words[1])].decode("utf-8", "surrogateescape")
        return "missing", "", None

    def _cat_blobs(self, oids: Sequence[str]) -> list[bytes]:
        """Every blob's bytes from ONE `git cat-file --batch` process, in the order asked."""
        if not oids:
            return []
        result = _git(self.root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
        if result.returncode != 0:
            raise UsageError(f"git cat-file failed: {result.stderr.decode(errors='replace').strip()}")
        out = result.stdout
        contents: list[bytes] = []
        position = 0
        for oid in oids:
            end = out.index(b"\n", position)
            header = out[position:end].split()
            if len(header) != 3 or header[1] != b"blob":
                raise UsageError(f"git cat-file could not read object {oid}")
            size = int(header[2])
            start = end + 1
            contents.append(out[start : start + size])
            position = start + size + 1  # the content is followed by a newline
        return contents


MAX_LINK_DEPTH = 8


def _is_plan_file_name(path: PurePosixPath) -> bool:
    return path.suffix in YAML_SUFFIXES and not path.name.startswith(".")


def _outside_files(target: Path, at: PurePosixPath) -> dict[PurePosixPath, str | bytes]:
    """A link out of the repository, read from disk as the working tree reads it: a file, or a folder's files."""
    found: dict[PurePosixPath, str | bytes] = {}
    try:
        if target.is_dir():
            for child in sorted(target.iterdir()):
                if child.is_file() and _is_plan_file_name(PurePosixPath(child.name)):
                    found[at / child.name] = child.read_bytes()
        elif target.is_file() and _is_plan_file_name(at):
            found[at] = target.read_bytes()
    except OSError:
        pass
    return found


def _plan_folders(plans: PurePosixPath, paths: list[PurePosixPath]) -> set[PurePosixPath]:
    """As on disk: `plans` is itself a plan folder when it holds plan.yaml, else its subfolders that do."""
    holding = {p.parent for p in paths if p.name == PLAN_FILE}
    if plans in holding:
        return {plans}
    return {folder for folder in holding if folder.parent == plans}


def _checked(where: str, loaded: Loaded) -> Workspace:
    if loaded.report.errors:
        raise PlansDoNotLoad(where, loaded)
    return loaded.workspace


def workspace_at(repository: Repository, endpoint: Endpoint, plans_dir: Path) -> Workspace:
    """The plans at one end: from git for a commit, from disk for the working tree."""
    if endpoint.commit is None:
        loaded = load([plans_dir])
        chosen = Workspace(
            tuple(p for p in loaded.workspace.plans if p.id in loaded.selected), loaded.workspace.context
        )
        return _checked(endpoint.label, dataclasses.replace(loaded, workspace=chosen))
    sources = repository.plan_sources(endpoint.commit, repository.relative(plans_dir), endpoint.name)
    return _checked(endpoint.label, load_sources(sources))


def compare(
    repo_dir: Path,
    since: str,
    until: str | None = None,
    plans_dir: Path = Path("plans"),
    include_exempt: bool = True,
) -> Comparison:
    """What changed in the plans between two revisions (`until` None: the working tree).

    `plans_dir` is relative to `repo_dir` unless absolute. Raises UsageError (exit 2) for a
    folder outside any repository, an unknown revision or a missing plans folder, and
    PlansDoNotLoad (exit 1) when the files at either end do not load.
    """
    plans = plans_dir if plans_dir.is_absolute() else repo_dir / plans_dir
    repository = Repository.containing(repo_dir)
    old_end = repository.resolve(since)
    new_end = repository.resolve(until) if until is not None else Endpoint(WORKING_TREE)
    old = workspace_at(repository, old_end, plans)
    new = workspace_at(repository, new_end, plans)
    if not old.plans and not new.plans:
        raise UsageError(f"no plans in {display_path(plans)} at {old_end.label} or at {new_end.label}")
    return Comparison(old_end, new_end, diff(old, new, include_exempt))


def changes_since(
    repo_dir: Path,
    since: str,
    until: str | None = None,
    plans_dir: Path = Path("plans"),
    include_exempt: bool = True,
) -> list[Change]:
    """The changes alone, without the two ends named (`compare` gives both)."""
    return compare(repo_dir, since, until, plans_dir, include_exempt).changes
