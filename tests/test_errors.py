"""The domain errors: what went wrong, by kind, so that one boundary can turn each into an exit code."""

from __future__ import annotations

import pytest

from bvplan import errors


def test_every_error_is_a_bvplan_error_and_the_usage_errors_are_usage_errors() -> None:
    for error in (errors.UsageError, errors.PlanErrors, errors.CheckFailed, errors.OutputFailed):
        assert issubclass(error, errors.BvplanError)
    # A refused output path and a missing extra are the user's to fix, like a bad argument (exit 2).
    assert issubclass(errors.RefusedOutput, errors.UsageError)
    assert issubclass(errors.MissingExtra, errors.UsageError)
    # A failed write and a failed check are not usage errors: they have codes of their own.
    assert not issubclass(errors.OutputFailed, errors.UsageError)
    assert not issubclass(errors.CheckFailed, errors.UsageError)


def test_an_error_carries_its_message() -> None:
    with pytest.raises(errors.UsageError, match="no plan 'x'"):
        raise errors.RefusedOutput("no plan 'x'")
