"""Time the owners' round trip: `export updates` for 40 owners, and `import updates` of their 40 returns.

The plans are bench/generate.py's, with the owners and theme leads spread over `--owners` people
(the generator names nine). Every returned workbook is filled in as an owner would: a progress note
on every row, a completion on every fourth, a new deadline on every seventh. Each figure is a whole
process, the median of `--runs`; the baseline is `bvplan validate` on the same plans in the same run,
since every import validates them at least twice.

    python bench/owners.py --milestones 1000 --owners 40 --runs 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate

AS_OF = "2020-03-31"  # the plans' end: the generator records facts up to then
TARGET_SECONDS = 5.0  # issue 17: each under 5 s for a 1,000-milestone plan and 40 owners


def spread_owners(plans: Path, owners: int) -> None:
    """Give the owners and leads of the generated plans `owners` distinct names, in turn."""
    pattern = re.compile(r"^(\s*)(owner|lead): .*$", re.MULTILINE)
    turn = 0

    def name(match: re.Match[str]) -> str:
        nonlocal turn
        turn += 1
        return f"{match[1]}{match[2]}: Head of Service {turn % owners + 1:02d}"

    for path in sorted(plans.rglob("*.yaml")):
        path.write_text(pattern.sub(name, path.read_text(encoding="utf-8")), encoding="utf-8")


def fill_returns(folder: Path) -> int:
    from openpyxl import load_workbook

    filled = 0
    for book in sorted(folder.glob("*.xlsx")):
        workbook = load_workbook(book)
        sheet = workbook.worksheets[0]
        for number in range(2, sheet.max_row + 1):
            sheet[f"I{number}"] = f"Progress reported for row {number}: work continues as planned."
            if number % 4 == 0:
                sheet[f"H{number}"] = dt.datetime.fromisoformat(AS_OF)
            elif number % 7 == 0:
                sheet[f"K{number}"] = dt.datetime(2020, 3, 31)
                sheet[f"L{number}"] = "Waiting for the budget decision"
            filled += 1
        workbook.save(book)
    return filled


CPU: dict[str, list[float]] = {}


def timed(args: list[str], cwd: Path, name: str) -> float:
    """Wall seconds of the process; its CPU seconds (user + system) are kept in CPU[name]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--milestones", type=int, default=1000)
    parser.add_argument("--owners", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    bvplan = [sys.executable, "-m", "bvplan"]
    with tempfile.TemporaryDirectory(prefix="bvplan-owners-") as temp:
        root = Path(temp)
        generate(options.milestones, root)
        spread_owners(root / "plans", options.owners)
        pristine = root / "pristine"
        shutil.copytree(root / "plans", pristine)
        validate, export, imports = [], [], []
        for run in range(options.runs):
            validate.append(timed([*bvplan, "validate", "plans"], root, "validate"))
            export.append(
                timed([*bvplan, "export", "updates", "--as-of", AS_OF, "-o", "out", "--force"], root, "export")
            )
            if run == 0:
                books = sorted((root / "out").glob("*.xlsx"))
                rows = fill_returns(root / "out")
                shutil.copytree(root / "out", root / "returned")
            shutil.rmtree(root / "plans")
            shutil.copytree(pristine, root / "plans")
            imports.append(
                timed(
                    [*bvplan, "import", "updates", *map(str, sorted((root / "returned").glob("*.xlsx"))), "--apply"],
                    root,
                    "import",
                )
            )
        base = statistics.median(validate)
        results = {
            "export updates": (statistics.median(export), statistics.median(CPU["export"])),
            "import updates --apply": (statistics.median(imports), statistics.median(CPU["import"])),
        }
        print(f"{options.milestones} milestones, {len(books)} workbooks, {rows} filled rows, {options.runs} runs")
        print(f"| command | median s | CPU s | x validate | under {TARGET_SECONDS:.0f} s |")
        print("|---|---:|---:|---:|---|")
        print(f"| validate (baseline) | {base:.2f} | {statistics.median(CPU['validate']):.2f} | 1.00 | |")
        for name, (seconds, cpu) in results.items():
            verdict = "yes" if seconds < TARGET_SECONDS else "NO"
            print(f"| {name} | {seconds:.2f} | {cpu:.2f} | {seconds / base:.2f} | {verdict} |")


if __name__ == "__main__":
    main()
