"""What a command run from the shell skips at start-up, because a command line never uses it.

pydantic looks for plugins (packages that instrument every validator, registered as entry points)
the first time it builds a validator. Looking means importing `importlib.metadata` and scanning
every installed package's metadata: about a tenth of `bvplan status`, for plugins that cannot do
anything useful to a short-lived command line. bvplan answers "no plugins" in pydantic's place,
as `PYDANTIC_DISABLE_PLUGINS=__all__` would, but without that import. It is done only when the
user has not set `PYDANTIC_DISABLE_PLUGINS` themselves (then pydantic's own loader decides), and
only before pydantic has loaded its loader. Anything else asked of the loader module is passed to
the real one.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable

LOADER = "pydantic.plugin._loader"


class _NoPlugins(types.ModuleType):
    """Stands in for pydantic's plugin loader: no plugins; any other name comes from the real module."""

    @staticmethod
    def get_plugins() -> Iterable[object]:
        return ()

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # what the import system asks of any module (__path__, ...)
            raise AttributeError(name)
        del sys.modules[LOADER]
        real = importlib.import_module(LOADER)
        return getattr(real, name)


def skip_pydantic_plugins() -> None:
    if "PYDANTIC_DISABLE_PLUGINS" in os.environ or LOADER in sys.modules:
        return
    sys.modules[LOADER] = _NoPlugins(LOADER)
