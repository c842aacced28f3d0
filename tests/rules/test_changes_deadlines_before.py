"""The deadline in force before each revision, computed in one pass, equals the former per-revision scan.

`report` and `changes` used to rescan (or copy and recompute) every revision for each one: quadratic
in the revisions of a milestone. The one-pass versions must give the very same dates, including
for revisions agreed on the same day, agreed out of file order, or still pending.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bvplan.format.model import Milestone, Revision
from bvplan.papers.report import _deadlines_before
from bvplan.rules.changes import _DeadlinesBefore
from bvplan.rules.status import deadline_at

START = dt.date(2018, 4, 1)


def _report_scan(milestone: Milestone, index: int) -> dt.date:
    """The former report._deadline_before: every agreed revision rescanned for each one."""
    target = milestone.revisions[index]
    assert target.agreed is not None
    earlier = [
        (r.agreed, i, r.to)
        for i, r in enumerate(milestone.revisions)
        if r.agreed is not None and (r.agreed, i) < (target.agreed, index)
    ]
    return max(earlier)[2] if earlier else milestone.due


def _changes_scan(milestone: Milestone, revision: Revision) -> dt.date:
    """The former changes._deadline_before: the milestone copied without the revision, deadline recomputed."""
    others = [r for r in milestone.revisions if r is not revision]
    day = revision.agreed or revision.proposed
    return deadline_at(milestone.model_copy(update={"revisions": others}), day)


def _day(offset: int) -> dt.date:
    return START + dt.timedelta(days=offset)


revisions = st.lists(
    st.tuples(
        st.integers(0, 40),  # to
        st.integers(0, 20),  # proposed
        st.one_of(st.none(), st.integers(0, 25)),  # agreed: few distinct days, so ties are common
    ),
    max_size=12,
)


def _milestone(rows: list[tuple[int, int, int | None]]) -> Milestone:
    return Milestone(
        id="M1",
        title="A milestone",
        due=_day(10),
        revisions=[
            Revision(
                to=_day(to),
                reason="why",
                proposed=_day(proposed),
                agreed=None if agreed is None else _day(agreed),
            )
            for to, proposed, agreed in rows
        ],
    )


@settings(max_examples=300, deadline=None)
@given(revisions)
def test_report_deadlines_before_agreements_match_the_former_scan(rows: list[tuple[int, int, int | None]]) -> None:
    milestone = _milestone(rows)
    computed = _deadlines_before(milestone)
    expected = {i: _report_scan(milestone, i) for i, r in enumerate(milestone.revisions) if r.agreed is not None}
    assert computed == expected


@settings(max_examples=300, deadline=None)
@given(revisions)
def test_changes_deadlines_before_each_revision_match_the_former_scan(
    rows: list[tuple[int, int, int | None]],
) -> None:
    milestone = _milestone(rows)
    before = _DeadlinesBefore(milestone)
    assert [before(r) for r in milestone.revisions] == [_changes_scan(milestone, r) for r in milestone.revisions]


def test_ties_on_the_same_day_follow_file_order() -> None:
    milestone = _milestone([(20, 0, 5), (30, 1, 5), (25, 2, 3)])
    # Agreed in the order: index 2 (day 3), index 0 (day 5), index 1 (day 5, after 0 in the file).
    assert _deadlines_before(milestone) == {2: _day(10), 0: _day(25), 1: _day(20)}
    before = _DeadlinesBefore(milestone)
    # For changes, every other revision agreed by that day counts, later ones in the file included.
    assert [before(r) for r in milestone.revisions] == [_day(30), _day(20), _day(10)]
