"""Time `validate` and `heatmap` on rounds of self-assessment of 60 characteristics (20 of them, against 10 and 40).

A council pack of 60 characteristics (plans/frameworks/bench-60.yaml, six themes of ten), a plan
that names it with one action serving each characteristic (two milestones each, one of them
overdue for a third of them, so the optimism rule has work to do), and `rounds` dated rounds of
assessment, every other one external: 60 x rounds ratings in plan.yaml. The baseline is the same
work on 10 rounds, in the same run: linear work gives ratios near 2 and 4 for 20 and 40 rounds.

Each figure is the median of `--runs`, in-process (loading, checking and drawing
the heat map, without the interpreter's start-up, which would hide the growth), and for a whole
`bvplan heatmap` process as a user runs it.

    python bench/assessments.py --rounds 10,20,40 --runs 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Every rating is dated well before any day the bench is run, so none is "still to come".
AS_OF = dt.date(2026, 1, 19)
CHARACTERISTICS = 60
PER_THEME = 10
LEVELS = ("red", "amber", "light-green", "green")
PLAN = """\
id: bench
title: Synthetic self-assessment plan
authority: A synthetic council
board: Improvement and Assurance Board
start: 2020-04-01
end: 2026-03-31
cadence: quarterly
frameworks: [bench-60]
"""


def write_plans(root: Path, rounds: int) -> Path:
    """root/plans with the pack and the plan; returns the plans folder."""
    plans = root / "plans"
    (plans / "frameworks").mkdir(parents=True)
    (plans / "bench").mkdir()
    pack = [
        "id: bench-60\ntitle: Sixty characteristics\nsource: Synthetic, for the bench\nscale:\n  levels:\n",
        *(f'    - id: {lv}\n      words: Level {lv}\n      colour: "#C6EFCE"\n' for lv in LEVELS),
        "  good: [light-green, green]\nthemes:\n",
    ]
    ids = [f"T{t}C{c:02d}" for t in range(CHARACTERISTICS // PER_THEME) for c in range(PER_THEME)]
    for t in range(CHARACTERISTICS // PER_THEME):
        pack.append(f"  - id: T{t}\n    title: Theme {t}\n    characteristics:\n")
        pack += [f"      - id: T{t}C{c:02d}\n        text: Characteristic {c} of theme {t}\n" for c in range(PER_THEME)]
    (plans / "frameworks" / "bench-60.yaml").write_text("".join(pack), encoding="utf-8")
    lines = [PLAN, "assessments:\n"]
    first = dt.date(2020, 6, 30)
    for r in range(rounds):
        on = first + dt.timedelta(days=14 * r)
        for i, characteristic in enumerate(ids):
            lines.append(
                f"  - characteristic: {characteristic}\n    level: {LEVELS[(i + r) % 4]}\n    on: {on}\n"
                f"    by: {'Peer challenge' if r % 2 else 'Officers'}\n" + ("    external: true\n" if r % 2 else "")
            )
    (plans / "bench" / "plan.yaml").write_text("".join(lines), encoding="utf-8")
    theme = ["theme: Delivery\nactions:\n"]
    for i, characteristic in enumerate(ids):
        late = "" if i % 3 == 0 else "        completed: 2021-01-31\n"
        theme.append(
            f"  - id: A{i}\n    title: Serve {characteristic}\n    characteristics: [{characteristic}]\n    milestones:\n"
            f"      - id: A{i}.1\n        title: Plan\n        due: 2020-12-31\n        completed: 2020-12-01\n"
            f"      - id: A{i}.2\n        title: Deliver\n        due: 2021-01-31\n{late}"
        )
    (plans / "bench" / "delivery.yaml").write_text("".join(theme), encoding="utf-8")
    return plans


def in_process(plans: Path) -> tuple[float, float]:
    """(validate, heat map in every text format) in seconds."""
    from bvplan.papers import heatmap as views
    from bvplan.rules.assessments import heatmaps
    from bvplan.rules.validation import validate

    start = time.perf_counter()
    loaded = validate([plans])
    checked = time.perf_counter()
    if loaded.report.errors:
        errors = [d for d in loaded.report.sorted() if d.severity.value == "error"]
        raise SystemExit(f"the synthetic plan has errors: {errors[:3]}")
    maps = heatmaps(loaded.workspace, loaded.workspace.plans, AS_OF)
    for render in (views.as_plain_table, views.as_markdown, views.as_html, views.as_csv, views.as_json):
        render(maps)
    return checked - start, time.perf_counter() - checked


def whole_process(plans: Path) -> float:
    args = [sys.executable, "-m", "bvplan", "heatmap", "--plans", str(plans), "--plan", "bench", "--format", "html"]
    start = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", default="10,20,40", help="Rounds of assessment, the first the baseline.")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.rounds.split(",")]
    results: dict[int, tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for rounds in sizes:
            plans = write_plans(Path(tmp) / str(rounds), rounds)
            in_process(plans)  # warm-up: imports and disk cache
            inside = [in_process(plans) for _ in range(args.runs)]
            whole = [whole_process(plans) for _ in range(args.runs)]
            results[rounds] = (
                statistics.median(v for v, _h in inside),
                statistics.median(h for _v, h in inside),
                statistics.median(whole),
            )
    base = results[sizes[0]]
    print(
        "| rounds | ratings | validate (s) | ratio | heat map, 5 formats (s) | ratio | `bvplan heatmap` (s) | ratio |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for rounds in sizes:
        checked, drawn, whole = results[rounds]
        print(
            f"| {rounds} | {rounds * CHARACTERISTICS:,} | {checked:.3f} | {checked / base[0]:.2f}× | {drawn:.3f} | "
            f"{drawn / base[1]:.2f}× | {whole:.3f} | {whole / base[2]:.2f}× |"
        )


if __name__ == "__main__":
    main()
