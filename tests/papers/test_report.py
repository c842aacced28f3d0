"""`bvplan report`: the board paper's content, its templates, and the command.

Fixture plans written here exercise every section; the shipped plans are checked against golden
files (`python -m pytest tests/papers/test_report.py::test_golden_papers --regen-goldens` rewrites them) and against `bvplan status --format json`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from bvplan.format.loader import load
from bvplan.format.periods import make_period
from bvplan.papers.charts import Bar, status_chart
from bvplan.papers.rendering import TemplateProblem, render
from bvplan.papers.report import Options, Paper, build_paper
from bvplan.rules.selection import select
from tests.conftest import RunMain

SHIPPED_PLANS = Path(__file__).resolve().parent.parent.parent / "plans"
GOLDEN = Path(__file__).parent.parent / "golden"
REGENERATE = "python -m pytest tests/papers/test_report.py::test_golden_papers --regen-goldens"

# The two papers the seeds hold: Q1 2018-19 (seed 000) and the six-monthly update to the Best Value
# Programme Board of 26 January 2016 (seed 003), which asked the board to agree dates proposed that day.
SHIPPED_PAPERS = {
    "bvip-2018-19-q1": ("q1", "bvip-2018-19"),
    "bvap-2015-16-2016-01-26": ("2016-01-26", "bvap-2015-16"),
    # The year-end paper of the 2017-18 plan (seed 002) and the cabinet paper of September 2016 (seed
    # 001): the plan's meeting for 2016-17 H1 goes to the Mayor in Cabinet, so its paper is `cabinet`.
    "bvip-2017-18-year-end": ("year", "bvip-2017-18"),
    "bvap-2015-16-cabinet-2016-09": ("2016-17 h1", "bvap-2015-16"),
}

OLD_PLAN = """\
id: old-2017-18
title: Old Improvement Plan 2017-18
authority: Borough of Testing
board: Improvement Board
start: 2017-04-01
end: 2018-03-31
cadence: quarterly
"""
OLD_THEME = """\
theme: Alpha
actions:
  - id: A1
    title: Carried action
    milestones:
      - id: M1
        title: Old milestone
        due: 2018-03-31
"""
PLAN = """\
id: demo-2018-19
title: {title}
authority: Borough of Testing
board: Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
carried_from: old-2017-18
author: Policy Officer
themes: [alpha, beta, gamma]
meetings:
  - period: 2018-19 Q1
    date: 2018-07-19
    item: "5"
    title: Demo Q1 update
"""
ALPHA = """\
theme: {theme}
lead: Head of Alpha
actions:
  - id: A1
    title: Deliver the alpha programme
    carried_from: old-2017-18/A1
    owner: Alpha Officer
    milestones:
      - id: A1.1
        title: Finish the first phase
        carried_from: old-2017-18/M1
        due: 2018-05-31
        completed: 2018-05-20
      - id: A1.2
        title: {milestone}
        due: 2018-06-15
        notes:
          - on: 2018-06-20
            text: Delayed by the supplier
      - id: A1.3
        title: Consult residents
        due: 2018-06-30
        revisions:
          - to: 2018-09-30
            reason: Consultation needs the summer
            proposed: 2018-06-10
      - id: A1.4
        title: Agree the scheme
        due: 2018-05-31
        revisions:
          - to: 2018-08-31
            reason: The scheme waits for the elections
            proposed: 2018-04-20
            agreed: 2018-05-15
            by: Improvement Board
      - id: A1.5
        title: Drop the old scheme
        due: 2018-09-30
        cancelled:
          on: 2018-05-01
          reason: Superseded by the new scheme
  - id: A2
    title: Secret negotiations
    exempt: true
    milestones:
      - id: A2.1
        title: Conclude secret negotiations
        due: 2018-12-31
updates:
  2018-19 Q1:
    summary: Alpha made good progress this quarter.
    achievements: [First phase finished early]
    outcomes: [943 residents surveyed]
    continuing: [Consultation with residents]
"""
BETA = """\
theme: Beta
actions:
  - id: B1
    title: Deliver the beta programme
    milestones:
      - id: B1.1
        title: Start the beta pilot
        start: 2018-08-01
        due: 2018-09-30
      - id: B1.2
        title: Withheld beta milestone
        exempt: true
        due: 2018-06-30
      - id: B1.3
        title: Publish the beta report
        due: 2018-12-31
        notes:
          - on: 2018-06-01
            text: Public progress note
          - on: 2018-06-15
            text: Confidential legal advice
            exempt: true
updates:
  2018-19 Q1:
    summary: Beta exempt summary
    exempt: true
"""
GAMMA = """\
theme: Gamma
exempt: true
actions:
  - id: G1
    title: Gamma action
    milestones:
      - id: G1.1
        title: Gamma milestone
        due: 2018-06-30
"""


def write_plans(
    root: Path,
    title: str = "Demo Improvement Plan",
    theme: str = "Alpha",
    milestone: str = "Open the hub",
) -> Path:
    """Two plans (an old one and the demo plan carrying forward from it) under root/plans."""
    plans = root / "plans"
    files = {
        "old-2017-18/plan.yaml": OLD_PLAN,
        "old-2017-18/alpha.yaml": OLD_THEME,
        "demo-2018-19/plan.yaml": PLAN.format(title=json.dumps(title)),
        "demo-2018-19/alpha.yaml": ALPHA.format(theme=json.dumps(theme), milestone=json.dumps(milestone)),
        "demo-2018-19/beta.yaml": BETA,
        "demo-2018-19/gamma.yaml": GAMMA,
    }
    for name, text in files.items():
        path = plans / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return plans


def paper_of(plans: Path, period: str = "q1", plan_id: str = "demo-2018-19", **options: object) -> Paper:
    loaded = load([plans])
    assert not loaded.report.errors, [d.message for d in loaded.report.errors]
    selection = select(loaded.workspace, period, plan_id, dt.date(2000, 1, 1))
    titles = {p.id: p.model.title for p in loaded.workspace.plans}
    return build_paper(selection.plans[0], selection.period, Options(**options), plan_titles=titles)  # type: ignore[arg-type]


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    return write_plans(tmp_path)


def section(text: str, start: str, end: str | None = None) -> str:
    """The part of `text` from the line starting with `start` up to the next line starting with `end`."""
    begin = text.index(start)
    if end is None:
        return text[begin:]
    stop = text.find(end, begin + len(start))
    return text[begin:] if stop < 0 else text[begin:stop]


# ---- the paper's content -------------------------------------------------------------------------


def test_cover_comes_from_the_meeting_entry_and_flags_override_it(plans: Path) -> None:
    cover = paper_of(plans).cover
    assert (cover.paper_title, cover.meeting_date, cover.item, cover.author) == (
        "Demo Q1 update",
        dt.date(2018, 7, 19),
        "5",
        "Policy Officer",
    )
    cover = paper_of(plans, meeting_date=dt.date(2018, 7, 26), item="7b", author="Jo Bloggs").cover
    assert (cover.meeting_date, cover.item, cover.author) == (dt.date(2018, 7, 26), "7b", "Jo Bloggs")


def test_a_period_without_a_meeting_gets_a_default_title_and_no_date(plans: Path) -> None:
    cover = paper_of(plans, "q2").cover
    assert cover.paper_title == "Demo Improvement Plan: Q2 2018-19 update"
    assert cover.meeting_date is None and cover.item is None


def test_introduction_counts_live_items_and_what_was_carried_forward(plans: Path) -> None:
    intro = paper_of(plans).introduction
    assert intro.themes == ("Alpha", "Beta", "Gamma")
    # A1, A2, B1, G1; none cancelled, none fully completed.
    assert (intro.actions, intro.open_actions) == (4, 4)
    # Nine milestones, less the cancelled A1.5.
    assert (intro.milestones, intro.completed) == (9, 1)
    [carried] = intro.carried
    assert (carried.plan_id, carried.plan_title, carried.actions, carried.milestones) == (
        "old-2017-18",
        "Old Improvement Plan 2017-18",
        1,
        1,
    )


def test_statuses_and_criteria_on_the_reporting_date(plans: Path) -> None:
    paper = paper_of(plans)
    alpha = paper.summary[0]
    # A1.1 completed; A1.3 (pending revision) and A1.4 (agreed to Aug) in progress; A1.2 overdue; A2.1 in progress.
    assert (alpha.completed, alpha.in_progress, alpha.overdue, alpha.total, alpha.cancelled) == (1, 3, 1, 5, 1)
    assert alpha.percent_delivered == "20%"
    assert paper.show_not_started  # B1.1 starts in August
    assert [c.status for c in paper.criteria] == ["Completed", "In Progress", "Overdue", "Not Started", "Cancelled"]
    assert paper.criteria[2].wording == "where the key milestone has not been completed by the deadline date"


def test_progress_lists_the_update_and_the_milestones_completed_and_overdue(plans: Path) -> None:
    alpha = paper_of(plans).progress[0]
    assert alpha.summary == "Alpha made good progress this quarter."
    assert (alpha.achievements, alpha.outcomes, alpha.continuing) == (
        ("First phase finished early",),
        ("943 residents surveyed",),
        ("Consultation with residents",),
    )
    assert [m.id for m in alpha.completed_in_period] == ["A1.1"]
    assert [m.id for m in alpha.overdue] == ["A1.2"]
    assert [m.id for m in paper_of(plans, "q2").progress[0].completed_in_period] == []


def test_revisions_proposed_and_agreed_within_the_period(plans: Path) -> None:
    paper = paper_of(plans)
    [proposed] = paper.proposed_revisions
    [row] = proposed.revisions
    assert (proposed.theme, row.milestone_id, row.current_date, row.proposed_date) == (
        "Alpha",
        "A1.3",
        dt.date(2018, 6, 30),
        dt.date(2018, 9, 30),
    )
    assert row.commentary == "Consultation needs the summer" and row.agreed_on is None
    [agreed] = paper.agreed_revisions
    [row] = agreed.revisions
    # Current Date of an agreed revision: the deadline in force just before it was agreed.
    assert (row.milestone_id, row.current_date, row.proposed_date, row.agreed_on, row.agreed_by) == (
        "A1.4",
        dt.date(2018, 5, 31),
        dt.date(2018, 8, 31),
        dt.date(2018, 5, 15),
        "Improvement Board",
    )
    assert paper.recommendations[0].endswith("and revised milestone deadlines attached as Appendix 1")
    # A revision proposed in Q1 is old news in Q2, and the board is not asked again.
    q2 = paper_of(plans, "q2")
    assert q2.proposed_revisions == () and q2.agreed_revisions == ()
    assert len(q2.recommendations) == 1


def test_appendix_shows_deadline_in_force_original_and_latest_note(plans: Path) -> None:
    appendix = paper_of(plans).appendix
    lines = {m.id: m for theme in appendix for action in theme.actions for m in action.milestones}
    assert lines["A1.4"].deadline == dt.date(2018, 8, 31) and lines["A1.4"].original_due == dt.date(2018, 5, 31)
    assert lines["A1.3"].original_due is None and lines["A1.3"].proposed_deadline == dt.date(2018, 9, 30)
    assert lines["A1.2"].note == "Delayed by the supplier"
    assert lines["A1.2"].status_detail == "Overdue (15 days)"
    assert "A1.5" not in lines
    assert [m.id for m in appendix[0].cancelled] == ["A1.5"]


# ---- public papers -------------------------------------------------------------------------------

EXEMPT_TEXTS = (
    "Secret negotiations",
    "Conclude secret negotiations",
    "Withheld beta milestone",
    "Confidential legal advice",
    "Beta exempt summary",
    "Gamma",
    "G1.1",
    "A2.1",
    "B1.2",
)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_public_paper_leaves_out_every_exempt_item_and_says_how_many(plans: Path, fmt: str) -> None:
    full = render(paper_of(plans), fmt)
    public = render(paper_of(plans, public=True), fmt)
    for text in EXEMPT_TEXTS:
        assert text in full, text
        assert text not in public, text
    assert "Public progress note" in public  # the latest note left once the exempt one is out
    assert "withheld as exempt" in public and "withheld as exempt" not in full
    # 1 theme, 2 actions (A2, G1), 3 milestones (A2.1, B1.2, G1.1), 1 note and 1 progress summary.
    assert "8 items withheld as exempt (1 theme, 2 actions, 3 milestones, 1 note and 1 progress summary)" in public


def test_public_counts_leave_exempt_milestones_out(plans: Path) -> None:
    paper = paper_of(plans, public=True)
    assert [row.theme for row in paper.summary] == ["Alpha", "Beta"]
    assert paper.total.total == 6  # 9 counted, less A2.1, B1.2, G1.1
    assert paper.introduction.actions == 2


# ---- rendering -----------------------------------------------------------------------------------


def test_markdown_summary_table_and_sections(plans: Path) -> None:
    text = render(paper_of(plans), "md")
    assert text.startswith("# Demo Q1 update\n")
    assert "| Alpha | 1 | 3 | 1 | 0 | 5 | 20% |" in text
    assert "| **Total** | 1 | 6 | 1 | 1 | 9 | 11% |" in text
    assert "| Deliver the alpha programme: Consult residents (A1.3) | 30 Jun 2018 | 30 Sep 2018 |" in text
    assert "Changes since the last meeting" not in text


def test_markdown_neutralises_markup_in_plan_text(tmp_path: Path) -> None:
    plans = write_plans(tmp_path, title="Plan *bold* | pipe <b>x</b>", milestone="Fix <script>alert(1)</script> | now")
    text = render(paper_of(plans), "md")
    assert r"Plan \*bold\* \| pipe \<b\>x\</b\>" in text
    assert r"Fix \<script\>alert(1)\</script\> \| now" in text
    assert "<script>" not in text and "*bold*" not in text


def test_html_escapes_plan_text(tmp_path: Path) -> None:
    plans = write_plans(tmp_path, title="<script>alert('t')</script> & Co", theme="<img src=x onerror=alert(1)>")
    html = render(paper_of(plans), "html")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; Co" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_html_is_self_contained_and_accessible(plans: Path) -> None:
    html = render(paper_of(plans), "html")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en-GB">')
    for banned in ("http:", "https:", "//", "<script", "<link", "@import", " src=", "<iframe"):
        assert banned not in html.replace("<!--", ""), banned
    assert re.findall(r"url\(([^)]*)\)", html) and all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", html))
    assert "@page" in html and "size: A4" in html
    assert 'role="img"' in html and "aria-label=" in html and "<desc" in html
    assert html.count("<table") == html.count("<caption>")
    assert 'scope="col"' in html and 'scope="row"' in html
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_output_is_deterministic_and_ends_in_one_newline(plans: Path, fmt: str) -> None:
    first = render(paper_of(plans), fmt)
    second = render(paper_of(plans), fmt)
    assert first == second
    assert first.endswith("\n") and not first.endswith("\n\n")
    assert "\n\n\n" not in first


def test_changes_section_only_when_given_and_without_exempt_items(plans: Path) -> None:
    @dataclass
    class Item:
        kind: str
        plan: str
        theme: str
        item_id: str
        title: str
        detail: str

    changes = [
        Item("revised", "demo-2018-19", "Alpha", "A1.3", "Consult residents", "deadline 30 Jun 2018 -> 30 Sep 2018"),
        Item("added", "demo-2018-19", "Alpha", "A2.1", "Conclude secret negotiations", "new milestone"),
    ]
    loaded = load([plans])
    plan = loaded.workspace.plan("demo-2018-19")
    assert plan is not None
    period = make_period(2018, "Q1")
    text = render(build_paper(plan, period, changes=changes), "md")
    assert "## 7. Changes since the last meeting" in text
    assert "| Revised | Alpha | Consult residents (A1.3) | deadline 30 Jun 2018 -\\> 30 Sep 2018 |" in text
    public = render(build_paper(plan, period, Options(public=True), changes=changes), "html")
    assert "Changes since the last meeting" in public and "secret" not in public
    empty = render(build_paper(plan, period, changes=[]), "md")
    assert "No changes were recorded since the last meeting." in empty


def test_chart_reads_without_colour() -> None:
    svg = status_chart([Bar("A <&> B", 3, 2, 1), Bar("Beta", 0, 0, 0)], "Status <1>")
    assert svg.startswith("<svg ") and 'role="img"' in svg and 'aria-label="Status &lt;1&gt;"' in svg
    assert "<title>Status &lt;1&gt;</title>" in svg
    assert "A &lt;&amp;&gt; B: 3 completed, 2 in progress, 1 overdue, of 6 milestones." in svg
    assert "Beta: 0 completed, 0 in progress, 0 overdue, of 0 milestones." in svg
    assert "url(#bv-in-progress)" in svg and "url(#bv-overdue)" in svg  # patterns, not just hues
    assert ">3</text>" in svg and ">6 (50%)</text>" in svg
    assert "There are no milestones to show." in status_chart([], "Empty")


# ---- templates -----------------------------------------------------------------------------------


def test_a_user_template_replaces_one_file_only(plans: Path, tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "report.md.j2").write_text(
        '# {{ paper.cover.plan_title | md }} for {{ paper.cover.board | md }}\n{% include "builtin/report.md.j2" %}\n',
        encoding="utf-8",
    )
    paper = paper_of(plans)
    text = render(paper, "md", house)
    assert text.startswith("# Demo Improvement Plan for Improvement Board\n# Demo Q1 update\n")
    assert render(paper, "html", house) == render(paper, "html")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("ok\n{{ ''.__class__.__mro__ }}\n", "report.md.j2, line 2: refused by the sandbox"),
        ("{{ paper.__init__.__globals__ }}\n", "report.md.j2, line 1: refused by the sandbox"),
        ("{% for %}\n", "report.md.j2, line 1: TemplateSyntaxError"),
        ("\n\n{{ paper.no_such_thing }}\n", "report.md.j2, line 3: UndefinedError"),
        ('{% include "_missing.j2" %}\n', "no template named '_missing.j2'"),
    ],
)
def test_a_bad_template_is_a_clean_message(plans: Path, tmp_path: Path, source: str, expected: str) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "report.md.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render(paper_of(plans), "md", house)
    assert expected in str(caught.value)


# ---- the command ---------------------------------------------------------------------------------


def test_cli_writes_markdown_to_stdout(run_main: RunMain, plans: Path) -> None:
    result = run_main("report", "q1", "--plan", "demo-2018-19", "--plans", plans)
    assert result.returncode == 0, result.stderr
    assert result.stdout == render(paper_of(plans), "md")


def test_cli_period_may_be_typed_as_two_words(run_main: RunMain, plans: Path) -> None:
    result = run_main("report", "2018-19", "q1", "--plan", "demo-2018-19", "--plans", plans)
    assert result.returncode == 0, result.stderr
    assert result.stdout == render(paper_of(plans), "md")


def test_cli_format_all_writes_both_files(run_main: RunMain, plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run_main("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--format", "all", "-o", out / "q1")
    assert result.returncode == 0, result.stderr
    assert (out / "q1.md").read_text(encoding="utf-8") == render(paper_of(plans), "md")
    assert (out / "q1.html").read_text(encoding="utf-8") == render(paper_of(plans), "html")
    assert sorted(p.name for p in out.iterdir()) == ["q1.html", "q1.md"]  # no temporary left behind
    result = run_main("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "-o", out / "paper.html")
    assert result.returncode == 0 and (out / "paper.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_flags_override_the_cover(run_main: RunMain, plans: Path) -> None:
    result = run_main(
        "report", "q1", "--plan", "demo-2018-19", "--plans", plans,
        "--meeting-date", "2018-07-26", "--item", "9", "--author", "Jo Bloggs", "--as-of", "2018-06-20",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for line in ("**Meeting date:** 26 July 2018", "**Item number:** 9", "**Author:** Jo Bloggs"):
        assert line in result.stdout
    assert "**Position as at:** 20 June 2018 (2018-19 Q1)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}"], "is a folder"),
        (["-o", "{tmp}/missing/paper.md"], "does not exist"),
        (["-o", "{tmp}/paper.txt"], "cannot tell the format"),
        (["--format", "md", "-o", "{tmp}/plan.yaml"], "that name is for plan files"),
        (["--format", "all"], "give -o PATH"),
        (["--templates", "{tmp}/nowhere"], "is not a folder"),
        (["--as-of", "2018-08-01"], "outside 2018-19 Q1"),
        (["--meeting-date", "26/07/2018"], "is not a date"),
        (["--plan", "nope"], "no plan 'nope'"),
    ],
)
def test_cli_usage_errors_exit_2_without_traceback(
    run_main: RunMain, plans: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    argv = ["report", "q1", "--plans", str(plans)]
    if "--plan" not in args:
        argv += ["--plan", "demo-2018-19"]
    result = run_main(*argv, *(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "plan.yaml").exists()


def test_cli_bad_period_and_hostile_template_exit_2(run_main: RunMain, plans: Path, tmp_path: Path) -> None:
    result = run_main("report", "q5", "--plan", "demo-2018-19", "--plans", plans)
    assert result.returncode == 2 and "is not a period" in result.stderr
    house = tmp_path / "house"
    house.mkdir()
    (house / "report.html.j2").write_text("{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    result = run_main("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--templates", house, "-o",
                     tmp_path / "p.html")  # fmt: skip
    assert result.returncode == 2
    assert "report.html.j2, line 1: refused by the sandbox" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "p.html").exists()


@pytest.mark.parametrize("expression", ["'x' * 10**10", "[0] * 10**9", "2 ** 100000000"])
def test_a_template_cannot_exhaust_memory(run_main: RunMain, plans: Path, tmp_path: Path, expression: str) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "report.md.j2").write_text("{{ " + expression + " }}\n", encoding="utf-8")
    result = run_main("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--templates", house)
    assert result.returncode == 2, result.stderr
    assert "report.md.j2, line 1: refused by the sandbox" in result.stderr
    assert "too large" in result.stderr and result.stdout == ""


def test_cli_asks_for_a_plan_when_several_are_live(run_main: RunMain, plans: Path) -> None:
    twin = plans / "twin-2018-19"
    twin.mkdir()
    (twin / "plan.yaml").write_text(
        PLAN.format(title="Twin").replace("demo-2018-19", "twin-2018-19").replace("alpha, beta, gamma", "beta"), "utf-8"
    )
    (twin / "beta.yaml").write_text(BETA.replace("B1", "T1"), "utf-8")
    result = run_main("report", "2018-19 q1", "--plans", plans)
    assert result.returncode == 2 and "several plans are live" in result.stderr and "--plan" in result.stderr


# ---- the shipped plans ---------------------------------------------------------------------------


def _shipped(name: str, fmt: str, run_main: RunMain) -> str:
    period, plan = SHIPPED_PAPERS[name]
    result = run_main("report", period, "--plan", plan, "--plans", SHIPPED_PLANS, "--format", fmt)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("name", sorted(SHIPPED_PAPERS))
def test_golden_papers(run_main: RunMain, regen_goldens: bool, name: str, fmt: str) -> None:
    actual = _shipped(name, fmt, run_main)
    golden = GOLDEN / f"{name}.{fmt}"
    if regen_goldens:
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden}; `{REGENERATE}` writes it"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(golden), "bvplan report", n=2
            )
        )
        pytest.fail(f"the paper differs from {golden.name} (`{REGENERATE}` accepts it):\n{diff}")


def test_the_paper_names_the_theme_lead_for_a_milestone_nobody_else_owns(run_main: RunMain) -> None:
    # EL2 names no owner, nor do its milestones; the Elections theme's lead answers for them.
    paper = _shipped("bvip-2018-19-q1", "md", run_main)
    assert "security checks (EL2.1)<br>Head of Electoral Services |" in paper


def _summary_rows(markdown: str) -> dict[str, list[str]]:
    table = section(markdown, "| Theme | Completed", "\n\n")
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()]
    header = rows[0]
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}  # type: ignore[misc]


def _milestone_update(markdown: str) -> tuple[str, str]:
    """The milestone-by-milestone part of a paper, and the heading level of its themes."""
    if "### Milestone-by-milestone update" in markdown:  # the cabinet paper: the update is Appendix 1
        return section(markdown, "### Milestone-by-milestone update"), "####"
    return section(markdown, "## Appendix 1"), "###"


def _appendix_ids(markdown: str) -> list[str]:
    appendix, _level = _milestone_update(markdown)
    return re.findall(r"^\| .*? \(([^()\s]+)\)(?:<br>.*?)? \| ", appendix, flags=re.MULTILINE)


def test_a_date_without_plan_is_read_in_the_live_plans_cadence(run_main: RunMain) -> None:
    # The newest plan is quarterly, but on 26 January 2016 only the six-monthly action plan is live:
    # the paper is its H2 update, with the cover of that board meeting.
    result = run_main("report", "2016-01-26", "--plans", SHIPPED_PLANS)
    assert result.returncode == 0, result.stderr
    assert result.stdout == _shipped("bvap-2015-16-2016-01-26", "md", run_main)


@pytest.mark.parametrize("name", sorted(SHIPPED_PAPERS))
def test_shipped_summary_counts_equal_bvplan_status(run_main: RunMain, name: str) -> None:
    period, plan = SHIPPED_PAPERS[name]
    # The paper counts at its position date (before its meeting), and so must status.
    position = paper_of(SHIPPED_PLANS, period, plan).as_of.isoformat()
    status = run_main("status", "--as-of", position, "--plan", plan, "--plans", SHIPPED_PLANS, "--format", "json")
    assert status.returncode == 0, status.stderr
    document = json.loads(status.stdout)
    rows = _summary_rows(_shipped(name, "md", run_main))
    [plan_json] = document["plans"]
    expected = {t["theme"]: t["summary"] for t in plan_json["themes"]}
    expected["**Total**"] = plan_json["summary"]
    assert list(rows) == list(expected)
    for theme, counts in expected.items():
        row = rows[theme]
        assert int(row["Completed"]) == counts["completed"], theme
        assert int(row["In Progress"]) == counts["in_progress"], theme
        assert int(row["Overdue"]) == counts["overdue"], theme
        assert int(row.get("Not Started", "0")) == counts["not_started"], theme
        assert int(row["Total"]) == counts["total"], theme
        assert row["% delivered"] == f"{counts['percent_delivered']:.0f}%", theme


@pytest.mark.parametrize("name", sorted(SHIPPED_PAPERS))
def test_shipped_appendix_has_every_theme_and_milestone_once(run_main: RunMain, name: str) -> None:
    period, plan_id = SHIPPED_PAPERS[name]
    markdown = _shipped(name, "md", run_main)
    loaded = load([SHIPPED_PLANS])
    plan = loaded.workspace.plan(plan_id)
    assert plan is not None
    day = paper_of(SHIPPED_PLANS, period, plan_id).as_of
    live = [m.id for _t, _a, m, _p in plan.milestones() if m.cancelled is None or m.cancelled.on > day]
    assert sorted(_appendix_ids(markdown)) == sorted(live)
    assert len(set(live)) == len(live)
    appendix, level = _milestone_update(markdown)
    themes = re.findall(rf"^{level} (.+)$", appendix, flags=re.MULTILINE)
    assert themes == [t.name for t in plan.ordered_themes()]


def test_fixture_appendix_has_every_theme_and_milestone_once(plans: Path) -> None:
    markdown = render(paper_of(plans), "md")
    expected = ["A1.1", "A1.2", "A1.3", "A1.4", "A2.1", "B1.1", "B1.2", "B1.3", "G1.1"]
    assert sorted(_appendix_ids(markdown)) == expected
    assert re.findall(r"^### (.+)$", section(markdown, "## Appendix 1"), flags=re.MULTILINE) == [
        "Alpha",
        "Beta",
        "Gamma",
    ]


def test_packaged_templates_are_package_data() -> None:
    from importlib.resources import files

    names = {entry.name for entry in files("bvplan.templates").iterdir()}
    assert {"report.md.j2", "report.html.j2", "report.css"} <= names


def test_template_problem_is_not_raised_for_good_templates(plans: Path) -> None:
    # The shipped templates run under StrictUndefined: every name they use exists, in every section.
    paper = paper_of(plans, public=True)
    for fmt in ("md", "html"):
        assert render(paper, fmt)
