"""The exit-readiness paper and the 2024-26 parts of the quarterly paper, on the shipped example plan.

Golden files hold the papers of the invented example-2025-26 plan (BVPLAN_UPDATE_GOLDEN=1 accepts
a deliberate change); Word and PDF are read back with their own libraries.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLANS, RunCli

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
UPDATE_GOLDEN = os.environ.get("BVPLAN_UPDATE_GOLDEN") == "1"
PLAN = ["--plan", "example-2025-26", "--plans", str(SHIPPED_PLANS)]
PAPERS = {
    "example-2025-26-q3": ["report", "2025-26 q3", *PLAN],
    "example-2025-26-exit": ["report", "exit", "--as-of", "2026-01-19", *PLAN],
}


def _paper(run_cli: RunCli, args: list[str], *more: str) -> str:
    result = run_cli(*args, *more)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", sorted(PAPERS))
def test_golden_papers(run_cli: RunCli, name: str, fmt: str) -> None:
    actual = _paper(run_cli, PAPERS[name], "--format", fmt)
    golden = GOLDEN / f"{name}.{fmt}"
    if UPDATE_GOLDEN:
        golden.write_text(actual, encoding="utf-8", newline="\n")
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "now"))
        pytest.fail(f"the paper differs from {golden.name} (BVPLAN_UPDATE_GOLDEN=1 accepts it):\n{diff}")
    assert _paper(run_cli, PAPERS[name], "--format", fmt) == actual  # the same bytes on every run


def test_the_exit_paper_says_what_is_met_outstanding_and_by_when(run_cli: RunCli) -> None:
    paper = _paper(run_cli, PAPERS["example-2025-26-exit"])

    assert paper.startswith("# Improvement and Recovery Plan 2025-26: exit readiness and handover\n")
    assert "It also serves as the handover" in paper and "successor authority" in paper
    assert "1 of 5 Directions and exit criteria is met; 5 of 11 requirements; 1 of 4 accepted recommendations" in paper
    row = next(line for line in paper.splitlines() if "(D1.3)" in line and line.startswith("|"))
    assert "| Overdue |" in row and "Actions: G3" in row and "31 December 2025" in row
    assert "- **Met:** Yes, 15 January 2026 – Met (Blue)" in paper  # exit criterion X2
    assert "| Red / Red |" in paper  # S24-2: the owner's RAG beside bvplan's
    assert "(D2.4) **Exempt**" in paper


def test_the_public_exit_paper_gives_nothing_exempt_away(run_cli: RunCli) -> None:
    paper = _paper(run_cli, PAPERS["example-2025-26-exit"], "--public")

    for hidden in ("D2.4", "commercial investments", "(F4", "Exempt**"):
        assert hidden not in paper
    assert "5 of 10 requirements" in paper  # the count leaves the exempt requirement out too
    assert "- **Requirements met:** 0 of 3, 1 overdue" in paper  # D2 without D2.4
    assert "3 items withheld as exempt (1 action, 1 milestone and 1 requirement)" in paper


def test_the_quarterly_paper_has_the_directions_summary_and_outcomes_apart(run_cli: RunCli) -> None:
    paper = _paper(run_cli, PAPERS["example-2025-26-q3"])

    summary = paper[paper.index("### Directions progress summary") :]
    assert "| Direction | RAG | Requirements met | Requirements overdue | Outcome measures | Commentary |" in summary
    assert "| Restore financial sustainability (D2) | Off track (Red) | 0 of 4 | 1 |" in summary
    finance = paper[paper.index("### 5.3. Finance") if "### 5.3. Finance" in paper else paper.index("Finance\n") :]
    assert finance.index("**Outcome measures as at") < finance.index("**Output measures as at")


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_word_and_pdf_carry_the_exit_paper(run_cli: RunCli, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"exit.{fmt}"
    result = run_cli(*PAPERS["example-2025-26-exit"], "-o", target)
    if result.returncode == 2 and "office" in result.stderr:
        pytest.skip("the office extra is not installed")
    assert result.returncode == 0, result.stderr
    if fmt == "docx":
        docx = pytest.importorskip("docx")
        document = docx.Document(str(target))
        text = "\n".join(p.text for p in document.paragraphs)
        cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    else:
        pypdf = pytest.importorskip("pypdf")
        text = "\n".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
        cells = text
    assert "Readiness to exit intervention" in text
    assert "Directions and exit criteria" in text
    assert "D1.3" in cells
