"""Today's date, from one place, so that every command and check agrees on it.

A fact dated after today is refused, and this is the "today" that rule means. It is the system
date, with no override: tests that must not depend on the day they run pin it in their own process
(the `pin_today` fixture in tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt


def today() -> dt.date:
    return dt.date.today()
