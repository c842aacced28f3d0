"""Completion of plan and milestone ids from the plans folder named on the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperCommand

from bvplan.cli.completion import complete_milestone, complete_plan
from tests.conftest import SHIPPED_PLANS


def context(**params: Any) -> typer.Context:
    ctx = typer.Context(TyperCommand(name="complete"))
    ctx.params.update(params)
    return ctx


def test_plans_and_milestones_complete_from_the_named_plans_folder() -> None:
    ctx = context(plans_dir=SHIPPED_PLANS)
    assert complete_plan(ctx, "bvip-2") == ["bvip-2017-18", "bvip-2018-19"]
    assert complete_milestone(context(plans_dir=SHIPPED_PLANS, plan="bvip-2018-19"), "PR1.") == [
        f"PR1.{i}" for i in range(1, 7)
    ]
    assert complete_milestone(ctx, "bvip-2018-19/PR1.") == [f"bvip-2018-19/PR1.{i}" for i in range(1, 7)]


def test_a_folder_that_does_not_load_completes_nothing(tmp_path: Path) -> None:
    (tmp_path / "plan.yaml").write_text("id: [unclosed\n")
    assert complete_plan(context(plans_dir=tmp_path), "") == []
    assert complete_milestone(context(plans_dir=tmp_path / "missing"), "") == []


@pytest.mark.parametrize("incomplete", ["", "zz"])
def test_nothing_matches_nothing(incomplete: str) -> None:
    assert complete_milestone(context(plans_dir=SHIPPED_PLANS, plan="no-such-plan"), incomplete) == []
