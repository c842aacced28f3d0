"""A public paper is built from the public view: nothing exempt reaches any part of it, and it says what it withheld."""

from __future__ import annotations

import datetime as dt

from bvplan.format.loader import load_sources
from bvplan.format.periods import parse_reporting
from bvplan.format.workspace import Plan
from bvplan.papers.report import Options, build_paper

PLAN = b"""\
id: demo
title: Demo plan
authority: A council
board: The Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
updates:
  "2018-19": {summary: The year in confidence, achievements: [A secret win], exempt: true}
  "2018-19 Q1": {summary: A quarter in confidence, exempt: true}
"""

THEME = b"""\
theme: Alpha
lead: Head of Alpha
measures:
  - {id: AM1, title: Public measure, unit: number, better: higher}
  - {id: AM2, title: Confidential measure, unit: number, better: higher, exempt: true}
actions:
  - id: A1
    title: Public action
    milestones:
      - {id: A1.1, title: Public milestone, due: 2018-06-30}
"""


def _plan() -> Plan:
    loaded = load_sources({"plans/demo": {"plan.yaml": PLAN, "alpha.yaml": THEME}})
    assert not loaded.report.errors, loaded.report.diagnostics
    [plan] = loaded.workspace.plans
    return plan


def test_a_public_year_end_paper_leaves_out_an_exempt_year_summary() -> None:
    plan = _plan()
    year = parse_reporting("2018-19", 2018, "quarterly", "04-01")

    full = build_paper(plan, year, Options(paper="year-end"))
    public = build_paper(plan, year, Options(public=True, paper="year-end"))

    assert full.year_end is not None and full.year_end.summary == "The year in confidence"
    assert public.year_end is not None and public.year_end.summary is None and public.year_end.achievements == ()
    assert public.withheld.updates == 1  # the year's own summary; the Q1 one is not this paper's


def test_a_public_paper_counts_the_measures_it_withholds() -> None:
    plan = _plan()
    q1 = parse_reporting("q1", 2018, "quarterly", "04-01")

    public = build_paper(plan, q1, Options(public=True))

    assert {theme: [row.id for row in rows] for theme, rows in public.performance.measures.items()} == {
        "Alpha": ["AM1"]
    }
    assert public.withheld.parts == ("1 measure", "1 progress summary")
    assert public.overview is None
    assert public.as_of == dt.date(2018, 6, 30)
