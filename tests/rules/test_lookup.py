"""Finding things in the plans: one item's life across plans, the ids and titles, and text search."""

from __future__ import annotations

import pytest

from bvplan.format.workspace import Workspace
from bvplan.rules.lookup import NotFound, life, listing, search
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return validate([SHIPPED_PLANS]).workspace


def test_an_item_is_followed_back_through_the_plans_it_was_carried_from(workspace: Workspace) -> None:
    stages = life(workspace, "GR4.1")  # a bare id: the latest plan holding it
    assert [stage.reference for stage in stages] == ["bvip-2017-18/GR6.6", "bvip-2018-19/GR4.1"]
    assert stages[-1].carried_from == "bvip-2017-18/GR6.6"
    assert [stage.reference for stage in life(workspace, "bvip-2017-18/GR6.6")] == ["bvip-2017-18/GR6.6"]


def test_an_unknown_item_or_plan_says_what_there_is(workspace: Workspace) -> None:
    with pytest.raises(NotFound, match="no action or milestone 'ZZ9'"):
        life(workspace, "ZZ9")
    with pytest.raises(NotFound, match="no plan 'bvip-1999'; did you mean 'bvip-2018-19'"):
        life(workspace, "bvip-1999/GR4.1")


def test_listing_filters_by_plan_theme_and_owner(workspace: Workspace) -> None:
    grants = listing(workspace, plan_id="bvip-2018-19", theme="grants")
    assert grants and {(e.plan, e.theme) for e in grants} == {("bvip-2018-19", "Grants")}
    assert {e.kind for e in grants} == {"action", "milestone"}
    assert next(e.item_id for e in grants if e.kind == "action") == "GR1"
    assert listing(workspace, owners=["nobody at all"]) == []


def test_search_finds_titles_notes_and_updates_whatever_the_case(workspace: Workspace) -> None:
    hits = search(workspace, "INTRANET")
    assert {"action", "milestone", "note", "update"} <= {hit.kind for hit in hits}
    assert all("intranet" in hit.text.lower() for hit in hits)
    assert search(workspace, "zebra crossing") == []
