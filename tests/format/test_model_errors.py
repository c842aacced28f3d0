"""pydantic's validation errors as diagnostics a person can act on: where, what, and in plain words."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from bvplan.format import yamlsource
from bvplan.format.model import Milestone, ThemeFile
from bvplan.format.model_errors import convert, describe, model_at

THEME = """\
theme: Grants
actions:
  - id: GR1
    title: Review the grants
    milestones:
      - id: GR1.1
        title: Report to Cabinet
        due: soon
        ownr: Head of Grants
"""


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "nothing (an empty value)"),
        (True, "the boolean true"),
        (12, "the number 12"),
        (dt.date(2018, 6, 30), "the date 2018-06-30"),
        ({"a": 1}, "a mapping"),
        ([1], "a list"),
        ("soon", "'soon'"),
        ("x" * 100, "'" + "x" * 59 + "…'"),
    ],
)
def test_values_are_described_as_a_person_reads_them(value: object, words: str) -> None:
    assert describe(value) == words


def test_the_model_at_a_path_in_the_file() -> None:
    assert model_at(ThemeFile, ("actions", 0, "milestones", 0)) is Milestone


def test_each_error_becomes_a_diagnostic_at_its_place_in_the_file() -> None:
    document = yamlsource.parse(THEME, "grants.yaml")
    assert document.data is not None
    with pytest.raises(ValidationError) as raised:
        ThemeFile.model_validate(document.data)
    found = convert(raised.value, ThemeFile, document.source, "grants.yaml")
    where = {(d.code, d.span.line, d.span.col) for d in found if d.span}
    assert ("BV201", 9, 9) in where  # the unknown key 'ownr', at the key
    assert any(d.code == "BV201" and "'ownr'" in d.message for d in found)
    assert any(d.span and d.span.line == 8 and "'soon'" in d.message for d in found)  # the date that is not one
