"""Time bvplan against the tools a user would pick instead, each as a whole process, on the same files.

    python bench/run.py --sizes 50,1000,10000 --runs 5 [--out results.md]

For each size, bench/generate.py writes a plans folder of that many milestones (kept between runs
under --workdir), then each command runs --runs times, the commands taking turns: the median and the
fastest wall time are reported, with CPU time and peak memory (ru_maxrss of that one process, from
wait4). Ratios are of medians, by wall time and by CPU time (steadier on a busy machine). Beside bvplan
run the baselines: check-jsonschema with bvplan's own exported schemas (what a user would otherwise
put in pre-commit: one run for the theme files, one for plan.yaml, timed together) and a bare parse
of every file with PyYAML's CSafeLoader (the floor for reading YAML in Python). The cold-start
figures run on the shipped plans/, beside the import line of bvplan's libraries and typer alone
running a command with `bvplan status`'s options. Progress goes to stderr, Markdown to stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
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

REPO = Path(__file__).resolve().parent.parent
SHIPPED_PLANS = REPO / "plans"
AS_OF = "2019-06-30"  # every generated live plan runs 2018-04-01 to 2020-03-31
COLD_AS_OF = "2018-06-30"  # the shipped bvip-2018-19 is live
IMPORTS = "import typer, pydantic, rich, ruamel.yaml"
C_PARSE = """
import pathlib, sys, yaml
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""

# What typer alone costs to run a command with `bvplan status`'s options and an empty body: typer
# builds a pydantic TypeAdapter per option on every run, so this is the floor of any such command.
TYPER_FLOOR = """
import enum, pathlib, typing, typer
Format = enum.StrEnum("Format", {"table": "table", "json": "json", "csv": "csv", "markdown": "markdown"})
Choice = enum.StrEnum("Choice", {"completed": "completed", "overdue": "overdue"})
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
@app.command()
def status(
    as_of: typing.Annotated[typing.Optional[str], typer.Option("--as-of")] = None,
    plan: typing.Annotated[typing.Optional[str], typer.Option("--plan")] = None,
    theme: typing.Annotated[typing.Optional[str], typer.Option()] = None,
    owner: typing.Annotated[typing.Optional[str], typer.Option()] = None,
    only: typing.Annotated[typing.Optional[list[Choice]], typer.Option("--status")] = None,
    output_format: typing.Annotated[Format, typer.Option("--format")] = Format.table,
    fail_on: typing.Annotated[typing.Optional[Choice], typer.Option("--fail-on")] = None,
    plans_dir: typing.Annotated[pathlib.Path, typer.Option("--plans")] = pathlib.Path("plans"),
) -> None:
    pass
@app.command()
def other() -> None:
    pass
app()
"""
TYPER_FLOOR_NAME = "typer alone: status's options, empty body"

VALIDATE, STATUS, REPORT = "bvplan validate", "bvplan status --format json", "bvplan report q1 --format html"
CHECK_JSONSCHEMA, C_PARSE_NAME = "check-jsonschema (bvplan schema)", "PyYAML CSafeLoader parse"
IMPORT_NAME, HELP, COLD_STATUS = f'python -c "{IMPORTS}"', "bvplan --help", "bvplan status"


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
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
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


def measure(specs: dict[str, list[list[str]]], cwd: Path, runs: int, warmups: int) -> dict[str, Figure]:
    """Time each named command list, taking turns run by run, so that a change in the machine's load
    falls on every figure alike rather than on whichever ran at that moment."""
    figures = {name: Figure(name) for name in specs}
    for _ in range(warmups):  # warm the page cache and .pyc files: every figure is a warm-disk cold process
        for commands in specs.values():
            run_once(commands, cwd)
    for _ in range(runs):
        for name, commands in specs.items():
            figures[name].runs.append(run_once(commands, cwd))
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


def run_cold(args: argparse.Namespace, tools: dict[str, list[str] | None]) -> dict[str, Figure]:
    print(f"cold start on {SHIPPED_PLANS}:", file=sys.stderr)
    bvplan = tools["bvplan"] or []
    specs = {
        IMPORT_NAME: [[sys.executable, "-c", IMPORTS]],
        HELP: [[*bvplan, "--help"]],
        TYPER_FLOOR_NAME: [[sys.executable, "-c", TYPER_FLOOR, "status", "--as-of", COLD_AS_OF]],
        COLD_STATUS: [[*bvplan, "status", "--as-of", COLD_AS_OF, "--plans", str(SHIPPED_PLANS)]],
        VALIDATE: [[*bvplan, "validate", str(SHIPPED_PLANS)]],
    }
    # Short runs vary most: at least five, after at least one warm-up.
    return measure(specs, REPO, max(args.runs, 5), max(args.warmups, 1))


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


def markdown(cold: dict[str, Figure], sizes: list[SizeResult], args: argparse.Namespace) -> str:
    out = [
        f"Machine: {machine()}. {dt.date.today().isoformat()}.",
        "",
        f"Command: `python bench/run.py {shlex.join(sys.argv[1:])}` "
        f"(median and fastest of {args.runs} runs after {args.warmups} warm-up, each a whole process, commands "
        "taking turns; CPU is user + system time; peak is the process's maximum resident memory).",
        "",
    ]
    if cold:
        imports = cold[IMPORT_NAME]
        out += [
            "**Cold start, shipped `plans/`**",
            "",
            "| command | median s | min s | CPU s | peak MiB | vs the import line |",
            "|---|---:|---:|---:|---:|---|",
        ]
        limits = {HELP: 1.0, COLD_STATUS: 1.3}
        for name, figure in cold.items():
            value = ratio(figure, imports)
            if name == IMPORT_NAME:
                vs = "baseline"
            elif name in limits:
                vs = verdict(value, limits[name])
            else:
                vs = str(value) if value is not None else "n/a"
            out.append(f"| `{name}` | {' | '.join(seconds(figure))} | {vs} |")
        out.append("")
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
    out += targets(cold, sizes)
    return "\n".join(out) + "\n"


def targets(cold: dict[str, Figure], sizes: list[SizeResult]) -> list[str]:
    lines = ["**Targets**", ""]
    if cold:
        imports = cold[IMPORT_NAME]
        lines.append(f"- `bvplan status` ≤ 1.3× the import line: {verdict(ratio(cold[COLD_STATUS], imports), 1.3)}")
        lines.append(f"- `bvplan --help` ≤ 1× the import line: {verdict(ratio(cold[HELP], imports), 1.0)}")
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
    parser.add_argument("--no-cold", action="store_true", help="skip the cold-start figures on plans/")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    bvplan = bvplan_command()
    tools: dict[str, list[str] | None] = {
        "bvplan": bvplan,
        "report": bvplan if has_report(bvplan) else None,
        "check-jsonschema": check_jsonschema_command(),
    }
    if tools["check-jsonschema"] is None:
        print("check-jsonschema is not installed: pip install -e '.[bench]'", file=sys.stderr)
    schemas = export_schemas(bvplan, args.workdir / "schemas")
    cold = {} if args.no_cold else run_cold(args, tools)
    results = [run_size(size, args, tools, schemas) for size in sizes]
    text = markdown(cold, results, args)
    sys.stdout.write(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
