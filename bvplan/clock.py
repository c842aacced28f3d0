"""Today's date, from one place, so that every command and check agrees on it.

`BVPLAN_TODAY=YYYY-MM-DD` overrides the system date. It is a hook for tests (which must not depend
on the day they run), not a setting for users: a fact dated after today is refused, and this is the
"today" that rule means.
"""

from __future__ import annotations

import datetime as dt
import os

TODAY_VARIABLE = "BVPLAN_TODAY"


def today() -> dt.date:
    pinned = os.environ.get(TODAY_VARIABLE)
    if pinned:
        try:
            return dt.date.fromisoformat(pinned.strip())
        except ValueError:
            pass  # a hook for tests only: a bad value falls back to the real date rather than failing
    return dt.date.today()
