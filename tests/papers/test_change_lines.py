"""The paper's "Changes since the last meeting" in words a board member reads: no kinds, ids or ISO dates."""

from __future__ import annotations

from bvplan.papers.change_lines import CHANGE_WORDS, change_lines
from bvplan.rules.changes import KINDS, Change

TITLES = {"bvip-2017-18": "Best Value Improvement Plan 2017-18"}


def test_every_kind_of_change_has_its_words() -> None:
    assert CHANGE_WORDS.keys() == KINDS.keys()
    assert all(words and "-" not in words for words in CHANGE_WORDS.values())


def test_a_change_reads_in_words_with_dates_and_plans_as_the_papers_write_them() -> None:
    changes = [
        Change("deadline-agreed", "bvip-2018-19", "Property", "PR1.1", "Open the hub", "2018-04-30 → 2018-10-31, agreed 2018-06-11: the venue moved"),
        Change("milestone-added", "bvip-2018-19", "Grants", "GR4.1", "Review contracts", "from bvip-2017-18/GR6.6; due 2018-06-30"),
    ]  # fmt: skip
    [agreed, added] = change_lines(changes, "bvip-2018-19", set(), TITLES)
    assert (agreed.what, agreed.item_id) == ("New deadline agreed", "PR1.1")
    assert agreed.detail == "30 Apr 2018 → 31 Oct 2018, agreed 11 Jun 2018: the venue moved"
    assert added.detail == "from the Best Value Improvement Plan 2017-18 (GR6.6); due 30 Jun 2018"


def test_changes_to_hidden_items_of_the_plan_are_left_out() -> None:
    changes = [
        Change("milestone-completed", "bvip-2018-19", "Grants", "GR4.1", "Exempt work", "2018-06-01"),
        Change("milestone-completed", "bvip-2018-19", "Grants", "GR4.2", "Public work", "2018-06-02"),
    ]
    assert [line.item_id for line in change_lines(changes, "bvip-2018-19", {"GR4.1"}, TITLES)] == ["GR4.2"]
