"""The hostile-input corpus: every bad file or argument gets its exact diagnostics and exit code, never a traceback.

Each case is a folder under tests/hostile/: `case.json` (what to run and what must come out) and
`tree/`, files laid over a copy of `_base/` (one small valid plan, `plans/hp`). Runs happen in a
temporary copy, in a real process, under a memory limit and a timeout, so a resource bomb fails the
test instead of the machine. Some inputs are made at test time rather than committed: files too big
for git, symlinks, permissions, and bytes that editors and pre-commit hooks would "fix" (BOM, CRLF,
Latin-1, NUL); `setup` and `transform` in case.json name them.

case.json keys:
  about             what the case is
  args              the bvplan command line, run in the case's folder
  exit              the exit code, exactly
  diagnostics       every error and warning printed, as "path:line:col CODE" (or "path CODE"), in order
  stderr_contains   for usage errors: a line the user sees on stderr
  output_contains / output_excludes   text that must / must not appear on stdout
  setup             a generated input (see SETUPS)
  links             {path: target}: symbolic links to make (git cannot be trusted to keep them)
  transform         per file: {"crlf": true, "bom": true, "encoding": "latin-1",
                    "replace": [[marker, text]], "replace_bytes": [[marker, hex]]}
  bounded           a resource bomb (documentation: every case runs under the same limits)
  file_contains / file_excludes   {file: [text]} for what the run wrote
  unchanged         files whose bytes the run must leave exactly as they were
  absent_files      files the run must not create
  needs_command     a command that must exist for the case to run (xfail until it does)
  stderr_excludes   text that must not appear on stderr
  still_special     paths that must still be what they were, not a regular file (a pipe, a device link)
  bytes_exclude     {file: [hex]}: byte sequences the file must not hold after the run (line endings)
  csv_cells         {file or "-" for stdout: [text]}: read back with the csv module, no cell would start a
                    formula in a spreadsheet (see papers/cells.py), and each text is a cell exactly
  xlsx_cells        {file: [text]}: read back with openpyxl, no cell is a formula, and each text is the
                    value of a string cell exactly

Arguments that are not valid UTF-8 are written in case.json as lone surrogates ("\\udcff"), as
Python itself holds such bytes; they reach bvplan as the raw byte (0xff).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).parent.parent / "hostile"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "case.json").is_file())
MEMORY_LIMIT = 1 << 30  # RLIMIT_AS for every run: a bomb must be refused well inside 1 GiB
TIMEOUT_SECONDS = 120  # generous for slow CI; a bomb that expands would take hours, not this
DIAGNOSTIC = re.compile(r"^(?P<where>\S.*?): (?:error|warning)\[(?P<code>BV\d{3})\]: ", re.MULTILINE)
DEEP = 100_000
BIG_FILE_BYTES = 50 * 1024 * 1024


def _deep_flow(tree: Path) -> None:
    (tree / "plans/hp/grants.yaml").write_text("theme: " + "[" * DEEP + "]" * DEEP + "\n")


def _deep_block(tree: Path) -> None:
    (tree / "plans/hp/grants.yaml").write_text("actions:\n" + "- " * DEEP + "x\n")


def _big_file(tree: Path) -> None:
    line = b"# " + b"padding " * 12 + b"\n"
    with (tree / "plans/hp/big.yaml").open("wb") as out:
        out.write(b"theme: Big\nactions: []\n")
        written = 0
        while written < BIG_FILE_BYTES:
            out.write(line * 1000)
            written += len(line) * 1000


def _symlink_loop_files(tree: Path) -> None:
    (tree / "plans/hp/a.yaml").symlink_to("b.yaml")
    (tree / "plans/hp/b.yaml").symlink_to("a.yaml")


def _symlink_loop_folder(tree: Path) -> None:
    (tree / "plans/loop").symlink_to("loop")


def _skip_as_root() -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root, where chmod 000 does not deny reading (as in CI containers)")


def _unreadable_file(tree: Path) -> None:
    _skip_as_root()
    (tree / "plans/hp/grants.yaml").chmod(0)


def _unreadable_folder(tree: Path) -> None:
    _skip_as_root()
    (tree / "plans/hp").chmod(0)


def _read_only_folder(tree: Path) -> None:
    _skip_as_root()
    (tree / "locked").mkdir()
    (tree / "locked").chmod(0o555)


def _fifo_paper(tree: Path) -> None:
    os.mkfifo(tree / "paper.md")


def _paper_links_to_device(tree: Path) -> None:
    (tree / "paper.md").symlink_to("/dev/null")


def _paper_links_to_plan(tree: Path) -> None:
    (tree / "paper.md").symlink_to("plans/hp/grants.yaml")


def _secret_outside(tree: Path) -> None:
    (tree / "secret.txt").write_text("THE-SECRET-OUTSIDE\n", encoding="utf-8")
    (tree / "house").mkdir(exist_ok=True)


def _template_links_out(tree: Path) -> None:
    _secret_outside(tree)
    (tree / "house/leak.j2").symlink_to("../secret.txt")


def _template_folder_links_out(tree: Path) -> None:
    _secret_outside(tree)
    (tree / "house/outside").symlink_to("..")


def _template_is_a_fifo(tree: Path) -> None:
    (tree / "house").mkdir(exist_ok=True)
    os.mkfifo(tree / "house/report.md.j2")


def _carry_journal_left(tree: Path) -> None:
    """What a carry killed while committing leaves: a journal, a temporary file, a plan file listing a
    theme whose file was never put in place (the test for the rerun is in tests/e2e/test_reliability.py)."""
    folder = tree / "plans/hp2"
    temp = folder / ".grants.yaml.x.bvplan-tmp"
    temp.write_bytes((folder / "grants.yaml").read_bytes())
    target = folder / "plan.yaml"
    after = target.read_bytes()
    record = {
        "entries": [
            {
                "target": str(target.resolve()),
                "temp": None,
                "backup": None,
                "before": None,
                "after": hashlib.sha256(after).hexdigest(),
            },
            {
                "target": str((folder / "grants.yaml").resolve()),
                "temp": str(temp.resolve()),
                "backup": None,
                "before": None,
                "after": hashlib.sha256(temp.read_bytes()).hexdigest(),
            },
        ],
        "created_folders": [str(folder.resolve())],
    }
    (folder / "grants.yaml").unlink()
    (tree / "plans/.bvplan-carry-journal.json").write_text(json.dumps(record), encoding="utf-8")


def _fifo_theme(tree: Path) -> None:
    os.mkfifo(tree / "plans/hp/pipe.yaml")


def _fifo_plan_file(tree: Path) -> None:
    (tree / "plans/hp/plan.yaml").unlink()
    os.mkfifo(tree / "plans/hp/plan.yaml")


def _dev_zero_theme(tree: Path) -> None:
    (tree / "plans/hp/zero.yaml").symlink_to("/dev/zero")


def _device_theme(tree: Path) -> None:
    (tree / "plans/hp/null.yaml").symlink_to("/dev/null")


def _empty_plans_folder(tree: Path) -> None:
    (tree / "fresh").mkdir()


def _hostile_tracker_xlsx(tree: Path) -> None:
    """A tracker workbook as the review wrote it: a formula title, an Excel serial (43281, a number
    not formatted as a date), a day that does not exist, and serial 60 (29/02/1900)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Theme", "Milestone", "Due", "Owner"])
    sheet.append(["Grants", "Report to CMT", "30/06/2018", "Head of Grants"])
    sheet.append(["Grants", '=HYPERLINK("http://x","click")', "30/06/2018", "Head of Grants"])
    sheet.append(["Grants", "Serial date", 43281, "Head of Grants"])
    sheet.append(["Grants", "No such day", "29/02/2019", "Head of Grants"])
    sheet.append(["Grants", "Serial sixty", 60, "Head of Grants"])
    sheet.append(["Grants", "Revised", "31/05/2018", "Head of Grants"])
    book.save(tree / "tracker.xlsx")


SETUPS: dict[str, Callable[[Path], None]] = {
    "empty-plans-folder": _empty_plans_folder,
    "hostile-tracker-xlsx": _hostile_tracker_xlsx,
    "fifo-paper": _fifo_paper,
    "paper-links-to-device": _paper_links_to_device,
    "paper-links-to-plan": _paper_links_to_plan,
    "template-links-out": _template_links_out,
    "template-folder-links-out": _template_folder_links_out,
    "template-is-a-fifo": _template_is_a_fifo,
    "carry-journal-left": _carry_journal_left,
    "fifo-theme": _fifo_theme,
    "fifo-plan-file": _fifo_plan_file,
    "dev-zero-theme": _dev_zero_theme,
    "device-theme": _device_theme,
    "deep-flow": _deep_flow,
    "deep-block": _deep_block,
    "big-file": _big_file,
    "symlink-loop-files": _symlink_loop_files,
    "symlink-loop-folder": _symlink_loop_folder,
    "unreadable-file": _unreadable_file,
    "unreadable-folder": _unreadable_folder,
    "read-only-folder": _read_only_folder,
}


def _transform(path: Path, how: dict[str, Any]) -> None:
    text = path.read_text(encoding="utf-8")
    for marker, replacement in how.get("replace", []):
        text = text.replace(marker, replacement)
    if how.get("crlf"):
        text = text.replace("\n", "\r\n")
    if how.get("cr"):
        text = text.replace("\n", "\r")
    raw = text.encode(how.get("encoding", "utf-8"))
    for marker, hex_bytes in how.get("replace_bytes", []):
        raw = raw.replace(marker.encode(), bytes.fromhex(hex_bytes))
    if how.get("bom"):
        raw = b"\xef\xbb\xbf" + raw
    path.write_bytes(raw)


def build_tree(name: str, spec: dict[str, Any], into: Path) -> Path:
    shutil.copytree(CORPUS / "_base", into)
    overlay = CORPUS / name / "tree"
    if overlay.is_dir():
        shutil.copytree(overlay, into, dirs_exist_ok=True)
    for relative, how in spec.get("transform", {}).items():
        _transform(into / relative, how)
    for relative, target in spec.get("links", {}).items():
        (into / relative).parent.mkdir(parents=True, exist_ok=True)
        (into / relative).symlink_to(target)
    if "setup" in spec:
        SETUPS[spec["setup"]](into)
    return into


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m bvplan ARGS` as the run_cli fixture runs it, plus a memory limit and a timeout."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "bvplan", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=_limit_memory,
    )


def diagnostics_in(output: str) -> list[str]:
    found = []
    for match in DIAGNOSTIC.finditer(output):
        found.append(f"{match['where']} {match['code']}")
    return found


def command_exists(name: str) -> bool:
    probe = subprocess.run(
        [sys.executable, "-m", "bvplan", name, "--help"], capture_output=True, text=True, timeout=TIMEOUT_SECONDS
    )
    return probe.returncode == 0


@pytest.mark.parametrize("name", CASES)
def test_hostile_case(name: str, tmp_path: Path) -> None:
    spec = json.loads((CORPUS / name / "case.json").read_text(encoding="utf-8"))
    needed = spec.get("needs_command")
    if needed and not command_exists(needed):
        pytest.xfail(f"'bvplan {needed}' does not exist yet")
    work = build_tree(name, spec, tmp_path / "case")
    before = {relative: (work / relative).read_bytes() for relative in spec.get("unchanged", [])}
    try:
        result = run_bounded(spec["args"], work)
    finally:
        # Let pytest delete what was locked.
        for path in (work / "plans/hp", work / "plans/hp/grants.yaml", work / "locked"):
            if path.exists() and not path.is_symlink():
                path.chmod(0o755)

    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == spec["exit"], output
    assert diagnostics_in(output) == spec["diagnostics"], output
    if "stderr_contains" in spec:
        assert spec["stderr_contains"] in result.stderr, result.stderr
    for text in spec.get("stderr_excludes", []):
        assert text not in result.stderr, result.stderr
    for relative in spec.get("still_special", []):
        assert os.path.lexists(work / relative) and not (work / relative).is_file(), relative
    for relative, hexes in spec.get("bytes_exclude", {}).items():
        for hex_bytes in hexes:
            assert bytes.fromhex(hex_bytes) not in (work / relative).read_bytes(), (relative, hex_bytes)
    for text in spec.get("output_contains", []):
        assert text in result.stdout, result.stdout
    for text in spec.get("output_excludes", []):
        assert text not in result.stdout, result.stdout
    for relative, texts in spec.get("file_contains", {}).items():
        written = (work / relative).read_text(encoding="utf-8")
        for text in texts:
            assert text in written, f"{text!r} not in {relative}"
    for relative, texts in spec.get("file_excludes", {}).items():
        written = (work / relative).read_text(encoding="utf-8")
        for text in texts:
            assert text not in written, f"{text!r} in {relative}"
    for relative, texts in spec.get("csv_cells", {}).items():
        _check_csv_cells(result.stdout if relative == "-" else (work / relative).read_text(encoding="utf-8"), texts)
    for relative, texts in spec.get("xlsx_cells", {}).items():
        _check_xlsx_cells(work / relative, texts)
    for relative, content in before.items():
        assert (work / relative).read_bytes() == content, f"{relative} was changed"
    for relative in spec.get("absent_files", []):
        assert not (work / relative).exists()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_csv_cells(text: str, expected: list[str]) -> None:
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for cell in cells:
        assert not cell.startswith(FORMULA_STARTS) or _is_number(cell), f"{cell!r} would be a formula"
    for wanted in expected:
        assert wanted in cells, f"{wanted!r} not a cell of {cells}"


def _check_xlsx_cells(path: Path, expected: list[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path)
    strings = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.data_type == "s":
                    strings.append(cell.value)
    for wanted in expected:
        assert wanted in strings, f"{wanted!r} not a text cell of {path.name}"


def test_corpus_is_large_and_covers_every_input_error_code() -> None:
    """The corpus keeps its size, and every error that a hostile file can cause is exercised."""
    assert len(CASES) >= 40
    seen: set[str] = set()
    for name in CASES:
        spec = json.loads((CORPUS / name / "case.json").read_text(encoding="utf-8"))
        seen.update(entry.split()[-1] for entry in spec["diagnostics"])
    assert {"BV100", "BV101", "BV102", "BV103", "BV104", "BV105", "BV106", "BV200", "BV201", "BV202"} <= seen
    assert {"BV203", "BV204", "BV205", "BV301", "BV306", "BV307", "BV311", "BV314"} <= seen


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    return {
        str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mode, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_reading_commands_never_write_plan_files(plans_copy: Path, tmp_path: Path) -> None:
    """validate, status and report leave every byte, mode and timestamp under plans/ as it was."""
    before = _snapshot(plans_copy)
    runs = [
        ["validate", str(plans_copy)],
        ["validate", "--format", "json", str(plans_copy)],
        ["status", "--plans", str(plans_copy), "--as-of", "2018-06-30", "--format", "json"],
        ["report", "2018-19 q1", "--plans", str(plans_copy)],
        ["report", "2018-19 q1", "--plans", str(plans_copy), "--public", "-o", str(tmp_path / "paper.html")],
    ]
    for args in runs:
        result = run_bounded(args, tmp_path)
        assert result.returncode == 0, (args, result.stdout + result.stderr)
    assert _snapshot(plans_copy) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.html", "plans"]
