"""Time `bvplan site` on the shipped plans, and on 30, 100 and 300 plans to show it grows linearly.

    python bench/site.py --runs 5 [--out site.md]

Each command is a whole `bvplan` process, run --runs times, the commands taking turns (so a change in
the machine's load falls on each alike); median wall and CPU time are reported. Baselines measured in
the same run: the Q1 2018-19 board paper as HTML (`report q1 -o q1.html`) for the shipped plans, and
`status --format csv` over the same plans for the scaling cases (the site is every plan's position
plus its pages). Targets (issue #25): the shipped plans' site in under 2 s; per plan, the site of
300 plans costs no more than 1.5 times what the site of 30 plans costs per plan (linear growth).
The tiny plans come from bench/scaling.py (`folders`). Progress goes to stderr, Markdown to stdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from office import PLANS, bvplan_command, run_once
from scaling import folders

SIZES = (30, 100, 300)
SHIPPED_TARGET = 2.0
LINEAR_TOLERANCE = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--out", type=Path, help="also write the Markdown results here")
    args = parser.parse_args()
    bvplan = bvplan_command()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        commands: dict[str, list[str]] = {
            "report q1 -o q1.html (baseline)": [
                *bvplan, "report", "q1", "--plan", "bvip-2018-19", "--plans", str(PLANS), "-o", str(root / "q1.html"),
            ],
            "site, shipped plans": [
                *bvplan, "site", "--plans", str(PLANS), "--as-of", "2018-09-30", "-o", str(root / "shipped"),
            ],
        }  # fmt: skip
        for size in SIZES:
            plans = folders(size, root / f"f{size}")
            commands[f"status --format csv, {size} plans (baseline)"] = [
                *bvplan, "status", "--plans", str(plans), "--as-of", "2018-09-30", "--format", "csv",
            ]  # fmt: skip
            commands[f"site, {size} plans"] = [
                *bvplan, "site", "--plans", str(plans), "--as-of", "2018-09-30", "-o", str(root / f"site{size}"),
            ]  # fmt: skip
        for command in commands.values():  # warm the page cache and .pyc files
            run_once(command)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(run_once(command))
    median = {
        name: (statistics.median(t[0] for t in ts), statistics.median(t[1] for t in ts)) for name, ts in times.items()
    }
    lines = [
        f"`bvplan site`, {args.runs} runs each (median; `python bench/site.py --runs {args.runs}`)",
        "",
        "| command | wall (s) | CPU (s) | × baseline (wall) | per plan (ms, wall) | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    paper = median["report q1 -o q1.html (baseline)"][0]
    shipped = median["site, shipped plans"]
    lines.append(
        f"| `report q1 -o q1.html` (baseline) | {paper:.3f} | {median['report q1 -o q1.html (baseline)'][1]:.3f} | 1.00 | | |"
    )
    verdict = f"< {SHIPPED_TARGET:g} s: wall {'✓' if shipped[0] < SHIPPED_TARGET else '✗'}, CPU {'✓' if shipped[1] < SHIPPED_TARGET else '✗'}"
    lines.append(
        f"| `site`, shipped plans | {shipped[0]:.3f} | {shipped[1]:.3f} | {shipped[0] / paper:.2f} | | {verdict} |"
    )
    smallest = median[f"site, {SIZES[0]} plans"][0] / SIZES[0]
    for size in SIZES:
        base = median[f"status --format csv, {size} plans (baseline)"]
        site = median[f"site, {size} plans"]
        per_plan = site[0] / size
        lines.append(
            f"| `status --format csv`, {size} plans (baseline) | {base[0]:.3f} | {base[1]:.3f} | 1.00 | {1000 * base[0] / size:.1f} | |"
        )
        growth = per_plan / smallest
        verdict = f"per plan ≤ {LINEAR_TOLERANCE:g} × at {SIZES[0]}: {growth:.2f} {'✓' if growth <= LINEAR_TOLERANCE else '✗'}"
        lines.append(
            f"| `site`, {size} plans | {site[0]:.3f} | {site[1]:.3f} | {site[0] / base[0]:.2f} | {1000 * per_plan:.1f} | {verdict} |"
        )
    for name, (wall, cpu) in median.items():
        print(f"  {name:<44} wall {wall:.3f} s  cpu {cpu:.3f} s", file=sys.stderr)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
