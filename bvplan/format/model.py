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
# A day every year has: 29 February (and 30 February, 31 April, ...) would leave some years without it.
MONTH_DAY_PATTERN = r"^((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$"

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
ConfidenceLevel = Literal["high", "medium", "low"]
# A measure's unit: what its values count. Percent is 0-100; pounds are sterling, to the penny.
Unit = Literal["number", "percent", "pounds", "days"]
Better = Literal["higher", "lower"]
# The seven Best Value themes of the statutory guidance (May 2024).
BestValueTheme = Literal[
    "continuous improvement",
    "leadership",
    "governance",
    "culture",
    "use of resources",
    "service delivery",
    "partnerships and community engagement",
]
# A measure's value: a number as YAML types it (an int or a float; never a bool, never text).
Value = int | float
PeriodKey = Annotated[str, Field(description="'2018-19 Q1', '2015-16 H2' or '2017-18'.")]


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
    """An assurance rating for an action, e.g. internal audit's level after testing compliance."""

    level: AssuranceLevel
    on: Date | None = None
    by: str | None = Field(default=None, description="Who gave it, e.g. Internal Audit.")
    reason: str | None = Field(default=None, description="What the rating rests on.")
    evidence: list[Text] = Field(default_factory=list, description="Links or repository paths: the audit report.")


class Confidence(_Strict):
    """A dated confidence of delivery for an action, from its lead or from the board."""

    level: ConfidenceLevel
    reason: Text
    on: Date
    by: str | None = Field(default=None, description="Whose view: the lead, the board, a named officer.")


class Assessment(_Strict):
    """A dated rating of one characteristic of a framework: a self-assessment or an external one.

    Self and external ratings of the same characteristic are kept apart: a peer challenge's or the
    commissioners' view never replaces the council's own, and both are shown.
    """

    characteristic: ItemId = Field(description="The id of a characteristic in one of the plan's frameworks.")
    level: ItemId = Field(description="A level of that framework's rating scale.")
    on: Date = Field(description="When the rating was given.")
    by: str | None = Field(default=None, description="Who rated it: the council's officers, a peer challenge, ...")
    external: bool = Field(default=False, description="Given from outside the council (peer challenge, commissioners).")
    evidence: list[Text] = Field(default_factory=list, description="Links or repository paths the rating rests on.")
    note: str | None = None
    exempt: bool = Field(default=False, description="Not to be published: left out of --public outputs.")


class Baseline(_Strict):
    value: Value
    on: Date
    note: str | None = None


class Target(_Strict):
    """The value a measure should reach by the end of a period."""

    period: PeriodKey
    value: Value


class Actual(_Strict):
    """A measured value, known from `on`."""

    on: Date
    value: Value
    note: str | None = None


class Measure(_Strict):
    """A performance measure: a baseline, targets per period and dated actuals."""

    id: ItemId
    title: Text
    unit: Unit
    better: Better = Field(description="Which direction is better: higher or lower.")
    tolerance: Annotated[Value, Field(ge=0)] = Field(
        default=0, description="How far short of target still counts as amber (within tolerance), in the unit."
    )
    owner: str | None = None
    ref: str | None = None
    carried_from: Reference | None = None
    directions: list[ItemId] = Field(default_factory=list, description="Ids of the Directions it evidences.")
    kind: Literal["output", "outcome"] = Field(
        default="output",
        description="'output': what the council did (reports issued, staff trained); 'outcome': the change it made "
        "for residents or the organisation. Papers show outcome measures apart from output measures.",
    )
    metric: str | None = Field(
        default=None, description="An external metric this measure reports, e.g. a Local Outcomes Framework metric id."
    )
    baseline: Baseline | None = None
    targets: list[Target] = Field(default_factory=list)
    actuals: list[Actual] = Field(default_factory=list)
    exempt: bool = False


class Requirement(_Strict):
    """One numbered requirement of a Direction: what must be done, by when, and what shows it is met."""

    id: ItemId
    text: Text
    due: Date | None = Field(default=None, description="The deadline the Direction sets; absent if it sets none.")
    evidence_needed: list[Text] = Field(default_factory=list, description="What will show it is met.")
    evidence: list[Text] = Field(default_factory=list, description="What shows it is met: links or repository paths.")
    met: Date | None = Field(default=None, description="When it was met; absent while it is open.")
    exempt: bool = Field(default=False, description="Not to be published: left out of --public output and counts.")


class Direction(_Strict):
    """A Direction (or improvement objective, or exit criterion) the plan answers to."""

    id: ItemId
    title: Text
    kind: Literal["direction", "objective", "exit criterion"] = "direction"
    issued: Date | None = None
    ends: Date | None = Field(default=None, description="When it ceases to be in force.")
    by: str | None = Field(default=None, description="Who gave it, e.g. the Secretary of State.")
    best_value_themes: list[BestValueTheme] = Field(default_factory=list)
    requirements: list[Requirement] = Field(
        default_factory=list, description="Its numbered requirements, in the Direction's order."
    )
    met: Date | None = Field(
        default=None,
        description="When it (an exit criterion, say) was judged met as a whole; with requirements, "
        "it is met when they all are.",
    )
    evidence: list[Text] = Field(default_factory=list, description="What shows progress or that it is met.")
    commentary: str | None = Field(default=None, description="The Directions progress summary's commentary.")
    rag: RagOverride | None = Field(default=None, description="The board's own RAG, which wins over the computed one.")


RecommendationKind = Literal["inspection", "notice", "auditor", "peer-challenge", "cipfa", "other"]


class RecommendationSource(_Strict):
    """Where a recommendation comes from: a Best Value inspection or Notice, an auditor (s24), a review."""

    kind: RecommendationKind
    title: Text
    date: Date | None = None


class Recommendation(_Strict):
    """A recommendation made to the council, and its response: the register of recommendations."""

    id: ItemId
    source: RecommendationSource
    text: Text
    response: Literal["accepted", "rejected"] = "accepted"
    reason: str | None = Field(default=None, description="Why it was rejected: required when it is.")
    due: Date | None = Field(default=None, description="The deadline; absent for a standing commitment.")
    evidence_needed: list[Text] = Field(default_factory=list, description="What will show it is done.")
    evidence: list[Text] = Field(default_factory=list, description="What shows it is done: links or paths.")
    closed: Date | None = Field(default=None, description="When it was closed; absent while it is open.")
    owner_rag: RagColour | None = Field(
        default=None, description="The RAG its owner reported (e.g. from an imported register), shown beside bvplan's."
    )
    monitoring: str | None = Field(default=None, description="How it is monitored, e.g. the committee that sees it.")
    exempt: bool = Field(default=False, description="Not to be published: left out of --public output and counts.")


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
    evidence: list[Text] = Field(
        default_factory=list, description="What shows it was completed: links or paths in the repository."
    )
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
    directions: list[ItemId] = Field(default_factory=list, description="Ids of the Directions the action serves.")
    characteristics: list[ItemId] = Field(
        default_factory=list, description="Ids of the framework characteristics the action serves."
    )
    answers: list[ItemId] = Field(
        default_factory=list, description="Ids of the Direction requirements and recommendations the action answers."
    )
    ongoing: bool = Field(
        default=False,
        description="A standing commitment ('Ongoing' in a register): no deadline, no milestones needed, "
        "its status is Ongoing.",
    )
    owner_rag: RagColour | None = Field(
        default=None, description="The RAG its owner reported (e.g. from an imported register), shown beside bvplan's."
    )
    confidence: list[Confidence] = Field(
        default_factory=list, description="Dated confidence of delivery, oldest first."
    )
    milestones: list[Milestone]
    measures: list[Measure] = Field(default_factory=list)


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
    best_value_themes: list[BestValueTheme] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)


class Section(_Strict):
    """A section of the committee report in plain text: paragraphs apart by a blank line, `- ` for a list."""

    heading: str | None = Field(default=None, description="Defaults to the plan's heading for the same key.")
    text: Text = Field(description="Paragraphs separated by a blank line; lines starting '- ' make a list.")
    part: Literal["summary", "opening", "closing"] | None = Field(
        default=None,
        description="Where it goes: 'summary' before the recommendations (an executive summary), 'opening' "
        "after them (Background), 'closing' after the progress (finance, legal, implications). Default: closing.",
    )
    exempt: bool = Field(default=False, description="Not to be published: left out of --public papers.")


class FrontSheet(_Strict):
    """The fields of a council's report front sheet; a field not set is left out of the paper."""

    classification: Literal["open", "exempt"] | None = None
    exempt_paragraph: Annotated[int, Field(ge=1, le=7)] | None = Field(
        default=None, description="The Local Government Act 1972, Schedule 12A paragraph (1-7) of its exempt items."
    )
    wards: str | None = Field(default=None, description="Wards affected, e.g. 'All wards'.")
    lead_member: str | None = None
    report_of: str | None = Field(default=None, description="The corporate director the report is of.")
    author_post: str | None = None
    author_contact: str | None = None
    key_decision: bool | None = None
    appendices: list[Text] | None = Field(default=None, description="Default: Appendix 1, the milestone update.")
    background_documents: list[Text] | None = Field(
        default=None, description="Local Government Act 1972, s.100D: the background papers the report used."
    )


class Meeting(_Strict):
    period: str = Field(description="The period reported: '2018-19 Q1', '2015-16 H2' or '2017-18'.")
    date: Date
    position: Date | None = Field(
        default=None,
        description="The date the paper's position is taken. Default: the plan's position_days before `date`.",
    )
    item: str | None = None
    title: str | None = None
    author: str | None = None
    committee: str | None = Field(default=None, description="The body the paper goes to. Default: the plan's board.")
    paper: str | None = Field(
        default=None, description="Which paper: board (default), cabinet, year-end, or a house one."
    )
    recommendations: list[Text] | None = Field(default=None, description="Replaces the recommendations bvplan words.")
    sections: dict[str, Section] = Field(default_factory=dict, description="This meeting's sections, by key.")
    front_sheet: FrontSheet | None = None


class RagScheme(_Strict):
    """Which RAG colour each status takes. Amber for due-soon and revised deadlines."""

    completed: RagColour = "blue"
    in_progress: RagColour = "green"
    due_soon: RagColour = "amber"
    revised: RagColour = "amber"
    overdue: RagColour = "red"
    not_started: RagColour = "green"


class AccessibilityStatement(_Strict):
    """What the published site's accessibility statement says that bvplan cannot know (GOV.UK model statement)."""

    website: str | None = Field(default=None, description="The site's name, e.g. 'Improvement plan progress'.")
    contact: Text = Field(description="How to ask for another format or report a problem: email, phone, address.")
    response_days: Annotated[int, Field(ge=1, le=366)] = Field(
        default=10, description="Working days in which the council replies to a request."
    )
    enforcement: str | None = Field(
        default=None,
        description="The enforcement procedure. Default: the Equality and Human Rights Commission, and the "
        "Equality Advisory and Support Service, as the model statement words it.",
    )
    compliance: Literal["full", "partial", "not"] = Field(
        default="full", description="Compliance with WCAG 2.2 AA: full, partial or not compliant."
    )
    issues: list[Text] = Field(default_factory=list, description="Known content that is not accessible, and why.")
    prepared: Date = Field(description="When the statement was prepared.")
    last_tested: Date = Field(description="When the site was last tested.")
    tested_by: str | None = Field(default=None, description="Who tested it and how.")


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
    position_days: Annotated[int, Field(ge=0, le=366)] = Field(
        default=7,
        description="Days before a meeting its paper's position is taken, unless the meeting gives `position`: "
        "papers are published five clear working days before the meeting (Local Government Act 1972, s.100B).",
    )
    deadline_precision: Literal["day", "month"] = Field(
        default="day", description="'month': deadlines are month-ends and papers print them 'Oct-15'."
    )
    sections: dict[str, Section] = Field(default_factory=dict, description="Committee report sections, by key.")
    required_sections: list[str] = Field(default_factory=list, description="Keys of sections every paper must carry.")
    front_sheet: FrontSheet | None = None
    updates: dict[str, Update] = Field(
        default_factory=dict, description="Plan-wide narrative by period, e.g. '2017-18': the year's key achievements."
    )
    rag: RagScheme = Field(default_factory=RagScheme)
    directions: list[Direction] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="The register of recommendations: inspection, auditor (s24), peer challenge."
    )
    require_evidence: bool = Field(default=False, description="Warn about a milestone completed with no evidence.")
    accessibility: AccessibilityStatement | None = Field(
        default=None, description="The published site's accessibility statement (`bvplan site`)."
    )
    frameworks: list[ItemId] = Field(
        default_factory=list,
        description="Ids of the frameworks (packs) the plan assesses itself against, e.g. best-value-2024.",
    )
    assessments: list[Assessment] = Field(
        default_factory=list, description="Dated ratings of the frameworks' characteristics ('bvplan assess')."
    )
    vocabulary: Literal["standard", "tolerance"] = Field(
        default="standard",
        description="The status words of every output: 'standard' (Completed / In Progress / Overdue) or "
        "'tolerance' (On track / Within tolerance / Off track).",
    )
    tolerance_days: Annotated[int, Field(ge=0, le=366)] = Field(
        default=0, description="With vocabulary 'tolerance': days overdue still reported 'Within tolerance'."
    )
    rebaseline_profile: bool = Field(
        default=False, description="Give the quarterly paper a re-baseline profile: how often each theme's dates moved."
    )
