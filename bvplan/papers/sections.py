"""The committee-report parts of a paper: its meeting, position date, front sheet and text sections.

Pure: a plan's `plan.yaml` (and the meeting chosen) in, plain data out. Every council committee
report carries the same furniture around the update itself: a front sheet (classification, wards,
lead member, report of, author), Background, Comments of the Chief Finance Officer, Legal comments
and the implications sections. A plan holds these as text (`sections`), a meeting may replace or
add to them, and the paper numbers each paragraph as the papers do ("3.1", "3.2").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bvplan.format.model import FrontSheet, Meeting, PlanFile, Section

BOARD_PAPER = "board"
SUMMARY, OPENING, CLOSING = "summary", "opening", "closing"


def find_meeting(model: PlanFile, period_key: str, paper: str | None = None) -> Meeting | None:
    """The plan's meeting for a period; with several, the one whose paper is `paper` (else the first)."""
    matches = [m for m in model.meetings if m.period == period_key]
    if paper is not None:
        for meeting in matches:
            if (meeting.paper or BOARD_PAPER) == paper:
                return meeting
    return matches[0] if matches else None


def position_of(model: PlanFile, meeting: Meeting) -> dt.date:
    """The date a meeting's paper takes its position: its own `position`, else `position_days` before it."""
    return meeting.position or meeting.date - dt.timedelta(days=model.position_days)


def previous_meeting(model: PlanFile, before: dt.date) -> Meeting | None:
    """The plan's last meeting held before `before`: the paper before this one."""
    earlier = [m for m in model.meetings if m.date < before]
    return max(earlier, key=lambda m: m.date) if earlier else None


@dataclass(frozen=True)
class Paragraph:
    number: str  # "3.1"; lists belong to the paragraph above them
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextSection:
    key: str
    heading: str
    part: str  # summary, opening or closing
    paragraphs: tuple[Paragraph, ...]
    exempt: bool
    number: int = 0  # set once the paper's sections are numbered; 0 for an unnumbered summary


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in text.strip().splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def paragraphs(text: str, number: int) -> tuple[Paragraph, ...]:
    """Text cut into numbered paragraphs; a block of '- ' lines is the list of the paragraph above it."""
    found: list[Paragraph] = []
    for block in _blocks(text):
        if all(line.startswith("- ") for line in block) and found:
            last = found[-1]
            found[-1] = Paragraph(last.number, last.text, last.items + tuple(line[2:].strip() for line in block))
            continue
        prose: list[str] = []
        items: list[str] = []
        for line in block:
            if line.startswith("- "):
                items.append(line[2:].strip())
            elif items:
                items[-1] = f"{items[-1]} {line}"  # a list item wrapped over lines
            else:
                prose.append(line)
        found.append(Paragraph(f"{number}.{len(found) + 1}", " ".join(prose), tuple(items)))
    return tuple(found)


def merged_sections(model: PlanFile, meeting: Meeting | None) -> list[tuple[str, Section]]:
    """The sections of a meeting's paper, in order: the meeting's own first, then the plan's others.

    A meeting's section with a plan section's key replaces its text (and its heading and part, when
    given); headings and parts not given are taken from the plan's section of the same key.
    """
    own = dict(meeting.sections) if meeting else {}
    result: list[tuple[str, Section]] = []
    for key, section in own.items():
        base = model.sections.get(key)
        if base is not None:
            section = section.model_copy(
                update={"heading": section.heading or base.heading, "part": section.part or base.part}
            )
        result.append((key, section))
    result.extend((key, section) for key, section in model.sections.items() if key not in own)
    return result


def heading_of(key: str, section: Section) -> str:
    return section.heading or key.replace("-", " ").replace("_", " ").capitalize()


def missing_sections(model: PlanFile, meeting: Meeting | None) -> list[str]:
    """The plan's required sections that a meeting's paper would lack."""
    present = {key for key, _ in merged_sections(model, meeting)}
    return [key for key in model.required_sections if key not in present]


def front_sheet(model: PlanFile, meeting: Meeting | None) -> FrontSheet:
    """The plan's front sheet with the meeting's fields laid over it, field by field."""
    base = model.front_sheet or FrontSheet()
    over = meeting.front_sheet if meeting else None
    if over is None:
        return base
    return base.model_copy(update={name: value for name, value in over if value is not None})


@dataclass(frozen=True)
class Cover:
    """The cover and front sheet. A field that is not set is None (or empty) and left out of the paper."""

    paper_title: str
    plan_title: str
    plan_id: str
    authority: str
    board: str  # the body the paper goes to: the meeting's committee, else the plan's board
    meeting_date: dt.date | None
    item: str | None
    author: str | None
    classification: str | None = None  # "Open", "Exempt" (with its paragraph), as the front sheet gives it
    exempt_notice: str | None = None  # a full paper holding exempt items says so, and under which paragraph
    wards: str | None = None
    lead_member: str | None = None
    report_of: str | None = None
    author_post: str | None = None
    author_contact: str | None = None
    key_decision: str | None = None  # "Yes" or "No"
    appendices: tuple[str, ...] = ()
    background_documents: tuple[str, ...] | None = None  # None: not recorded


_SCHEDULE_12A = "Schedule 12A to the Local Government Act 1972"


def cover_of(
    model: PlanFile,
    meeting: Meeting | None,
    *,
    title: str,
    meeting_date: dt.date | None,
    item: str | None,
    author: str | None,
    public: bool,
    contains_exempt: bool,
) -> Cover:
    """The cover and front sheet: the plan's, the meeting's over it, and the values given (flags) over both."""
    sheet = front_sheet(model, meeting)
    paragraph = f", paragraph {sheet.exempt_paragraph}" if sheet.exempt_paragraph else ""
    classification = {"open": "Open", "exempt": f"Exempt ({_SCHEDULE_12A}{paragraph})"}.get(sheet.classification or "")
    notice = None
    if public:
        classification = "Open"  # the public version withholds whatever is exempt
    elif contains_exempt:
        classification = f"Exempt in part ({_SCHEDULE_12A}{paragraph})"
        notice = (
            f"This paper contains exempt information within the meaning of {_SCHEDULE_12A}"
            + (paragraph or " (paragraph not recorded)")
            + ". Each exempt item is marked “Exempt”; the public version of the paper leaves them out."
        )
    appendices = tuple(sheet.appendices or (f"Appendix 1: {model.title} – milestone update",))
    key_decision = None if sheet.key_decision is None else ("Yes" if sheet.key_decision else "No")
    return Cover(
        paper_title=title,
        plan_title=model.title,
        plan_id=model.id,
        authority=model.authority,
        board=(meeting.committee if meeting and meeting.committee else None) or model.board,
        meeting_date=meeting_date or (meeting.date if meeting else None),
        item=item or (meeting.item if meeting else None),
        author=author or (meeting.author if meeting and meeting.author else None) or model.author,
        classification=classification,
        exempt_notice=notice,
        wards=sheet.wards,
        lead_member=sheet.lead_member,
        report_of=sheet.report_of,
        author_post=sheet.author_post,
        author_contact=sheet.author_contact,
        key_decision=key_decision,
        appendices=appendices,
        background_documents=None if sheet.background_documents is None else tuple(sheet.background_documents),
    )
