"""The status rules: where each milestone, action, theme and plan stands on a reporting date.

Pure and exact under time travel: the status at date D uses only facts dated on or before D, so a
paper can be regenerated years later and say what it said on the day.

The board papers' criteria (Q1 2018-19 paper, 4.7):
- Completed: the milestone has been achieved (completed on or before D);
- In Progress: it will be achieved by its deadline (not completed, deadline in force D or later);
- Overdue: it has not been completed by its deadline date (deadline in force before D).
Besides these, Not Started (its `start` is after D) and Cancelled (kept out of the counts).

The deadline in force at D is the original `due`, replaced by each revision *agreed* on or before
D, the latest agreement winning. A revision only proposed by D does not move the deadline; it is
reported as proposed. A later proposal supersedes earlier ones still waiting, so at most one (the
latest proposed by D, unless agreed or withdrawn by D) is shown as proposed.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bvplan.format.model import (
    Action,
    Cancellation,
    Milestone,
    Note,
    PlanFile,
    RagColour,
    RagOverride,
    RagScheme,
    Revision,
)
from bvplan.format.workspace import Plan


class Status(StrEnum):
    COMPLETED = "Completed"
    IN_PROGRESS = "In Progress"
    OVERDUE = "Overdue"
    NOT_STARTED = "Not Started"
    CANCELLED = "Cancelled"


# The statuses that count towards a plan's milestones; Cancelled is listed apart.
COUNTED = (Status.COMPLETED, Status.IN_PROGRESS, Status.OVERDUE, Status.NOT_STARTED)

CRITERIA = {
    Status.COMPLETED: "where the key milestone has been achieved",
    Status.IN_PROGRESS: "where the key milestone will be achieved by the deadline",
    Status.OVERDUE: "where the key milestone has not been completed by the deadline date",
    Status.NOT_STARTED: "where work on the key milestone is not due to start until after the reporting date",
    Status.CANCELLED: "where the board has agreed the key milestone is no longer needed; not counted",
}


def deadline_at(milestone: Milestone, day: dt.date) -> dt.date:
    """The deadline in force on `day`: the original, moved by each revision agreed by then."""
    agreed = [
        (r.agreed, i, r.to) for i, r in enumerate(milestone.revisions) if r.agreed is not None and r.agreed <= day
    ]
    if not agreed:
        return milestone.due
    return max(agreed)[2]


class DeadlinesBefore:
    """The deadline in force just before each revision of a milestone: its "current date" in the papers.

    For an agreed revision, the deadline just before it took effect: agreements take effect ordered
    by the day agreed, then by file order, so of two agreed on one day the first in the file comes
    first. For a revision not agreed, the deadline in force on the day it was proposed. The paper's
    revision tables and `changes` both ask here. The agreements are sorted once, on first use, and
    each answer is a binary search, so a milestone with thousands of revisions stays linear.
    """

    def __init__(self, milestone: Milestone) -> None:
        self._milestone = milestone
        self._agreed: list[tuple[dt.date, int]] | None = None

    def __call__(self, index: int) -> dt.date:
        """The deadline in force before the revision at `index` of the milestone's revisions."""
        milestone = self._milestone
        if self._agreed is None:
            self._agreed = sorted((r.agreed, i) for i, r in enumerate(milestone.revisions) if r.agreed is not None)
        revision = milestone.revisions[index]
        if revision.agreed is not None:
            position = bisect.bisect_left(self._agreed, (revision.agreed, index))  # the agreements before it
        else:
            position = bisect.bisect_right(self._agreed, (revision.proposed, len(milestone.revisions)))
        return milestone.revisions[self._agreed[position - 1][1]].to if position else milestone.due


def pending_revision(milestone: Milestone, day: dt.date) -> Revision | None:
    """The revision waiting for the board on `day`: the latest proposed by then, unless it was agreed
    or withdrawn by then. A later proposal supersedes earlier ones, so only the latest can wait."""
    proposed = [r for r in milestone.revisions if r.proposed <= day]
    if not proposed:
        return None
    latest = proposed[-1]
    if (latest.agreed is not None and latest.agreed <= day) or (
        latest.withdrawn is not None and latest.withdrawn.on <= day
    ):
        return None
    # As it stood on `day`: an agreement or withdrawal that came later is not yet known.
    if latest.agreed is None and latest.withdrawn is None:
        return latest
    return latest.model_copy(update={"agreed": None, "withdrawn": None})


def latest_note(notes: Sequence[Note], day: dt.date) -> Note | None:
    # Of notes on the same day, the one written last (lower in the file) is the latest.
    latest: Note | None = None
    for note in notes:
        if note.on <= day and (latest is None or note.on >= latest.on):
            latest = note
    return latest


def override_at(rag: RagOverride | None, day: dt.date) -> RagOverride | None:
    return rag if rag is not None and rag.on <= day else None


@dataclass(frozen=True, slots=True)
class MilestoneStatus:
    milestone: Milestone
    action_id: str
    owner: str | None
    status: Status
    deadline: dt.date  # in force on the reporting date
    completed: dt.date | None  # when it was completed, if by the reporting date
    cancelled: Cancellation | None
    on_time: bool | None  # for completed: by the deadline in force when it was completed
    proposed: Revision | None  # a revision proposed and not yet agreed
    due_soon: bool
    days_overdue: int
    rag: RagColour | None
    rag_override: RagOverride | None
    note: Note | None

    @property
    def id(self) -> str:
        return self.milestone.id

    @property
    def original_due(self) -> dt.date:
        return self.milestone.due

    @property
    def revised(self) -> bool:
        return self.deadline != self.milestone.due


def milestone_status(
    milestone: Milestone,
    action: Action,
    day: dt.date,
    due_soon_days: int = 30,
    scheme: RagScheme | None = None,
    lead: str | None = None,
) -> MilestoneStatus:
    """`lead` is the theme's lead: the owner of a milestone whose action names none."""
    scheme = scheme or RagScheme()
    deadline = deadline_at(milestone, day)
    completed = milestone.completed if milestone.completed is not None and milestone.completed <= day else None
    cancelled = milestone.cancelled if milestone.cancelled is not None and milestone.cancelled.on <= day else None
    on_time = None
    if completed is not None:
        status = Status.COMPLETED
        on_time = completed <= deadline_at(milestone, completed)
    elif cancelled is not None:
        status = Status.CANCELLED
    elif milestone.start is not None and milestone.start > day:
        status = Status.NOT_STARTED
    elif deadline < day:
        status = Status.OVERDUE
    else:
        status = Status.IN_PROGRESS
    proposed = (
        pending_revision(milestone, day) if status in (Status.IN_PROGRESS, Status.OVERDUE, Status.NOT_STARTED) else None
    )
    due_soon = status is Status.IN_PROGRESS and (deadline - day).days <= due_soon_days
    days_overdue = (day - deadline).days if status is Status.OVERDUE else 0
    override = override_at(milestone.rag, day)
    rag = (
        override.status
        if override
        else _computed_rag(status, due_soon, deadline != milestone.due or proposed is not None, scheme)
    )
    return MilestoneStatus(
        milestone=milestone,
        action_id=action.id,
        owner=owner_of(milestone, action, lead),
        status=status,
        deadline=deadline,
        completed=completed,
        cancelled=cancelled,
        on_time=on_time,
        proposed=proposed,
        due_soon=due_soon,
        days_overdue=days_overdue,
        rag=rag,
        rag_override=override,
        note=latest_note(milestone.notes, day),
    )


def owner_of(milestone: Milestone, action: Action, lead: str | None) -> str | None:
    """Who answers for a milestone: its own owner, else its action's, else its theme's lead."""
    return milestone.owner or action.owner or lead or None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The words every output gives a status: plan.yaml's `vocabulary` and `tolerance_days`.

    Only the words differ; the status beneath is computed the same way. 'standard' is the seeds'
    Completed / In Progress / Overdue; 'tolerance' is On track / Within tolerance / Off track, an
    overdue milestone being within tolerance for its first `tolerance_days` days past its deadline.
    """

    name: str = "standard"
    tolerance_days: int = 0

    @property
    def tolerance(self) -> bool:
        return self.name == "tolerance"

    @property
    def within_days(self) -> int | None:
        """The tolerance the counts tell apart (Counts.of), or None in the standard vocabulary."""
        return self.tolerance_days if self.tolerance else None

    def word(self, status: Status, days_overdue: int = 0) -> str:
        """The status in this vocabulary's words; `days_overdue` tells the two kinds of overdue apart."""
        if not self.tolerance:
            return status.value
        if status is Status.OVERDUE:
            return "Within tolerance" if days_overdue <= self.tolerance_days else "Off track"
        return _TOLERANCE_WORDS[status]

    def detail(self, m: MilestoneStatus, mention_due_soon: bool = True) -> str:
        """A milestone's status as the papers word it, with the detail a reader needs beside it."""
        word = self.word(m.status, m.days_overdue)
        if m.status is Status.OVERDUE:
            late = f"{m.days_overdue} day{'s' if m.days_overdue != 1 else ''}"
            return f"{word} ({late} late)" if self.tolerance else f"{word} ({late})"
        if m.status is Status.COMPLETED and m.on_time is False:
            return f"{word} (late)"
        if mention_due_soon and m.status is Status.IN_PROGRESS and m.due_soon:
            return f"{word} (due soon)"
        return word

    def summary_columns(self, not_started: bool) -> tuple[tuple[str, str], ...]:
        """The summary table's status columns: (heading, the Counts attribute it shows)."""
        if self.tolerance:
            columns = [
                ("Completed", "completed"),
                ("On track", "in_progress"),
                ("Within tolerance", "within_tolerance"),
                ("Off track", "off_track"),
            ]
        else:
            columns = [("Completed", "completed"), ("In Progress", "in_progress"), ("Overdue", "overdue")]
        if not_started:
            columns.append((self.word(Status.NOT_STARTED), "not_started"))
        return tuple(columns)

    @property
    def chart_names(self) -> tuple[str, str, str, str]:
        """The status chart's series: completed, in progress, overdue (one series), not started."""
        if self.tolerance:
            return ("Completed", "On track", "Within tolerance or off track", "Not started")
        return ("Completed", "In Progress", "Overdue", "Not Started")

    def criteria(self, shown: Sequence[Status]) -> tuple[tuple[str, str], ...]:
        """The papers' criteria for the statuses `shown`, in this vocabulary's words."""
        found: list[tuple[str, str]] = []
        for status in shown:
            if status is Status.OVERDUE and self.tolerance:
                days = f"{self.tolerance_days} day{'s' if self.tolerance_days != 1 else ''}"
                found.append(
                    ("Within tolerance", f"where the key milestone is past its deadline by no more than {days}")
                )
                found.append(("Off track", f"where the key milestone is more than {days} past its deadline"))
            else:
                found.append((self.word(status), CRITERIA[status]))
        return tuple(found)


_TOLERANCE_WORDS = {
    Status.COMPLETED: "Completed",
    Status.IN_PROGRESS: "On track",
    Status.NOT_STARTED: "Not started",
    Status.CANCELLED: "Cancelled",
}
STANDARD = Vocabulary()


def status_words(m: MilestoneStatus, mention_due_soon: bool = True, vocabulary: Vocabulary = STANDARD) -> str:
    """A milestone's status as the papers word it, in the plan's vocabulary (see Vocabulary.detail)."""
    return vocabulary.detail(m, mention_due_soon)


def action_words(action: ActionStatus, vocabulary: Vocabulary = STANDARD) -> str:
    """An action's rolled-up status in the plan's words: overdue by its latest milestone's days."""
    late = max((m.days_overdue for m in action.milestones), default=0)
    return vocabulary.word(action.status, late)


def vocabulary_of(plan: PlanFile) -> Vocabulary:
    return Vocabulary(plan.vocabulary, plan.tolerance_days)


def _computed_rag(status: Status, due_soon: bool, revised: bool, scheme: RagScheme) -> RagColour | None:
    if status is Status.COMPLETED:
        return scheme.completed
    if status is Status.OVERDUE:
        return scheme.overdue
    if status is Status.NOT_STARTED:
        return scheme.not_started
    if status is Status.CANCELLED:
        return None
    if due_soon:
        return scheme.due_soon
    if revised:
        return scheme.revised
    return scheme.in_progress


@dataclass(frozen=True, slots=True)
class Counts:
    completed: int = 0
    in_progress: int = 0
    overdue: int = 0
    not_started: int = 0
    cancelled: int = 0
    due_soon: int = 0
    completed_late: int = 0
    # Overdue by no more than the plan's tolerance_days (vocabulary 'tolerance'); 0 in the standard one.
    within_tolerance: int = 0

    @property
    def off_track(self) -> int:
        """Overdue beyond the tolerance (all the overdue, in the standard vocabulary)."""
        return self.overdue - self.within_tolerance

    @property
    def total(self) -> int:
        """Milestones that count: all but the cancelled."""
        return self.completed + self.in_progress + self.overdue + self.not_started

    @property
    def percent_delivered(self) -> float:
        return 100.0 * self.completed / self.total if self.total else 0.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (
            self.completed,
            self.in_progress,
            self.overdue,
            self.not_started,
            self.cancelled,
            self.due_soon,
            self.completed_late,
            self.within_tolerance,
        )

    @classmethod
    def of(cls, statuses: Iterable[MilestoneStatus], tolerance_days: int | None = None) -> Counts:
        """`tolerance_days`: count the overdue within it apart (the 'tolerance' vocabulary); None: none are."""
        tally = dict.fromkeys(Status, 0)
        due_soon = late = within = 0
        for item in statuses:
            tally[item.status] += 1
            due_soon += item.due_soon
            late += item.on_time is False
            within += (
                tolerance_days is not None and item.status is Status.OVERDUE and item.days_overdue <= tolerance_days
            )
        return cls(
            tally[Status.COMPLETED],
            tally[Status.IN_PROGRESS],
            tally[Status.OVERDUE],
            tally[Status.NOT_STARTED],
            tally[Status.CANCELLED],
            due_soon,
            late,
            within,
        )


def rollup(statuses: Sequence[MilestoneStatus]) -> Status:
    """An action's status from its milestones: any overdue makes it Overdue, all completed Completed."""
    live = [s.status for s in statuses if s.status is not Status.CANCELLED]
    if not live:
        return Status.CANCELLED if statuses else Status.NOT_STARTED
    if Status.OVERDUE in live:
        return Status.OVERDUE
    if all(s is Status.COMPLETED for s in live):
        return Status.COMPLETED
    if all(s is Status.NOT_STARTED for s in live):
        return Status.NOT_STARTED
    return Status.IN_PROGRESS


@dataclass(frozen=True, slots=True)
class ActionStatus:
    action: Action
    status: Status
    rag: RagColour | None
    rag_override: RagOverride | None
    milestones: tuple[MilestoneStatus, ...]
    counts: Counts


def action_status(
    action: Action,
    day: dt.date,
    due_soon_days: int = 30,
    scheme: RagScheme | None = None,
    lead: str | None = None,
    tolerance_days: int | None = None,
) -> ActionStatus:
    scheme = scheme or RagScheme()
    milestones = tuple(milestone_status(m, action, day, due_soon_days, scheme, lead) for m in action.milestones)
    return action_of(action, milestones, day, tolerance_days)


def action_of(
    action: Action, milestones: tuple[MilestoneStatus, ...], day: dt.date, tolerance_days: int | None = None
) -> ActionStatus:
    """An action's status rolled up from the statuses of (some of) its milestones; `tolerance_days`
    counts the overdue within the plan's tolerance apart (see Counts.of)."""
    status = rollup(milestones)
    override = override_at(action.rag, day)
    if override:
        rag: RagColour | None = override.status
    else:
        live = [m for m in milestones if m.status is not Status.CANCELLED]
        rag = worst_rag([m.rag for m in live]) if live else None
    return ActionStatus(action, status, rag, override, milestones, Counts.of(milestones, tolerance_days))


_SEVERITY: dict[str, int] = {"red": 4, "amber": 3, "green": 2, "blue": 1}


def worst_rag(colours: Iterable[RagColour | None]) -> RagColour | None:
    worst: RagColour | None = None
    for colour in colours:
        if colour is not None and (worst is None or _SEVERITY[colour] > _SEVERITY[worst]):
            worst = colour
    return worst


@dataclass(frozen=True, slots=True)
class ThemeStatus:
    slug: str
    name: str
    actions: tuple[ActionStatus, ...]
    counts: Counts

    def milestones(self) -> list[MilestoneStatus]:
        return [m for a in self.actions for m in a.milestones]


@dataclass(frozen=True, slots=True)
class PlanStatus:
    plan_id: str
    title: str
    as_of: dt.date
    themes: tuple[ThemeStatus, ...]
    counts: Counts
    action_counts: dict[Status, int] = field(default_factory=dict)
    vocabulary: Vocabulary = STANDARD  # the plan's words for the statuses

    def milestones(self) -> list[MilestoneStatus]:
        return [m for t in self.themes for m in t.milestones()]

    def actions(self) -> list[ActionStatus]:
        return [a for t in self.themes for a in t.actions]


def theme_status(
    slug: str,
    name: str,
    actions: Iterable[Action],
    day: dt.date,
    due_soon_days: int = 30,
    scheme: RagScheme | None = None,
    lead: str | None = None,
    tolerance_days: int | None = None,
) -> ThemeStatus:
    statuses = tuple(action_status(a, day, due_soon_days, scheme, lead, tolerance_days) for a in actions)
    counts = sum((a.counts for a in statuses), Counts())
    return ThemeStatus(slug, name, statuses, counts)


def plan_status(
    plan_id: str,
    title: str,
    themes: Iterable[tuple[str, str, Sequence[Action]]],
    day: dt.date,
    due_soon_days: int = 30,
    scheme: RagScheme | None = None,
    leads: Mapping[str, str | None] | None = None,
    vocabulary: Vocabulary = STANDARD,
) -> PlanStatus:
    """`leads`: each theme's lead by slug, the last link of the owner chain (see `owner_of`);
    `vocabulary`: the plan's words for the statuses, carried for the outputs."""
    leads = leads or {}
    theme_statuses = tuple(
        theme_status(slug, name, actions, day, due_soon_days, scheme, leads.get(slug), vocabulary.within_days)
        for slug, name, actions in themes
    )
    return _plan_of(plan_id, title, day, theme_statuses, vocabulary)


def _plan_of(
    plan_id: str,
    title: str,
    day: dt.date,
    theme_statuses: tuple[ThemeStatus, ...],
    vocabulary: Vocabulary = STANDARD,
) -> PlanStatus:
    counts = sum((t.counts for t in theme_statuses), Counts())
    action_counts = dict.fromkeys(Status, 0)
    for theme in theme_statuses:
        for action in theme.actions:
            action_counts[action.status] += 1
    return PlanStatus(plan_id, title, day, theme_statuses, counts, action_counts, vocabulary)


def status_of(plan: Plan, day: dt.date) -> PlanStatus:
    """Where `plan` stands on `day`: the one way every command and paper takes a plan's status.

    Themes in the plan's order, with the plan's due-soon window and RAG scheme, and each theme's
    lead as the last link of the owner chain. Give it a public view of the plan
    (rules/public_view.py) for a public status.
    """
    themes = [(t.slug, t.name, t.model.actions) for t in plan.ordered_themes()]
    leads = {t.slug: t.model.lead for t in plan.themes}
    model = plan.model
    return plan_status(plan.id, model.title, themes, day, model.due_soon_days, model.rag, leads, vocabulary_of(model))


def narrowed(
    status: PlanStatus,
    theme_test: Callable[[ThemeStatus], bool] | None = None,
    milestone_test: Callable[[MilestoneStatus], bool] | None = None,
) -> PlanStatus:
    """`status` with only the themes and milestones the tests accept, every count and roll-up taken again.

    An action none of whose milestones is kept is left out (one with no milestones at all, too,
    when milestones are tested), and so is a theme with no action left: a view of one owner's (or
    one theme's) work counts that work only.
    """
    themes: list[ThemeStatus] = []
    for theme in status.themes:
        if theme_test is not None and not theme_test(theme):
            continue
        actions: list[ActionStatus] = []
        for action in theme.actions:
            kept = action.milestones if milestone_test is None else tuple(filter(milestone_test, action.milestones))
            if len(kept) == len(action.milestones) and (kept or milestone_test is None):
                actions.append(action)
            elif kept:
                actions.append(action_of(action.action, kept, status.as_of, status.vocabulary.within_days))
        unchanged = len(actions) == len(theme.actions) and all(
            a is b for a, b in zip(actions, theme.actions, strict=True)
        )
        if unchanged and (actions or milestone_test is None):
            themes.append(theme)
        elif actions:
            themes.append(
                ThemeStatus(theme.slug, theme.name, tuple(actions), sum((a.counts for a in actions), Counts()))
            )
    if len(themes) == len(status.themes) and all(a is b for a, b in zip(themes, status.themes, strict=True)):
        return status
    return _plan_of(status.plan_id, status.title, status.as_of, tuple(themes), status.vocabulary)
