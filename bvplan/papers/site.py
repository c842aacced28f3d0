"""The public progress site: static HTML pages, open data and a feed, from the public view of the plans.

`site_files` is pure: plans, a reporting date and what git says changed in, a mapping of relative
path to bytes out, the same bytes for the same inputs (no build time is written anywhere; every
date comes from the plans or the date asked for). `publish_site` adds the git history and writes
the files through the one output writer.

Everything starts from the public view (`rules.public_view.public_plan`): each plan with everything
exempt taken out *before* anything is counted or shown, so no page, figure, data file or feed entry
can give an exempt item away (not even by how many were left out). It is applied in one place, `build`.

Past positions are computed as `bvplan status --as-of` and the papers compute them: from the
files' own dated facts (completions, revisions proposed and agreed, notes), each meeting's paper
at its position date. Only "changes since the last board" and the feed read git, because they are
about edits to the files themselves.

The pages follow the GOV.UK Design System's patterns in plain HTML and CSS (no script): a skip
link, breadcrumbs, summary lists, tags for status (always in words), tables with captions and
scoped headers, and charts as SVG with the same figures in a table beside them. A council's
`--templates` folder replaces any page template or the stylesheet, as it can for the paper.

More kinds of page (a register of recommendations, a framework) plug in through `PAGE_KINDS`.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from bvplan.errors import OutputFailed, RefusedOutput, UsageError
from bvplan.format.model import AccessibilityStatement, Meeting, Milestone, Revision
from bvplan.format.periods import Period, PeriodError, financial_year_of, parse_reporting, period_for_date
from bvplan.format.workspace import Plan
from bvplan.papers.change_lines import ChangeLine, change_lines
from bvplan.papers.report import Options, Paper, build_paper
from bvplan.rules.changes import Change
from bvplan.rules.directions import DirectionProgress, direction_progress
from bvplan.rules.measures import plan_measures
from bvplan.rules.public_view import WithheldItem, id_of, public_plan
from bvplan.rules.status import ActionStatus, Counts, MilestoneStatus, PlanStatus, Status, status_of, status_words

STYLESHEET = PurePosixPath("style.css")
FEED = PurePosixPath("feed.xml")
DATA = PurePosixPath("data")
ALL_MILESTONES_CSV = DATA / "milestones.csv"
SCHEMAS = PurePosixPath("schemas")
# What each column of the open data's CSV files holds (the columns of `status --format csv`); the open
# data page prints it and docs/site.md gives the same words.
COLUMN_MEANINGS: dict[str, str] = {
    "plan": "the plan's id",
    "theme": "the theme (work stream) the milestone belongs to",
    "action": "the action's id",
    "action_title": "the action's title",
    "milestone": "the milestone's id",
    "title": "the milestone's title",
    "owner": "who owns the milestone (else its action's owner, else the theme's lead)",
    "start": "the day work starts, when one is set",
    "due": "the original deadline",
    "deadline": "the deadline in force on the position date, after revisions agreed by then",
    "revised": "true when the deadline in force differs from the original",
    "proposed_deadline": "a new deadline proposed and not yet agreed",
    "proposed_reason": "why that new deadline was proposed",
    "status": "Completed, In Progress, Overdue, Not Started or Cancelled, on the position date",
    "on_time": "for a completed milestone: true when completed by its deadline",
    "completed": "the day it was completed",
    "cancelled": "the day it was cancelled",
    "due_soon": "true when the deadline falls within the plan's due-soon window",
    "days_overdue": "days past the deadline, for an overdue milestone",
    "rag": "the RAG rating: red, amber, green or blue (completed)",
    "rag_reason": "the reason the board gave for its own rating, when it rated the milestone",
    "latest_note": "the latest progress note by the position date",
    "ref": "the milestone's reference in the council's performance system",
}
# The tags the site's status words take: colour adds to the word, never replaces it.
STATUS_CLASS = {
    Status.COMPLETED.value: "completed",
    Status.IN_PROGRESS.value: "in-progress",
    Status.OVERDUE.value: "overdue",
    Status.NOT_STARTED.value: "not-started",
    Status.CANCELLED.value: "cancelled",
}


# ---- what the pages show -----------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionView:
    """One revision of a milestone's deadline, as known on the position date."""

    proposed: dt.date
    to: dt.date
    reason: str
    agreed: dt.date | None
    by: str | None
    withdrawn: dt.date | None
    withdrawn_reason: str | None

    @property
    def state(self) -> str:
        if self.withdrawn is not None:
            return "Withdrawn"
        return "Agreed" if self.agreed is not None else "Proposed"


@dataclass(frozen=True)
class MilestoneView:
    status: MilestoneStatus
    words: str  # the status in words: "Overdue (12 days)", "Completed (late)"
    revisions: tuple[RevisionView, ...]

    @property
    def id(self) -> str:
        return self.status.id

    @property
    def milestone(self) -> Milestone:
        return self.status.milestone

    @property
    def tag(self) -> str:
        return STATUS_CLASS[self.status.status.value]


@dataclass(frozen=True)
class ActionView:
    status: ActionStatus
    theme_slug: str
    theme_name: str
    milestones: tuple[MilestoneView, ...]
    directions: tuple[str, ...]  # ids of the Directions it serves, as the plan names them
    lead: str | None = None  # the theme's lead

    @property
    def id(self) -> str:
        return self.status.action.id

    @property
    def owner(self) -> str | None:
        """Its owner, else its theme's lead (as a milestone's owner is found)."""
        return self.status.action.owner or self.lead

    @property
    def title(self) -> str:
        return self.status.action.title

    @property
    def tag(self) -> str:
        return STATUS_CLASS[self.status.status.value]


@dataclass(frozen=True)
class ThemeView:
    slug: str
    name: str
    lead: str | None
    context: str | None
    counts: Counts
    actions: tuple[ActionView, ...]
    summary: str | None  # the progress summary of the period, when there is one
    achievements: tuple[str, ...]
    outcomes: tuple[str, ...]
    continuing: tuple[str, ...]


@dataclass(frozen=True)
class ArchiveEntry:
    """A past position: one board meeting's paper, at its position date, recomputed from the files."""

    plan_id: str
    plan_title: str
    meeting: Meeting
    paper: Paper
    path: PurePosixPath


@dataclass(frozen=True)
class PlanView:
    plan: Plan  # the public plan
    position: dt.date
    closed: bool  # the plan ended before the reporting date
    paper: Paper  # its public paper at the position: the introduction's figures, summary and chart
    status: PlanStatus
    themes: tuple[ThemeView, ...]
    directions: tuple[DirectionProgress, ...]
    archive: tuple[ArchiveEntry, ...]

    @property
    def id(self) -> str:
        return self.plan.id

    @property
    def title(self) -> str:
        return self.plan.model.title

    @property
    def actions(self) -> tuple[ActionView, ...]:
        return tuple(a for t in self.themes for a in t.actions)


@dataclass(frozen=True)
class BoardChanges:
    """What changed in the plans' files between two boards (or since the last), from git."""

    plan_id: str
    plan_title: str
    board: dt.date  # the later board; or the last board, for the changes since it
    since: dt.date | None  # the earlier board, if any
    lines: tuple[ChangeLine, ...]
    unavailable: str | None = None  # why git could not say: no repository, no commit so early


@dataclass(frozen=True)
class History:
    """Changes the site reports, computed by the caller from git (`git_history`)."""

    since_last_board: tuple[BoardChanges, ...] = ()
    by_board: tuple[BoardChanges, ...] = ()


@dataclass(frozen=True)
class Page:
    path: PurePosixPath
    template: str
    title: str
    breadcrumbs: tuple[tuple[str, PurePosixPath], ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict)


# ---- building ----------------------------------------------------------------------------------


def plan_path(plan_id: str, *parts: str) -> PurePosixPath:
    return PurePosixPath("plans", plan_id, *parts) if parts else PurePosixPath("plans", plan_id, "index.html")


def _revisions_known(milestone: Milestone, day: dt.date) -> tuple[RevisionView, ...]:
    """The revisions proposed by `day`, each as it stood on `day` (agreement or withdrawal only once made)."""
    views = []
    for revision in milestone.revisions:
        if revision.proposed > day:
            continue
        views.append(_revision_view(revision, day))
    return tuple(views)


def _revision_view(revision: Revision, day: dt.date) -> RevisionView:
    agreed = revision.agreed if revision.agreed is not None and revision.agreed <= day else None
    withdrawn = revision.withdrawn if revision.withdrawn is not None and revision.withdrawn.on <= day else None
    return RevisionView(
        revision.proposed,
        revision.to,
        revision.reason,
        agreed,
        revision.by if agreed else None,
        withdrawn.on if withdrawn else None,
        withdrawn.reason if withdrawn else None,
    )


def _theme_views(plan: Plan, status: PlanStatus, paper: Paper) -> tuple[ThemeView, ...]:
    by_slug = {t.slug: t for t in plan.themes}
    progress = {p.theme: p for p in paper.progress}
    views = []
    for theme in status.themes:
        model = by_slug[theme.slug].model
        actions = tuple(
            ActionView(
                a,
                theme.slug,
                theme.name,
                tuple(
                    MilestoneView(
                        m, status_words(m, mention_due_soon=False), _revisions_known(m.milestone, status.as_of)
                    )
                    for m in a.milestones
                ),
                tuple(a.action.directions),
                model.lead,
            )
            for a in theme.actions
        )
        update = progress.get(theme.name)
        views.append(
            ThemeView(
                theme.slug,
                theme.name,
                model.lead,
                model.context,
                theme.counts,
                actions,
                update.summary if update else None,
                update.achievements if update else (),
                update.outcomes if update else (),
                update.continuing if update else (),
            )
        )
    return tuple(views)


def _period_of(plan: Plan, key: str) -> Period:
    model = plan.model
    return parse_reporting(key, financial_year_of(model.start, model.year_start), model.cadence, model.year_start)


def _archive(plan: Plan, day: dt.date, titles: Mapping[str, str]) -> tuple[ArchiveEntry, ...]:
    """Every board held by `day`: its paper's position, recomputed from the files as the paper computes it."""
    entries = []
    for meeting in sorted(plan.model.meetings, key=lambda m: (m.date, m.period)):
        if meeting.date > day:
            continue
        try:
            period = _period_of(plan, meeting.period)
        except PeriodError:
            continue  # validate reports it; the archive cannot place it
        paper = build_paper(plan, period, Options(public=True, paper=meeting.paper), plan_titles=titles)
        path = PurePosixPath("archive", plan.id, f"{meeting.date.isoformat()}.html")
        entries.append(ArchiveEntry(plan.id, plan.model.title, meeting, paper, path))
    # Two papers on one day (a board and a cabinet paper) would share a page: the first is kept.
    return tuple(
        {entry.path: entry for entry in reversed(entries)}[path] for path in dict.fromkeys(e.path for e in entries)
    )


def plan_view(plan: Plan, day: dt.date, titles: Mapping[str, str]) -> PlanView:
    """A public plan's position on `day` (on its last day, once it has ended)."""
    model = plan.model
    position = min(day, model.end)
    period = period_for_date(position, model.cadence, model.year_start)
    paper = build_paper(plan, period, Options(public=True, as_of=position), plan_titles=titles)
    # As `bvplan status` computes it (a milestone's owner falls back to its theme's lead); the
    # figures are the paper's, which counts the same milestones on the same day.
    status = status_of(plan, paper.as_of)
    placed = plan_measures(plan, status.as_of)
    directions = tuple(direction_progress(model.directions, status, placed))
    return PlanView(
        plan,
        status.as_of,
        model.end < day,
        paper,
        status,
        _theme_views(plan, status, paper),
        directions,
        _archive(plan, day, titles),
    )


def _pages_of_plan(view: PlanView) -> list[Page]:
    from bvplan.papers.rendering import long_date

    home = (("Home", PurePosixPath("index.html")),)
    crumbs = (*home, (view.title, plan_path(view.id)))
    pages = [Page(plan_path(view.id), "_site-plan.html.j2", view.title, home, {"view": view})]
    for theme in view.themes:
        pages.append(
            Page(
                plan_path(view.id, "themes", f"{theme.slug}.html"),
                "_site-theme.html.j2",
                theme.name,
                crumbs,
                {"view": view, "theme": theme},
            )
        )
        for action in theme.actions:
            pages.append(
                Page(
                    plan_path(view.id, "actions", f"{action.id}.html"),
                    "_site-action.html.j2",
                    f"{action.id}: {action.title}",
                    (*crumbs, (theme.name, plan_path(view.id, "themes", f"{theme.slug}.html"))),
                    {"view": view, "theme": theme, "action": action},
                )
            )
    if view.plan.model.directions:
        directions_index = plan_path(view.id, "directions", "index.html")
        pages.append(Page(directions_index, "_site-directions.html.j2", "Directions", crumbs, {"view": view}))
        for direction in view.directions:
            pages.append(
                Page(
                    plan_path(view.id, "directions", f"{direction.id}.html"),
                    "_site-direction.html.j2",
                    f"{direction.id}: {direction.direction.title}",
                    (*crumbs, ("Directions", directions_index)),
                    {"view": view, "direction": direction},
                )
            )
    archive = (*home, ("Past positions", PurePosixPath("archive/index.html")))
    for entry in view.archive:
        pages.append(
            Page(
                entry.path,
                "_site-position.html.j2",
                f"{entry.plan_title}: position for the board of {long_date(entry.meeting.date)}",
                archive,
                {"entry": entry, "view": view},
            )
        )
    return pages


# The kinds of page each plan has. A new kind (a register of recommendations, a framework) is a
# function added here: it takes a plan's public view and gives its pages, each naming a template of
# its own in templates/ (which a --templates folder can replace like any other).
PageKind = Callable[[PlanView], list[Page]]
PAGE_KINDS: tuple[PageKind, ...] = (_pages_of_plan,)


def current_plan(views: Sequence[PlanView], day: dt.date) -> PlanView | None:
    """The plan the home page leads with: the one live on `day`, else the latest begun (latest start)."""
    live = [v for v in views if v.plan.model.start <= day <= v.plan.model.end]
    chosen = live or list(views)
    return max(chosen, key=lambda v: (v.plan.model.start, v.id)) if chosen else None


def accessibility_of(views: Sequence[PlanView], current: PlanView | None) -> AccessibilityStatement | None:
    """The statement of the current plan, else of the latest plan that has one."""
    ordered = ([current] if current else []) + sorted(views, key=lambda v: (v.plan.model.start, v.id), reverse=True)
    return next((v.plan.model.accessibility for v in ordered if v.plan.model.accessibility), None)


@dataclass(frozen=True)
class Site:
    as_of: dt.date
    views: tuple[PlanView, ...]
    current: PlanView | None
    history: History
    accessibility: AccessibilityStatement | None
    authority: str
    name: str


def build(plans: Iterable[Plan], day: dt.date, history: History, context_titles: Mapping[str, str]) -> Site:
    """The site's content: each plan's public view on `day`, newest plan first."""
    # The one place the site applies the public view (rules/public_view.py): before anything is counted.
    public = [public_plan(plan) for plan in plans if plan.model.start <= day]
    titles = {**context_titles, **{p.id: p.model.title for p in public}}
    views = tuple(
        sorted((plan_view(p, day, titles) for p in public), key=lambda v: (v.plan.model.start, v.id), reverse=True)
    )
    current = current_plan(views, day)
    statement = accessibility_of(views, current)
    authority = current.plan.model.authority if current else "Improvement plan"
    name = (statement.website if statement and statement.website else None) or "Improvement plan progress"
    return Site(day, views, current, history, statement, authority, name)


def pages_of(site: Site) -> list[Page]:
    home = (("Home", PurePosixPath("index.html")),)
    pages = [
        Page(PurePosixPath("index.html"), "_site-home.html.j2", "Home", (), {}),
        Page(PurePosixPath("changes.html"), "_site-changes.html.j2", "Changes since the last board", home, {}),
        Page(PurePosixPath("archive/index.html"), "_site-archive.html.j2", "Past positions", home, {}),
        Page(
            PurePosixPath("open-data.html"), "_site-open-data.html.j2", "Open data", home, {"columns": COLUMN_MEANINGS}
        ),
        Page(PurePosixPath("accessibility.html"), "_site-accessibility.html.j2", "Accessibility statement", home, {}),
    ]
    for view in site.views:
        for kind in PAGE_KINDS:
            pages.extend(kind(view))
    return pages


# ---- open data ---------------------------------------------------------------------------------


def _data_files(site: Site) -> dict[PurePosixPath, bytes]:
    """Each plan's milestones as CSV and JSON (the columns and keys of `bvplan status`), and all of them."""
    from bvplan.papers.status_views import as_csv, rows_of, write_json

    files: dict[PurePosixPath, bytes] = {}
    for view in site.views:
        rows = rows_of([view.status])
        files[DATA / f"{view.id}.csv"] = as_csv(rows).encode("utf-8")
        stream = io.StringIO()
        period = period_for_date(view.position, view.plan.model.cadence, view.plan.model.year_start)
        write_json(rows, period, stream)
        files[DATA / f"{view.id}.json"] = stream.getvalue().encode("utf-8")
    files[ALL_MILESTONES_CSV] = as_csv(rows_of([v.status for v in site.views])).encode("utf-8")
    return files


def _schema_files() -> dict[PurePosixPath, bytes]:
    from bvplan.format.schema import schema_text

    return {SCHEMAS / f"{kind}.schema.json": schema_text(kind).encode("utf-8") for kind in ("plan", "theme")}


def feed_xml(site: Site) -> str:
    """An Atom feed (RFC 4287) with an entry per board date: what changed in the plans before it."""
    entries = sorted(site.history.by_board, key=lambda b: (b.board, b.plan_id), reverse=True)
    updated = max((b.board for b in entries), default=site.as_of)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{xml_escape(site.name)}: changes by board date</title>",
        f"  <subtitle>{xml_escape(site.authority)}: what changed in the improvement plans before each board</subtitle>",
        f"  <id>urn:bvplan:site:{xml_escape(_slug(site.authority))}</id>",
        f"  <updated>{updated.isoformat()}T00:00:00Z</updated>",
        '  <link rel="self" href="feed.xml"/>',
        '  <link rel="alternate" type="text/html" href="changes.html"/>',
        f"  <author><name>{xml_escape(site.authority)}</name></author>",
    ]
    for board in entries:
        title = f"{board.plan_title}: changes before the board of {board.board.isoformat()}"
        out += [
            "  <entry>",
            f"    <title>{xml_escape(title)}</title>",
            f"    <id>urn:bvplan:{xml_escape(board.plan_id)}:board:{board.board.isoformat()}</id>",
            f"    <updated>{board.board.isoformat()}T00:00:00Z</updated>",
            f'    <link rel="alternate" type="text/html" href="archive/{xml_escape(board.plan_id)}/'
            f'{board.board.isoformat()}.html"/>',
            f"    <summary>{xml_escape(_feed_summary(board))}</summary>",
            "  </entry>",
        ]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def _feed_summary(board: BoardChanges) -> str:
    if board.unavailable:
        return board.unavailable
    if not board.lines:
        return "No changes to the published plan."
    return " ".join(
        f"{line.what}: {line.item_id} {line.title}{f' ({line.detail})' if line.detail else ''}." for line in board.lines
    )


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) or "site"


# ---- rendering ---------------------------------------------------------------------------------


def relative(page: PurePosixPath, target: PurePosixPath | str) -> str:
    """The link from `page` to `target`, relative, so the site works from any folder, server or file://."""
    target = PurePosixPath(target)
    return posixpath.relpath(str(target), str(page.parent)) if str(page.parent) != "." else str(target)


def render_site(site: Site, templates: Path | None = None) -> dict[PurePosixPath, bytes]:
    """Every file of the site, by path: pages, stylesheet, open data, schema and feed."""
    from bvplan.papers.rendering import BASE_BUDGET, BUDGET_PER_ITEM, environment, render_named, tidy

    pages = pages_of(site)
    env = environment(templates)
    env.globals.update(status_class=STATUS_CLASS)
    items = sum(len(v.status.milestones()) for v in site.views) + len(pages)
    env.budget = BASE_BUDGET + BUDGET_PER_ITEM * items * 4
    files: dict[PurePosixPath, bytes] = {}
    for page in pages:

        def url(target: PurePosixPath | str, _page: PurePosixPath = page.path) -> str:
            return relative(_page, target)

        context = {
            "site": site,
            "page": page,
            "url": url,
            "plan_path": plan_path,
            **page.context,
        }
        files[page.path] = tidy(render_named(env, page.template, context), markdown=False).encode("utf-8")
    files[STYLESHEET] = render_named(env, "site.css", {}).encode("utf-8")
    files.update(_data_files(site))
    files.update(_schema_files())
    files[FEED] = feed_xml(site).encode("utf-8")
    return files


def site_files(
    plans: Iterable[Plan],
    day: dt.date,
    history: History | None = None,
    templates: Path | None = None,
    context_titles: Mapping[str, str] | None = None,
) -> dict[PurePosixPath, bytes]:
    """The whole site for `plans` on `day`; pure apart from reading a --templates folder."""
    from bvplan.papers.rendering import TemplateProblem

    site = build(plans, day, history or History(), context_titles or {})
    try:
        return render_site(site, templates)
    except TemplateProblem as exc:
        raise UsageError(str(exc)) from None


# ---- git history -------------------------------------------------------------------------------


def git_history(plans: Iterable[Plan], plans_dir: Path, day: dt.date, titles: Mapping[str, str]) -> History:
    """Changes since each plan's last board by `day`, and between each pair of its boards, from git."""
    from bvplan.git.boards import BoardHistory

    git = BoardHistory(plans_dir)
    latest: list[BoardChanges] = []
    by_board: list[BoardChanges] = []
    for plan in plans:
        hidden = _exempt_ids(plan)
        boards = sorted({m.date for m in plan.model.meetings if m.date <= day})
        title = plan.model.title

        def lines(found: list[Change] | str, _plan: Plan = plan, _hidden: set[str] = hidden) -> Any:
            if isinstance(found, str):
                return (), found
            return change_lines(found, _plan.id, _hidden, titles), None

        previous: dt.date | None = None
        for board in boards:
            if previous is not None:
                shown, why = lines(git.changes(previous, board))
                by_board.append(BoardChanges(plan.id, title, board, previous, shown, why))
            else:
                why = "The first board of this plan: there is no earlier board to compare with."
                by_board.append(BoardChanges(plan.id, title, board, None, (), why))
            previous = board
        if boards:
            shown, why = lines(git.changes(boards[-1], git.until(day)))
            latest.append(BoardChanges(plan.id, title, boards[-1], None, shown, why))
    return History(tuple(latest), tuple(by_board))


def _exempt_ids(plan: Plan) -> set[str]:
    """Ids of the items the public view withholds (and all they hold): never named in public."""
    withheld: list[WithheldItem] = []
    public_plan(plan, withheld)
    return {found for item in withheld if (found := id_of(item))}


# ---- writing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    folder: Path
    files: int
    pages: int


def write_site(files: Mapping[PurePosixPath, bytes], folder: Path, plans_dir: Path) -> Published:
    """Write every file under `folder` through the output guard (bvplan.edits.files), which refuses any
    path that reaches the plans; every path is checked before the first file is written, so a link to
    a plan file placed in the folder stops the whole site. Each file is written atomically.

    Files already in the folder that the site does not make are left alone: they are the user's.
    """
    from bvplan.edits.files import refuse_plan_paths, write_output

    if folder.exists() and not folder.is_dir():
        raise RefusedOutput(f"'{folder}' is a file; give a folder for the site, e.g. -o public/")
    parent = folder.parent if str(folder.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"cannot write the site to '{folder}': the folder '{parent}' does not exist")
    targets = {relative_path: folder.joinpath(*relative_path.parts) for relative_path in sorted(files)}
    for target in (folder, *targets.values()):
        refuse_plan_paths(target, [plans_dir])
    try:
        for relative_path, target in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_output(target, files[relative_path], plans=[plans_dir])
    except OSError as exc:  # a folder that cannot be made
        raise OutputFailed(f"cannot write the site to '{folder}': {exc.strerror}") from None
    pages = sum(1 for p in files if p.suffix == ".html")
    return Published(folder, len(files), pages)


def publish_site(
    plans: Sequence[Plan],
    plans_dir: Path,
    day: dt.date,
    folder: Path,
    templates: Path | None = None,
    context_titles: Mapping[str, str] | None = None,
) -> Published:
    """`bvplan site`: build the public site of `plans` on `day` and write it to `folder`."""
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates '{templates}' is not a folder")
    _refuse_plans_folder(folder, plans_dir)
    titles = {**(context_titles or {}), **{p.id: p.model.title for p in plans}}
    started = [p for p in plans if p.model.start <= day]  # a plan still to start has no position yet
    history = git_history(started, plans_dir, day, titles)
    files = site_files(started, day, history, templates, titles)
    return write_site(files, folder, plans_dir)


def _refuse_plans_folder(folder: Path, plans_dir: Path) -> None:
    target, plans = folder.resolve(), plans_dir.resolve()
    if target == plans or target.is_relative_to(plans) or plans.is_relative_to(target):
        raise RefusedOutput(
            f"will not write the site to '{folder}': it holds or is inside the plans folder; give a folder of "
            "its own, e.g. -o public/"
        )
