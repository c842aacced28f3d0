"""The workspace is immutable once loaded, so its lookups by id can never go stale."""

from __future__ import annotations

import dataclasses

import pytest

from bvplan.format.loader import load, load_sources
from bvplan.format.workspace import Workspace
from tests.conftest import SHIPPED_PLANS

PLAN = b"id: %s\ntitle: T\nauthority: A\nboard: B\nstart: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n"


def _plans(*ids: str) -> Workspace:
    return load_sources({f"plans/{i}": {"plan.yaml": PLAN % i.encode()} for i in ids}).workspace


def test_the_plans_cannot_be_changed_after_loading() -> None:
    workspace = load([SHIPPED_PLANS]).workspace

    assert isinstance(workspace.plans, tuple) and isinstance(workspace.context, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        workspace.plans = ()  # type: ignore[misc]


def test_a_lookup_answers_for_the_plans_it_was_made_with() -> None:
    first = _plans("alpha", "beta")
    assert first.plan("alpha") is not None  # the lookup is built here

    # Same number of plans, different ids: a cache keyed on lengths would answer for the old ones.
    second = Workspace(_plans("gamma", "delta").plans, first.context)

    gamma = second.plan("gamma")
    assert second.plan("alpha") is None
    assert gamma is not None and gamma.id == "gamma" and gamma in second.plans
    assert first.plan("gamma") is None


def test_a_list_given_is_taken_as_a_tuple() -> None:
    plans = list(_plans("alpha").plans)
    workspace = Workspace(plans)  # type: ignore[arg-type]
    plans.clear()

    assert workspace.ids == ["alpha"] and workspace.plan("alpha") is not None


def test_a_sibling_is_found_by_reference_and_a_chosen_plan_wins() -> None:
    chosen, sibling = _plans("alpha").plans[0], _plans("beta").plans[0]
    workspace = Workspace((chosen,), (sibling,))

    assert workspace.plan("beta") is None
    assert workspace.referenced("beta") is sibling and workspace.referenced("alpha") is chosen
