"""Cold start: bvplan's everyday commands against the floor of the stack it is built on, paired in one run.

    python bench/cold_start.py [--runs 21] [--out cold.md] [--before DIR]

The floor is the least any command line on bvplan's mandated stack can cost: a typer app with one
command that imports pydantic and ruamel.yaml and validates one tiny model. Each case runs as a
whole process (`python -m ...` from compiled bytecode), the cases taking turns run by run, so that
changes in machine load fall on all alike; the figure is the median wall time, and each bvplan case
is reported as a ratio to the floor's median in the same run. Goals (issue 22): `validate plans` and
`status --format csv` at most 1.15x the floor, status drawn on a terminal at most 1.3x, `--help` at
most 1.0x. Beside the wall time each case's CPU time (user + system, from the kernel's account of
the finished child) is given, steadier on a busy machine. `--before DIR` adds the same commands run
from another bvplan source tree (`git archive main | tar -x -C DIR`), to compare two versions in
the same run. Progress goes to stderr, Markdown to stdout (or --out).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import pty
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLANS = REPO / "plans"

FLOOR = """
import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


@app.command()
def check(path: str = "plans") -> None:
    import pydantic
    import ruamel.yaml

    class Tiny(pydantic.BaseModel):
        id: str
        done: bool = False

    data = ruamel.yaml.YAML(typ="rt").load("id: a\\ndone: true\\n")
    assert Tiny.model_validate(dict(data)).done


app()
"""


@dataclass
class Case:
    name: str
    argv: list[str]
    goal: float | None  # the most the ratio to the floor may be
    terminal: bool = False
    env: dict[str, str] = field(default_factory=dict)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(case: Case, env: dict[str, str]) -> tuple[float, float]:
    env = {**env, **case.env}
    cpu = _children_cpu()
    start = time.perf_counter()
    if case.terminal:
        pid, fd = pty.fork()
        if pid == 0:  # the child: bvplan on a pseudo-terminal
            os.execve(case.argv[0], case.argv, env)
        while True:
            try:
                if not os.read(fd, 65536):
                    break
            except OSError:
                break
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
    else:
        code = subprocess.run(case.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"{case.name} exited {code}: {' '.join(case.argv)}")
    return elapsed, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--warmups", type=int, default=2)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--before", type=Path, help="another bvplan source tree to time beside this one")
    args = parser.parse_args()

    compileall.compile_dir(REPO / "bvplan", quiet=1)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "GITHUB_ACTIONS", "NO_COLOR")}
    env["COLUMNS"] = "120"
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        floor_script = Path(folder) / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        compileall.compile_file(str(floor_script), quiet=1)
        bvplan = [python, "-m", "bvplan"]
        status = [*bvplan, "status", "--as-of", "2018-06-30", "--plans", str(PLANS)]
        cases = [
            Case("floor: typer + pydantic + ruamel.yaml, one tiny model", [python, str(floor_script)], None),
            Case("`bvplan validate plans`", [*bvplan, "validate", str(PLANS)], 1.15),
            Case("`bvplan status --format csv`", [*status, "--format", "csv"], 1.15),
            Case("`bvplan status` on a terminal", status, 1.3, terminal=True),
            Case("`bvplan --help`", [*bvplan, "--help"], 1.0),
        ]
        if args.before is not None:
            compileall.compile_dir(args.before / "bvplan", quiet=1)
            before = {"PYTHONPATH": str(args.before.resolve())}
            cases += [
                Case(f"before ({args.before}): {case.name}", case.argv, None, case.terminal, before)
                for case in cases[1:4]
            ]
        for run in range(args.warmups + args.runs):
            for case in cases:
                elapsed, cpu = _run(case, env)
                if run >= args.warmups:
                    case.times.append(elapsed)
                    case.cpu.append(cpu)
            print(f"run {run + 1}/{args.warmups + args.runs}", file=sys.stderr)
    floor = statistics.median(cases[0].times)
    floor_cpu = statistics.median(cases[0].cpu)
    lines = [
        f"Cold start, {time.strftime('%Y-%m-%d')}: {args.runs} runs a case (after {args.warmups} warm-ups), "
        f"cases taking turns; Python {platform.python_version()}, {platform.system()}, {os.cpu_count()} CPUs.",
        "",
        "| case | median s | fastest s | ratio to the floor | CPU ratio | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for case in cases:
        median = statistics.median(case.times)
        ratio = median / floor
        cpu_ratio = statistics.median(case.cpu) / floor_cpu
        if case is cases[0]:
            verdict = "(the floor)"
        elif case.goal is None:
            verdict = ""
        else:
            verdict = f"≤ {case.goal:.2f}× {'met' if ratio <= case.goal else 'NOT met'}"
        lines.append(
            f"| {case.name} | {median:.3f} | {min(case.times):.3f} | {ratio:.2f}× | {cpu_ratio:.2f}× | {verdict} |"
        )
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
