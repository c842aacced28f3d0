"""The committee-report parts of a paper: its meeting, its position date, and numbered paragraphs."""

from __future__ import annotations

import datetime as dt

from bvplan.format.model import Meeting, PlanFile
from bvplan.papers.sections import Paragraph, find_meeting, paragraphs, position_of, previous_meeting
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS


def shipped_2018_19() -> PlanFile:
    plan = validate([SHIPPED_PLANS]).workspace.plan("bvip-2018-19")
    assert plan is not None
    return plan.model


def test_the_meeting_of_a_period_and_the_position_its_paper_takes() -> None:
    model = shipped_2018_19()
    meeting = find_meeting(model, "2018-19 Q1")
    assert meeting is not None and meeting.date == dt.date(2018, 6, 11)
    assert position_of(model, meeting) == dt.date(2018, 6, 1)  # its own `position`
    unpositioned = meeting.model_copy(update={"position": None})
    assert position_of(model, unpositioned) == dt.date(2018, 6, 11) - dt.timedelta(days=model.position_days)
    assert find_meeting(model, "2018-19 Q3") is None


def test_the_previous_meeting_is_the_last_one_before_a_day() -> None:
    model = shipped_2018_19()
    assert previous_meeting(model, dt.date(2018, 6, 11)) is None
    later = Meeting(period="2018-19 Q2", date=dt.date(2018, 9, 10))
    model = model.model_copy(update={"meetings": [*model.meetings, later]})
    found = previous_meeting(model, dt.date(2018, 9, 10))
    assert found is not None and found.date == dt.date(2018, 6, 11)


def test_text_is_cut_into_numbered_paragraphs_with_their_lists() -> None:
    text = "The plan was agreed.\n\nIt has three parts:\n- governance\n- grants, which\n  take longest\n\n- property\n\nLast."
    assert paragraphs(text, 3) == (
        Paragraph("3.1", "The plan was agreed."),
        Paragraph("3.2", "It has three parts:", ("governance", "grants, which take longest", "property")),
        Paragraph("3.3", "Last."),
    )
