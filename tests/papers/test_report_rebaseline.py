"""The 2024-frame additions to the quarterly paper and to status, on the invented example-2025-26 plan:
the re-baseline profile (only for a plan that asks for it), the tolerance vocabulary, and the
self-assessment's optimism flag in status."""

from __future__ import annotations

import json
from pathlib import Path

from bvplan.format.periods import make_period
from bvplan.papers.rendering import render
from bvplan.papers.report import build_paper
from bvplan.rules.validation import validate
from tests.conftest import RunMain

REPO = Path(__file__).resolve().parent.parent.parent


def paper_of(plan_id: str, year: int, quarter: str, fmt: str) -> str:
    loaded = validate([REPO / "plans" / plan_id])
    [plan] = loaded.workspace.plans
    return render(build_paper(plan, make_period(year, quarter, plan.model.year_start)), fmt)


def test_the_example_paper_has_the_re_baseline_profile() -> None:
    text = paper_of("example-2025-26", 2025, "Q3", "md")

    assert (
        "| Theme | Original date | Revised once | Twice | Three times or more | Mean slip |\n"
        "|---|---:|---:|---:|---:|---:|\n"
        "| Governance | 11 | 0 | 0 | 0 | - |\n"
        "| Finance | 7 | 0 | 1 | 0 | 151 days |\n"
        "| Housing | 4 | 1 | 0 | 0 | 90 days |\n"
        "| **Total** | 22 | 1 | 1 | 0 | 120 days |\n"
    ) in text


def test_the_html_profile_is_an_accessible_table() -> None:
    page = paper_of("example-2025-26", 2025, "Q3", "html")

    assert "<caption>Milestones by the number of agreed revisions of their deadline" in page
    assert '<tr class="total"><th scope="row">Total</th><td class="num">22</td>' in page


def test_a_plan_that_does_not_ask_has_no_profile() -> None:
    assert "Re-baseline profile" not in paper_of("bvip-2018-19", 2018, "Q1", "md")


def test_the_example_paper_speaks_the_plans_tolerance_words() -> None:
    text = paper_of("example-2025-26", 2025, "Q3", "md")

    assert "Off track (31 days late)" in text
    assert "On track" in text
    assert "In Progress" not in text.split("## Appendix", 1)[-1]


def test_status_flags_a_good_rating_while_delivery_slips(run_main: RunMain) -> None:
    args = ["status", "--plan", "example-2025-26", "--as-of", "2025-12-31"]
    table = run_main(*args, cwd=REPO)
    document = json.loads(run_main(*args, "--format", "json", cwd=REPO).stdout)
    early = json.loads(run_main(*args[:3], "--as-of", "2025-09-30", "--format", "json", cwd=REPO).stdout)

    assert table.returncode == 0, table.stderr
    assert "Optimism bias in the self-assessment (Improvement and Recovery Plan 2025-26):\n" in table.stdout
    assert "  R001: rated good while overdue: F2; off target: FIN-OUT1\n" in table.stdout
    [plan] = document["plans"]
    assert plan["optimistic_ratings"] == [{"characteristic": "R001", "why": "overdue: F2; off target: FIN-OUT1"}]
    assert early["plans"][0]["optimistic_ratings"] == []
