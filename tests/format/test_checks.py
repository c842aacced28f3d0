"""The checks across files and plans, called as `validate` calls them, on the shipped plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bvplan.format.checks import check
from bvplan.format.diagnostics import Severity
from bvplan.format.loader import load
from tests.conftest import SHIPPED_PLANS

IN_2018 = dt.date(2018, 6, 30)
END_OF_EXAMPLE = dt.date(2026, 3, 31)  # the last day of plans/example-2025-26


def test_the_shipped_plans_pass_every_check(plans_copy: Path) -> None:
    # The 2015-19 plans, on a day of theirs; the 2025-26 example holds facts of 2025, after it.
    loaded = load([plans_copy])
    assert check(loaded.workspace, loaded.selected, IN_2018) == []
    everything = load([SHIPPED_PLANS])
    errors = [
        d for d in check(everything.workspace, everything.selected, END_OF_EXAMPLE) if d.severity is Severity.ERROR
    ]
    assert errors == []


def test_an_id_used_twice_is_reported_where_the_second_one_is(plans_copy: Path) -> None:
    theme = plans_copy / "bvip-2018-19/property.yaml"
    lines = theme.read_text(encoding="utf-8").splitlines(keepends=True)
    second = next(n for n, row in enumerate(lines, 1) if row.strip() == "- id: PR1.2")
    lines[second - 1] = lines[second - 1].replace("PR1.2", "PR1.1")
    theme.write_text("".join(lines), encoding="utf-8")
    loaded = load([plans_copy])
    [found] = check(loaded.workspace, loaded.selected, IN_2018)
    assert (found.code, Path(found.path).parts[-2:], found.span and found.span.line) == (
        "BV301",
        ("bvip-2018-19", "property.yaml"),
        second,
    )
    assert "id 'PR1.1' is already used at" in found.message


def test_a_fact_dated_after_today_is_an_error_only_once_today_is_before_it(plans_copy: Path) -> None:
    loaded = load([plans_copy])
    # On 1 April 2018 the completions and notes of the first quarter had not happened yet.
    found = check(loaded.workspace, loaded.selected, dt.date(2018, 4, 1))
    assert found and {d.code for d in found} == {"BV320"}
