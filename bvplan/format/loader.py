"""Find plan folders, read their files and build the workspace; every problem is a diagnostic.

The layout: a plan is a folder holding `plan.yaml` and one `<theme>.yaml` per theme; plans sit side
by side in a plans folder (`plans/`). A path given to bvplan may be the plans folder, one plan's
folder, or single files (as pre-commit passes them): the plans that hold them are checked, and only
those are reported or edited. Their sibling plans are read only as far as references need: each
sibling's `plan.yaml` (its id), and the theme files only of the siblings that a `carried_from` names.
Errors in a sibling are never reported and never block the chosen plan.

Plan files are read only if they are regular files, and never more than the size limit: a named
pipe, a device or a link to one is refused with a diagnostic rather than opened.
"""

from __future__ import annotations

import functools
import gc
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from pydantic import BaseModel, ValidationError

from bvplan.errors import UsageError
from bvplan.format.diagnostics import Diagnostic, Report, error
from bvplan.format.frameworks import FRAMEWORKS_FOLDER, SHIPPED_DIR, Framework, FrameworkFile
from bvplan.format.model import PlanFile, ThemeFile
from bvplan.format.model_errors import convert
from bvplan.format.salvage import salvage
from bvplan.format.workspace import Plan, Theme, Workspace
from bvplan.format.yamlsource import SourceMap, decode, parse

PLAN_FILE = "plan.yaml"
MAX_FILE_BYTES = 16 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Loaded:
    workspace: Workspace
    report: Report
    # Plans the user named; the rest of the workspace was read only to resolve references.
    selected: set[str] = field(default_factory=set)
    # Sources of every file read, by display path, for showing excerpts.
    lines: dict[str, list[str]] = field(default_factory=dict)


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to here when below here."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _resolved(path: Path) -> Path:
    """The real path, or the absolute one for a symlink loop (reading it then reports the loop)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError for a loop
        return path.absolute()


def _is_yaml(path: Path) -> bool:
    return path.suffix in YAML_SUFFIXES and not path.name.startswith(".")


def _holds_plan_file(folder: Path) -> bool:
    """Whether `folder` is a plan folder: a folder with a `plan.yaml` that is not itself a folder.

    A `plan.yaml` that is a pipe or a device still makes a plan folder, so that reading it reports
    the problem (BV100) instead of passing over the plan in silence.
    """
    try:
        # One stat: it fails unless `folder` is a folder holding plan.yaml.
        return not stat.S_ISDIR(os.stat(folder / PLAN_FILE).st_mode)
    except (OSError, ValueError):
        return False  # absent, a symlink loop or an unreadable entry: not a plan


def _plan_folders_under(root: Path) -> list[Path]:
    try:
        children = sorted(root.iterdir())
    except OSError as exc:
        raise UsageError(f"cannot read {display_path(root)}: {exc.strerror}") from exc
    return [child for child in children if _holds_plan_file(child)]


@dataclass
class _Request:
    folders: list[Path] = field(default_factory=list)  # plan folders to check
    strays: list[Path] = field(default_factory=list)  # YAML files outside any plan folder
    pack_folders: list[Path] = field(default_factory=list)  # frameworks/ folders whose packs are checked
    pack_files: list[Path] = field(default_factory=list)  # framework packs named one by one


def _resolve(paths: list[Path]) -> _Request:
    request = _Request()
    for path in paths:
        if not os.path.lexists(path):
            raise UsageError(f"{display_path(path)}: no such file or folder")
        try:
            is_dir = path.is_dir()
            is_file = path.is_file()
        except OSError as exc:
            raise UsageError(f"{display_path(path)}: {exc.strerror}") from exc
        if is_dir:
            if _holds_plan_file(path):
                request.folders.append(path)
                continue
            folders = _plan_folders_under(path)
            if not folders and path.name == FRAMEWORKS_FOLDER:
                request.pack_folders.append(path)
                continue
            if (path / FRAMEWORKS_FOLDER).is_dir():
                request.pack_folders.append(path / FRAMEWORKS_FOLDER)
            strays = [p for p in sorted(path.iterdir()) if _is_yaml(p)]
            if not folders and not strays:
                raise UsageError(f"{display_path(path)}: no plans here (a plan is a folder holding {PLAN_FILE})")
            request.folders.extend(folders)
            request.strays.extend(strays)
        elif is_file or _is_special(path):
            if _holds_plan_file(path.parent):
                request.folders.append(path.parent)
            elif _is_yaml(path) and path.parent.name == FRAMEWORKS_FOLDER:
                request.pack_files.append(path)
            elif _is_yaml(path):
                request.strays.append(path)
            else:
                raise UsageError(f"{display_path(path)}: not a YAML file")
        else:
            raise UsageError(f"{display_path(path)}: not a file or folder bvplan can read")
    unique = {_resolved(p): p for p in request.folders}
    request.folders = list(unique.values())
    return request


def plan_sources(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The plan folders and the stray YAML files that loading `paths` reads (UsageError as `load`)."""
    request = _resolve(paths)
    return request.folders, request.strays


def _is_special(path: Path) -> bool:
    """A named pipe, device or socket (or a link to one): never a plan file, and never to be opened."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(shown: str, mode: int, linked: bool) -> Diagnostic:
    what = _kind(mode) + (" (through a symlink)" if linked else "")
    return error(
        shown,
        None,
        "BV100",
        f"cannot read the file: it is {what}, not a regular file",
        "a plan file must be a regular YAML file; replace it with one, or remove it",
    )


def read_plan_bytes(path: Path) -> bytes:
    """The bytes of a plan file, read only if it is a regular file and at most one byte past the limit.

    The type is checked before opening (opening a named pipe waits for a writer), and again on the
    open file, which is opened without blocking in case the path was swapped in between. Raises
    NotRegularFile for anything but a regular file, FileTooLarge for one over the limit, OSError
    when it cannot be read.
    """
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularFile(before.st_mode, path.is_symlink())
    if before.st_size > MAX_FILE_BYTES:
        raise FileTooLarge(before.st_size)
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as stream:
        opened = os.fstat(stream.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise NotRegularFile(opened.st_mode, path.is_symlink())
        return stream.read(MAX_FILE_BYTES + 1)


class FileTooLarge(OSError):
    """A plan file bigger than MAX_FILE_BYTES, by its size on disk: refused unread."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


class NotRegularFile(OSError):
    """A plan "file" that is a pipe, device, socket or folder: refused, never read."""

    def __init__(self, mode: int, linked: bool) -> None:
        super().__init__(_kind(mode))
        self.mode = mode
        self.linked = linked


def _read_bytes(path: Path, shown: str, report: Report) -> bytes | None:
    try:
        raw = read_plan_bytes(path)
    except FileTooLarge as exc:
        report.diagnostics.append(too_large(shown, exc.size))
        return None
    except NotRegularFile as exc:
        report.diagnostics.append(not_regular(shown, exc.mode, exc.linked))
        return None
    except OSError as exc:
        report.diagnostics.append(error(shown, None, "BV100", f"cannot read the file: {exc.strerror}"))
        return None
    if len(raw) > MAX_FILE_BYTES:  # it grew while being read; its stat size was within the limit
        report.diagnostics.append(too_large(shown, len(raw)))
        return None
    return raw


def too_large(shown: str, size: int) -> Diagnostic:
    return error(
        shown,
        None,
        "BV106",
        f"the file is {size / 1_048_576:.1f} MiB; bvplan reads plan files of up to {MAX_FILE_BYTES // 1_048_576} MiB",
        "split the theme into smaller files",
    )


def _parse_bytes(
    raw: bytes, shown: str, report: Report, lines: dict[str, list[str]]
) -> tuple[object, SourceMap] | None:
    if len(raw) > MAX_FILE_BYTES:
        report.diagnostics.append(too_large(shown, len(raw)))
        return None
    text, problem = decode(raw, shown)
    if problem is not None or text is None:
        report.diagnostics.append(problem)  # type: ignore[arg-type]
        return None
    document = parse(text, shown)
    lines[shown] = document.lines
    report.diagnostics.extend(document.diagnostics)
    if document.data is None:
        return None
    return document.data, document.source


M = TypeVar("M", bound=BaseModel)


def _validate(model: type[M], data: object, source: SourceMap, shown: str, report: Report) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        report.diagnostics.extend(convert(exc, model, source, shown))
        return None


def plan_from_sources(
    folder: str, sources: Mapping[str, bytes | None], report: Report, lines: dict[str, list[str]]
) -> Plan | None:
    """Build one plan from its files' bytes, by file name; None stands for a file that could not be read.

    `folder` is the plan folder as shown to the user. Used for files on disk, in git history, and
    for an edit checked before it is written.
    """
    plan_shown = f"{folder}/{PLAN_FILE}"
    plan_model = None
    plan_source = SourceMap()
    themes: list[Theme] = []
    for name in sorted(sources, key=lambda n: (n != PLAN_FILE, n)):
        shown = f"{folder}/{name}"
        report.files_checked += 1
        raw = sources[name]
        if raw is None:
            continue
        parsed = _parse_bytes(raw, shown, report, lines)
        if parsed is None:
            continue
        data, source = parsed
        if name == PLAN_FILE:
            plan_source = source
            plan_model = _validate(PlanFile, data, source, shown, report)
            continue
        slug = name.rsplit(".", 1)[0]
        theme_model = _validate(ThemeFile, data, source, shown, report)
        if theme_model is not None:
            themes.append(Theme(slug, shown, theme_model, source))
        elif (salvaged := salvage(data)) is not None:
            themes.append(Theme(slug, shown, salvaged[0], source, origin=salvaged[1]))
    if plan_model is None:
        return None
    theme_files = {name.rsplit(".", 1)[0] for name in sources if name != PLAN_FILE}
    return Plan(folder, plan_shown, plan_model, plan_source, themes, theme_files)


def load_plan_folder(
    folder: Path,
    report: Report,
    lines: dict[str, list[str]],
    overrides: Mapping[Path, bytes] | None = None,
) -> Plan | None:
    shown_folder = display_path(folder)
    try:
        members = sorted(p for p in folder.iterdir() if _is_yaml(p))
    except OSError as exc:
        report.diagnostics.append(error(shown_folder, None, "BV100", f"cannot list the folder: {exc.strerror}"))
        return None
    sources: dict[str, bytes | None] = {}
    for member in members:
        replacement = overrides.get(_resolved(member)) if overrides else None
        sources[member.name] = (
            replacement if replacement is not None else _read_bytes(member, display_path(member), report)
        )
    return plan_from_sources(shown_folder, sources, report, lines)


P = ParamSpec("P")
R = TypeVar("R")


def gc_paused(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cyclic garbage collector paused.

    Reading plans makes millions of objects and no reference cycles, so the collector finds nothing
    and only rescans them as they pile up: a third of the time at 10,000 milestones. Memory is still
    freed as usual, by reference counting.
    """

    @functools.wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


@gc_paused
def load(paths: list[Path], overrides: Mapping[Path, bytes] | None = None) -> Loaded:
    """Read the plans at `paths`, and of their siblings what references need, into a workspace.

    `overrides` maps resolved file paths to content to use instead of what is on disk: how an
    edit is checked before it is written.
    """
    request = _resolve(paths)
    report = Report()
    lines: dict[str, list[str]] = {}
    plans: list[Plan] = []
    pack_folders = list(request.pack_folders)
    for folder in request.folders:
        plan = load_plan_folder(folder, report, lines, overrides)
        if plan is not None:
            plans.append(plan)
            if plan.model.frameworks:
                pack_folders.append(folder.parent / FRAMEWORKS_FOLDER)
    frameworks: dict[str, Framework] = {}
    packs: tuple[Framework, ...] = ()
    if pack_folders or request.pack_files:
        frameworks, packs = load_frameworks(pack_folders, request.pack_files, report, lines)
    siblings = tuple(_read_siblings(request.folders, plans, overrides))
    workspace = Workspace(tuple(plans), siblings, frameworks, packs)
    selected = set(workspace.ids)
    for stray in request.strays:
        report.files_checked += 1
        report.diagnostics.append(
            error(
                display_path(stray),
                None,
                "BV311",
                f"no {PLAN_FILE} beside this file, so it belongs to no plan",
                f"a theme file lives in a plan folder with a {PLAN_FILE}",
            )
        )
    return Loaded(workspace, report, selected, lines)


def _read_siblings(chosen: list[Path], plans: list[Plan], overrides: Mapping[Path, bytes] | None) -> list[Plan]:
    """The plans beside the chosen folders (the workspace's `context`), read as far as references need.

    Each parent folder is listed once, however many of its plans were chosen. A sibling's
    `plan.yaml` gives its id; its theme files are read only when a chosen plan's `carried_from`
    names it. What the siblings' files say is never reported (their problems are their own).
    """
    parents: dict[Path, tuple[Path, set[str]]] = {}
    for folder in chosen:
        parents.setdefault(_resolved(folder.parent), (folder.parent, set()))[1].add(folder.name)
    siblings: list[tuple[Path, str]] = []  # with the folder as shown, from its parent's shown once
    for parent, chosen_names in parents.values():
        # Siblings are told apart by name, not resolved one by one: a link to a chosen plan, or two
        # links to one folder, declare an id already taken, and are passed over below.
        shown_parent = display_path(parent)
        siblings += [
            (s, s.name if shown_parent == "." else os.path.join(shown_parent, s.name))
            for s in _plan_folders_under(parent)
            if s.name not in chosen_names
        ]
    context: list[Plan] = []
    if not siblings:
        return context
    wanted = _referenced_plan_ids(plans)
    quiet = Report()
    taken = {plan.id for plan in plans}
    for folder, shown in siblings:
        plan_file = folder / PLAN_FILE
        raw = overrides.get(_resolved(plan_file)) if overrides else None
        if raw is None:
            raw = _read_bytes(plan_file, f"{shown}/{PLAN_FILE}", quiet)
        plan = plan_from_sources(shown, {PLAN_FILE: raw}, quiet, {})
        if plan is None or plan.id in taken:
            continue  # the first plan of an id wins, as among the chosen plans
        taken.add(plan.id)
        if plan.id in wanted:  # read its themes too, and its plan.yaml not again
            again = {**(overrides or {}), _resolved(plan_file): raw or b""}
            plan = load_plan_folder(folder, quiet, {}, again) or plan
        context.append(plan)
    return context


def _referenced_plan_ids(plans: list[Plan]) -> set[str]:
    """The plan ids that `carried_from` names anywhere in `plans`: the plans the checks look into."""
    wanted: set[str] = set()
    for plan in plans:
        if plan.model.carried_from:
            wanted.add(plan.model.carried_from)
        for theme in plan.themes:
            for action in theme.model.actions:
                if action.carried_from:
                    wanted.add(action.carried_from.partition("/")[0])
                for milestone in action.milestones:
                    if milestone.carried_from:
                        wanted.add(milestone.carried_from.partition("/")[0])
    return wanted


@gc_paused
def load_sources(plans: Mapping[str, Mapping[str, bytes | None]]) -> Loaded:
    """A workspace from files' bytes: plan folder (as shown) -> file name -> bytes. Every plan is selected."""
    report = Report()
    lines: dict[str, list[str]] = {}
    found: list[Plan] = []
    for folder in sorted(plans):
        plan = plan_from_sources(folder, plans[folder], report, lines)
        if plan is not None:
            found.append(plan)
    named = [Path(p.folder).parent / FRAMEWORKS_FOLDER for p in found if p.model.frameworks]
    # The packs are read to resolve the plans' references only: their own problems are not these plans'.
    frameworks = load_frameworks(named, [], Report(), {})[0] if named else {}
    workspace = Workspace(tuple(found), frameworks=frameworks)
    return Loaded(workspace, report, {p.id for p in workspace.plans}, lines)


# --- framework packs ----------------------------------------------------------------------------------


def _read_pack(path: Path, shown: str, report: Report, lines: dict[str, list[str]], shipped: bool) -> Framework | None:
    """One framework pack, read and checked as a plan file is; None when it cannot be used."""
    report.files_checked += 1
    raw = _read_bytes(path, shown, report)
    if raw is None:
        return None
    parsed = _parse_bytes(raw, shown, report, lines)
    if parsed is None:
        return None
    data, source = parsed
    model = _validate(FrameworkFile, data, source, shown, report)
    return Framework(shown, model, source, shipped) if model is not None else None


@functools.cache
def shipped_frameworks() -> tuple[Framework, ...]:
    """The packs that ship with bvplan (a test keeps them valid), read once per run."""
    quiet = Report()
    found = (_read_pack(p, f"bvplan/frameworks/{p.name}", quiet, {}, True) for p in sorted(SHIPPED_DIR.glob("*.yaml")))
    return tuple(pack for pack in found if pack is not None)


def load_frameworks(
    folders: list[Path], files: list[Path], report: Report, lines: dict[str, list[str]]
) -> tuple[dict[str, Framework], tuple[Framework, ...]]:
    """The frameworks by id (the shipped packs, replaced by the council's own of an id), and the
    council's packs as read.

    Every pack in `folders` (each a plans folder's `frameworks/`) and every file of `files` is read
    once and checked: its problems go to `report`. The first of the council's packs of an id wins.
    """
    paths: dict[Path, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        try:
            members = sorted(p for p in folder.iterdir() if _is_yaml(p))
        except OSError as exc:
            report.diagnostics.append(
                error(display_path(folder), None, "BV100", f"cannot list the folder: {exc.strerror}")
            )
            continue
        for member in members:
            paths.setdefault(_resolved(member), member)
    for file in files:
        paths.setdefault(_resolved(file), file)
    read = [_read_pack(path, display_path(path), report, lines, False) for path in paths.values()]
    packs = tuple(pack for pack in read if pack is not None)
    frameworks = {pack.id: pack for pack in shipped_frameworks()}
    own: dict[str, Framework] = {}
    for pack in packs:
        own.setdefault(pack.id, pack)
    frameworks.update(own)
    return frameworks, packs
