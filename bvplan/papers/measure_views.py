"""Measures, Directions and confidence of delivery as `bvplan status` shows them: table, Markdown, JSON, CSV.

The JSON keys and CSV columns below are a public contract, as the milestone ones are (README,
"Status as data"): only ever added to, never renamed. In JSON each plan object carries them under
`measures`, `directions` and `confidence`; in CSV they are their own documents, chosen with
`--rows measures|directions|confidence`, so the milestone columns never change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bvplan.format.frameworks import Framework
from bvplan.format.workspace import Plan
from bvplan.papers.cells import csv_cell
from bvplan.papers.markdown import escape
from bvplan.papers.measure_paper import number, with_unit
from bvplan.papers.status_views import fixed_width, one_line
from bvplan.rules.assessments import heatmap
from bvplan.rules.chain import open_past_deadline, registers
from bvplan.rules.directions import ActionConfidence, DirectionProgress, action_confidence, direction_progress
from bvplan.rules.measures import PlacedMeasure, plan_measures
from bvplan.rules.selection import chosen_part, owner_matches, theme_matches
from bvplan.rules.status import PlanStatus, Status

if TYPE_CHECKING:
    from rich.console import RenderableType

MEASURE_COLUMNS = (
    "plan",
    "theme",
    "action",
    "measure",
    "title",
    "unit",
    "better",
    "baseline",
    "baseline_on",
    "target",
    "target_period",
    "latest",
    "latest_on",
    "latest_note",
    "standing",
    "rag",
    "trend",
    "tolerance",
    "directions",
    "owner",
    "ref",
)
DIRECTION_COLUMNS = (
    "plan",
    "direction",
    "title",
    "kind",
    "ends",
    "best_value_themes",
    "actions",
    "completed",
    "in_progress",
    "overdue",
    "not_started",
    "total",
    "percent_delivered",
    "actions_overdue",
    "measures_on_target",
    "measures_within_tolerance",
    "measures_off_target",
    "measures_no_target",
    "measures_no_data",
    "optimism_bias",
)
CONFIDENCE_COLUMNS = (
    "plan",
    "theme",
    "action",
    "title",
    "status",
    "rag",
    "overdue",
    "confidence",
    "confidence_on",
    "confidence_by",
    "confidence_reason",
    "assurance",
    "optimism_bias",
)
_RAG_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", "blue": "blue"}


@dataclass(frozen=True)
class PlanExtras:
    """What a plan's status adds beyond its milestones, on the plan's reporting date."""

    plan_id: str
    title: str
    measures: tuple[PlacedMeasure, ...]
    directions: tuple[DirectionProgress, ...]
    confidence: tuple[ActionConfidence, ...]
    # Requirements and recommendations past their deadline and still open (BV404): (id, kind, due, text);
    # None for a plan that keeps no registers, whose outputs do not mention them.
    past_deadline: tuple[tuple[str, str, dt.date, int, str], ...] | None = None
    # Characteristics self-rated good while the actions serving them slip: (id, why); None for a plan
    # that names no framework, whose outputs do not mention them.
    optimistic_ratings: tuple[tuple[str, str], ...] | None = None


def extras_of(
    plan: Plan,
    status: PlanStatus,
    theme: str | None = None,
    owner: str | None = None,
    frameworks: Sequence[Framework] = (),
) -> PlanExtras:
    """Measures, Directions and confidence for one plan, of `theme` and `owner` only when given; with
    the plan's `frameworks`, the characteristics rated good while the actions serving them slip.

    Under `--theme` or `--owner` every figure is of the chosen items alone (rules/selection.py,
    `chosen_part`): a Direction counts only the chosen actions, milestones and measures that serve
    it, and a Direction none of them serves is left out. Give it the public view of the plan for a
    public status.
    """
    part = chosen_part(status, theme, owner)
    every = plan_measures(plan, status.as_of)
    measures = [m for m in every if theme_matches(m.theme_slug, m.theme_name, theme) and owner_matches(m.owner, owner)]
    directions = direction_progress(plan.model.directions, part, measures)
    if theme or owner:
        directions = [d for d in directions if d.actions or d.measures.total]
    confidence = action_confidence(part)
    past_deadline = None
    if plan.model.recommendations or any(d.requirements for d in plan.model.directions):
        past_deadline = tuple(
            (item_id, kind, due, (status.as_of - due).days, text)
            for item_id, kind, due, text in open_past_deadline(registers(plan, status.as_of))
        )
    optimistic = None
    if frameworks:
        # A characteristic is served by actions of any theme: the flag reads the whole plan's status.
        assessments = plan.model.assessments
        rated = heatmap(plan.id, plan.model.title, frameworks, assessments, status.as_of, status.actions(), every)
        optimistic = tuple((row.id, row.optimism.words) for row in rated.rows if row.optimism is not None)
    return PlanExtras(
        plan.id, plan.model.title, tuple(measures), tuple(directions), tuple(confidence), past_deadline, optimistic
    )


def _ratings_lines(plan: PlanExtras) -> list[str]:
    """Each characteristic rated good while delivery slips, in words."""
    return [f"{item}: rated good while {why}" for item, why in plan.optimistic_ratings or ()]


PAST_DEADLINE_HEADINGS = ("Id", "Kind", "Deadline", "Days past", "Requirement or recommendation")


def _past_rows(plan: PlanExtras) -> list[tuple[str, ...]]:
    return [
        (item_id, kind, due.isoformat(), str(days), text) for item_id, kind, due, days, text in plan.past_deadline or ()
    ]


def _past_title(plan: PlanExtras) -> str:
    return f"{plan.title}: requirements and recommendations past their deadline"


def measure_dict(plan_id: str, placed: PlacedMeasure) -> dict[str, object]:
    s = placed.status
    m = s.measure
    return {
        "plan": plan_id,
        "theme": placed.theme_name,
        "action": placed.action_id,
        "measure": m.id,
        "title": m.title,
        "unit": m.unit,
        "better": m.better,
        "baseline": number(s.baseline.value) if s.baseline else None,
        "baseline_on": s.baseline.on.isoformat() if s.baseline else None,
        "target": number(s.target.value) if s.target else None,
        "target_period": s.target.period if s.target else None,
        "latest": number(s.latest.value) if s.latest else None,
        "latest_on": s.latest.on.isoformat() if s.latest else None,
        "latest_note": s.latest.note if s.latest else None,
        "standing": s.standing.value,
        "rag": s.rag,
        "trend": s.trend.value,
        "tolerance": number(m.tolerance),
        "directions": list(placed.directions),
        "owner": m.owner,
        "ref": m.ref,
    }


def direction_dict(plan_id: str, d: DirectionProgress) -> dict[str, object]:
    c, mc = d.counts, d.measures
    return {
        "plan": plan_id,
        "direction": d.id,
        "title": d.direction.title,
        "kind": d.direction.kind,
        "ends": d.direction.ends.isoformat() if d.direction.ends else None,
        "best_value_themes": list(d.direction.best_value_themes),
        "actions": list(d.actions),
        "completed": c.completed,
        "in_progress": c.in_progress,
        "overdue": c.overdue,
        "not_started": c.not_started,
        "total": c.total,
        "percent_delivered": round(c.percent_delivered, 1),
        "actions_overdue": d.action_counts[Status.OVERDUE],
        "measures_on_target": mc.on_target,
        "measures_within_tolerance": mc.within_tolerance,
        "measures_off_target": mc.off_target,
        "measures_no_target": mc.no_target,
        "measures_no_data": mc.no_data,
        "optimism_bias": list(d.optimism_bias),
    }


def confidence_dict(plan_id: str, item: ActionConfidence) -> dict[str, object]:
    action, given = item.action, item.confidence
    assurance = action.action.assurance
    return {
        "plan": plan_id,
        "theme": item.theme,
        "action": item.id,
        "title": action.action.title,
        "status": action.status.value,
        "rag": action.rag,
        "overdue": action.counts.overdue,
        "confidence": given.level if given else None,
        "confidence_on": given.on.isoformat() if given else None,
        "confidence_by": given.by if given else None,
        "confidence_reason": given.reason if given else None,
        "assurance": assurance.level if assurance else None,
        "optimism_bias": item.optimism_bias,
    }


def json_keys(extras: PlanExtras) -> Mapping[str, object]:
    """The keys each plan object of the JSON document gains."""
    return {
        "measures": [measure_dict(extras.plan_id, m) for m in extras.measures],
        "directions": [direction_dict(extras.plan_id, d) for d in extras.directions],
        "confidence": [confidence_dict(extras.plan_id, c) for c in extras.confidence],
        **(
            {}
            if extras.past_deadline is None
            else {
                "past_deadline": [
                    {"id": i, "kind": kind, "due": due.isoformat(), "days_past": days, "text": text}
                    for i, kind, due, days, text in extras.past_deadline
                ]
            }
        ),
        **(
            {}
            if extras.optimistic_ratings is None
            else {
                "optimistic_ratings": [{"characteristic": item, "why": why} for item, why in extras.optimistic_ratings]
            }
        ),
    }


def as_csv(extras: Iterable[PlanExtras], rows: str) -> str:
    """`rows`: measures, directions or confidence; lists are joined with '; '."""
    columns = {"measures": MEASURE_COLUMNS, "directions": DIRECTION_COLUMNS, "confidence": CONFIDENCE_COLUMNS}[rows]

    def make(e: PlanExtras) -> list[dict[str, object]]:
        if rows == "measures":
            return [measure_dict(e.plan_id, m) for m in e.measures]
        if rows == "directions":
            return [direction_dict(e.plan_id, d) for d in e.directions]
        return [confidence_dict(e.plan_id, c) for c in e.confidence]

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for plan in extras:
        for row in make(plan):
            writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return buffer.getvalue()


def standing_text(placed: PlacedMeasure) -> str:
    rag = placed.status.rag
    return f"{placed.status.standing.value} ({rag.title()})" if rag else placed.status.standing.value


def target_text(placed: PlacedMeasure) -> str:
    target = placed.status.target
    if target is None:
        return ""
    return f"{with_unit(target.value, placed.status.measure.unit)} ({target.period})"


def latest_text(placed: PlacedMeasure) -> str:
    latest = placed.status.latest
    if latest is None:
        return ""
    return f"{with_unit(latest.value, placed.status.measure.unit)} ({latest.on.isoformat()})"


def baseline_text(placed: PlacedMeasure) -> str:
    baseline = placed.status.baseline
    if baseline is None:
        return ""
    return f"{with_unit(baseline.value, placed.status.measure.unit)} ({baseline.on.isoformat()})"


def direction_cells(d: DirectionProgress) -> list[str]:
    c, mc = d.counts, d.measures
    return [
        str(len(d.actions)),
        f"{c.completed}/{c.total}",
        str(c.overdue),
        f"{mc.on_target}/{mc.total}" if mc.total else "",
        str(mc.off_target) if mc.total else "",
        ", ".join(d.optimism_bias),
    ]


DIRECTION_HEADINGS = (
    "Direction",
    "Actions",
    "Milestones completed",
    "Overdue",
    "Measures on target",
    "Off target",
    "Optimism bias",
)
MEASURE_HEADINGS = ("Measure", "Baseline", "Target", "Latest", "Standing", "Trend")


def tables(extras: Sequence[PlanExtras]) -> list[RenderableType]:
    """Terminal tables: each plan's measures, Directions and flagged optimism bias."""
    from rich.table import Table  # only when a table is drawn: rich is a tenth of a cold start
    from rich.text import Text

    parts: list[RenderableType] = []
    for plan in extras:
        if plan.measures:
            table = Table(title=f"{plan.title}: measures", title_justify="left", title_style="bold")
            for column in ("Theme", *MEASURE_HEADINGS):
                table.add_column(column, overflow="fold")
            for m in plan.measures:
                table.add_row(
                    m.theme_name,
                    f"{m.status.measure.title} ({m.status.id})",
                    baseline_text(m),
                    target_text(m),
                    latest_text(m),
                    Text(standing_text(m), style=_RAG_STYLE.get(m.status.rag or "", "")),
                    m.status.trend.value,
                )
            parts.append(table)
        if plan.directions:
            table = Table(title=f"{plan.title}: progress against the Directions", title_justify="left")
            for column in DIRECTION_HEADINGS:
                table.add_column(column, overflow="fold")
            for d in plan.directions:
                table.add_row(f"{d.id}: {d.direction.title}", *direction_cells(d))
            parts.append(table)
        if plan.past_deadline:
            table = Table(title=_past_title(plan), title_justify="left", title_style="bold red")
            for column in PAST_DEADLINE_HEADINGS:
                table.add_column(column, overflow="fold")
            for row in _past_rows(plan):
                table.add_row(*row)
            parts.append(table)
        flagged = [c for c in plan.confidence if c.optimism_bias]
        if flagged:
            lines = "\n".join(f"  {c.id}: {_bias_words(c)}" for c in flagged)
            parts.append(Text(f"Optimism bias ({plan.title}):\n{lines}", style="bold red"))
        if plan.optimistic_ratings:
            lines = "\n".join(f"  {line}" for line in _ratings_lines(plan))
            parts.append(Text(f"Optimism bias in the self-assessment ({plan.title}):\n{lines}", style="bold red"))
    return parts


def plain_tables(extras: Sequence[PlanExtras]) -> str:
    """The terminal tables' content as fixed-width text, for a pipe or a file (see status_views)."""
    out: list[str] = []
    for plan in extras:
        if plan.measures:
            measure_cells: list[tuple[str, ...]] = [
                (
                    m.theme_name,
                    f"{m.status.measure.title} ({m.status.id})",
                    baseline_text(m),
                    target_text(m),
                    latest_text(m),
                    standing_text(m),
                    m.status.trend.value,
                )
                for m in plan.measures
            ]
            title = one_line(f"{plan.title}: measures")
            out += ["", title, *fixed_width(("Theme", *MEASURE_HEADINGS), measure_cells)]
        if plan.directions:
            direction_rows = [(f"{d.id}: {d.direction.title}", *direction_cells(d)) for d in plan.directions]
            title = one_line(f"{plan.title}: progress against the Directions")
            out += ["", title, *fixed_width(DIRECTION_HEADINGS, direction_rows)]
        if plan.past_deadline:
            out += ["", one_line(_past_title(plan)), *fixed_width(PAST_DEADLINE_HEADINGS, _past_rows(plan))]
        flagged = [c for c in plan.confidence if c.optimism_bias]
        if flagged:
            out += [
                "",
                one_line(f"Optimism bias ({plan.title}):"),
                *(f"  {one_line(f'{c.id}: {_bias_words(c)}')}" for c in flagged),
            ]
        if plan.optimistic_ratings:
            out += [
                "",
                one_line(f"Optimism bias in the self-assessment ({plan.title}):"),
                *(f"  {one_line(line)}" for line in _ratings_lines(plan)),
            ]
    return "\n".join(out) + "\n" if out else ""


def _bias_words(c: ActionConfidence) -> str:
    assert c.confidence is not None
    overdue = c.action.counts.overdue
    return (
        f"confidence 'high' ({c.confidence.on.isoformat()}) while {overdue} "
        f"milestone{'s are' if overdue != 1 else ' is'} overdue"
    )


def markdown(extras: Sequence[PlanExtras]) -> str:
    out: list[str] = []
    for plan in extras:
        if plan.measures:
            out += [f"## {escape(plan.title)}: measures", "", "| Theme | " + " | ".join(MEASURE_HEADINGS) + " |"]
            out.append("|---" * (len(MEASURE_HEADINGS) + 1) + "|")
            for m in plan.measures:
                cells = [
                    escape(m.theme_name),
                    f"{escape(m.status.measure.title)} ({escape(m.status.id)})",
                    baseline_text(m),
                    target_text(m),
                    latest_text(m),
                    standing_text(m),
                    m.status.trend.value,
                ]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        if plan.directions:
            out += [f"## {escape(plan.title)}: progress against the Directions", ""]
            out += ["| " + " | ".join(DIRECTION_HEADINGS) + " |", "|---" * len(DIRECTION_HEADINGS) + "|"]
            for d in plan.directions:
                cells = [f"{escape(d.id)}: {escape(d.direction.title)}", *direction_cells(d)]
                out.append("| " + " | ".join(cells) + " |")
            out.append("")
        if plan.past_deadline:
            out += [f"## {escape(_past_title(plan))}", ""]
            out += ["| " + " | ".join(PAST_DEADLINE_HEADINGS) + " |", "|---" * len(PAST_DEADLINE_HEADINGS) + "|"]
            out += ["| " + " | ".join(escape(c) for c in row) + " |" for row in _past_rows(plan)]
            out.append("")
        flagged = [c for c in plan.confidence if c.optimism_bias]
        if flagged:
            out += ["Optimism bias:", "", *(f"- {escape(c.id)}: {_bias_words(c)}" for c in flagged), ""]
        if plan.optimistic_ratings:
            out += [
                "Optimism bias in the self-assessment:",
                "",
                *(f"- {escape(line)}" for line in _ratings_lines(plan)),
                "",
            ]
    return "\n".join(out)
