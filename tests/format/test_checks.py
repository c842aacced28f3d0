"""The checks across files and plans, called as `validate` calls them, on the shipped plans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bvplan.format.checks import check
from bvplan.format.loader import load
from tests.conftest import HISTORIC_PLANS, SHIPPED_PLANS

IN_2018 = dt.date(2018, 6, 30)


def test_the_shipped_plans_pass_every_check() -> None:
    loaded = load([SHIPPED_PLANS / plan for plan in HISTORIC_PLANS])
    assert check(loaded.workspace, loaded.selected, IN_2018) == []
    # The invented 2025-26 plan, on the day its Q3 paper's position is taken: no error, and as
    # warnings only the requirements and recommendations then past their deadline (BV404). The
    # optimism flag (BV428) reads the plan's status, a rule: tests/rules/test_validation.py has it.
    example = load([SHIPPED_PLANS / "example-2025-26"])
    found = check(example.workspace, example.selected, dt.date(2026, 1, 19))
    assert {(d.code, d.severity.value) for d in found} == {("BV404", "warning")}


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


def test_a_fact_dated_after_today_is_an_error_only_once_today_is_before_it() -> None:
    loaded = load([SHIPPED_PLANS / plan for plan in HISTORIC_PLANS])
    # On 1 April 2018 the completions and notes of the first quarter had not happened yet.
    found = check(loaded.workspace, loaded.selected, dt.date(2018, 4, 1))
    assert found and {d.code for d in found} == {"BV320"}
