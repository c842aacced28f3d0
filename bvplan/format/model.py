"""The plan format: pydantic models of `plan.yaml` and of a theme file.

Models are strict: a value must already be of the right kind (YAML has typed it), so nothing is
quietly coerced, `yes` is never a boolean and `2018` is never a date. Unknown keys are errors.
These models are the public contract of the format; `bvplan schema` prints them as JSON Schema.
"""

from __future__ import annotations

from datetime import date as Date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
PLAN_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
REFERENCE_PATTERN = r"^[a-z0-9][a-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$"
MONTH_DAY_PATTERN = r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"

ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN), Field(description="Unique within the plan.")]
PlanId = Annotated[str, StringConstraints(pattern=PLAN_ID_PATTERN)]
Reference = Annotated[
    str,
    StringConstraints(pattern=REFERENCE_PATTERN),
    Field(description="'<plan id>/<item id>' of the item this one continues."),
]
Text = Annotated[str, StringConstraints(min_length=1)]
RagColour = Literal["red", "amber", "green", "blue"]
AssuranceLevel = Literal["full", "substantive", "reasonable", "limited", "nil"]


class _Strict(BaseModel):
    # defer_build: a validator is built on first use, and only PlanFile and ThemeFile are ever used
    # directly, so the nested models' own validators are never built in a run that only reads plans.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class Withdrawal(_Strict):
    """A proposed revision taken back before the board agreed it."""

    on: Date
    reason: Text


class Revision(_Strict):
    """A move of a milestone's deadline. The original `due` is never rewritten.

    A revision is pending from `proposed` until it is agreed or withdrawn, or a later revision of
    the same milestone is proposed (which supersedes it). Only a pending revision can be agreed.
    """

    to: Date = Field(description="The new deadline; not before the day it is proposed.")
    reason: Text = Field(description="Why the deadline moves: the commentary shown to the board.")
    proposed: Date = Field(description="When the new date was proposed. A later proposal supersedes this one.")
    agreed: Date | None = Field(default=None, description="When the board agreed it; absent while only proposed.")
    by: str | None = Field(default=None, description="Who agreed it, e.g. the board.")
    withdrawn: Withdrawal | None = Field(default=None, description="When and why the proposal was taken back.")


class Cancellation(_Strict):
    on: Date
    reason: Text


class Note(_Strict):
    on: Date
    text: Text
    exempt: bool = Field(default=False, description="Not to be published: left out of --public reports.")


class Correction(_Strict):
    """A completion or cancellation recorded by mistake and taken back (`bvplan reopen`): the audit trail."""

    on: Date = Field(description="When the mistake was corrected.")
    reopened: Literal["completed", "cancelled"] = Field(description="What was taken back.")
    was: Date = Field(description="The date the mistaken completion or cancellation gave.")
    reason: Text = Field(description="Why it was a mistake.")


class RagOverride(_Strict):
    """A board's own RAG rating, which wins over the computed one from `on`."""

    status: RagColour
    reason: Text
    on: Date
    by: str | None = None


class Assurance(_Strict):
    """An internal audit's assurance level for an action."""

    level: AssuranceLevel
    on: Date | None = None
    by: str | None = None


class Milestone(_Strict):
    id: ItemId
    title: Text
    owner: str | None = Field(default=None, description="Defaults to the action's owner.")
    ref: str | None = Field(default=None, description="External reference, e.g. the performance system's code.")
    carried_from: Reference | None = None
    start: Date | None = Field(default=None, description="Not started before this date.")
    due: Date = Field(description="The original deadline.")
    revisions: list[Revision] = Field(default_factory=list)
    completed: Date | None = None
    cancelled: Cancellation | None = None
    rag: RagOverride | None = None
    exempt: bool = False
    notes: list[Note] = Field(default_factory=list)
    corrections: list[Correction] = Field(
        default_factory=list, description="Completions or cancellations taken back, oldest first."
    )


class Action(_Strict):
    id: ItemId
    title: Text
    owner: str | None = None
    ref: str | None = None
    carried_from: Reference | None = None
    assurance: Assurance | None = None
    rag: RagOverride | None = None
    exempt: bool = False
    milestones: list[Milestone]


class Update(_Strict):
    """A theme's narrative for one reporting period, as the papers' progress summaries have it."""

    summary: str | None = None
    achievements: list[Text] = Field(default_factory=list, description="Key achievements.")
    outcomes: list[Text] = Field(default_factory=list, description="Measurable outcomes.")
    continuing: list[Text] = Field(default_factory=list, description="Areas where work continues to progress.")
    exempt: bool = False


class ThemeFile(_Strict):
    """One theme (work stream, action plan) of a plan: `plans/<plan>/<theme>.yaml`."""

    theme: Text
    lead: str | None = None
    context: str | None = None
    ref: str | None = None
    exempt: bool = False
    actions: list[Action]
    updates: dict[str, Update] = Field(
        default_factory=dict, description="By period: '2018-19 Q1', '2015-16 H2' or '2017-18'."
    )


class Meeting(_Strict):
    period: str = Field(description="The period reported: '2018-19 Q1', '2015-16 H2' or '2017-18'.")
    date: Date
    item: str | None = None
    title: str | None = None
    author: str | None = None


class RagScheme(_Strict):
    """Which RAG colour each status takes. Amber for due-soon and revised deadlines."""

    completed: RagColour = "blue"
    in_progress: RagColour = "green"
    due_soon: RagColour = "amber"
    revised: RagColour = "amber"
    overdue: RagColour = "red"
    not_started: RagColour = "green"


class PlanFile(_Strict):
    """A plan's `plan.yaml`."""

    id: PlanId
    title: Text
    authority: Text
    board: Text
    start: Date
    end: Date
    cadence: Literal["quarterly", "six-monthly"]
    carried_from: PlanId | None = None
    author: str | None = None
    year_start: Annotated[str, StringConstraints(pattern=MONTH_DAY_PATTERN)] = Field(
        default="04-01", description="MM-DD the reporting year starts; UK local government: 04-01."
    )
    due_soon_days: Annotated[int, Field(ge=0, le=366)] = 30
    themes: list[str] | None = Field(default=None, description="Theme file names (without .yaml) in report order.")
    meetings: list[Meeting] = Field(default_factory=list)
    rag: RagScheme = Field(default_factory=RagScheme)
