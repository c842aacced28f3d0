"""`bvplan site`: the public progress site's content, its public rule, its links, its data and its history.

In-process on `site_files` and `publish_site`, with a thin layer through the command itself. The
browser checks (axe-core, keyboard, reflow, print) are in tests/e2e/test_site_browser.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

import pytest

from bvplan.errors import RefusedOutput, UsageError
from bvplan.format.loader import load
from bvplan.papers.site import COLUMN_MEANINGS, History, git_history, publish_site, site_files
from bvplan.papers.status_views import COLUMNS
from tests.papers.test_report import EXEMPT_TEXTS, write_plans

DAY = dt.date(2018, 7, 31)  # after the demo plan's Q1 board of 19 July 2018

# A Direction, a measure that evidences it, an exempt measure and an exempt section, added to the
# demo plan (tests/papers/test_report.py), whose exempt theme, action, milestone, note and progress summary
# are already there.
DIRECTIONS = """\
directions:
  - id: D1
    title: Secure continuous improvement in governance
    issued: 2018-04-01
sections:
  legal:
    heading: Legal Advice
    text: Counsel's opinion on the lease.
    exempt: true
"""
MEASURES = """\
measures:
  - id: AM1
    title: Residents surveyed
    unit: number
    better: higher
    directions: [D1]
    targets: [{period: 2018-19 Q1, value: 900}]
    actuals: [{on: 2018-06-30, value: 943}]
  - id: AM2
    title: Confidential settlement value
    unit: pounds
    better: lower
    exempt: true
    actuals: [{on: 2018-06-30, value: 125000}]
"""


def demo_plans(root: Path) -> Path:
    plans = write_plans(root)
    plan = plans / "demo-2018-19/plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + DIRECTIONS, encoding="utf-8")
    alpha = plans / "demo-2018-19/alpha.yaml"
    text = alpha.read_text(encoding="utf-8")
    text = text.replace(
        "    carried_from: old-2017-18/A1\n", "    carried_from: old-2017-18/A1\n    directions: [D1]\n", 1
    )
    alpha.write_text(text + MEASURES, encoding="utf-8")
    return plans


def built(plans: Path, day: dt.date = DAY, **options: object) -> dict[PurePosixPath, bytes]:
    loaded = load([plans])
    assert not loaded.report.errors, [d.message for d in loaded.report.errors]
    return site_files(loaded.workspace.plans, day, **options)  # type: ignore[arg-type]


def text_of(files: dict[PurePosixPath, bytes], name: str) -> str:
    return files[PurePosixPath(name)].decode("utf-8")


def visible(html: str) -> str:
    """A page's text as read, tags removed and whitespace collapsed."""
    import html as html_module

    text = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([.,;)])", r"\1", text)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    return demo_plans(tmp_path)


# ---- the public rule -------------------------------------------------------------------------------


def test_nothing_exempt_is_in_any_file_of_the_site(plans: Path) -> None:
    files = built(plans)
    everything = "\n".join(data.decode("utf-8") for data in files.values())
    for text in (*EXEMPT_TEXTS, "Counsel", "Legal Advice", "AM2", "Confidential settlement", "125000", "125,000"):
        assert text not in everything, text
    assert "Public progress note" in everything  # the latest public note shows once the exempt one is out
    # Nothing says how much was withheld either.
    pages = "\n".join(visible(data.decode("utf-8")) for name, data in files.items() if name.suffix == ".html")
    assert "withheld" not in everything.lower() and "exempt" not in pages.lower()


def test_the_test_above_can_fail_the_full_paper_names_the_exempt_items(plans: Path) -> None:
    from bvplan.papers.rendering import render
    from tests.papers.test_report import paper_of

    full = render(paper_of(plans), "html")
    assert all(text in full for text in EXEMPT_TEXTS)


def test_every_figure_counts_the_public_milestones_only(plans: Path) -> None:
    files = built(plans)
    rows = list(csv.DictReader(io.StringIO(text_of(files, "data/demo-2018-19.csv"))))
    public_ids = ["A1.1", "A1.2", "A1.3", "A1.4", "A1.5", "B1.1", "B1.3"]
    assert [r["milestone"] for r in rows] == public_ids
    home = visible(text_of(files, "index.html"))
    # Six counted milestones (A1.5 is cancelled), one completed: the paper's introduction, in public.
    assert "Milestones 6, of which 1 completed (17%)" in home
    assert "Actions 2, of which 2 still open" in home
    document = json.loads(text_of(files, "data/demo-2018-19.json"))
    assert document["summary"]["total"] == 6 and document["as_of"] == DAY.isoformat()
    direction = visible(text_of(files, "plans/demo-2018-19/directions/D1.html"))
    assert "4 of 1 measure" not in direction and "1 of 1 on target" in direction


def test_the_public_leak_repository_site_names_and_counts_nothing_exempt(tmp_path: Path) -> None:
    """The repository of the public-leak tests of `changes` (tests/rules/test_public_view.py), as a site."""
    from tests.rules import test_public_view as leaks

    root = tmp_path / "council"
    (root / "plans/hp").mkdir(parents=True)
    (root / "plans/hp/plan.yaml").write_text(leaks.PLAN.format(id="hp"), encoding="utf-8")
    (root / "plans/hp/grants.yaml").write_text(leaks.THEME + leaks.ADDED, encoding="utf-8")
    (root / "plans/hp/legal.yaml").write_text(leaks.SECRET_THEME, encoding="utf-8")
    (root / "plans/np").mkdir()
    (root / "plans/np/plan.yaml").write_text(leaks.PLAN.format(id="np"), encoding="utf-8")
    (root / "plans/np/workforce.yaml").write_text(leaks.NEW_PLAN_THEME, encoding="utf-8")
    files = built(root / "plans", dt.date(2018, 7, 1))
    everything = "\n".join(data.decode("utf-8") for data in files.values())
    for secret in ("GR2.2", "GR3", "LG1", "WF2", "Brief the Commissioners", "Discipline", "Litigation", "Legal"):
        assert secret not in everything, secret
    np_page = visible(text_of(files, "plans/np/index.html"))
    assert "Milestones 1, of which 0 completed" in np_page and "Actions 1," in np_page


# ---- pages and links -------------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("a", "link") and found.get("href"):
            self.links.append(found["href"] or "")
        if found.get("id"):
            self.ids.append(found["id"] or "")


def test_every_link_of_every_page_leads_to_a_file_of_the_site(plans: Path) -> None:
    files = built(plans)
    pages = [p for p in files if p.suffix == ".html"]
    for page in pages:
        parser = _Links()
        parser.feed(files[page].decode("utf-8"))
        assert len(parser.ids) == len(set(parser.ids)), page
        for link in parser.links:
            target, _, anchor = link.partition("#")
            assert "://" not in target and not target.startswith("/"), (page, link)  # relative: works anywhere
            if not target:
                assert anchor in parser.ids, (page, link)  # the skip link lands on <main>
            else:
                resolved = PurePosixPath(os.path.normpath(page.parent / target))
                assert resolved in files, (page, link)
        for needed in ("data/milestones.csv", "open-data.html", "feed.xml", "accessibility.html"):
            assert any(link.endswith(needed) for link in parser.links), (page, needed)
    names = {str(p) for p in pages}
    assert {
        "index.html",
        "changes.html",
        "archive/index.html",
        "open-data.html",
        "accessibility.html",
        "plans/demo-2018-19/index.html",
        "plans/demo-2018-19/themes/alpha.html",
        "plans/demo-2018-19/themes/beta.html",
        "plans/demo-2018-19/actions/A1.html",
        "plans/demo-2018-19/actions/B1.html",
        "plans/demo-2018-19/directions/index.html",
        "plans/demo-2018-19/directions/D1.html",
        "archive/demo-2018-19/2018-07-19.html",
    } <= names
    assert not any("gamma" in n or "A2" in n for n in names)


def test_the_same_plans_give_the_same_bytes(plans: Path) -> None:
    assert built(plans) == built(plans)


def test_a_milestone_shows_its_dates_revisions_and_status_in_words_as_known_on_the_day(plans: Path) -> None:
    page = visible(text_of(built(plans), "plans/demo-2018-19/actions/A1.html"))
    assert "A1.4: Agree the scheme Status In Progress Deadline 31 August 2018 Original deadline 31 May 2018" in page
    assert "20 April 2018 31 August 2018 Agreed on 15 May 2018 by Improvement Board The scheme waits" in page
    assert "10 June 2018 30 September 2018 Proposed, not yet agreed Consultation needs the summer" in page
    assert "A1.2: Open the hub Status Overdue (46 days)" in page
    # Before A1.3's revision was proposed, the page knows nothing of it.
    early = visible(text_of(built(plans, dt.date(2018, 6, 5)), "plans/demo-2018-19/actions/A1.html"))
    assert "Consultation needs the summer" not in early and "A1.3: Consult residents Status In Progress" in early


def test_status_is_always_in_words_beside_its_colour(plans: Path) -> None:
    for name, data in built(plans).items():
        if name.suffix != ".html":
            continue
        for tag in re.findall(r'<strong class="tag tag-([a-z-]+)">([^<]*)</strong>', data.decode("utf-8")):
            assert tag[1].strip(), (name, tag)
            assert tag[0].replace("-", " ") in tag[1].lower(), (name, tag)


def test_every_chart_has_a_table_of_the_same_figures_beside_it(plans: Path) -> None:
    for name, data in built(plans).items():
        html = data.decode("utf-8")
        for figure in re.findall(r'<div class="figure">(.*?)</table>', html, re.S):
            assert "<svg" in figure and "<caption" in figure, name
            description = re.search(r"<desc[^>]*>(.*?)</desc>", figure, re.S)
            assert description
            for theme, completed in re.findall(r"(\w+): (\d+) completed", description.group(1)):
                assert re.search(rf'<th scope="row" data-label="Theme">{theme}</th><td[^>]*>{completed}</td>', figure)


def test_the_archive_has_one_past_position_per_board_held_recomputed_as_the_paper(plans: Path) -> None:
    from bvplan.papers.rendering import long_date
    from tests.papers.test_report import paper_of

    files = built(plans)
    archived = sorted(str(p) for p in files if str(p).startswith("archive/demo"))
    assert archived == ["archive/demo-2018-19/2018-07-19.html"]
    paper = paper_of(plans, public=True)
    page = visible(text_of(files, archived[0]))
    assert f"Milestones {paper.introduction.milestones}, of which {paper.introduction.completed} completed" in page
    assert f"as it stood on {long_date(paper.as_of)}." in page
    assert not any(str(p).startswith("archive/demo") for p in built(plans, dt.date(2018, 7, 18)))


# ---- open data, feed, schema, statement --------------------------------------------------------------


def test_the_csv_has_the_documented_columns(plans: Path) -> None:
    files = built(plans)
    header = text_of(files, "data/milestones.csv").splitlines()[0].split(",")
    assert tuple(header) == COLUMNS
    documented = re.findall(r"<code>(\w+)</code>", text_of(files, "open-data.html"))
    assert tuple(documented) == COLUMNS
    docs = (Path(__file__).resolve().parents[2] / "docs/site.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| (.*) \|$", docs, re.M)
    assert {name: meaning.replace("`", "") for name, meaning in rows} == COLUMN_MEANINGS
    assert tuple(COLUMN_MEANINGS) == COLUMNS


def test_a_theme_page_gives_its_public_measures_in_words(plans: Path) -> None:
    page = visible(text_of(built(plans), "plans/demo-2018-19/themes/alpha.html"))
    assert "AM1: Residents surveyed None 900 (2018-19 Q1) 943 (30 June 2018) On target" in page
    assert "AM2" not in page


def test_the_schema_files_are_the_plan_formats(plans: Path) -> None:
    from bvplan.format.schema import schema_text

    files = built(plans)
    assert text_of(files, "schemas/plan.schema.json") == schema_text("plan")
    assert json.loads(text_of(files, "schemas/theme.schema.json"))["title"] == "ThemeFile"


def test_the_feed_is_atom_with_an_entry_per_board(plans: Path) -> None:
    loaded = load([plans])
    history = git_history(loaded.workspace.plans, plans, DAY, {})
    feed = ET.fromstring(site_files(loaded.workspace.plans, DAY, history)[PurePosixPath("feed.xml")])
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert [e.findtext(f"{atom}updated") for e in entries] == ["2018-07-19T00:00:00Z"]
    assert feed.findtext(f"{atom}updated") == "2018-07-19T00:00:00Z"
    assert all(e.findtext(f"{atom}id") and e.find(f"{atom}link") is not None for e in entries)
    assert "no earlier board" in (entries[0].findtext(f"{atom}summary") or "")


def test_the_accessibility_statement_comes_from_plan_yaml(plans: Path) -> None:
    missing = visible(text_of(built(plans), "accessibility.html"))
    assert "has not yet written" in missing
    plan = plans / "demo-2018-19/plan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + "accessibility:\n  contact: web@testing.example\n  prepared: 2018-07-01\n  last_tested: 2018-07-20\n"
        + "  compliance: partial\n  issues: [The charts' patterns are not described to screen readers.]\n",
        encoding="utf-8",
    )
    page = visible(text_of(built(plans), "accessibility.html"))
    assert "contact us: web@testing.example" in page
    assert "Equality and Human Rights Commission" in page
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA" in page
    assert "prepared on 1 July 2018. The website was last tested on 20 July 2018" in page


def test_a_house_templates_folder_replaces_the_stylesheet_and_a_page(plans: Path, tmp_path: Path) -> None:
    house = tmp_path / "house"
    house.mkdir()
    (house / "site.css").write_text("body { font-family: 'Council Sans'; }\n", encoding="utf-8")
    (house / "_site-home.html.j2").write_text(
        '{% extends "builtin/_site-home.html.j2" %}{% block content %}<p>Our council</p>{{ super() }}{% endblock %}',
        encoding="utf-8",
    )
    files = built(plans, templates=house)
    assert text_of(files, "style.css") == "body { font-family: 'Council Sans'; }\n"
    assert "<p>Our council</p>" in text_of(files, "index.html")
    (house / "_site-theme.html.j2").write_text("{{ no_such_thing }}", encoding="utf-8")
    with pytest.raises(UsageError, match=r"_site-theme.html.j2, line 1"):
        built(plans, templates=house)


# ---- changes from git ------------------------------------------------------------------------------


def _git(repo: Path, *args: str, when: str | None = None) -> None:
    env = {**os.environ}
    if when:
        env.update(GIT_AUTHOR_DATE=f"{when}T12:00:00", GIT_COMMITTER_DATE=f"{when}T12:00:00")
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True, env=env)


def test_changes_since_the_last_board_come_from_git_and_leave_exempt_items_out(tmp_path: Path) -> None:
    plans = demo_plans(tmp_path)
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.name", "Policy Officer")
    _git(tmp_path, "config", "user.email", "policy@example.org")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "As reported to the board", when="2018-07-12")
    beta = plans / "demo-2018-19/beta.yaml"
    text = beta.read_text(encoding="utf-8")
    text = text.replace("        due: 2018-09-30\n", "        due: 2018-09-30\n        completed: 2018-07-25\n", 1)
    text = text.replace("        exempt: true\n        due: 2018-06-30\n", "        exempt: true\n        due: 2018-06-30\n        completed: 2018-07-26\n")  # fmt: skip
    beta.write_text(text, encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "B1.1 done", when="2018-07-25")
    # A completion after the reporting date, committed and then one not yet committed: not in the site of 31 July.
    beta.write_text(beta.read_text(encoding="utf-8").replace("        due: 2018-12-31\n", "        due: 2018-12-31\n        completed: 2018-08-10\n", 1), encoding="utf-8")  # fmt: skip
    _git(tmp_path, "commit", "-q", "-am", "B1.3 done", when="2018-08-10")
    alpha = plans / "demo-2018-19/alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("        due: 2018-06-15\n", "        due: 2018-06-15\n        completed: 2018-08-20\n", 1), encoding="utf-8")  # fmt: skip
    loaded = load([plans])
    later = git_history(loaded.workspace.plans, plans, dt.date(2018, 8, 31), {})
    [now] = [b for b in later.since_last_board if b.plan_id == "demo-2018-19"]
    assert [(line.what, line.item_id) for line in now.lines] == [("Completed", "A1.2"), ("Completed", "B1.1"), ("Completed", "B1.3")]  # fmt: skip
    history = git_history(loaded.workspace.plans, plans, DAY, {})
    [latest] = [b for b in history.since_last_board if b.plan_id == "demo-2018-19"]
    assert latest.unavailable is None and latest.board == dt.date(2018, 7, 19)
    assert [(line.what, line.item_id) for line in latest.lines] == [("Completed", "B1.1")]
    page = visible(site_files(loaded.workspace.plans, DAY, history)[PurePosixPath("changes.html")].decode())
    assert "Completed Beta B1.1: Start the beta pilot" in page and "B1.2" not in page


def test_without_git_the_changes_page_says_why(plans: Path) -> None:
    loaded = load([plans])
    history = git_history(loaded.workspace.plans, plans, DAY, {})
    [latest] = [b for b in history.since_last_board if b.plan_id == "demo-2018-19"]
    assert latest.unavailable and "git" in latest.unavailable
    assert latest.unavailable in visible(site_files(loaded.workspace.plans, DAY, history)[PurePosixPath("changes.html")].decode())  # fmt: skip
    assert History() == History((), ())


# ---- writing and the command -----------------------------------------------------------------------


def test_publish_writes_every_file_and_leaves_the_users_own_alone(plans: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "CNAME").write_text("progress.testing.example\n", encoding="utf-8")
    loaded = load([plans])
    published = publish_site(loaded.workspace.plans, plans, DAY, out)
    assert (out / "CNAME").read_text(encoding="utf-8") == "progress.testing.example\n"
    assert published.pages == sum(1 for _ in out.rglob("*.html"))
    assert (out / "style.css").is_file() and (out / "data/milestones.csv").is_file()


def test_publish_refuses_the_plans_folder_and_a_file(plans: Path, tmp_path: Path) -> None:
    loaded = load([plans])
    with pytest.raises(RefusedOutput, match="plans folder"):
        publish_site(loaded.workspace.plans, plans, DAY, plans / "site")
    with pytest.raises(RefusedOutput, match="plans folder"):
        publish_site(loaded.workspace.plans, plans, DAY, plans.parent)
    (tmp_path / "a-file").write_text("mine\n", encoding="utf-8")
    with pytest.raises(RefusedOutput, match="is a file"):
        publish_site(loaded.workspace.plans, plans, DAY, tmp_path / "a-file")
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "mine\n"
    early = publish_site(loaded.workspace.plans, plans, dt.date(2010, 1, 1), tmp_path / "early")
    assert "No plan has started yet" in (tmp_path / "early/index.html").read_text(encoding="utf-8")
    assert early.pages == 5  # home, changes, past positions, open data, accessibility


def test_markup_in_plan_text_stays_text(tmp_path: Path) -> None:
    plans = write_plans(tmp_path, title="<script>alert(1)</script> Plan", milestone="Open the {{ hub }} & <b>hall</b>")
    files = built(plans)
    action = text_of(files, "plans/demo-2018-19/actions/A1.html")
    assert "Open the {{ hub }} &amp; &lt;b&gt;hall&lt;/b&gt;" in action and "<b>hall" not in action
    assert all(b"<script" not in data for name, data in files.items() if name.suffix == ".html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Plan" in text_of(files, "index.html")


def test_a_link_to_a_plan_file_in_the_folder_stops_the_site_before_anything_is_written(
    plans: Path, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    out.mkdir()
    (out / "style.css").symlink_to(plans / "demo-2018-19/alpha.yaml")
    before = (plans / "demo-2018-19/alpha.yaml").read_bytes()
    loaded = load([plans])
    with pytest.raises(RefusedOutput, match="a plan file"):
        publish_site(loaded.workspace.plans, plans, DAY, out)
    assert (plans / "demo-2018-19/alpha.yaml").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["style.css"]


def test_the_csv_cells_follow_the_projects_cell_rule(tmp_path: Path) -> None:
    """A title a spreadsheet would take for a formula is written as text (bvplan/papers/cells.py)."""
    plans = write_plans(tmp_path, milestone='=HYPERLINK("http://evil.example","Open")')
    rows = list(csv.DictReader(io.StringIO(text_of(built(plans), "data/milestones.csv"))))
    [row] = [r for r in rows if r["milestone"] == "A1.2"]
    assert row["title"] == '\'=HYPERLINK("http://evil.example","Open")'
