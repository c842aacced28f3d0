"""`bvplan status --format json` is written piece by piece; it must still be one valid document
whose every level agrees with the milestones beneath it and with the CSV of the same rows."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from tests.conftest import SHIPPED_PLANS, RunMain

STATUS_KEYS = {
    "Completed": "completed",
    "In Progress": "in_progress",
    "Overdue": "overdue",
    "Not Started": "not_started",
    "Cancelled": "cancelled",
}


def _check_summary(summary: dict[str, object], milestones: list[dict[str, object]]) -> None:
    tally = Counter(STATUS_KEYS[str(m["status"])] for m in milestones)
    for key in STATUS_KEYS.values():
        assert summary[key] == tally[key], key
    assert summary["total"] == len(milestones) - tally["cancelled"]
    assert summary["due_soon"] == sum(1 for m in milestones if m["due_soon"])


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "2018-06-30"],
        ["--as-of", "2016-01-26"],
        ["--as-of", "2018-03-31", "--plan", "bvip-2017-18"],
        ["--as-of", "2018-06-30", "--status", "overdue"],
        ["--as-of", "2018-06-30", "--owner", "no such owner"],
    ],
)
def test_json_is_one_document_that_agrees_with_itself_and_the_csv(run_main: RunMain, args: list[str]) -> None:
    as_json = run_main("status", *args, "--format", "json", "--plans", SHIPPED_PLANS)
    as_csv = run_main("status", *args, "--format", "csv", "--plans", SHIPPED_PLANS)
    assert as_json.returncode == 0 and as_csv.returncode == 0, as_json.stderr + as_csv.stderr
    document = json.loads(as_json.stdout)
    assert as_json.stdout.endswith("}\n")
    every: list[dict[str, object]] = []
    for plan in document["plans"]:
        in_plan: list[dict[str, object]] = []
        for theme in plan["themes"]:
            assert theme["milestones"], "a theme is listed only for the milestones it has"
            _check_summary(theme["summary"], theme["milestones"])
            in_plan += theme["milestones"]
        _check_summary(plan["summary"], in_plan)
        every += in_plan
    _check_summary(document["summary"], every)
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [{k: _csv_cell(v) for k, v in m.items()} for m in every] == table
