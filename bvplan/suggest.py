"""'Did you mean' suggestions for mistyped keys, ids and choices."""

from __future__ import annotations

import difflib


def closest(word: str, choices: list[str], n: int = 1) -> list[str]:
    return difflib.get_close_matches(word, choices, n=n, cutoff=0.6)


def did_you_mean(word: str, choices: list[str]) -> str | None:
    matches = closest(word, choices, n=3)
    if not matches:
        return None
    return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"
