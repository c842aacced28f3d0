"""What the Word, PDF and spreadsheet writers share: the optional `office` extra, and stable zip bytes.

The office libraries are heavy and optional (`pip install 'bvplan[office]'`): they are imported only
inside the functions that write those formats, through `office_module`, which turns their absence
into one message naming the command that installs them.

A .docx or .xlsx is a zip whose members carry the time they were written; `stable_zip` rewrites
them with one fixed time, so that the same plans give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import zipfile
from types import ModuleType

from bvplan.errors import MissingExtra

INSTALL_HINT = "install it with: pip install 'bvplan[office]'"


class OfficeExtraMissing(MissingExtra):
    """A library of the `office` extra is not installed (or cannot load its system libraries)."""


def office_module(name: str, what: str) -> ModuleType:
    """Import `name` from the office extra; `what` says what needs it, for the message."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise OfficeExtraMissing(
            f"{what} needs the 'office' extra ({exc.name or name} is missing); {INSTALL_HINT}"
        ) from None
    except OSError as exc:  # WeasyPrint loads Pango with ctypes: a missing system library is an OSError
        raise OfficeExtraMissing(f"{what} needs system libraries that are missing ({exc})") from None


def stable_zip(data: bytes, day: dt.date) -> bytes:
    """The same zip with every member stamped `day` at midnight, in the same order."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=stamp)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


def stable_workbook(book: object, day: dt.date, what: str) -> bytes:
    """An openpyxl workbook's bytes, stamped `day` throughout (its properties and its zip members).

    openpyxl's `save` stamps the modified time with the clock; its writer, used directly, keeps ours.
    """
    stamp = dt.datetime.combine(day, dt.time())
    properties = book.properties  # type: ignore[attr-defined]
    properties.creator = "bvplan"
    properties.language = "en-GB"
    properties.created = stamp
    properties.modified = stamp
    writer = office_module("openpyxl.writer.excel", what)
    buffer = io.BytesIO()
    writer.ExcelWriter(book, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return stable_zip(buffer.getvalue(), day)
