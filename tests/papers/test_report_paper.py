"""The paper a council can submit unedited: position date, revisions put to the meeting, committee
report sections, front sheet, exempt marking, the cabinet and year-end papers, a house paper, the
revisions table as the papers have it, and words rather than codes.

Each test writes a small plan of its own (on top of the fixture of test_report.py) and checks one
rule; the shipped plans are checked against golden papers in test_report.py.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from bvplan.format.loader import load
from bvplan.format.periods import make_period
from bvplan.papers.rendering import deadline_date, render
from bvplan.papers.report import Options, build_paper
from tests.conftest import RunCli
from tests.papers.test_report import PLAN, SHIPPED_PLANS, paper_of, write_plans

MEETING = """\
meetings:
  - period: 2018-19 Q1
    date: 2018-07-19
    item: "5"
    title: Demo Q1 update
"""


def set_plan(plans: Path, extra: str, meetings: str | None = None) -> None:
    """Rewrite the demo plan.yaml: its meetings replaced by `meetings`, with `extra` keys added."""
    text = PLAN.format(title='"Demo Improvement Plan"')
    if meetings is not None:
        text = text.replace(MEETING, meetings)
    (plans / "demo-2018-19" / "plan.yaml").write_text(text + extra, encoding="utf-8")


def set_theme(plans: Path, name: str, text: str) -> None:
    (plans / "demo-2018-19" / f"{name}.yaml").write_text(text, encoding="utf-8")


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    return write_plans(tmp_path)


IN_JUNE = """\
meetings:
  - period: 2018-19 Q1
    date: 2018-06-11
    title: Demo Q1 update
  - period: 2018-19 Q2
    date: 2018-09-20
"""
HUB = """\
theme: Alpha
actions:
  - id: A1
    title: Deliver the hubs
    milestones:
      - id: A1.1
        title: Open the first hub
        due: 2018-05-31
        completed: 2018-06-08
      - id: A1.2
        title: Open the second hub
        due: 2018-05-31
        revisions:
          - to: 2018-10-31
            reason: The site is a listed building
            proposed: 2018-06-11
            agreed: 2018-06-11
            by: Improvement Board
"""


# ---- 1. the position is taken before the meeting -------------------------------------------------


def test_the_position_is_taken_position_days_before_the_meeting(plans: Path) -> None:
    set_plan(plans, "", IN_JUNE)
    set_theme(plans, "alpha", HUB)
    paper = paper_of(plans)
    assert paper.as_of == dt.date(2018, 6, 4)  # 7 days (position_days' default) before 11 June
    lines = {m.id: m for t in paper.appendix for a in t.actions for m in a.milestones}
    assert lines["A1.1"].status == "Overdue"  # completed on 8 June: after the position, not known yet
    set_plan(plans, "position_days: 14\n", IN_JUNE)
    assert paper_of(plans).as_of == dt.date(2018, 5, 28)


def test_a_meeting_gives_its_own_position_date(plans: Path) -> None:
    set_plan(plans, "", IN_JUNE.replace("    title: Demo Q1 update\n", "    position: 2018-06-08\n"))
    set_theme(plans, "alpha", HUB)
    paper = paper_of(plans)
    assert paper.as_of == dt.date(2018, 6, 8)
    assert "as at 8 June 2018" in render(paper, "md")


def test_facts_after_the_position_show_in_the_next_paper(plans: Path) -> None:
    set_plan(plans, "", IN_JUNE)
    set_theme(plans, "alpha", HUB)
    q2 = paper_of(plans, "q2")
    assert q2.as_of == dt.date(2018, 9, 13)
    # Completed on 8 June, after Q1's position (4 June) and before Q2's period began.
    assert [m.id for m in q2.progress[0].completed_in_period] == ["A1.1"]


def test_a_position_never_passes_the_period_end(plans: Path) -> None:
    # The fixture's Q1 meeting is on 19 July, after the quarter: the paper is as at 30 June.
    assert paper_of(plans).as_of == dt.date(2018, 6, 30)


def test_report_refuses_as_of_after_the_meeting(run_cli: RunCli, plans: Path) -> None:
    set_plan(plans, "", IN_JUNE)
    result = run_cli("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--as-of", "2018-06-20")
    assert result.returncode == 2, result.stderr
    assert "after the meeting of 2018-06-11" in result.stderr and "Traceback" not in result.stderr
    ok = run_cli("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--as-of", "2018-06-11")
    assert ok.returncode == 0, ok.stderr and "as at 11 June 2018" in ok.stdout


def test_validate_warns_when_a_position_is_after_its_meeting(run_cli: RunCli, plans: Path) -> None:
    set_plan(plans, "", IN_JUNE.replace("    title: Demo Q1 update\n", "    position: 2018-06-30\n"))
    result = run_cli("validate", plans, "--strict")
    assert result.returncode == 1
    assert "warning[BV330]" in result.stdout and "taken after it, on 2018-06-30" in result.stdout


# ---- 2. revisions the board is asked to agree show as proposed ------------------------------------


def test_a_revision_agreed_at_the_meeting_is_proposed_in_its_paper_and_agreed_in_the_next(plans: Path) -> None:
    set_plan(plans, "", IN_JUNE)
    set_theme(plans, "alpha", HUB)
    q1 = paper_of(plans)
    [group] = q1.proposed_revisions
    assert [r.milestone_id for r in group.revisions] == ["A1.2"] and group.revisions[0].agreed_on is None
    assert q1.agreed_revisions == ()
    assert q1.recommendations[0] == (
        "consider and comment on the draft update report and revised milestone deadlines attached as Appendix 1"
    )
    text = render(q1, "md")
    assert "for the Board's agreement at its meeting of 11 June 2018" in text
    q2 = paper_of(plans, "q2")
    assert q2.proposed_revisions == ()
    [agreed] = q2.agreed_revisions
    assert agreed.revisions[0].agreed_on == dt.date(2018, 6, 11)
    assert q2.recommendations[-1] == "note the revised target dates agreed since the last meeting"


def test_a_meeting_may_word_its_own_recommendations(plans: Path) -> None:
    set_plan(plans, "", MEETING + "    recommendations: [Agree the update before it goes to the Secretary of State]\n")
    assert paper_of(plans).recommendations == ("Agree the update before it goes to the Secretary of State",)


# ---- 3. the committee report's sections ----------------------------------------------------------

SECTIONS = """\
required_sections: [background, finance, legal]
sections:
  background:
    heading: Background
    part: opening
    text: |
      The Council is under Directions.

      It has done the following:
      - set up a board;
      - reported quarterly.
  finance:
    heading: Comments of the Chief Finance Officer
    text: There are no direct financial implications.
  legal:
    heading: Legal Comments
    text: The Council is a best value authority.
"""


def test_sections_print_in_order_with_numbered_paragraphs(plans: Path) -> None:
    set_plan(plans, SECTIONS)
    paper = paper_of(plans)
    assert [(s.key, s.number) for s in paper.sections] == [("background", 3), ("finance", 8), ("legal", 9)]
    text = render(paper, "md")
    assert "## 3. Background\n\n3.1. The Council is under Directions.\n\n3.2. It has done the following:\n\n" in text
    assert "- set up a board;\n- reported quarterly.\n" in text
    assert text.index("## 7. Proposed revisions") < text.index("## 8. Comments of the Chief Finance Officer")
    assert text.index("## 9. Legal Comments") < text.index("## Appendix 1")
    html = render(paper, "html")
    assert "<h2>8. Comments of the Chief Finance Officer</h2>" in html
    assert "<p>8.1. There are no direct financial implications.</p>" in html


def test_a_meeting_replaces_a_sections_text_and_adds_its_own_first(plans: Path) -> None:
    meetings = MEETING + (
        "    sections:\n"
        "      reasons: {heading: Reasons for the Decisions, part: opening, text: The Directions require it.}\n"
        "      finance: {text: Resources are within the budget.}\n"
    )
    set_plan(plans, SECTIONS, meetings)
    paper = paper_of(plans)
    # In print order: the opening part (the meeting's own first), then the closing part.
    assert [s.key for s in paper.sections] == ["reasons", "background", "finance", "legal"]
    finance = next(s for s in paper.sections if s.key == "finance")
    assert (finance.heading, finance.part) == ("Comments of the Chief Finance Officer", "closing")
    assert finance.paragraphs[0].text == "Resources are within the budget."
    assert "## 3. Reasons for the Decisions\n\n3.1. The Directions require it." in render(paper, "md")


def test_missing_required_sections_are_warned_by_report_and_validate(run_cli: RunCli, plans: Path) -> None:
    set_plan(
        plans,
        SECTIONS.replace(
            "  legal:\n    heading: Legal Comments\n    text: The Council is a best value authority.\n", ""
        ),
    )
    result = run_cli("report", "q1", "--plan", "demo-2018-19", "--plans", plans)
    assert result.returncode == 0, result.stderr
    assert "lacks the required section(s) legal" in result.stderr
    validated = run_cli("validate", plans)
    assert "warning[BV331]" in validated.stdout and "lacks the required section(s) legal" in validated.stdout
    set_plan(plans, SECTIONS)
    assert "required section" not in run_cli("report", "q1", "--plan", "demo-2018-19", "--plans", plans).stderr


# ---- 4. the front sheet --------------------------------------------------------------------------

FRONT_SHEET = """\
front_sheet:
  classification: open
  wards: All wards
  lead_member: Mayor
  report_of: Chief Executive
  author_post: Strategy Manager
  author_contact: strategy@example.org
  key_decision: false
  appendices: [Appendix 1 - milestone update]
"""


def test_front_sheet_fields_print_and_unset_ones_are_left_out(plans: Path) -> None:
    bare = render(paper_of(plans), "md")
    for label in ("Wards affected", "Lead member", "Report of", "Key decision"):
        assert label not in bare
    set_plan(plans, FRONT_SHEET, MEETING + "    front_sheet: {wards: Spitalfields}\n")
    text = render(paper_of(plans), "md")
    for line in (
        "- **Wards affected:** Spitalfields",  # the meeting's field wins over the plan's
        "- **Lead member:** Mayor",
        "- **Report of:** Chief Executive",
        "- **Author:** Policy Officer, Strategy Manager (strategy@example.org)",
        "- **Key decision:** No",
        "- **Appendices:** Appendix 1 - milestone update",
    ):
        assert line in text, line
    html = render(paper_of(plans), "html")
    assert '<tr><th scope="row">Wards affected</th><td>Spitalfields</td></tr>' in html


# ---- 5. exempt content is marked in the full paper -----------------------------------------------


def test_the_full_paper_says_it_holds_exempt_information_and_marks_each_item(plans: Path) -> None:
    set_plan(plans, "front_sheet: {exempt_paragraph: 3}\n")
    full = render(paper_of(plans), "md")
    assert (
        "contains exempt information within the meaning of Schedule 12A to the Local Government Act 1972, paragraph 3"
        in full
    )
    assert "- **Classification:** Exempt in part (Schedule 12A to the Local Government Act 1972, paragraph 3)" in full
    # An exempt action's milestone, owned (through the owner chain) by its theme's lead.
    assert "| Conclude secret negotiations (A2.1)<br>**Exempt**<br>Head of Alpha |" in full
    assert "**Exempt** 15 Jun 2018: Confidential legal advice" in full  # an exempt note
    # Beta's progress summary alone is exempt: it is marked, and Beta's milestones are not.
    beta = full[full.index("### 5.2. Beta") : full.index("### 5.3. Gamma")]
    assert beta.count("**Exempt**") == 1 and "this progress summary is not for publication" in beta
    assert "### 5.3. Gamma\n\n**Exempt** – not for publication." in full  # an exempt theme
    html = render(paper_of(plans), "html")
    assert html.count('<strong class="exempt">Exempt</strong>') >= 4
    public = render(paper_of(plans, public=True), "md")
    assert "Exempt" not in public and "exempt information" not in public
    assert "- **Classification:** Open\n" in public


def test_status_public_leaves_exempt_items_out(run_cli: RunCli, plans: Path) -> None:
    args = ("status", "--as-of", "2018-06-30", "--plan", "demo-2018-19", "--plans", plans, "--format")
    full = run_cli(*args, "csv")
    public = run_cli(*args, "csv", "--public")
    assert full.returncode == public.returncode == 0, public.stderr
    for text in ("A2.1", "B1.2", "G1.1", "Confidential legal advice"):
        assert text in full.stdout and text not in public.stdout, text
    assert "Public progress note" in public.stdout
    document = json.loads(run_cli(*args, "json", "--public").stdout)
    assert document["plans"][0]["summary"]["total"] == 6


# ---- 6. the year-end paper -----------------------------------------------------------------------

YEAR = """\
updates:
  "2018-19":
    summary: The Council delivered most of the plan this year.
    achievements: [Second hub opened, New grants policy agreed]
"""


def test_the_year_end_paper_has_the_years_achievements_and_each_themes_context(plans: Path) -> None:
    set_plan(plans, YEAR)
    alpha = (plans / "demo-2018-19" / "alpha.yaml").read_text(encoding="utf-8")
    alpha = alpha.replace("lead: Head of Alpha\n", "lead: Head of Alpha\ncontext: Alpha has 12 sites.\n")
    alpha = alpha.replace("  2018-19 Q1:\n", '  "2018-19":\n')
    set_theme(plans, "alpha", alpha)
    paper = paper_of(plans, "year")
    assert paper.kind == "year-end" and paper.year_end is not None
    assert paper.year_end.achievements == ("Second hub opened", "New grants policy agreed")
    text = render(paper, "md")
    assert "## 1. Introduction\n\n1.1. The Council delivered most of the plan this year." in text
    assert "## 2. Summary of key achievements" in text and "- Second hub opened\n" in text
    assert "### 4.1. Alpha\n\n*Lead: Head of Alpha*\n\nAlpha has 12 sites.\n\nAlpha made good progress" in text
    assert "No progress summary was recorded for 2018-19." in text  # Beta has none
    assert "Milestones completed" not in text  # as 002: the milestones themselves are in Appendix 1
    assert "Alpha has 12 sites." not in render(paper_of(plans), "md")  # the board paper leaves context out


def test_a_year_end_paper_reads_the_last_quarters_update_when_the_year_has_none(plans: Path) -> None:
    alpha = (plans / "demo-2018-19" / "alpha.yaml").read_text(encoding="utf-8")
    set_theme(plans, "alpha", alpha.replace("  2018-19 Q1:\n", "  2018-19 Q4:\n"))
    assert paper_of(plans, "year").progress[0].achievements == ("First phase finished early",)


# ---- 7. the cabinet paper and a council's own paper ----------------------------------------------


def test_the_cabinet_paper_is_a_decision_report_with_the_update_as_its_appendix(run_cli: RunCli, plans: Path) -> None:
    meetings = MEETING + (
        "    committee: Mayor in Cabinet\n"
        "    sections:\n"
        "      reasons: {heading: Reasons for the Decisions, part: opening, text: The Directions require it.}\n"
    )
    set_plan(plans, SECTIONS, meetings)
    result = run_cli("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--paper", "cabinet")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "The Mayor in Cabinet is recommended to:" in text
    assert text.index("## 1. Reasons for the Decisions") < text.index("## 2. Background")
    assert "## 3. Comments of the Chief Finance Officer" in text and "## 4. Legal Comments" in text
    assert "Section 100D" in text and "- None." in text
    appendix = text[text.index("## Appendix 1") :]
    assert "### Summary by theme" in appendix and "### Progress by theme" in appendix
    assert "#### Alpha" in appendix and "### Milestone-by-milestone update" in appendix
    html = run_cli("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--paper", "cabinet", "--format", "html")
    assert html.returncode == 0 and '<body class="paper-cabinet">' in html.stdout


def test_the_papers_share_their_parts_rather_than_copy_them() -> None:
    templates = Path(__file__).resolve().parent.parent.parent / "templates"
    for name in ("cabinet", "year-end"):
        for ext in ("md", "html"):
            source = (templates / f"{name}.{ext}.j2").read_text(encoding="utf-8")
            assert f'{{% extends "builtin/report.{ext}.j2" %}}' in source
            assert "parts." in source and "<table" not in source and "| Theme |" not in source


def test_a_house_templates_folder_adds_a_paper(run_cli: RunCli, plans: Path, tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "scrutiny.md.j2").write_text(
        '{% extends "builtin/report.md.j2" %}\n{% block body %}\n{{ parts.summary() }}\n{% endblock %}\n',
        encoding="utf-8",
    )
    args = ("report", "q1", "--plan", "demo-2018-19", "--plans", plans, "--templates", house)
    result = run_cli(*args, "--paper", "scrutiny")
    assert result.returncode == 0, result.stderr
    assert "Summary by theme" in result.stdout and "Recommendations" not in result.stdout
    unknown = run_cli(*args, "--paper", "nope")
    assert unknown.returncode == 2 and "no paper 'nope'" in unknown.stderr and "scrutiny" in unknown.stderr


# ---- 8. the revisions table as the papers have it ------------------------------------------------

GROUPED = """\
theme: Alpha
actions:
  - id: A1
    title: Consider an asset rental account
    milestones:
{milestones}
"""
GROUPED_MILESTONE = """\
      - id: A1.{n}
        title: Step {n}
        due: 2018-0{n}-30
        revisions:
          - to: 2018-10-31
            reason: The Asset Strategy has now been adopted.
            proposed: 2018-06-01
"""


def test_revisions_sharing_a_commentary_are_one_row(plans: Path) -> None:
    set_theme(plans, "alpha", GROUPED.format(milestones="".join(GROUPED_MILESTONE.format(n=n) for n in (4, 6))))
    paper = paper_of(plans)
    [block] = paper.proposed_revisions[0].blocks
    assert [r.milestone_id for r in block.revisions] == ["A1.4", "A1.6"]
    text = render(paper, "md")
    assert text.count("The Asset Strategy has now been adopted.") == 1
    assert "| **Consider an asset rental account:** | | | The Asset Strategy has now been adopted. |" in text
    assert "| Step 4 (A1.4) | 30 Apr 2018 | 31 Oct 2018 | |" in text


def test_month_deadlines_print_as_the_papers_print_them(plans: Path) -> None:
    set_plan(plans, "deadline_precision: month\n")
    set_theme(plans, "alpha", GROUPED.format(milestones=GROUPED_MILESTONE.format(n=4)))
    text = render(paper_of(plans), "md")
    assert "| Consider an asset rental account: Step 4 (A1.4) | Apr-18 | Oct-18 |" in text
    assert deadline_date(dt.date(2015, 10, 31), True) == "Oct-15"
    assert deadline_date(dt.date(2016, 5, 18), True) == "18 May 2016"  # not a month-end: its day is kept
    assert deadline_date(dt.date(2015, 10, 31), False) == "31 Oct 2015"


# ---- 9. words, not codes -------------------------------------------------------------------------


def test_changes_are_in_words_and_name_plans_by_title(plans: Path) -> None:
    @dataclass
    class Item:
        kind: str
        plan: str
        theme: str
        item_id: str
        title: str
        detail: str

    changes = [
        Item("milestone-completed", "demo-2018-19", "Alpha", "A1.1", "Finish the first phase", "completed 2018-05-20"),
        Item("deadline-proposed", "demo-2018-19", "Alpha", "A1.3", "Consult residents", "2018-06-30 → 2018-09-30"),
        Item("action-carried-forward", "demo-2018-19", "Alpha", "A1", "Deliver", "from old-2017-18/A1; 1 milestone"),
    ]
    loaded = load([plans])
    plan = loaded.workspace.plan("demo-2018-19")
    assert plan is not None
    titles = {p.id: p.model.title for p in loaded.workspace.plans}
    paper = build_paper(plan, make_period(2018, "Q1"), Options(), changes=changes, plan_titles=titles)  # type: ignore[arg-type]
    assert paper.changes is not None
    assert [c.what for c in paper.changes] == ["Completed", "New deadline proposed", "Carried forward"]
    assert paper.changes[1].detail == "30 Jun 2018 → 30 Sep 2018"
    assert paper.changes[2].detail == "from the Old Improvement Plan 2017-18 (A1); 1 milestone"
    text = render(paper, "md")
    assert "milestone-completed" not in text and "old-2017-18" not in text


@pytest.mark.parametrize(("period", "plan"), [("q1", "bvip-2018-19"), ("year", "bvip-2017-18")])
def test_no_plan_ids_in_the_shipped_papers(run_cli: RunCli, period: str, plan: str) -> None:
    for fmt in ("md", "html"):
        result = run_cli("report", period, "--plan", plan, "--plans", SHIPPED_PLANS, "--format", fmt)
        assert result.returncode == 0, result.stderr
        for plan_id in ("bvip-2017-18", "bvip-2018-19", "bvap-2015-16"):
            assert plan_id not in result.stdout


def test_an_exempt_section_is_marked_in_the_full_paper_and_withheld_from_the_public_one(plans: Path) -> None:
    extra = SECTIONS + (
        "  legal-advice:\n    heading: Legal Advice\n    exempt: true\n    text: Counsel's opinion on the lease.\n"
        "  summary:\n    heading: Executive Summary\n    part: summary\n    text: The plan is on track.\n"
    )
    set_plan(plans, extra)
    full = render(paper_of(plans), "md")
    assert "## 10. Legal Advice\n\n**Exempt** – not for publication.\n\n10.1. Counsel's opinion on the lease." in full
    # An executive summary comes first and is not numbered; the numbering starts after it.
    assert full.index("## Executive Summary\n\nThe plan is on track.") < full.index("## 1. Introduction")
    public_paper = paper_of(plans, public=True)
    assert public_paper.withheld.sections == 1 and "1 section" in public_paper.withheld.parts
    assert "Counsel" not in render(public_paper, "md") and "Counsel" not in render(public_paper, "html")


@pytest.mark.parametrize(
    "name", ["bvip-2018-19-q1", "bvap-2015-16-2016-01-26", "bvip-2017-18-year-end", "bvap-2015-16-cabinet-2016-09"]
)
def test_every_golden_paper_is_semantic_html(name: str) -> None:
    """Headings never skip a level, and every data table has a caption and a header row (print rules
    and the Word/PDF export target them)."""
    import itertools
    import re

    html = (Path(__file__).parent.parent / "golden" / f"{name}.html").read_text(encoding="utf-8")
    levels = [int(level) for level in re.findall(r"<h([1-6])\b", html)]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), name
    tables = re.findall(r"<table class=\"([^\"]+)\">(.*?)</table>", html, flags=re.DOTALL)
    for kind, body in tables:
        assert "<caption>" in body, kind
        if kind != "cover":
            assert "<thead>" in body, kind


def test_grouped_revisions_are_one_html_row_group(plans: Path) -> None:
    set_theme(plans, "alpha", GROUPED.format(milestones="".join(GROUPED_MILESTONE.format(n=n) for n in (4, 6))))
    html = render(paper_of(plans), "html")
    assert html.count("The Asset Strategy has now been adopted.") == 1
    assert '<th scope="rowgroup" colspan="3">Consider an asset rental account:</th><td rowspan="3">' in html
