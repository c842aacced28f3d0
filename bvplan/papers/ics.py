"""Deadlines as an iCalendar file (RFC 5545) that Outlook, Google Calendar and Apple Calendar import.

Each milestone is an all-day event on its deadline in force. The text is deterministic: the same
plans and reporting date give the same bytes (DTSTAMP is the reporting date, UIDs come from the
plan and milestone ids), so a scheduled job publishing the files only changes them when the plan does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from bvplan.rules.owners import OwnedMilestone
from bvplan.rules.status import Status, status_words

LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than 75 octets are folded


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    # Other control characters are not allowed in a content line at all.
    return "".join(ch for ch in text if ch == "\t" or (ord(ch) >= 0x20 and ch != "\x7f"))


def fold(line: str) -> str:
    """One content line folded at 75 octets, never inside a UTF-8 character, with CRLF endings."""
    pieces: list[str] = []
    current, size = "", 0
    limit = LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = LINE_OCTETS - 1  # continuation lines start with a space
        current += ch
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces) + "\r\n"


def uid(row: OwnedMilestone) -> str:
    """Stable across runs and deadline moves, so a re-import updates the event instead of adding one."""
    digest = hashlib.sha256(row.reference.encode("utf-8")).hexdigest()[:12]
    safe = "".join(ch if ch.isalnum() or ch in "-." else "-" for ch in row.reference)
    return f"{safe}-{digest}@bvplan"


def calendar(owner: str, rows: Iterable[OwnedMilestone], as_of: dt.date) -> str:
    """The iCalendar text for one owner's deadlines."""
    stamp = f"{as_of:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//bvplan//Best Value improvement plan deadlines//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(f'Milestones: {owner}')}",
    ]
    for row in rows:
        status = row.status
        overdue = status.status is Status.OVERDUE
        summary = f"{'OVERDUE: ' if overdue else ''}{status.id} {status.milestone.title}"
        description = [
            f"Plan: {row.plan_id}",
            f"Theme: {row.theme}",
            f"Action: {row.action_id} {row.action_title}",
            f"Owner: {row.owner}",
            f"Status on {as_of.isoformat()}: {status_words(status, vocabulary=row.vocabulary)}",
        ]
        if status.revised:
            description.append(f"Originally due {status.original_due.isoformat()}")
        if status.note is not None:
            description.append(f"Latest note ({status.note.on.isoformat()}): {status.note.text}")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid(row)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{status.deadline:%Y%m%d}",
            f"DTEND;VALUE=DATE:{status.deadline + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(summary)}",
            f"DESCRIPTION:{escape_text(chr(10).join(description))}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)
