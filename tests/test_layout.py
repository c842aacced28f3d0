"""The test suite mirrors the package: a folder of tests for each subpackage, and every module
imported by at least one test, so that no module is tested only through a process."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO
from tests.count_spawning import collect

PACKAGE = REPO / "bvplan"
TESTS = REPO / "tests"


def modules() -> list[str]:
    """Every module of bvplan, by dotted name (a package by its __init__)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # `python -m bvplan`: run, never imported
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def imported_by_tests() -> set[str]:
    """The bvplan modules the test files import: `import bvplan.x.y`, `from bvplan.x.y import n`,
    and `from bvplan.x import y` where y is a module (anywhere in a file, also inside functions);
    importing a module imports the packages that hold it."""
    known = set(modules())
    found: set[str] = set()
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    found |= {".".join(name.split(".")[:depth]) for name in found for depth in range(1, name.count(".") + 1)}
    return found & known


def test_each_subpackage_has_its_folder_of_tests() -> None:
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages <= {p.name for p in TESTS.iterdir() if p.is_dir()}


def test_every_test_file_is_in_a_folder_named_after_a_subpackage_or_e2e() -> None:
    folders = {p.parent.name for p in PACKAGE.glob("*/__init__.py")} | {"e2e"}
    misplaced = [
        p.relative_to(TESTS).as_posix()
        for p in TESTS.rglob("test_*.py")
        if p.parent != TESTS and p.relative_to(TESTS).parts[0] not in folders
    ]
    assert misplaced == []


def test_every_module_is_imported_by_a_test() -> None:
    assert sorted(set(modules()) - imported_by_tests()) == []


def test_at_most_a_third_of_the_test_functions_start_a_process() -> None:
    """Most tests run bvplan in-process; tests/e2e and the tests whose point is a real process
    (a kill, a race, a terminal, git, a browser) stay few."""
    tests, _functions = collect()
    spawning = [f"{t.module}::{t.name}" for t in tests if t.spawns]
    assert len(tests) > 400
    assert len(spawning) * 3 <= len(tests), "\n".join(spawning)


# The layers in the order the README's Layout lists them: each may import only those before it.
LAYERS = ("format", "rules", "git", "edits", "papers", "cli")


def _imports_of(path: Path) -> set[str]:
    """The bvplan modules a source file imports, anywhere in it (lazy imports included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("bvplan."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("bvplan."):
            found.add(node.module)
    return found


def test_no_layer_imports_one_listed_after_it() -> None:
    upward = []
    for rank, layer in enumerate(LAYERS):
        later = set(LAYERS[rank + 1 :])
        for path in sorted((PACKAGE / layer).glob("*.py")):
            for module in sorted(_imports_of(path)):
                if module.split(".")[1] in later:
                    upward.append(f"{path.relative_to(REPO)} imports {module}")
    assert upward == []


def test_the_readme_layout_names_every_module_once() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("\n## Layout\n") :]
    listed = layout.split("\n## ")[1]
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__init__.py" and path.parent != PACKAGE:
            continue
        folder = f"\n- `{path.parent.relative_to(REPO)}/`: "
        section = listed[listed.index(folder) + len(folder) :].split("\n- `", 1)[0]
        assert section.count(f"\n  - `{path.name}`: ") == 1, f"README's Layout does not list {path.relative_to(REPO)}"
