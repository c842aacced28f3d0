"""`bvplan import register`'s options: the sources it offers are exactly the plan format's."""

from __future__ import annotations

import typing

from bvplan.cli import register
from bvplan.format.model import RecommendationKind


def test_the_source_kinds_offered_are_the_formats_kinds() -> None:
    assert {kind.value for kind in register.SourceKind} == set(typing.get_args(RecommendationKind))
