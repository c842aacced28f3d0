"""The deadline in force before each revision (rules/status.py, `DeadlinesBefore`), for the paper and `changes` alike.

`report` and `changes` used to rescan (or copy and recompute) every revision for each one: quadratic
in the revisions of a milestone; then each had a one-pass copy of its own, and the copies disagreed
on revisions agreed on the same day. The one home must give the former scans' dates, including for
revisions agreed out of file order or still pending, and order same-day agreements by file order.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from bvplan.format.model import Milestone, Revision
from bvplan.rules.status import DeadlinesBefore, deadline_at

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


def _proposal_scan(milestone: Milestone, revision: Revision) -> dt.date:
    """The former changes._deadline_before for a revision not agreed: the deadline on the day it was proposed."""
    assert revision.agreed is None
    others = [r for r in milestone.revisions if r is not revision]
    return deadline_at(milestone.model_copy(update={"revisions": others}), revision.proposed)


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
def test_deadlines_before_match_the_former_scans(rows: list[tuple[int, int, int | None]]) -> None:
    milestone = _milestone(rows)
    before = DeadlinesBefore(milestone)
    expected = [
        _report_scan(milestone, i) if r.agreed is not None else _proposal_scan(milestone, r)
        for i, r in enumerate(milestone.revisions)
    ]
    assert [before(i) for i in range(len(milestone.revisions))] == expected


def test_ties_on_the_same_day_follow_file_order() -> None:
    milestone = _milestone([(20, 0, 5), (30, 1, 5), (25, 2, 3)])
    before = DeadlinesBefore(milestone)

    # Agreed in the order: index 2 (day 3), index 0 (day 5), index 1 (day 5, after 0 in the file). The
    # revision first in the file moved the deadline from 25, not from 30 (a later one, not yet in force).
    assert [before(i) for i in range(3)] == [_day(25), _day(20), _day(10)]


def test_a_proposal_is_measured_from_the_deadline_on_the_day_it_was_proposed() -> None:
    milestone = _milestone([(20, 0, 5), (40, 4, None), (30, 6, None)])
    before = DeadlinesBefore(milestone)

    assert [before(1), before(2)] == [_day(10), _day(20)]
