"""A new plan from a council's tracker: the files made, validated, and written only as new files.

Never overwrites: a plan id already in the plans, or a folder already holding YAML, is refused.
The plan's files are validated as they would be on disk before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from bvplan.edits.edit_commands import FileChange, load_plans
from bvplan.edits.files import Snapshot
from bvplan.edits.yaml_edit import dump_document
from bvplan.errors import UsageError
from bvplan.format.diagnostics import PlansInvalid
from bvplan.format.loader import PLAN_FILE, YAML_SUFFIXES, display_path
from bvplan.format.model import PLAN_ID_PATTERN
from bvplan.format.periods import financial_year_of, year_label
from bvplan.rules.tracker import TrackerPlan
from bvplan.rules.validation import validate_sources


@dataclass
class NewPlan:
    changes: list[FileChange]
    summary: str


def _holds_plans(plans_dir: Path) -> bool:
    """Whether the plans folder holds anything to read: an empty one is where a first plan starts."""
    try:
        return any(p.suffix in YAML_SUFFIXES or (p / PLAN_FILE).exists() for p in plans_dir.iterdir())
    except OSError:
        return True  # reading it again reports why it cannot be read


def plan_year_span(text: str | None, tracker: TrackerPlan, today: dt.date) -> tuple[dt.date, dt.date]:
    """--year '2018-19' (or '2018-19:2019-20'), else the financial years the due dates fall in."""
    if text:
        parts = text.split(":")
        years = []
        for part in parts:
            match = re.fullmatch(r"(\d{4})-(\d{2})", part.strip())
            if not match or (int(match[1]) + 1) % 100 != int(match[2]):
                raise UsageError(f"--year '{text}' is not a financial year like 2018-19 (or 2018-19:2019-20)")
            years.append(int(match[1]))
        first, last = min(years), max(years)
    else:
        first = financial_year_of(tracker.first_due or today)
        last = financial_year_of(tracker.last_due or today)
    return dt.date(first, 4, 1), dt.date(last + 1, 3, 31)


def new_plan(
    plans_dir: Path,
    plan_id: str,
    tracker: TrackerPlan,
    source_name: str,
    authority: str,
    board: str,
    title: str | None,
    year: str | None,
    cadence: str,
    today: dt.date,
    skip_bad_rows: bool = False,
) -> NewPlan:
    """The new plan's files, validated; UsageError if a row could not be brought in (unless
    `skip_bad_rows`), if the plan exists, or if the files would not be valid."""
    if not re.match(PLAN_ID_PATTERN, plan_id):
        raise UsageError(f"'{plan_id}' is not a plan id: lower-case letters, digits, '.', '_' and '-'")
    for what, text in (("--authority", authority), ("--board", board)):
        if not text.strip():
            raise UsageError(f"{what} must not be empty")
    left_out = tracker.rows_left_out
    if left_out and not skip_bad_rows:
        rows = ", ".join(str(n) for n in left_out)
        raise UsageError(
            f"{len(left_out)} row{'s' if len(left_out) != 1 else ''} of {source_name} could not be brought in "
            f"(row{'s' if len(left_out) != 1 else ''} {rows}, listed above); nothing written: correct them in the "
            "tracker, or give --skip-bad-rows to bring in the other rows"
        )
    if not tracker.milestones:
        raise UsageError("no row of the tracker could be read as a milestone; nothing written")
    folder = plans_dir / plan_id
    if plans_dir.is_dir() and _holds_plans(plans_dir):
        loaded = load_plans(plans_dir)
        if loaded.workspace.plan(plan_id) is not None:
            raise UsageError(f"a plan '{plan_id}' already exists; bvplan never overwrites a plan")
    if folder.exists() and (not folder.is_dir() or any(p.suffix in YAML_SUFFIXES for p in folder.iterdir())):
        raise UsageError(f"{display_path(folder)} already exists; bvplan never overwrites a plan")
    start, end = plan_year_span(year, tracker, today)
    label = (
        year_label(start.year)
        if end.year == start.year + 1
        else f"{year_label(start.year)} to {year_label(end.year - 1)}"
    )
    header = [f"# {plan_id}: brought in from the tracker {source_name} by bvplan on {today.isoformat()}."]
    plan_data = {
        "id": plan_id,
        "title": title or f"Improvement Plan {label}",
        "authority": authority,
        "board": board,
        "start": start,
        "end": end,
        "cadence": cadence,
        "themes": tracker.theme_order,
    }
    files: dict[str, bytes] = {PLAN_FILE: dump_document(plan_data, header).encode("utf-8")}
    for slug in tracker.theme_order:
        files[f"{slug}.yaml"] = dump_document(tracker.themes[slug], header).encode("utf-8")
    checked = validate_sources({display_path(folder): files})
    if checked.report.errors:
        raise PlansInvalid(
            "the plan made from the tracker is not valid; nothing written",
            [d for d in checked.report.sorted() if d.severity.name == "ERROR"],
            checked.lines,
        )
    changes = [FileChange(folder / name, Snapshot(folder / name, None), data) for name, data in files.items()]
    themes = len(tracker.theme_order)
    summary = (
        f"plan {plan_id} ({start} to {end}): {themes} theme{'s' if themes != 1 else ''}, "
        f"{tracker.milestones} milestone{'s' if tracker.milestones != 1 else ''} from {source_name}"
    )
    return NewPlan(changes, summary)
