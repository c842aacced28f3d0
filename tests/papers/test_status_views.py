"""A board's own RAG rating wins over the computed one from its date, and its reason is shown
wherever the rating is: the status table, its Markdown, the CSV, and the board paper."""

from __future__ import annotations

from tests.conftest import SHIPPED_PLANS, RunCli

REASON = "The study is almost complete"  # PR2.1 in plans/bvip-2018-19/property.yaml, rated on 2018-06-11


def test_status_shows_the_board_rating_and_its_reason(run_cli: RunCli) -> None:
    for output_format in ("table", "markdown"):
        shown = run_cli("status", "--as-of", "2018-06-30", "--theme", "property", "--format", output_format,
                        "--plans", SHIPPED_PLANS)  # fmt: skip
        assert shown.returncode == 0, shown.stderr
        assert "Amber (board)" in shown.stdout
        ratings = shown.stdout.split("Board RAG ratings:", 1)[1]
        assert "PR2.1: rated Amber by Best Value Improvement Board on 2018-06-11" in ratings
        assert REASON in " ".join(ratings.split())


def test_before_its_date_the_computed_rating_stands(run_cli: RunCli) -> None:
    shown = run_cli("status", "--as-of", "2018-06-10", "--theme", "property", "--format", "csv",
                    "--plans", SHIPPED_PLANS)  # fmt: skip
    row = next(line for line in shown.stdout.splitlines() if ",PR2.1," in line)
    assert ",red," in row and REASON not in row
    shown = run_cli("status", "--as-of", "2018-06-11", "--theme", "property", "--format", "csv",
                    "--plans", SHIPPED_PLANS)  # fmt: skip
    row = next(line for line in shown.stdout.splitlines() if ",PR2.1," in line)
    assert ",amber," in row and REASON in row


def test_the_paper_gives_the_board_rating_beside_the_status(run_cli: RunCli) -> None:
    # The Board rated PR2.1 at its meeting of 11 June 2018, after the Q1 paper's position (1 June):
    # the next paper shows the rating.
    paper = run_cli("report", "q2", "--plan", "bvip-2018-19", "--plans", SHIPPED_PLANS)
    assert paper.returncode == 0, paper.stderr
    # Appendix 1's row: the milestone, then its owner (the theme's lead: PR2 names no owner).
    row = next(line for line in paper.stdout.splitlines() if "(PR2.1)<br>Divisional Director, Property" in line)
    assert "Overdue (153 days)<br>Board rating: Amber. " + REASON in row
