"""What a command skips at start-up: pydantic's plugin search, unless the user has asked for it."""

from __future__ import annotations

import sys

import pytest

from bvplan.cli.startup import LOADER, skip_pydantic_plugins


def test_a_users_own_plugin_setting_is_left_to_pydantic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "some_plugin")
    monkeypatch.delitem(sys.modules, LOADER, raising=False)
    skip_pydantic_plugins()
    assert LOADER not in sys.modules
