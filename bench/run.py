"""Time bvplan against the tools a user would pick instead, each as a whole process, on the same files.

    python bench/run.py --sizes 50,1000,10000 --runs 5 [--out results.md]

For each size, bench/generate.py writes a plans folder of that many milestones (kept between runs
under --workdir), then each command runs --runs times, the commands taking turns: the median and the
fastest wall time are reported, with CPU time and peak memory (ru_maxrss of that one process, from
wait4). Ratios are of medians, by wall time and by CPU time (steadier on a busy machine). Beside bvplan
run the baselines: check-jsonschema with bvplan's own exported schemas (what a user would otherwise
put in pre-commit: one run for the theme files, one for plan.yaml, timed together) and a bare parse
of every file with PyYAML's CSafeLoader (the floor for reading YAML in Python). Cold start on the
shipped plans/ is bench/cold_start.py's, against the floor of bvplan's stack. The scaling cases (bench/scaling.py writes their plans)
show what grows with the number of plan folders, with the plans beside the one file pre-commit
checks, and with the revisions of one milestone; each is judged against the same command on a
smaller case measured in the same run. Progress goes to stderr, Markdown to stdout.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import pty
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

# bench/ is a folder of scripts, not a package: its sibling is imported from beside it.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate
from scaling import folders as tiny_plans
from scaling import revisions as revised_milestone

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = REPO / "plans"
AS_OF = "2019-06-30"  # every generated live plan runs 2018-04-01 to 2020-03-31
FOLDERS_AS_OF = "2018-06-30"  # the tiny plans of bench/scaling.py are live
C_PARSE = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""

VALIDATE, STATUS, REPORT = "bvplan validate", "bvplan status --format json", "bvplan report q1 --format html"
CHECK_JSONSCHEMA, C_PARSE_NAME = "check-jsonschema (bvplan schema)", "PyYAML CSafeLoader parse"
# A command run with its output on a pseudo-terminal, as a person at a terminal would run it.
PTY = "--bench-on-a-terminal"

FOLDER_COUNTS = (10, 100, 300, 1000)
REVISION_COUNTS = (1000, 2000, 4000, 8000)
ONE_FILE_SMALL, ONE_FILE_LARGE = 3, 300
FOLDER_VALIDATE, FOLDER_STATUS = "validate plans", "status --format json"
ONE_FILE = "validate plans/p0001/grants.yaml"
REVISION_REPORT, REVISION_CHANGES = "report 2018-19 q4", "changes --since HEAD~2"


@dataclass
class Run:
    wall: float
    cpu: float
    peak_kib: int
    code: int


@dataclass
class Figure:
    name: str
    runs: list[Run] = field(default_factory=list)
    missing: str | None = None  # why there is no figure: "n/a"

    @property
    def median(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def fastest(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_kib for r in self.runs) / 1024

    @property
    def ok(self) -> bool:
        return self.missing is None and bool(self.runs)


def run_once(commands: list[list[str]], cwd: Path) -> Run:
    """Run the commands one after another as one figure: summed times, the largest peak memory."""
    wall = cpu = 0.0
    peak, code = 0, 0
    for command in commands:
        on_terminal = command[0] == PTY
        command = command[1:] if on_terminal else command
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            if on_terminal:
                leader, follower = pty.openpty()
                process = subprocess.Popen(command, cwd=cwd, stdout=follower, stderr=errors)
                os.close(follower)
                while True:  # read everything it draws, as a terminal would
                    try:
                        if not os.read(leader, 65536):
                            break
                    except OSError:  # the terminal closes when the process ends
                        break
                os.close(leader)
            else:
                process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
            _pid, status, usage = os.wait4(process.pid, 0)
            wall += time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode not in (0, 1):
                errors.seek(0)
                message = errors.read().decode("utf-8", "replace")[-2000:]
                raise SystemExit(f"bench: {' '.join(command)} exited {process.returncode}:\n{message}")
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss)  # KiB on Linux
        code = max(code, process.returncode)
    return Run(wall, cpu, peak, code)


def measure(
    specs: dict[str, list[list[str]]], cwd: Path, runs: int, warmups: int, cwds: dict[str, Path] | None = None
) -> dict[str, Figure]:
    """Time each named command list, taking turns run by run, so that a change in the machine's load
    falls on every figure alike rather than on whichever ran at that moment. `cwds`: a folder to run
    a figure in, other than `cwd`."""
    figures = {name: Figure(name) for name in specs}
    where = cwds or {}
    for _ in range(warmups):  # warm the page cache and .pyc files: every figure is a warm-disk cold process
        for name, commands in specs.items():
            run_once(commands, where.get(name, cwd))
    for _ in range(runs):
        for name, commands in specs.items():
            figures[name].runs.append(run_once(commands, where.get(name, cwd)))
    for name, figure in figures.items():
        exit_note = f" (exit {figure.runs[0].code})" if figure.runs[0].code else ""
        print(
            f"  {name:<44} median {figure.median:7.3f} s  min {figure.fastest:7.3f} s  cpu {figure.cpu:7.3f} s  "
            f"peak {figure.peak_mib:7.1f} MiB{exit_note}",
            file=sys.stderr,
        )
    return figures


def bvplan_command() -> list[str]:
    script = Path(sys.executable).parent / "bvplan"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bvplan"]


def has_report(bvplan: list[str]) -> bool:
    shown = subprocess.run([*bvplan, "--help"], capture_output=True, text=True, check=False).stdout
    return any(line.strip().startswith("report ") for line in shown.splitlines())


def check_jsonschema_command() -> list[str] | None:
    script = Path(sys.executable).parent / "check-jsonschema"
    found = str(script) if script.exists() else shutil.which("check-jsonschema")
    return [found] if found else None


def export_schemas(bvplan: list[str], into: Path) -> dict[str, Path]:
    into.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind in ("theme", "plan"):
        text = subprocess.run([*bvplan, "schema", kind], capture_output=True, text=True, check=True).stdout
        paths[kind] = into / f"{kind}.schema.json"
        paths[kind].write_text(text, encoding="utf-8")
    return paths


def prepared(size: int, workdir: Path, seed: int) -> Path:
    """The plans folder of `size` milestones, generated once per size and seed."""
    target = workdir / f"{size}-seed{seed}"
    marker = target / "complete"
    if not marker.exists():
        print(f"generating {size:,} milestones in {target} ...", file=sys.stderr)
        generate(size, target, seed)
        marker.write_text("bench/generate.py\n", encoding="utf-8")
    return target / "plans"


@dataclass
class SizeResult:
    size: int
    files: int
    yaml_bytes: int
    figures: dict[str, Figure]


def run_size(
    size: int, args: argparse.Namespace, tools: dict[str, list[str] | None], schemas: dict[str, Path]
) -> SizeResult:
    plans = prepared(size, args.workdir, args.seed)
    files = sorted(plans.rglob("*.yaml"))
    yaml_bytes = sum(f.stat().st_size for f in files)
    print(f"{size:,} milestones: {len(files)} files, {yaml_bytes / 1_048_576:.1f} MiB", file=sys.stderr)
    bvplan = tools["bvplan"] or []
    first_plan = sorted(p.name for p in plans.iterdir() if p.name.endswith("2018-20"))[0]
    cwd = plans.parent
    specs: dict[str, list[list[str]]] = {
        VALIDATE: [[*bvplan, "validate", "plans"]],
        STATUS: [[*bvplan, "status", "--format", "json", "--as-of", AS_OF, "--plans", "plans"]],
    }
    if tools["report"] is not None:
        specs[REPORT] = [[*bvplan, "report", "q1", "--format", "html", "--plan", first_plan, "--plans", "plans"]]
    checker = tools["check-jsonschema"]
    if checker is not None:
        relative = [str(f.relative_to(cwd)) for f in files]
        themes = [f for f in relative if not f.endswith("/plan.yaml")]
        plan_files = [f for f in relative if f.endswith("/plan.yaml")]
        specs[CHECK_JSONSCHEMA] = [
            [*checker, "--schemafile", str(schemas["theme"]), *themes],
            [*checker, "--schemafile", str(schemas["plan"]), *plan_files],
        ]
    specs[C_PARSE_NAME] = [[sys.executable, "-c", C_PARSE, "plans"]]
    measured = measure(specs, cwd, args.runs, args.warmups)
    figures = {}
    for name in (VALIDATE, STATUS, REPORT, CHECK_JSONSCHEMA, C_PARSE_NAME):
        figures[name] = measured.get(name) or Figure(name, missing="n/a")
    if tools["report"] is None:
        print(f"  {REPORT:<44} n/a: not registered in `bvplan --help` yet", file=sys.stderr)
    return SizeResult(size, len(files), yaml_bytes, figures)


def run_folders(args: argparse.Namespace, bvplan: list[str]) -> dict[str, Figure]:
    """`validate` and `status` on 10 to 1,000 tiny plans, the counts taking turns."""
    specs: dict[str, list[list[str]]] = {}
    for count in FOLDER_COUNTS:
        plans = args.workdir / f"folders-{count}" / "plans"
        if not (plans / f"p{count - 1:04}").exists():
            tiny_plans(count, plans.parent)
        specs[f"{FOLDER_VALIDATE}, {count:,} plans"] = [[*bvplan, "validate", str(plans)]]
        specs[f"{FOLDER_STATUS}, {count:,} plans"] = [
            [*bvplan, "status", "--format", "json", "--as-of", FOLDERS_AS_OF, "--plans", str(plans)]
        ]
    print("plan-folder count:", file=sys.stderr)
    return measure(specs, REPO, args.runs, args.warmups)


def run_one_file(args: argparse.Namespace, bvplan: list[str]) -> dict[str, Figure]:
    """`validate` of one theme file, as pre-commit runs it, with 3 and with 300 plans beside it."""
    specs: dict[str, list[list[str]]] = {}
    for count in (ONE_FILE_SMALL, ONE_FILE_LARGE):
        plans = args.workdir / f"folders-{count}" / "plans"
        if not (plans / f"p{count - 1:04}").exists():
            tiny_plans(count, plans.parent)
        specs[f"{ONE_FILE}, {count} plans in the folder"] = [[*bvplan, "validate", str(plans / "p0001/grants.yaml")]]
    print("one file:", file=sys.stderr)
    return measure(specs, REPO, args.runs, args.warmups)


def run_revisions(args: argparse.Namespace, bvplan: list[str]) -> dict[str, Figure]:
    """`report` and `changes` with 1,000 to 8,000 revisions on one milestone."""
    specs: dict[str, list[list[str]]] = {}
    cwds: dict[str, Path] = {}
    for count in REVISION_COUNTS:
        repo = args.workdir / f"revisions-{count}"
        if not (repo / ".git").exists():
            revised_milestone(count, repo)
        for name, command in (
            (REVISION_REPORT, [*bvplan, "report", "2018-19", "q4", "--plans", "plans"]),
            (REVISION_CHANGES, [*bvplan, "changes", "--since", "HEAD~2", "--plans", "plans"]),
        ):
            figure = f"{name}, {count:,} revisions"
            specs[figure] = [command]
            cwds[figure] = repo
    print("revisions on one milestone:", file=sys.stderr)
    return measure(specs, REPO, args.runs, args.warmups, cwds)


@dataclass(frozen=True)
class Ratio:
    """A figure over its baseline, by median wall time and by median CPU time.

    Wall time is what a user waits; CPU time barely moves when other work shares the machine.
    """

    wall: float
    cpu: float

    def __str__(self) -> str:
        return f"{self.wall:.2f}× (CPU {self.cpu:.2f}×)"


def ratio(figure: Figure, baseline: Figure | None) -> Ratio | None:
    if baseline is None or not figure.ok or not baseline.ok:
        return None
    return Ratio(figure.median / baseline.median, figure.cpu / baseline.cpu if baseline.cpu else float("nan"))


def within(value: float, limit: float) -> str:
    return "✓" if value <= limit else "✗"


def verdict(value: Ratio | None, limit: float) -> str:
    if value is None:
        return "n/a"
    return (
        f"{value.wall:.2f}× {within(value.wall, limit)} (CPU {value.cpu:.2f}× {within(value.cpu, limit)}; "
        f"target ≤ {limit:g}×)"
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def seconds(figure: Figure) -> tuple[str, str, str, str]:
    if not figure.ok:
        return (figure.missing or "n/a",) * 4
    return f"{figure.median:.3f}", f"{figure.fastest:.3f}", f"{figure.cpu:.3f}", f"{figure.peak_mib:.0f}"


@dataclass
class Scaling:
    """The figures of the scaling cases (empty when a case was not run)."""

    folders: dict[str, Figure] = field(default_factory=dict)
    one_file: dict[str, Figure] = field(default_factory=dict)
    revisions: dict[str, Figure] = field(default_factory=dict)


def _figure_table(title: str, figures: dict[str, Figure], baseline: str | None, against: str) -> list[str]:
    out = [
        f"**{title}**",
        "",
        f"| command | median s | min s | CPU s | peak MiB | {against} |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, figure in figures.items():
        value = ratio(figure, figures.get(baseline)) if baseline else None
        vs = "baseline" if name == baseline else (str(value) if value is not None else "")
        out.append(f"| `{name}` | {' | '.join(seconds(figure))} | {vs} |")
    return [*out, ""]


def markdown(sizes: list[SizeResult], scaling: Scaling, args: argparse.Namespace) -> str:
    out = [
        f"Machine: {machine()}. {dt.date.today().isoformat()}.",
        "",
        f"Command: `python bench/run.py {shlex.join(sys.argv[1:])}` "
        f"(median and fastest of {args.runs} runs after {args.warmups} warm-up, each a whole process, commands "
        "taking turns; CPU is user + system time; peak is the process's maximum resident memory).",
        "",
    ]
    if scaling.folders:
        out += _figure_table(
            "Plan-folder count (tiny plans)", scaling.folders, f"{FOLDER_VALIDATE}, 100 plans", "vs validate, 100"
        )
    if scaling.one_file:
        out += _figure_table(
            "One file, as pre-commit runs it",
            scaling.one_file,
            f"{ONE_FILE}, {ONE_FILE_SMALL} plans in the folder",
            f"vs {ONE_FILE_SMALL} plans",
        )
    if scaling.revisions:
        out += _figure_table(
            "Revisions on one milestone", scaling.revisions, f"{REVISION_REPORT}, 1,000 revisions", "vs report, 1,000"
        )
    ten_thousand = next((s for s in sizes if s.size == 10_000), None)
    for result in sizes:
        figures = result.figures
        mib = result.yaml_bytes / 1_048_576
        out += [
            f"**{result.size:,} milestones**: {result.files} files, {mib:.1f} MiB of YAML",
            "",
            "| command | median s | min s | CPU s | peak MiB | peak ÷ YAML | vs check-jsonschema | vs C parse |"
            + (" vs 10,000 |" if ten_thousand and result.size > 10_000 else ""),
            "|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if ten_thousand and result.size > 10_000 else ""),
        ]
        for name, figure in figures.items():
            cells = list(seconds(figure))
            cells.append(f"{figure.peak_mib * 1_048_576 / result.yaml_bytes:.1f}×" if figure.ok else "n/a")
            for baseline in (CHECK_JSONSCHEMA, C_PARSE_NAME):
                value = ratio(figure, figures.get(baseline))
                cells.append("—" if name == baseline else (str(value) if value is not None else "n/a"))
            if ten_thousand and result.size > 10_000:
                value = ratio(figure, ten_thousand.figures.get(name))
                cells.append(str(value) if value is not None else "n/a")
            out.append(f"| `{name}` | {' | '.join(cells)} |")
        out.append("")
    out += targets(sizes, scaling)
    return "\n".join(out) + "\n"


def targets(sizes: list[SizeResult], scaling: Scaling | None = None) -> list[str]:
    lines = ["**Targets**", ""]
    scaling = scaling or Scaling()
    for name in (FOLDER_VALIDATE, FOLDER_STATUS):
        many, few = scaling.folders.get(f"{name}, 1,000 plans"), scaling.folders.get(f"{name}, 100 plans")
        if many and few:
            lines.append(f"- `{name}` on 1,000 tiny plans ≤ 3× on 100: {verdict(ratio(many, few), 3)}")
    large = scaling.one_file.get(f"{ONE_FILE}, {ONE_FILE_LARGE} plans in the folder")
    small = scaling.one_file.get(f"{ONE_FILE}, {ONE_FILE_SMALL} plans in the folder")
    if large and small:
        lines.append(
            f"- `validate` of one file with {ONE_FILE_LARGE} plans in the folder ≤ 1.2× with {ONE_FILE_SMALL}: "
            f"{verdict(ratio(large, small), 1.2)}"
        )
    for name in (REVISION_REPORT, REVISION_CHANGES):
        most, half = (
            scaling.revisions.get(f"{name}, 8,000 revisions"),
            scaling.revisions.get(f"{name}, 4,000 revisions"),
        )
        if most and half:
            # Linear work at most doubles when the revisions double; quadratic work quadruples.
            lines.append(f"- `{name}`: 8,000 revisions ≤ 2× 4,000 (linear): {verdict(ratio(most, half), 2)}")
    by_size = {s.size: s for s in sizes}
    if 10_000 in by_size:
        f = by_size[10_000].figures
        lines.append(
            f"- 10,000: validate vs check-jsonschema {verdict(ratio(f[VALIDATE], f[CHECK_JSONSCHEMA]), 0.5)}, "
            f"vs C parse {verdict(ratio(f[VALIDATE], f[C_PARSE_NAME]), 1.5)}"
        )
    if 100_000 in by_size:
        big = by_size[100_000]
        for name in (VALIDATE, STATUS, REPORT):
            figure = big.figures[name]
            growth = ratio(figure, by_size[10_000].figures[name]) if 10_000 in by_size else None
            if not figure.ok:
                lines.append(f"- 100,000 `{name}`: {figure.missing}")
                continue
            memory = figure.peak_mib * 1_048_576 / big.yaml_bytes
            lines.append(
                f"- 100,000 `{name}`: completes; growth vs 10,000 {verdict(growth, 12)}; "
                f"peak memory ÷ YAML {memory:.1f}× {within(memory, 10)} (target ≤ 10×)"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="50,1000,10000", help="milestone counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure")
    parser.add_argument("--warmups", type=int, default=1, help="untimed runs before them (default 1)")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "bvplan-bench")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--out", type=Path, help="also write the Markdown results here")
    parser.add_argument(
        "--scaling",
        default="folders,one-file,revisions",
        help="scaling cases to run, comma-separated: folders (10 to 1,000 tiny plans), one-file (pre-commit's "
        "check of one file, 3 and 300 plans beside it), revisions (1,000 to 8,000 on one milestone); '' for none",
    )
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    # Time bvplan as an installed copy runs: from compiled bytecode. An environment that forbids
    # writing it (PYTHONDONTWRITEBYTECODE, set on some machines) would have every run compile every
    # bvplan module again, about 15 ms, which no user of an installed bvplan pays.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(REPO / "bvplan"), quiet=1)
    bvplan = bvplan_command()
    tools: dict[str, list[str] | None] = {
        "bvplan": bvplan,
        "report": bvplan if has_report(bvplan) else None,
        "check-jsonschema": check_jsonschema_command(),
    }
    if tools["check-jsonschema"] is None:
        print("check-jsonschema is not installed: pip install -e '.[bench]'", file=sys.stderr)
    schemas = export_schemas(bvplan, args.workdir / "schemas")
    cases = {c.strip() for c in args.scaling.split(",") if c.strip()}
    scaling = Scaling(
        folders=run_folders(args, bvplan) if "folders" in cases else {},
        one_file=run_one_file(args, bvplan) if "one-file" in cases else {},
        revisions=run_revisions(args, bvplan) if "revisions" in cases else {},
    )
    results = [run_size(size, args, tools, schemas) for size in sizes]
    text = markdown(results, scaling, args)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
