"""The board paper's content: everything `bvplan report` prints, as plain data for the templates.

Pure: plans and a reporting period in, a `Paper` out; no Jinja and no I/O, so the same inputs give
the same paper and every figure in it can be tested without rendering.

A paper is taken at its meeting's position date (`meetings[].position`, by default `position_days`
before the meeting): a paper can only report what was known when it went out. Revisions the
meeting is asked to agree (proposed by the meeting's date and not agreed before it) are listed as
proposed, even those the minutes record as agreed that day; the next paper lists them as agreed.

The paper follows the seeds' board papers: a cover, the introduction in figures, what the board is
asked to do, the status criteria, a summary per theme, each theme's progress summary, proposed and
agreed revisions to target dates, and Appendix 1 (every milestone, by theme and action).

A public paper (`public=True`) is built from the public view of the plan (rules/public_view.py),
taken before anything else sees it: everything marked `exempt` is gone before anything is
counted, so no figure betrays what was withheld; the paper says only how many items were left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bvplan.format.model import Action, Meeting, Revision, Update
from bvplan.format.periods import Period
from bvplan.format.workspace import Plan
from bvplan.papers.change_lines import ChangeLine, change_lines
from bvplan.papers.measure_paper import MeasuresPart, measures_part
from bvplan.papers.register_paper import RegistersPart, registers_part
from bvplan.papers.sections import (
    BOARD_PAPER,
    CLOSING,
    SUMMARY,
    Cover,
    TextSection,
    cover_of,
    find_meeting,
    heading_of,
    merged_sections,
    missing_sections,
    paragraphs,
    position_of,
    previous_meeting,
)
from bvplan.rules.chain import registers
from bvplan.rules.changes import Change
from bvplan.rules.public_view import Withheld, WithheldItem, id_of, public_plan, withheld_in_paper
from bvplan.rules.rebaseline import RebaselineRow, rebaseline_profile
from bvplan.rules.rebaseline import total as rebaseline_total
from bvplan.rules.status import (
    STANDARD,
    ActionStatus,
    Counts,
    DeadlinesBefore,
    MilestoneStatus,
    PlanStatus,
    Status,
    ThemeStatus,
    Vocabulary,
    action_words,
    status_of,
    status_words,
)

CABINET_PAPER = "cabinet"
YEAR_END_PAPER = "year-end"
# The exit-readiness paper (`bvplan report exit`), which is also the handover to a successor authority.
EXIT_PAPER = "exit"
BUILTIN_PAPERS = (BOARD_PAPER, CABINET_PAPER, YEAR_END_PAPER, EXIT_PAPER)


@dataclass(frozen=True)
class Options:
    """What the user chose beyond the period: a public paper, and cover details that win over plan.yaml."""

    public: bool = False
    meeting_date: dt.date | None = None
    item: str | None = None
    author: str | None = None
    title: str | None = None
    as_of: dt.date | None = None  # the position date asked for, instead of the meeting's
    paper: str | None = None  # board, cabinet, year-end or a house paper; default: the meeting's, else by period


@dataclass(frozen=True)
class CarriedFrom:
    plan_id: str
    plan_title: str | None  # None when that plan is not in the workspace
    actions: int
    milestones: int


@dataclass(frozen=True)
class Introduction:
    themes: tuple[str, ...]
    actions: int  # not cancelled
    open_actions: int  # neither completed nor cancelled
    milestones: int  # counted: not cancelled
    completed: int
    carried: tuple[CarriedFrom, ...]


@dataclass(frozen=True)
class Criterion:
    status: str
    wording: str


@dataclass(frozen=True)
class SummaryRow:
    theme: str
    completed: int
    in_progress: int
    overdue: int
    not_started: int
    total: int
    cancelled: int
    percent_delivered: str  # "67%": rounded as `bvplan status` rounds it
    within_tolerance: int = 0  # of the overdue, those within the plan's tolerance ('tolerance' vocabulary)
    off_track: int = 0  # of the overdue, those beyond it

    @classmethod
    def of(cls, theme: str, counts: Counts) -> SummaryRow:
        return cls(
            theme,
            counts.completed,
            counts.in_progress,
            counts.overdue,
            counts.not_started,
            counts.total,
            counts.cancelled,
            f"{counts.percent_delivered:.0f}%",
            counts.within_tolerance,
            counts.off_track,
        )


@dataclass(frozen=True)
class MilestoneLine:
    id: str
    title: str
    action_id: str
    action_title: str
    owner: str | None
    ref: str | None
    status: str  # Completed, In Progress, Overdue, Not Started, Cancelled
    status_detail: str  # e.g. "Overdue (12 days)", "Completed (late)"
    deadline: dt.date  # in force on the reporting date
    original_due: dt.date | None  # the original deadline, only when it has been revised
    proposed_deadline: dt.date | None  # a revision proposed and not yet agreed
    completed: dt.date | None
    cancelled: dt.date | None
    cancelled_reason: str | None
    note: str | None  # the latest note by the reporting date
    note_on: dt.date | None
    board_rating: str | None = None  # a board's own RAG rating in force ("Amber"), with its reason
    board_rating_reason: str | None = None
    exempt: bool = False  # the milestone (or its action or theme) is exempt: marked in the full paper
    note_exempt: bool = False


@dataclass(frozen=True)
class ThemeProgress:
    theme: str
    lead: str | None
    context: str | None  # the theme's standing context paragraph (the year-end paper prints it)
    exempt: bool  # the theme is exempt: everything under it is
    summary: str | None
    achievements: tuple[str, ...]
    outcomes: tuple[str, ...]
    continuing: tuple[str, ...]
    completed_in_period: tuple[MilestoneLine, ...]
    overdue: tuple[MilestoneLine, ...]

    update_exempt: bool = False  # only the progress summary is exempt

    @property
    def has_update(self) -> bool:
        return bool(self.summary or self.achievements or self.outcomes or self.continuing)


@dataclass(frozen=True)
class RevisionLine:
    milestone_id: str
    milestone_title: str
    action_title: str
    current_date: dt.date  # the deadline in force before this revision
    proposed_date: dt.date
    commentary: str
    proposed_on: dt.date
    agreed_on: dt.date | None
    agreed_by: str | None
    exempt: bool = False  # the milestone (or its action or theme) is exempt: marked in the full paper


@dataclass(frozen=True)
class RevisionBlock:
    """Revisions of one action that share their commentary: one row of the table, as 003's 4.27 has it."""

    action_title: str
    commentary: str
    revisions: tuple[RevisionLine, ...]


@dataclass(frozen=True)
class RevisionGroup:
    theme: str
    revisions: tuple[RevisionLine, ...]

    @property
    def blocks(self) -> tuple[RevisionBlock, ...]:
        blocks: list[RevisionBlock] = []
        for line in self.revisions:
            last = blocks[-1] if blocks else None
            if last and (last.action_title, last.commentary) == (line.action_title, line.commentary):
                blocks[-1] = RevisionBlock(last.action_title, last.commentary, (*last.revisions, line))
            else:
                blocks.append(RevisionBlock(line.action_title, line.commentary, (line,)))
        return tuple(blocks)


@dataclass(frozen=True)
class AppendixAction:
    id: str
    title: str
    owner: str | None
    status: str  # the action's status rolled up from its milestones
    milestones: tuple[MilestoneLine, ...]  # not cancelled
    exempt: bool = False


@dataclass(frozen=True)
class AppendixTheme:
    theme: str
    lead: str | None
    actions: tuple[AppendixAction, ...]
    cancelled: tuple[MilestoneLine, ...]
    exempt: bool = False


@dataclass(frozen=True)
class YearEnd:
    """The plan-wide part of a year-end paper (002's introduction and summary of key achievements)."""

    summary: str | None
    achievements: tuple[str, ...]
    actions: int  # the plan's strategic actions (not cancelled)


@dataclass(frozen=True)
class Paper:
    cover: Cover
    period_label: str  # "2018-19 Q1"
    period_start: dt.date
    as_of: dt.date  # the position date: the meeting's, the period's last day, or the date asked for
    cadence: str
    public: bool
    withheld: Withheld
    introduction: Introduction
    recommendations: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    summary: tuple[SummaryRow, ...]
    total: SummaryRow
    show_not_started: bool
    progress: tuple[ThemeProgress, ...]
    proposed_revisions: tuple[RevisionGroup, ...]
    agreed_revisions: tuple[RevisionGroup, ...]
    appendix: tuple[AppendixTheme, ...]
    changes: tuple[ChangeLine, ...] | None  # None: no "Changes since the last meeting" section
    status: PlanStatus = field(repr=False)  # the figures the paper is built from, for custom templates
    # Measures, Directions, confidence of delivery and evidence (measure_paper.py).
    performance: MeasuresPart = field(default_factory=MeasuresPart)
    kind: str = BOARD_PAPER  # board, cabinet, year-end, or a house paper's name
    decision_date: dt.date | None = None  # the meeting's date: revisions up to it are put to the meeting
    month_deadlines: bool = False  # deadlines are month-ends, printed "Oct-15"
    sections: tuple[TextSection, ...] = ()  # the committee report's text sections, numbered, in order
    numbers: Mapping[str, int] = field(default_factory=dict)  # section number of each fixed part; 0: unnumbered
    missing_sections: tuple[str, ...] = ()  # required sections this paper lacks
    year_end: YearEnd | None = None
    contains_exempt: bool = False  # the (full) paper prints exempt items, each marked where it appears
    # The re-baseline profile, per theme then the total; empty unless plan.yaml asks for it.
    rebaseline: tuple[RebaselineRow, ...] = ()
    # The status chart's series in the plan's words: completed, in progress, overdue, not started.
    chart_names: tuple[str, str, str, str] = ("Completed", "In Progress", "Overdue", "Not Started")
    # The summary table's status columns in the plan's words: (heading, SummaryRow attribute).
    summary_columns: tuple[tuple[str, str], ...] = (
        ("Completed", "completed"),
        ("In Progress", "in_progress"),
        ("Overdue", "overdue"),
    )
    # The plan-wide progress paragraph of the period (plan.yaml `updates`), as 000's 4.1.
    overview: str | None = None
    # The Directions progress summary and the registers (register_paper.py); empty without registers.
    registers: RegistersPart = field(default_factory=RegistersPart)

    def part(self, name: str) -> tuple[TextSection, ...]:
        """The text sections of one part: summary, opening or closing."""
        return tuple(s for s in self.sections if s.part == name)


@dataclass(frozen=True)
class _ThemeView:
    slug: str
    name: str
    lead: str | None
    actions: tuple[Action, ...]
    update: Update | None
    context: str | None = None
    exempt: bool = False


def paper_kind(plan: Plan, period: Period, options: Options) -> str:
    """Which paper: the one asked for, else the meeting's, else year-end for a year and board otherwise."""
    if options.paper:
        return options.paper
    meeting = find_meeting(plan.model, period.key)
    if meeting and meeting.paper:
        return meeting.paper
    return YEAR_END_PAPER if period.part is None else BOARD_PAPER


def position_date(plan: Plan, period: Period, options: Options) -> tuple[dt.date, Meeting | None]:
    """The paper's position date and its meeting: never after the period's end, nor after the meeting."""
    meeting = find_meeting(plan.model, period.key, paper_kind(plan, period, options))
    if options.as_of is not None:
        return min(options.as_of, period.end), meeting
    if meeting is not None and options.meeting_date is None:
        return min(position_of(plan.model, meeting), period.end), meeting
    if options.meeting_date is not None:
        later = options.meeting_date - dt.timedelta(days=plan.model.position_days)
        return min(later, period.end), meeting
    return period.end, meeting


def build_paper(
    plan: Plan,
    period: Period,
    options: Options | None = None,
    changes: Iterable[Change] | None = None,
    plan_titles: Mapping[str, str] | None = None,
) -> Paper:
    """The paper for `plan` on `period`, taken at its position date (see `position_date`).

    `plan_titles` names other plans by id, for the plans actions were carried forward from.
    """
    options = options or Options()
    kind = paper_kind(plan, period, options)
    day, meeting = position_date(plan, period, options)
    decision = options.meeting_date or (meeting.date if meeting else None)
    meeting_index = _index_of(plan, meeting)
    withheld_items: list[WithheldItem] = []
    if options.public:  # the public view, before anything below sees the plan
        plan = public_plan(plan, withheld_items)
    withheld = withheld_in_paper(withheld_items, _update_keys(period), meeting_index)
    hidden_ids = {item_id for item in withheld_items if (item_id := id_of(item))}
    views = _views(plan, _update_keys(period))
    status = status_of(plan, day)
    pairs = list(zip(views, status.themes, strict=True))
    # The window since the last paper: what happened after its position, agreed at or after its meeting.
    # A year-end paper covers the whole year, whatever meetings there were during it.
    before = None if kind == YEAR_END_PAPER else previous_meeting(plan.model, decision or day)
    since = position_of(plan.model, before) + dt.timedelta(days=1) if before else period.start
    agreed_since = before.date if before else period.start
    asked = decision or day
    proposed = _revision_groups(
        pairs, day, lambda r: since <= r.proposed <= asked and (r.agreed is None or r.agreed >= asked)
    )
    agreed = _revision_groups(pairs, day, lambda r: r.agreed is not None and agreed_since <= r.agreed < asked)
    summary = tuple(SummaryRow.of(theme.name, theme.counts) for theme in status.themes)
    sections = _sections(plan, _meeting_at(plan, meeting_index))
    has_changes = changes is not None
    numbered, numbers = _number(kind, sections, has_changes)
    progress = tuple(_progress(view, theme, since, day, status.vocabulary) for view, theme in pairs)
    appendix = tuple(_appendix(view, theme, status.vocabulary) for view, theme in pairs)
    contains_exempt = _any_exempt(progress, appendix, numbered)  # never, in a public view
    return Paper(
        cover=_cover(plan, period, options, meeting, contains_exempt, kind),
        period_label=period.label,
        period_start=since,
        as_of=day,
        cadence=plan.model.cadence,
        public=options.public,
        withheld=withheld,
        introduction=_introduction(status, views, plan_titles or {}),
        recommendations=_recommendations(bool(proposed), bool(agreed), meeting),
        criteria=_criteria(status.counts, status.vocabulary),
        summary=summary,
        total=SummaryRow.of("Total", status.counts),
        show_not_started=status.counts.not_started > 0,
        progress=progress,
        proposed_revisions=proposed,
        agreed_revisions=agreed,
        appendix=appendix,
        changes=None if changes is None else change_lines(changes, plan.id, hidden_ids, plan_titles or {}),
        status=status,
        performance=measures_part(plan, status),
        kind=kind,
        decision_date=decision,
        month_deadlines=plan.model.deadline_precision == "month",
        sections=numbered,
        numbers=numbers,
        missing_sections=tuple(missing_sections(plan.model, meeting)),
        year_end=_year_end(plan, period, status) if kind == YEAR_END_PAPER else None,
        contains_exempt=contains_exempt,
        overview=None if kind == YEAR_END_PAPER else _overview(plan, period),
        rebaseline=_rebaseline(plan, status),
        summary_columns=status.vocabulary.summary_columns(status.counts.not_started > 0),
        chart_names=status.vocabulary.chart_names,
        registers=registers_part(registers(plan, day)),
    )


def _rebaseline(plan: Plan, status: PlanStatus) -> tuple[RebaselineRow, ...]:
    """The re-baseline profile when the plan opts in (`rebaseline_profile: true`): each theme, then the total."""
    if not plan.model.rebaseline_profile:
        return ()
    rows = rebaseline_profile(status)
    return (*rows, rebaseline_total(rows))


def _index_of(plan: Plan, meeting: Meeting | None) -> int | None:
    """Where the paper's meeting stands in plan.yaml's `meetings` (a public view keeps every meeting)."""
    if meeting is None:
        return None
    return next((i for i, m in enumerate(plan.model.meetings) if m is meeting), None)


def _meeting_at(plan: Plan, index: int | None) -> Meeting | None:
    """The paper's meeting as the plan given holds it (in a public view, without its exempt sections)."""
    return plan.model.meetings[index] if index is not None else None


def _overview(plan: Plan, period: Period) -> str | None:
    update = plan.model.updates.get(period.key)
    return update.summary if update is not None else None


def _update_keys(period: Period) -> tuple[str, ...]:
    """The `updates` keys a paper reads, first found wins: a year's own key, then its last period's.

    A year-end paper reads `updates: {"2017-18": ...}`; a plan that wrote its year-end narrative
    under the last quarter ("2017-18 Q4") or half ("2017-18 H2") is read too.
    """
    if period.part is not None:
        return (period.key,)
    return (period.key, f"{period.key} Q4", f"{period.key} H2")


def _year_end(plan: Plan, period: Period, status: PlanStatus) -> YearEnd:
    update = next((plan.model.updates[k] for k in _update_keys(period) if k in plan.model.updates), None)
    return YearEnd(
        summary=update.summary if update else None,
        achievements=tuple(update.achievements) if update else (),
        actions=sum(1 for a in status.actions() if a.status is not Status.CANCELLED),
    )


def _sections(plan: Plan, meeting: Meeting | None) -> list[tuple[str, str, str, str, bool]]:
    """(key, heading, part, text, exempt) of each section the paper prints."""
    return [
        (key, heading_of(key, section), section.part or CLOSING, section.text, section.exempt)
        for key, section in merged_sections(plan.model, meeting)
    ]


# The fixed parts of each built-in paper, in order; "*opening" and "*closing" are the text sections.
_LAYOUT: dict[str, tuple[str, ...]] = {
    BOARD_PAPER: (
        "introduction",
        "recommendations",
        "*opening",
        "criteria",
        "summary",
        "progress",
        "revisions",
        "changes",
        "*closing",
    ),
    CABINET_PAPER: ("*opening", "*closing"),
    YEAR_END_PAPER: ("introduction", "achievements", "summary", "progress", "*opening", "*closing"),
    EXIT_PAPER: ("exit_summary", "exit_directions", "exit_recommendations", "*opening", "*closing"),
}


def _number(
    kind: str, sections: Sequence[tuple[str, str, str, str, bool]], has_changes: bool
) -> tuple[tuple[TextSection, ...], dict[str, int]]:
    """Number the paper's parts in order; a house paper gets the board paper's numbering."""
    numbers: dict[str, int] = {}
    numbered: list[TextSection] = []
    count = 0
    for key, heading, part, text, exempt in sections:
        if part == SUMMARY:
            numbered.append(TextSection(key, heading, part, paragraphs(text, 0), exempt, 0))
    for name in _LAYOUT.get(kind, _LAYOUT[BOARD_PAPER]):
        if name.startswith("*"):
            for key, heading, part, text, exempt in sections:
                if part == name[1:]:
                    count += 1
                    numbered.append(TextSection(key, heading, part, paragraphs(text, count), exempt, count))
        elif name != "changes" or has_changes:
            count += 1
            numbers[name] = count
    for name in ("introduction", "recommendations", "criteria", "summary", "progress", "revisions", "changes"):
        numbers.setdefault(name, 0)
    for name in ("achievements", "exit_summary", "exit_directions", "exit_recommendations"):
        numbers.setdefault(name, 0)
    return tuple(numbered), numbers


def _any_exempt(
    progress: Sequence[ThemeProgress], appendix: Sequence[AppendixTheme], sections: Sequence[TextSection]
) -> bool:
    lines = (m for t in appendix for a in t.actions for m in a.milestones)
    return (
        any(t.exempt or t.update_exempt for t in progress)
        or any(t.exempt or a.exempt for t in appendix for a in t.actions)
        or any(m.exempt or m.note_exempt for m in lines)
        or any(m.exempt for t in appendix for m in t.cancelled)
        or any(s.exempt for s in sections)
    )


def default_title(plan_title: str, period: Period) -> str:
    if period.part is None:
        if period.label in plan_title:  # "Best Value Improvement Plan 2017-18": the year is named already
            return f"{plan_title}: year-end update"
        return f"{plan_title}: {period.label} year-end update"
    return f"{plan_title}: {period.part} {period.label.split()[0]} update"


def _cover(
    plan: Plan, period: Period, options: Options, meeting: Meeting | None, contains_exempt: bool, kind: str
) -> Cover:
    fallback = (
        f"{plan.model.title}: exit readiness and handover"
        if kind == EXIT_PAPER
        else default_title(plan.model.title, period)
    )
    return cover_of(
        plan.model,
        meeting,
        title=options.title or (meeting.title if meeting and meeting.title else None) or fallback,
        meeting_date=options.meeting_date,
        item=options.item,
        author=options.author,
        public=options.public,
        contains_exempt=contains_exempt,
    )


def _views(plan: Plan, update_keys: Sequence[str]) -> list[_ThemeView]:
    """The plan's themes as the paper shows them, each with its progress summary for the period."""
    views: list[_ThemeView] = []
    for theme in plan.ordered_themes():
        model = theme.model
        update = next((model.updates[k] for k in update_keys if k in model.updates), None)
        views.append(
            _ThemeView(theme.slug, model.theme, model.lead, tuple(model.actions), update, model.context, model.exempt)
        )
    return views


def _introduction(status: PlanStatus, views: Sequence[_ThemeView], plan_titles: Mapping[str, str]) -> Introduction:
    live_actions = [a for a in status.actions() if a.status is not Status.CANCELLED]
    carried_actions: dict[str, int] = {}
    carried_milestones: dict[str, int] = {}
    for view in views:
        for action in view.actions:
            if action.carried_from:
                source = action.carried_from.split("/", 1)[0]
                carried_actions[source] = carried_actions.get(source, 0) + 1
            for milestone in action.milestones:
                if milestone.carried_from:
                    source = milestone.carried_from.split("/", 1)[0]
                    carried_milestones[source] = carried_milestones.get(source, 0) + 1
    carried = tuple(
        CarriedFrom(source, plan_titles.get(source), carried_actions.get(source, 0), carried_milestones.get(source, 0))
        for source in sorted(carried_actions.keys() | carried_milestones.keys())
    )
    return Introduction(
        themes=tuple(t.name for t in status.themes),
        actions=len(live_actions),
        open_actions=sum(1 for a in live_actions if a.status is not Status.COMPLETED),
        milestones=status.counts.total,
        completed=status.counts.completed,
        carried=carried,
    )


def _recommendations(has_proposed: bool, has_agreed: bool, meeting: Meeting | None) -> tuple[str, ...]:
    """What the board is asked to do, worded as 000's recommendation 2.1 (unless the meeting words its own)."""
    if meeting is not None and meeting.recommendations:
        return tuple(meeting.recommendations)
    if has_proposed:  # 000, 2.1: one ask covers the report and the deadlines put to the meeting
        asks = [
            "consider and comment on the draft update report and revised milestone deadlines attached as Appendix 1"
        ]
    else:
        asks = ["consider and comment on the draft update report attached as Appendix 1"]
    if has_agreed:
        asks.append("note the revised target dates agreed since the last meeting")
    return tuple(asks)


def _criteria(counts: Counts, vocabulary: Vocabulary = STANDARD) -> tuple[Criterion, ...]:
    shown = [Status.COMPLETED, Status.IN_PROGRESS, Status.OVERDUE]
    if counts.not_started:
        shown.append(Status.NOT_STARTED)
    if counts.cancelled:
        shown.append(Status.CANCELLED)
    return tuple(Criterion(word, wording) for word, wording in vocabulary.criteria(shown))


def _line(
    action: Action, m: MilestoneStatus, inherited_exempt: bool = False, vocabulary: Vocabulary = STANDARD
) -> MilestoneLine:
    return MilestoneLine(
        id=m.id,
        title=m.milestone.title,
        action_id=action.id,
        action_title=action.title,
        owner=m.owner,
        ref=m.milestone.ref,
        status=m.status.value,
        status_detail=status_words(m, mention_due_soon=False, vocabulary=vocabulary),
        deadline=m.deadline,
        original_due=m.original_due if m.revised else None,
        proposed_deadline=m.proposed.to if m.proposed else None,
        completed=m.completed,
        cancelled=m.cancelled.on if m.cancelled else None,
        cancelled_reason=m.cancelled.reason if m.cancelled else None,
        note=m.note.text if m.note else None,
        note_on=m.note.on if m.note else None,
        board_rating=m.rag_override.status.title() if m.rag_override else None,
        board_rating_reason=m.rag_override.reason if m.rag_override else None,
        exempt=inherited_exempt or action.exempt or m.milestone.exempt,
        note_exempt=bool(m.note and m.note.exempt),
    )


def _lines(actions: Iterable[ActionStatus], exempt: bool, vocabulary: Vocabulary = STANDARD) -> list[MilestoneLine]:
    return [_line(a.action, m, exempt, vocabulary) for a in actions for m in a.milestones]


def _progress(
    view: _ThemeView, theme: ThemeStatus, since: dt.date, day: dt.date, vocabulary: Vocabulary = STANDARD
) -> ThemeProgress:
    lines = _lines(theme.actions, view.exempt, vocabulary)
    update = view.update
    return ThemeProgress(
        theme=view.name,
        lead=view.lead,
        context=view.context,
        exempt=view.exempt,
        update_exempt=bool(update and update.exempt),
        summary=update.summary if update else None,
        achievements=tuple(update.achievements) if update else (),
        outcomes=tuple(update.outcomes) if update else (),
        continuing=tuple(update.continuing) if update else (),
        completed_in_period=tuple(
            line for line in lines if line.completed is not None and since <= line.completed <= day
        ),
        overdue=tuple(line for line in lines if line.status == Status.OVERDUE.value),
    )


class _RevisionTest(Protocol):
    def __call__(self, revision: Revision, /) -> bool: ...


def _revision_groups(
    pairs: Sequence[tuple[_ThemeView, ThemeStatus]], day: dt.date, wanted: _RevisionTest
) -> tuple[RevisionGroup, ...]:
    groups: list[RevisionGroup] = []
    for view, theme in pairs:
        rows = [
            row
            for action_status in theme.actions
            for m in action_status.milestones
            for row in _revision_rows(action_status.action, m, day, wanted, view.exempt)
        ]
        if rows:
            groups.append(RevisionGroup(view.name, tuple(rows)))
    return tuple(groups)


def _revision_rows(
    action: Action, m: MilestoneStatus, day: dt.date, wanted: _RevisionTest, theme_exempt: bool = False
) -> list[RevisionLine]:
    rows = []
    milestone = m.milestone
    before = DeadlinesBefore(milestone)
    for index, revision in enumerate(milestone.revisions):
        if not wanted(revision):
            continue
        agreed = revision.agreed is not None and revision.agreed <= day
        if agreed:
            current = before(index)
        elif m.status in (Status.COMPLETED, Status.CANCELLED):
            continue  # nothing left for the board to agree
        else:
            current = m.deadline  # in force on the paper's date, as the status rules give it
        rows.append(
            RevisionLine(
                milestone_id=milestone.id,
                milestone_title=milestone.title,
                action_title=action.title,
                current_date=current,
                proposed_date=revision.to,
                commentary=revision.reason,
                proposed_on=revision.proposed,
                agreed_on=revision.agreed if agreed else None,
                agreed_by=revision.by if agreed else None,
                exempt=theme_exempt or action.exempt or milestone.exempt,
            )
        )
    return rows


def _appendix(view: _ThemeView, theme: ThemeStatus, vocabulary: Vocabulary = STANDARD) -> AppendixTheme:
    actions: list[AppendixAction] = []
    cancelled: list[MilestoneLine] = []
    for action_status in theme.actions:
        action = action_status.action
        lines = [_line(action, m, view.exempt, vocabulary) for m in action_status.milestones]
        live = tuple(line for line in lines if line.status != Status.CANCELLED.value)
        cancelled.extend(line for line in lines if line.status == Status.CANCELLED.value)
        if live:
            actions.append(
                AppendixAction(
                    action.id,
                    action.title,
                    action.owner,
                    action_words(action_status, vocabulary),
                    live,
                    view.exempt or action.exempt,
                )
            )
    return AppendixTheme(view.name, view.lead, tuple(actions), tuple(cancelled), view.exempt)
