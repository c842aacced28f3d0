"""The board paper's content: everything `bvplan report` prints, as plain data for the templates.

Pure: plans and a reporting period in, a `Paper` out; no Jinja and no I/O, so the same inputs give
the same paper and every figure in it can be tested without rendering.

The paper follows the seeds' board papers: a cover, the introduction in figures, what the board is
asked to do, the status criteria, a summary per theme, each theme's progress summary, proposed and
agreed revisions to target dates, and Appendix 1 (every milestone, by theme and action).

A public paper (`public=True`) leaves out everything marked `exempt` (themes, actions, milestones,
notes, progress summaries) *before* anything is counted, so no figure betrays what was withheld;
the paper says only how many items were left out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bvplan.format.model import Action, Milestone, Revision, Update
from bvplan.format.periods import Period
from bvplan.format.workspace import Plan
from bvplan.papers.measure_paper import MeasuresPart, measures_part
from bvplan.rules.changes import Change
from bvplan.rules.status import (
    CRITERIA,
    ActionStatus,
    Counts,
    MilestoneStatus,
    PlanStatus,
    Status,
    ThemeStatus,
    deadline_at,
    plan_status,
    status_words,
)

PROPOSED_SECTION = "Proposed revisions to target dates"


@dataclass(frozen=True)
class Options:
    """What the user chose beyond the period: a public paper, and cover details that win over plan.yaml."""

    public: bool = False
    meeting_date: dt.date | None = None
    item: str | None = None
    author: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Cover:
    paper_title: str
    plan_title: str
    plan_id: str
    authority: str
    board: str
    meeting_date: dt.date | None
    item: str | None
    author: str | None


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


@dataclass(frozen=True)
class ThemeProgress:
    theme: str
    lead: str | None
    summary: str | None
    achievements: tuple[str, ...]
    outcomes: tuple[str, ...]
    continuing: tuple[str, ...]
    completed_in_period: tuple[MilestoneLine, ...]
    overdue: tuple[MilestoneLine, ...]

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


@dataclass(frozen=True)
class RevisionGroup:
    theme: str
    revisions: tuple[RevisionLine, ...]


@dataclass(frozen=True)
class AppendixAction:
    id: str
    title: str
    owner: str | None
    status: str  # the action's status rolled up from its milestones
    milestones: tuple[MilestoneLine, ...]  # not cancelled


@dataclass(frozen=True)
class AppendixTheme:
    theme: str
    lead: str | None
    actions: tuple[AppendixAction, ...]
    cancelled: tuple[MilestoneLine, ...]


@dataclass(frozen=True)
class Withheld:
    """What a public paper leaves out, counted item by item (a withheld action's milestones included)."""

    themes: int = 0
    actions: int = 0
    milestones: int = 0
    notes: int = 0
    updates: int = 0

    @property
    def total(self) -> int:
        return self.themes + self.actions + self.milestones + self.notes + self.updates

    @property
    def parts(self) -> tuple[str, ...]:
        words = (
            (self.themes, "theme", "themes"),
            (self.actions, "action", "actions"),
            (self.milestones, "milestone", "milestones"),
            (self.notes, "note", "notes"),
            (self.updates, "progress summary", "progress summaries"),
        )
        return tuple(f"{n} {one if n == 1 else many}" for n, one, many in words if n)


@dataclass(frozen=True)
class Paper:
    cover: Cover
    period_label: str  # "2018-19 Q1"
    period_start: dt.date
    as_of: dt.date  # the reporting date: the period's last day, or the date asked for
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
    changes: tuple[Change, ...] | None  # None: no "Changes since the last meeting" section
    status: PlanStatus = field(repr=False)  # the figures the paper is built from, for custom templates
    # Measures, Directions, confidence of delivery and evidence (measure_paper.py).
    performance: MeasuresPart = field(default_factory=MeasuresPart)


@dataclass(frozen=True)
class _ThemeView:
    slug: str
    name: str
    lead: str | None
    actions: tuple[Action, ...]
    update: Update | None


def build_paper(
    plan: Plan,
    period: Period,
    options: Options | None = None,
    changes: Iterable[Change] | None = None,
    plan_titles: Mapping[str, str] | None = None,
) -> Paper:
    """The paper for `plan` on `period` (whose end is the reporting date).

    `plan_titles` names other plans by id, for the plans actions were carried forward from.
    """
    options = options or Options()
    day = period.end
    views, withheld, hidden_ids = _visible(plan, period.key, options.public)
    status = plan_status(
        plan.id,
        plan.model.title,
        [(v.slug, v.name, v.actions) for v in views],
        day,
        plan.model.due_soon_days,
        plan.model.rag,
    )
    pairs = list(zip(views, status.themes, strict=True))
    proposed = _revision_groups(pairs, day, lambda r: r.proposed in period and (r.agreed is None or r.agreed > day))
    agreed = _revision_groups(pairs, day, lambda r: r.agreed is not None and r.agreed in period)
    summary = tuple(SummaryRow.of(theme.name, theme.counts) for theme in status.themes)
    return Paper(
        cover=_cover(plan, period, options),
        period_label=period.label,
        period_start=period.start,
        as_of=day,
        cadence=plan.model.cadence,
        public=options.public,
        withheld=withheld,
        introduction=_introduction(status, views, plan_titles or {}),
        recommendations=_recommendations(bool(proposed), bool(agreed)),
        criteria=_criteria(status.counts),
        summary=summary,
        total=SummaryRow.of("Total", status.counts),
        show_not_started=status.counts.not_started > 0,
        progress=tuple(_progress(view, theme, period) for view, theme in pairs),
        proposed_revisions=proposed,
        agreed_revisions=agreed,
        appendix=tuple(_appendix(view, theme) for view, theme in pairs),
        changes=None if changes is None else _changes(changes, plan.id, hidden_ids),
        status=status,
        performance=measures_part(plan, status, options.public),
    )


def default_title(plan_title: str, period: Period) -> str:
    if period.part is None:
        return f"{plan_title}: {period.label} year-end update"
    return f"{plan_title}: {period.part} {period.label.split()[0]} update"


def _cover(plan: Plan, period: Period, options: Options) -> Cover:
    model = plan.model
    meeting = next((m for m in model.meetings if m.period == period.key), None)
    return Cover(
        paper_title=options.title
        or (meeting.title if meeting and meeting.title else None)
        or default_title(model.title, period),
        plan_title=model.title,
        plan_id=model.id,
        authority=model.authority,
        board=model.board,
        meeting_date=options.meeting_date or (meeting.date if meeting else None),
        item=options.item or (meeting.item if meeting else None),
        author=options.author or (meeting.author if meeting and meeting.author else None) or model.author,
    )


def _without_exempt_notes(milestone: Milestone) -> tuple[Milestone, int]:
    kept = [note for note in milestone.notes if not note.exempt]
    dropped = len(milestone.notes) - len(kept)
    return (milestone.model_copy(update={"notes": kept}) if dropped else milestone), dropped


def _visible(plan: Plan, period_key: str, public: bool) -> tuple[list[_ThemeView], Withheld, set[str]]:
    """The plan's themes as the paper may show them, what was withheld, and the ids withheld."""
    views: list[_ThemeView] = []
    themes = actions = milestones = notes = updates = 0
    hidden: set[str] = set()
    for theme in plan.ordered_themes():
        model = theme.model
        update = model.updates.get(period_key)
        if not public:
            views.append(_ThemeView(theme.slug, model.theme, model.lead, tuple(model.actions), update))
            continue
        if model.exempt:
            themes += 1
            actions += len(model.actions)
            milestones += sum(len(a.milestones) for a in model.actions)
            notes += sum(len(m.notes) for a in model.actions for m in a.milestones)
            updates += 1 if update is not None else 0
            hidden.update(a.id for a in model.actions)
            hidden.update(m.id for a in model.actions for m in a.milestones)
            continue
        kept_actions: list[Action] = []
        for action in model.actions:
            if action.exempt:
                actions += 1
                milestones += len(action.milestones)
                notes += sum(len(m.notes) for m in action.milestones)
                hidden.add(action.id)
                hidden.update(m.id for m in action.milestones)
                continue
            kept_milestones: list[Milestone] = []
            for milestone in action.milestones:
                if milestone.exempt:
                    milestones += 1
                    notes += len(milestone.notes)
                    hidden.add(milestone.id)
                    continue
                cleaned, dropped = _without_exempt_notes(milestone)
                notes += dropped
                kept_milestones.append(cleaned)
            kept_actions.append(action.model_copy(update={"milestones": kept_milestones}))
        if update is not None and update.exempt:
            updates += 1
            update = None
        views.append(_ThemeView(theme.slug, model.theme, model.lead, tuple(kept_actions), update))
    return views, Withheld(themes, actions, milestones, notes, updates), hidden


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


def _recommendations(has_proposed: bool, has_agreed: bool) -> tuple[str, ...]:
    asks = ["consider and comment on this update report and the milestone-by-milestone update in Appendix 1"]
    if has_proposed:
        asks.append(f"agree the revised target dates set out in “{PROPOSED_SECTION}”")
    if has_agreed:
        asks.append("note the revised target dates agreed during the period")
    return tuple(asks)


def _criteria(counts: Counts) -> tuple[Criterion, ...]:
    shown = [Status.COMPLETED, Status.IN_PROGRESS, Status.OVERDUE]
    if counts.not_started:
        shown.append(Status.NOT_STARTED)
    if counts.cancelled:
        shown.append(Status.CANCELLED)
    return tuple(Criterion(s.value, CRITERIA[s]) for s in shown)


def _line(action: Action, m: MilestoneStatus) -> MilestoneLine:
    return MilestoneLine(
        id=m.id,
        title=m.milestone.title,
        action_id=action.id,
        action_title=action.title,
        owner=m.owner,
        ref=m.milestone.ref,
        status=m.status.value,
        status_detail=status_words(m, mention_due_soon=False),
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
    )


def _lines(actions: Iterable[ActionStatus]) -> list[MilestoneLine]:
    return [_line(a.action, m) for a in actions for m in a.milestones]


def _progress(view: _ThemeView, theme: ThemeStatus, period: Period) -> ThemeProgress:
    lines = _lines(theme.actions)
    update = view.update
    return ThemeProgress(
        theme=view.name,
        lead=view.lead,
        summary=update.summary if update else None,
        achievements=tuple(update.achievements) if update else (),
        outcomes=tuple(update.outcomes) if update else (),
        continuing=tuple(update.continuing) if update else (),
        completed_in_period=tuple(
            line for line in lines if line.completed is not None and period.start <= line.completed <= period.end
        ),
        overdue=tuple(line for line in lines if line.status == Status.OVERDUE.value),
    )


def _deadline_before(milestone: Milestone, index: int) -> dt.date:
    """The deadline in force just before revision `index` was agreed (agreements ordered by date, then file order)."""
    target = milestone.revisions[index]
    assert target.agreed is not None
    earlier = [
        (r.agreed, i, r.to)
        for i, r in enumerate(milestone.revisions)
        if r.agreed is not None and (r.agreed, i) < (target.agreed, index)
    ]
    return max(earlier)[2] if earlier else milestone.due


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
            for row in _revision_rows(action_status.action, m, day, wanted)
        ]
        if rows:
            groups.append(RevisionGroup(view.name, tuple(rows)))
    return tuple(groups)


def _revision_rows(action: Action, m: MilestoneStatus, day: dt.date, wanted: _RevisionTest) -> list[RevisionLine]:
    rows = []
    milestone = m.milestone
    for index, revision in enumerate(milestone.revisions):
        if not wanted(revision):
            continue
        agreed = revision.agreed is not None and revision.agreed <= day
        if agreed:
            current = _deadline_before(milestone, index)
        elif m.status in (Status.COMPLETED, Status.CANCELLED):
            continue  # nothing left for the board to agree
        else:
            current = deadline_at(milestone, day)
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
            )
        )
    return rows


def _appendix(view: _ThemeView, theme: ThemeStatus) -> AppendixTheme:
    actions: list[AppendixAction] = []
    cancelled: list[MilestoneLine] = []
    for action_status in theme.actions:
        action = action_status.action
        lines = [_line(action, m) for m in action_status.milestones]
        live = tuple(line for line in lines if line.status != Status.CANCELLED.value)
        cancelled.extend(line for line in lines if line.status == Status.CANCELLED.value)
        if live:
            actions.append(AppendixAction(action.id, action.title, action.owner, action_status.status.value, live))
    return AppendixTheme(view.name, view.lead, tuple(actions), tuple(cancelled))


def _changes(changes: Iterable[Change], plan_id: str, hidden_ids: set[str]) -> tuple[Change, ...]:
    return tuple(c for c in changes if not (c.plan == plan_id and c.item_id in hidden_ids))
