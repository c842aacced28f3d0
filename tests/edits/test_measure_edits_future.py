"""`record` and `confidence` refuse a date after today before reading anything, as `note` does;
an actual already in a file dated after today is BV351."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bvplan.clock import today
from bvplan.edits.measure_edits import confidence, record
from bvplan.errors import UsageError
from bvplan.rules.validation import validate_sources

PLAN = b"id: hp\ntitle: H\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"
THEME = (
    "theme: Grants\nactions:\n  - id: GR1\n    title: Improve grants\n    milestones:\n      - id: GR1.1\n"
    "        title: Report\n        due: 2018-06-30\nmeasures:\n  - id: M1\n    title: Paid on time\n"
    "    unit: percent\n    better: higher\n    actuals:\n      - {{on: {on}, value: 70}}\n"
)


def test_record_and_confidence_refuse_a_day_after_today(tmp_path: Path) -> None:
    tomorrow = today() + dt.timedelta(days=1)
    with pytest.raises(UsageError, match=f"--on {tomorrow} is after today"):
        record(tmp_path / "no-plans-needed", "M1", "70", tomorrow, None)
    with pytest.raises(UsageError, match="is after today"):
        confidence(tmp_path / "no-plans-needed", "GR1", "high", "On track", dt.date(9999, 12, 31), None)


def test_an_actual_after_today_is_bv351_and_today_itself_is_fine() -> None:
    for day, codes in ((dt.date(9999, 12, 31), ["BV351"]), (today(), [])):
        plans = {"plans/hp": {"plan.yaml": PLAN, "grants.yaml": THEME.format(on=day.isoformat()).encode()}}
        loaded = validate_sources(plans)
        assert [d.code for d in loaded.report.diagnostics if d.code.startswith("BV35")] == codes
        if codes:
            [found] = [d for d in loaded.report.diagnostics if d.code == "BV351"]
            assert found.location == "plans/hp/grants.yaml:15:14"
            assert "actual of measure M1 dated 9999-12-31, after today" in found.message
