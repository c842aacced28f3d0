"""Time `bvplan validate` on a register of 5,000 Direction requirements against one of 2,500.

The plan has Directions of 67 numbered requirements each (the size of one council's Directions),
one action answering each requirement with two milestones, an outcome measure per Direction, and
a register of recommendations one tenth the size of the requirements, each answered too. The
baseline is the same command on half the requirements, in the same run: linear validation gives
a ratio near 2. Each figure is a whole process (as a user runs it), the median of `--runs`: its wall
time, and its CPU time (user + system), which other work on a shared machine does not inflate.

    python bench/registers.py --sizes 2500,5000 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PER_DIRECTION = 67
TODAY = "2026-01-19"
OPEN_DUE = dt.date(2026, 3, 31)
PLAN = """\
id: registers
title: Synthetic register plan
authority: A synthetic council
board: Improvement and Assurance Board
start: 2025-04-01
end: 2026-03-31
cadence: quarterly
"""


def write_register_plan(plans: Path, requirements: int) -> Path:
    """plans/registers/ with `requirements` requirements, each answered; returns the plan folder."""
    folder = plans / "registers"
    folder.mkdir(parents=True)
    lines = [PLAN, "directions:\n"]
    actions = ["theme: Delivery\nactions:\n"]
    measures = ["measures:\n"]
    start = dt.date(2025, 4, 1)
    directions = (requirements + PER_DIRECTION - 1) // PER_DIRECTION
    for d in range(1, directions + 1):
        lines.append(f"  - id: D{d}\n    title: Direction {d}\n    requirements:\n")
        measures.append(
            f"  - id: M{d}\n    title: Outcome of Direction {d}\n    unit: percent\n    better: higher\n"
            f"    kind: outcome\n    directions: [D{d}]\n"
        )
        for r in range(1, PER_DIRECTION + 1):
            number = (d - 1) * PER_DIRECTION + r
            if number > requirements:
                break
            met = number % 3 == 0
            # What is met was due (and met) in the past; what is open is due after the bench's today.
            due = start + dt.timedelta(days=number % 280) if met else OPEN_DUE
            lines.append(f"      - id: D{d}.{r}\n        text: Requirement {r} of Direction {d}\n        due: {due}\n")
            lines.append("        evidence_needed: [A report to the board]\n")
            if met:
                lines.append(f"        evidence: [reports/d{d}-{r}.pdf]\n        met: {due}\n")
            actions.append(_action(f"A{number}", f"D{d}.{r}", due, met))
    lines.append("recommendations:\n")
    for n in range(1, requirements // 10 + 1):
        due = OPEN_DUE
        lines.append(
            f"  - id: R{n}\n    source: {{kind: auditor, title: Statutory recommendations (s24)}}\n"
            f"    text: Recommendation {n}\n    due: {due}\n"
        )
        actions.append(_action(f"RA{n}", f"R{n}", due, False))
    (folder / "plan.yaml").write_text("".join(lines), encoding="utf-8")
    (folder / "delivery.yaml").write_text("".join(actions + measures), encoding="utf-8")
    return folder


def _action(action_id: str, answers: str, due: dt.date, done: bool) -> str:
    completed = f"\n        completed: {due}\n        evidence: [reports/{action_id}.pdf]" if done else ""
    return (
        f"  - id: {action_id}\n    title: Deliver {answers}\n    answers: [{answers}]\n    milestones:\n"
        f"      - id: {action_id}.1\n        title: Plan the work\n        due: {due}\n"
        f"      - id: {action_id}.2\n        title: Report to the board\n        due: {due}{completed}\n"
    )


def timed(args: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds of the process, and its CPU seconds (user + system), which other work on a shared
    machine does not inflate."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env={**os.environ, "BVPLAN_TODAY": TODAY})
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if result.returncode not in (0,):
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr}")
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2500,5000", help="Requirement counts, the first the baseline.")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    bvplan = [sys.executable, "-m", "bvplan", "validate", "plans"]
    medians: dict[int, float] = {}
    cpus: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            root = Path(tmp) / str(size)
            write_register_plan(root / "plans", size)
            timed(bvplan, root)  # warm-up: bytecode and disk cache
            times = [timed(bvplan, root) for _ in range(args.runs)]
            medians[size] = statistics.median(wall for wall, _cpu in times)
            cpus[size] = statistics.median(cpu for _wall, cpu in times)
    base = sizes[0]
    print("| requirements | validate wall (s, median) | ratio | CPU (s, median) | ratio |")
    print("|---:|---:|---:|---:|---:|")
    for size in sizes:
        print(
            f"| {size:,} | {medians[size]:.3f} | {medians[size] / medians[base]:.2f}× | {cpus[size]:.3f} | "
            f"{cpus[size] / cpus[base]:.2f}× |"
        )


if __name__ == "__main__":
    main()
