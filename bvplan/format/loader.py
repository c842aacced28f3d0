"""Find plan folders, read their files and build the workspace; every problem is a diagnostic.

The layout: a plan is a folder holding `plan.yaml` and one `<theme>.yaml` per theme; plans sit side
by side in a plans folder (`plans/`). A path given to bvplan may be the plans folder, one plan's
folder, or single files (as pre-commit passes them): the plans that hold them are checked, with their
sibling plans read too, so that `carried_from` can be resolved.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from pydantic import BaseModel, ValidationError

from bvplan.format.diagnostics import Diagnostic, Report, error
from bvplan.format.model import PlanFile, ThemeFile
from bvplan.format.model_errors import convert
from bvplan.format.salvage import salvage
from bvplan.format.workspace import Plan, Theme, Workspace
from bvplan.format.yamlsource import SourceMap, decode, parse

PLAN_FILE = "plan.yaml"
MAX_FILE_BYTES = 16 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A problem with what the user asked for, not with a plan file: exit code 2."""


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


def _plan_folders_under(root: Path) -> list[Path]:
    try:
        children = sorted(root.iterdir())
    except OSError as exc:
        raise UsageError(f"cannot read {display_path(root)}: {exc.strerror}") from exc
    found = []
    for child in children:
        try:
            if child.is_dir() and (child / PLAN_FILE).is_file():
                found.append(child)
        except OSError:
            continue  # a symlink loop or unreadable entry is not a plan
    return found


@dataclass
class _Request:
    folders: list[Path] = field(default_factory=list)  # plan folders to check
    strays: list[Path] = field(default_factory=list)  # YAML files outside any plan folder


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
            if (path / PLAN_FILE).is_file():
                request.folders.append(path)
                continue
            folders = _plan_folders_under(path)
            strays = [p for p in sorted(path.iterdir()) if _is_yaml(p)]
            if not folders and not strays:
                raise UsageError(f"{display_path(path)}: no plans here (a plan is a folder holding {PLAN_FILE})")
            request.folders.extend(folders)
            request.strays.extend(strays)
        elif is_file:
            if (path.parent / PLAN_FILE).is_file():
                request.folders.append(path.parent)
            elif _is_yaml(path):
                request.strays.append(path)
            else:
                raise UsageError(f"{display_path(path)}: not a YAML file")
        else:
            raise UsageError(f"{display_path(path)}: not a file or folder bvplan can read")
    unique = {p.resolve(): p for p in request.folders}
    request.folders = list(unique.values())
    return request


def _read_bytes(path: Path, shown: str, report: Report) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.diagnostics.append(too_large(shown, size))
            return None
        return path.read_bytes()
    except OSError as exc:
        report.diagnostics.append(error(shown, None, "BV100", f"cannot read the file: {exc.strerror}"))
        return None


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
    folder: Path, report: Report, lines: dict[str, list[str]], overrides: Mapping[Path, bytes] | None = None
) -> Plan | None:
    shown_folder = display_path(folder)
    try:
        members = sorted(p for p in folder.iterdir() if _is_yaml(p))
    except OSError as exc:
        report.diagnostics.append(error(shown_folder, None, "BV100", f"cannot list the folder: {exc.strerror}"))
        return None
    overrides = overrides or {}
    sources: dict[str, bytes | None] = {}
    for member in members:
        replacement = overrides.get(_resolved(member))
        sources[member.name] = (
            replacement if replacement is not None else _read_bytes(member, display_path(member), report)
        )
    return plan_from_sources(shown_folder, sources, report, lines)


P = ParamSpec("P")
R = TypeVar("R")


def _gc_paused(function: Callable[P, R]) -> Callable[P, R]:
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


@_gc_paused
def load(paths: list[Path], overrides: Mapping[Path, bytes] | None = None) -> Loaded:
    """Read the plans at `paths` (and their siblings, for references) into a workspace.

    `overrides` maps resolved file paths to content to use instead of what is on disk: how an
    edit is checked before it is written.
    """
    request = _resolve(paths)
    report = Report()
    lines: dict[str, list[str]] = {}
    workspace = Workspace()
    selected: set[str] = set()
    chosen = {folder.resolve() for folder in request.folders}
    context = {
        sibling.resolve(): sibling
        for folder in request.folders
        for sibling in _plan_folders_under(folder.parent)
        if sibling.resolve() not in chosen
    }
    for folder in request.folders:
        plan = load_plan_folder(folder, report, lines, overrides)
        if plan is not None:
            workspace.plans.append(plan)
            selected.add(plan.id)
    if context:
        quiet = Report()
        for folder in context.values():
            plan = load_plan_folder(folder, quiet, {}, overrides)
            if plan is not None and workspace.plan(plan.id) is None:
                workspace.plans.append(plan)
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


@_gc_paused
def load_sources(plans: Mapping[str, Mapping[str, bytes | None]]) -> Loaded:
    """A workspace from files' bytes: plan folder (as shown) -> file name -> bytes. Every plan is selected."""
    report = Report()
    lines: dict[str, list[str]] = {}
    workspace = Workspace()
    for folder in sorted(plans):
        plan = plan_from_sources(folder, plans[folder], report, lines)
        if plan is not None:
            workspace.plans.append(plan)
    return Loaded(workspace, report, {p.id for p in workspace.plans}, lines)
