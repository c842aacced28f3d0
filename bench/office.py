"""Time the Word, PDF and spreadsheet outputs of the Q1 2018-19 paper against the HTML they are made from.

    python bench/office.py --runs 5 [--out office.md]

Each command is a whole `bvplan` process on the shipped plans/, run --runs times, the commands taking
turns (so a change in the machine's load falls on each alike); median wall and CPU time are reported.
The baseline is the same paper written as HTML, measured in the same run: Word and PDF are built
from that HTML, so their cost over it is what the office formats add. Targets (issue #15): the
Word paper in under 1 s, the PDF in under 3 s, judged on wall and on CPU time (the steadier on a
busy machine). The workbook is measured beside `status --format csv`.
Needs the office extra: pip install -e '.[office]'. Progress goes to stderr, Markdown to stdout.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PLANS = REPO / "plans"
PAPER = ["report", "q1", "--plan", "bvip-2018-19", "--plans", str(PLANS), "-o"]
STATUS = ["status", "--as-of", "q1", "--plan", "bvip-2018-19", "--plans", str(PLANS), "-o"]
CASES = {
    "report q1 -o q1.html (baseline)": (PAPER, "q1.html", None),
    "report q1 -o q1.docx": (PAPER, "q1.docx", 1.0),
    "report q1 -o q1.pdf": (PAPER, "q1.pdf", 3.0),
    "status -o tracker.csv (baseline)": (STATUS, "tracker.csv", None),
    "status -o tracker.xlsx": (STATUS, "tracker.xlsx", None),
}


def bvplan_command() -> list[str]:
    script = Path(sys.executable).parent / "bvplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bvplan"]


def run_once(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        message = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{message}")
    if process.stderr:
        process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command")
    parser.add_argument("--out", type=Path, help="also write the Markdown results here")
    args = parser.parse_args()
    bvplan = bvplan_command()
    with tempfile.TemporaryDirectory() as folder:
        commands = {name: [*bvplan, *argv, str(Path(folder) / file)] for name, (argv, file, _) in CASES.items()}
        for command in commands.values():  # warm the page cache and .pyc files
            run_once(command)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(run_once(command))
    lines = [
        f"Q1 2018-19 paper, shipped plans, {args.runs} runs each (median; `python bench/office.py --runs {args.runs}`)",
        "",
        "| command | wall (s) | CPU (s) | × baseline (wall) | target |",
        "|---|---:|---:|---:|---|",
    ]
    baseline = 0.0
    for name, (_argv, _file, target) in CASES.items():
        wall = statistics.median(t[0] for t in times[name])
        cpu = statistics.median(t[1] for t in times[name])
        if name.endswith("(baseline)"):
            baseline = wall
        verdict = (
            ""
            if target is None
            else f"< {target:g} s: wall {'✓' if wall < target else '✗'}, CPU {'✓' if cpu < target else '✗'}"
        )
        lines.append(f"| `{name}` | {wall:.3f} | {cpu:.3f} | {wall / baseline:.2f} | {verdict} |")
        print(f"  {name:<36} wall {wall:.3f} s  cpu {cpu:.3f} s", file=sys.stderr)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
