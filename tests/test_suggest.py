"""'Did you mean': the close matches offered for a mistyped key, id or choice."""

from __future__ import annotations

from bvplan.suggest import closest, did_you_mean


def test_a_typo_gets_the_word_it_is_closest_to() -> None:
    assert closest("deu", ["due", "done", "title"]) == ["due"]
    assert did_you_mean("ownr", ["owner", "notes"]) == "did you mean 'owner'?"


def test_several_close_words_are_offered_best_first_at_most_three() -> None:
    assert closest("PR1.", ["PR1.1", "GR1.1", "PR1.2"], n=3)[:2] in (["PR1.1", "PR1.2"], ["PR1.2", "PR1.1"])
    offered = did_you_mean("PR1.", ["PR1.1", "PR1.2", "PR1.3", "PR1.4", "GR9.9"])
    assert offered is not None and offered.count("' or '") == 2 and "GR9.9" not in offered


def test_nothing_is_offered_for_a_word_like_none_of_them() -> None:
    assert closest("zebra", ["due", "owner"]) == []
    assert did_you_mean("zebra", ["due", "owner"]) is None
