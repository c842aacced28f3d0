"""The pure comparison of two versions of the plans: each kind of change, its wording and its order."""

from __future__ import annotations

import dataclasses

import pytest

from bvplan.format.loader import load_sources
from bvplan.format.workspace import Workspace
from bvplan.papers.change_views import as_markdown
from bvplan.rules.changes import KINDS, Change, diff


def plan_yaml(plan_id: str, start: str, end: str, carried_from: str | None = None) -> str:
    extra = f"carried_from: {carried_from}\n" if carried_from else ""
    return (
        f"id: {plan_id}\ntitle: Plan {plan_id}\nauthority: A council\nboard: The Board\n"
        f"start: {start}\nend: {end}\ncadence: quarterly\n{extra}"
    )


OLD_THEME = """\
theme: Property
actions:
  - id: PR1
    title: Community Buildings
    milestones:
      - id: PR1.1
        title: First hub
        due: 2018-04-30
        completed: 2018-04-20
      - id: PR1.2
        title: Second hub
        due: 2018-06-30
        cancelled: {on: 2018-05-01, reason: Not needed}
      - id: PR1.3
        title: Third hub
        due: 2018-09-30
        revisions:
          - {to: 2018-12-31, reason: Listed building, proposed: 2018-06-11}
      - id: PR1.4
        title: Fourth hub
        due: 2018-10-31
      - id: PR1.5
        title: Fifth hub
        due: 2018-11-30
  - id: PR9
    title: An action dropped later
    milestones:
      - {id: PR9.1, title: Gone one, due: 2018-05-31}
      - {id: PR9.2, title: Gone two, due: 2018-06-30}
"""

NEW_THEME = """\
theme: Property
actions:
  - id: PR1
    title: Community Buildings
    milestones:
      - id: PR1.1
        title: First hub
        due: 2018-04-30
      - id: PR1.2
        title: Second hub
        due: 2018-06-30
      - id: PR1.3
        title: Third hub
        due: 2018-09-30
      - id: PR1.4
        title: Fourth hub
        due: 2018-11-30
        revisions:
          - {to: 2019-01-31, reason: "Contractor | delay", proposed: 2018-07-01, agreed: 2018-07-19}
      - id: PR1.6
        title: Sixth hub
        due: 2019-01-31
        exempt: true
"""


def workspace(plans: dict[str, dict[str, str]]) -> Workspace:
    loaded = load_sources(
        {folder: {name: text.encode() for name, text in files.items()} for folder, files in plans.items()}
    )
    assert loaded.report.errors == 0, [d.message for d in loaded.report.diagnostics]
    return loaded.workspace


def one_plan(theme: str) -> Workspace:
    return workspace({"p": {"plan.yaml": plan_yaml("p", "2018-04-01", "2019-03-31"), "property.yaml": theme}})


def test_every_kind_of_change_to_milestones_in_kind_order() -> None:
    found = diff(one_plan(OLD_THEME), one_plan(NEW_THEME))
    assert [(c.kind, c.item_id, c.detail) for c in found] == [
        ("deadline-moved", "PR1.4", "2018-10-31 → 2018-11-30: the original deadline was rewritten, not revised"),
        (
            "deadline-moved",
            "PR1.4",
            "2018-11-30 → 2019-01-31, agreed 2018-07-19: Contractor | delay",
        ),
        ("deadline-withdrawn", "PR1.3", "2018-09-30 → 2018-12-31 (proposed 2018-06-11) removed"),
        ("action-removed", "PR9", "with 2 milestones"),
        ("milestone-added", "PR1.6", "due 2019-01-31"),
        ("milestone-removed", "PR1.5", "was due 2018-11-30"),
        ("milestone-reopened", "PR1.1", "the completion of 2018-04-20 was withdrawn"),
        ("milestone-reinstated", "PR1.2", "the cancellation of 2018-05-01 was withdrawn"),
    ]
    assert all(c.plan == "p" and c.theme == "Property" for c in found)


def test_the_reverse_direction() -> None:
    found = diff(one_plan(NEW_THEME), one_plan(OLD_THEME))
    assert [(c.kind, c.item_id) for c in found] == [
        ("milestone-completed", "PR1.1"),
        ("milestone-cancelled", "PR1.2"),
        ("deadline-proposed", "PR1.3"),
        ("deadline-moved", "PR1.4"),
        ("deadline-withdrawn", "PR1.4"),
        ("action-added", "PR9"),
        ("milestone-added", "PR1.5"),
        ("milestone-removed", "PR1.6"),
    ]
    completed = found[0]
    assert completed.detail == "on 2018-04-20, by the deadline 2018-04-30"
    assert completed.title == "First hub"


def test_exempt_items_are_left_out_on_request() -> None:
    names = [c.item_id for c in diff(one_plan(OLD_THEME), one_plan(NEW_THEME), include_exempt=False)]
    assert "PR1.6" not in names
    assert "PR1.5" in names


def test_no_changes() -> None:
    assert diff(one_plan(OLD_THEME), one_plan(OLD_THEME)) == []
    assert as_markdown([], "Changes since the last meeting") == "## Changes since the last meeting\n\nNo changes.\n"


def test_a_moved_item_is_not_removed_and_added() -> None:
    # The same milestone under another theme file: matched by id within the plan.
    moved = OLD_THEME.replace("theme: Property", "theme: Assets")
    plans = {
        "p": {"plan.yaml": plan_yaml("p", "2018-04-01", "2019-03-31"), "assets.yaml": moved},
    }
    assert diff(one_plan(OLD_THEME), workspace(plans)) == []


NEXT_YEAR_THEME = """\
theme: Property
actions:
  - id: PR1
    title: Community Buildings, continued
    carried_from: p/PR1
    milestones:
      - {id: PR1.1, title: Third hub, due: 2019-09-30, carried_from: p/PR1.3}
  - id: PR2
    title: A new action
    milestones:
      - {id: PR2.1, title: New, due: 2019-06-30}
"""


def test_a_new_plan_lists_its_carried_forward_actions_and_nothing_below_them() -> None:
    old = one_plan(OLD_THEME)
    plans = {
        "p": {"plan.yaml": plan_yaml("p", "2018-04-01", "2019-03-31"), "property.yaml": OLD_THEME},
        "q": {"plan.yaml": plan_yaml("q", "2019-04-01", "2020-03-31", "p"), "property.yaml": NEXT_YEAR_THEME},
    }
    found = diff(old, workspace(plans))
    assert found == [
        Change(
            "plan-added",
            "q",
            "",
            "q",
            "Plan q",
            "2019-04-01 to 2020-03-31: 2 actions, 2 milestones; 1 carried forward from p",
        ),
        Change(
            "action-carried-forward",
            "q",
            "Property",
            "PR1",
            "Community Buildings, continued",
            "from p/PR1; 1 milestone",
        ),
    ]
    removed = diff(workspace(plans), old)
    assert removed == [Change("plan-removed", "q", "", "q", "Plan q", "with 2 milestones")]


def test_a_milestone_carried_into_an_existing_action() -> None:
    old = one_plan(OLD_THEME)
    new_theme = OLD_THEME.replace(
        "      - id: PR1.5\n",
        "      - {id: PR1.7, title: From last year, due: 2018-12-31, carried_from: o/X1.1}\n      - id: PR1.5\n",
    )
    found = diff(old, one_plan(new_theme))
    assert [(c.kind, c.item_id, c.detail) for c in found] == [
        ("milestone-carried-forward", "PR1.7", "from o/X1.1; due 2018-12-31")
    ]


def test_notes_and_agreement_wording() -> None:
    before = OLD_THEME
    after = OLD_THEME.replace(
        "          - {to: 2018-12-31, reason: Listed building, proposed: 2018-06-11}\n",
        "          - {to: 2018-12-31, reason: Listed building, proposed: 2018-06-11, agreed: 2018-07-19, by: the Board}\n"
        "        notes:\n"
        '          - {on: 2018-07-20, text: "Works   started\\non site."}\n'
        "          - {on: 2018-07-21, text: Private matter, exempt: true}\n",
    )
    found = diff(one_plan(before), one_plan(after))
    assert [(c.kind, c.detail) for c in found] == [
        ("deadline-agreed", "2018-09-30 → 2018-12-31, agreed 2018-07-19 by the Board: Listed building"),
        ("note-added", "2018-07-20: Works started on site."),
        ("note-added", "2018-07-21: Private matter"),
    ]
    public = diff(one_plan(before), one_plan(after), include_exempt=False)
    assert [c.detail for c in public if c.kind == "note-added"] == ["2018-07-20: Works started on site."]


def test_markdown_escapes_what_people_typed() -> None:
    found = diff(one_plan(OLD_THEME), one_plan(NEW_THEME))
    text = as_markdown(found, "Changes")
    assert "### Deadlines moved (2)" in text
    assert (
        "| Property | PR1.4 | Fourth hub | 2018-11-30 → 2019-01-31, agreed 2018-07-19: Contractor \\| delay |" in text
    )
    # One plan: no plan column.
    assert "| Theme | Item | Title | Detail |" in text


def test_change_is_frozen_with_the_agreed_attributes() -> None:
    assert [f.name for f in dataclasses.fields(Change)] == ["kind", "plan", "theme", "item_id", "title", "detail"]
    change = Change("note-added", "p", "T", "X", "t", "d")
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.kind = "other"  # type: ignore[misc]
    assert set(KINDS) >= {c.kind for c in diff(one_plan(OLD_THEME), one_plan(NEW_THEME))}
