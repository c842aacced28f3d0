"""How many test functions spawn a process: the measure behind "most tests run in-process".

Reads the test files (no test runs): a test function spawns when it, a fixture it asks for, or a
helper either of them calls uses `subprocess`, `pty`, `os.fork`/`exec*`/`spawn*`/`system`, or a
fixture or helper that does (`run_cli`, `run_in_terminal`, ...), followed across conftest.py and
`from tests... import` between test modules. Each function is counted once, however many times it
is parametrized. Those running bvplan itself as a process are counted apart from those that spawn
only other programs (git, pre-commit, a browser).

    .venv/bin/python -m tests.count_spawning          # totals
    .venv/bin/python -m tests.count_spawning --list   # each spawning test, file by file

tests/test_layout.py holds the share to at most a third.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

TESTS = Path(__file__).resolve().parent

# Names whose use means a process is started. `sys.executable` alone does not (it is also read
# to find installed scripts), but a call through subprocess/pty with it is caught by those names.
SPAWNING_MODULES = {"subprocess", "pty"}
SPAWNING_OS_CALLS = {"fork", "forkpty", "system", "popen", "posix_spawn", "posix_spawnp"}
SPAWNING_OS_PREFIXES = ("exec", "spawn")
# What starts bvplan itself in a process: the subprocess fixtures of conftest.py, and a command
# line that names the module or the installed script.
BVPLAN_MARKERS = ('"-m", "bvplan"', "'-m', 'bvplan'", '/ "bvplan"', '"bvplan"]')


@dataclass
class Function:
    module: str
    name: str
    node: ast.FunctionDef
    calls: set[str] = field(default_factory=set)  # names of module-level functions and fixtures used
    spawns: bool = False
    spawns_bvplan: bool = False


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)


def _direct(node: ast.AST, source: str) -> tuple[bool, bool]:
    """Whether the function's own code starts a process, and whether that process is bvplan."""
    spawns = any(_starts_a_process(child) for child in ast.walk(node))
    text = ast.get_source_segment(source, node) or ""
    return spawns, spawns and any(marker in text for marker in BVPLAN_MARKERS)


def _starts_a_process(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id in SPAWNING_MODULES | {"Popen", "openpty"}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.value.id == "os":
            return node.attr in SPAWNING_OS_CALLS or node.attr.startswith(SPAWNING_OS_PREFIXES)
        return node.value.id in SPAWNING_MODULES
    return False


def _names_used(node: ast.FunctionDef) -> set[str]:
    used = {arg.arg for arg in node.args.args + node.args.kwonlyargs}
    used |= {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}
    for decorator in node.decorator_list:  # @pytest.mark.usefixtures("name")
        for child in ast.walk(decorator):
            if isinstance(child, ast.Constant) and isinstance(child.value, str):
                used.add(child.value)
    return used


def collect(tests: Path = TESTS) -> tuple[list[Function], dict[str, Function]]:
    """Every test function, and every module-level function by `module.name` (fixtures, helpers)."""
    functions: dict[str, Function] = {}
    test_functions: list[Function] = []
    imports: dict[str, dict[str, str]] = {}
    for path in sorted(tests.rglob("*.py")):
        if any(part in {"examples", "golden", "hostile", "output"} for part in path.relative_to(tests).parts):
            continue
        module = _module_name(path)
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        imports[module] = {}
        for statement in tree.body:
            if isinstance(statement, ast.ImportFrom) and statement.module and statement.module.startswith("tests"):
                for alias in statement.names:
                    imports[module][alias.asname or alias.name] = f"{statement.module}.{alias.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            function = Function(module, node.name, node)
            function.spawns, function.spawns_bvplan = _direct(node, source)
            function.calls = _names_used(node)
            if node in tree.body:
                functions[f"{module}.{node.name}"] = function
            if node.name.startswith("test_") and (node in tree.body or _in_class(tree, node)):
                test_functions.append(function)
    # Resolve each name a function uses to the function it means: its own module's, an imported
    # test helper, or a conftest.py fixture (the nearest conftest first).
    everything = list({id(f): f for f in [*functions.values(), *test_functions]}.values())
    for function in everything:
        resolved = set()
        for name in function.calls:
            for candidate in _candidates(function.module, name, imports):
                if candidate in functions:
                    resolved.add(candidate)
                    break
        function.calls = resolved
    changed = True
    while changed:  # propagate through fixtures and helpers until nothing changes
        changed = False
        for function in everything:
            for callee in function.calls:
                other = functions[callee]
                if other is function:
                    continue
                if other.spawns and not function.spawns:
                    function.spawns = changed = True
                if other.spawns_bvplan and not function.spawns_bvplan:
                    function.spawns_bvplan = changed = True
    return test_functions, functions


def _in_class(tree: ast.Module, node: ast.FunctionDef) -> bool:
    return any(isinstance(top, ast.ClassDef) and node in top.body for top in tree.body)


def _candidates(module: str, name: str, imports: dict[str, dict[str, str]]) -> list[str]:
    found = [f"{module}.{name}"]
    if name in imports.get(module, {}):
        found.append(imports[module][name])
    parts = module.split(".")
    for depth in range(len(parts) - 1, 0, -1):
        found.append(".".join([*parts[:depth], "conftest", name]))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="name each test function that spawns a process")
    args = parser.parse_args(argv)
    tests, _functions = collect()
    spawning = [t for t in tests if t.spawns]
    bvplan = [t for t in tests if t.spawns_bvplan]
    if args.list:
        for test in spawning:
            print(f"{test.module}::{test.name}{'' if test.spawns_bvplan else '  (other programs only)'}")
    share = len(spawning) / len(tests) if tests else 0.0
    print(f"{len(tests)} test functions; {len(spawning)} spawn a process ({share:.0%}), {len(bvplan)} of them bvplan")
    return 0


if __name__ == "__main__":
    sys.exit(main())
