"""PLAN/ID as users write it, and plans found by id (bvplan/rules/lookup.py): one parser, one refusal."""

from __future__ import annotations

import pytest

from bvplan.errors import UsageError
from bvplan.rules.lookup import NotFound, plan_named, split_reference
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS


@pytest.mark.parametrize(
    ("reference", "plan_option", "expected"),
    [
        ("PR2.3", None, (None, "PR2.3")),
        ("bvip-2017-18/PR2.3", None, ("bvip-2017-18", "PR2.3")),
        ("PR2.3", "bvip-2017-18", ("bvip-2017-18", "PR2.3")),
        ("bvip-2017-18/PR2.3", "bvip-2017-18", ("bvip-2017-18", "PR2.3")),
        (" PR2.3 ", None, (None, "PR2.3")),
    ],
)
def test_split_reference(reference: str, plan_option: str | None, expected: tuple[str | None, str]) -> None:
    assert split_reference(reference, plan_option) == expected


@pytest.mark.parametrize(
    ("reference", "plan_option", "message"),
    [
        ("bvip-2017-18/PR2.3", "bvip-2018-19", "names plan 'bvip-2017-18' but --plan names 'bvip-2018-19'; give one"),
        ("/PR2.3", None, "is not an item; write ID or PLAN/ID"),
        ("bvip-2017-18/", None, "is not an item; write ID or PLAN/ID"),
        ("", None, "is not an item; write ID or PLAN/ID"),
    ],
)
def test_split_reference_refuses(reference: str, plan_option: str | None, message: str) -> None:
    with pytest.raises(NotFound, match=message):
        split_reference(reference, plan_option)


def test_plan_named_suggests_the_nearest_ids_or_lists_them() -> None:
    workspace = validate([SHIPPED_PLANS]).workspace
    assert plan_named(workspace, "bvip-2018-19").id == "bvip-2018-19"
    with pytest.raises(UsageError, match=r"no plan 'bvip-2018-1'; did you mean 'bvip-2018-19'"):
        plan_named(workspace, "bvip-2018-1")
    with pytest.raises(
        UsageError, match=r"no plan 'zzz'; plans: bvap-2015-16, bvip-2017-18, bvip-2018-19, example-2025-26$"
    ):
        plan_named(workspace, "zzz")
    with pytest.raises(UsageError, match=r"\(some plans have errors: run 'bvplan validate'\)$"):
        plan_named(workspace, "zzz", problems=True)
