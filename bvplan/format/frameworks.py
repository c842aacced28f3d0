"""Frameworks: editable YAML packs of themes and characteristics that a plan assesses itself against.

A pack is one YAML file: its id, title, source and date; its rating scale (the levels, lowest
first, each with its words and colour, and which levels count as good); and its themes, each with
the characteristics of a well-functioning authority and the indicators of failure. bvplan ships
`best-value-2024` (bvplan/frameworks/); a council adds its own in the plans folder's `frameworks/`
folder (`plans/frameworks/*.yaml`), where a pack with a shipped id replaces the shipped one.

The models are strict, as the plan's are; `bvplan schema framework` prints them as JSON Schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date as Date
from functools import cached_property
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints

from bvplan.format.model import ItemId, PlanId, Text, _Strict
from bvplan.format.yamlsource import SourceMap

# The shipped packs, inside the package; a council's own packs sit in this folder of its plans folder.
SHIPPED_DIR = Path(__file__).parent.parent / "frameworks"
FRAMEWORKS_FOLDER = "frameworks"

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$"), Field(description="'#RRGGBB'.")]


class Level(_Strict):
    """One level of a rating scale: its id (what an assessment gives), its words and its colour."""

    id: ItemId
    words: Text = Field(description="The level in words: every output shows them, never the colour alone.")
    colour: Colour = Field(description="A light fill that black text reads well on, e.g. '#C6EFCE'.")


class Scale(_Strict):
    """A framework's rating scale."""

    levels: Annotated[list[Level], Field(min_length=2)] = Field(description="From the lowest level to the highest.")
    good: Annotated[list[ItemId], Field(min_length=1)] = Field(description="The ids of the levels that count as good.")


class Characteristic(_Strict):
    """A characteristic of a well-functioning authority: an id, a short summary and where it comes from."""

    id: ItemId
    text: Text = Field(description="A short summary, in the pack's own words.")
    cites: str | None = Field(default=None, description="The section of the source it summarises.")


class Indicator(_Strict):
    """An indicator of potential failure."""

    text: Text
    cites: str | None = None


class FrameworkTheme(_Strict):
    id: ItemId
    title: Text
    cites: str | None = Field(default=None, description="The section of the source the theme comes from.")
    characteristics: Annotated[list[Characteristic], Field(min_length=1)]
    indicators: list[Indicator] = Field(default_factory=list, description="Indicators of failure.")


class FrameworkFile(_Strict):
    """A framework pack: `plans/frameworks/<id>.yaml`."""

    id: PlanId = Field(description="The pack's id, as plan.yaml's `frameworks` names it; the file's name.")
    title: Text
    source: Text = Field(description="Where its themes come from: the guidance, the peer challenge, the plan.")
    date: Date | None = Field(default=None, description="The source's date.")
    url: str | None = None
    note: str | None = Field(default=None, description="What a reader should know about the pack's text.")
    scale: Scale
    themes: Annotated[list[FrameworkTheme], Field(min_length=1)]


@dataclass
class Framework:
    """A pack as loaded: its model, the file it came from, and whether it ships with bvplan."""

    path: str  # as shown to the user
    model: FrameworkFile
    source: SourceMap = field(default_factory=SourceMap)
    shipped: bool = False

    @property
    def id(self) -> str:
        return self.model.id

    @cached_property
    def characteristics(self) -> dict[str, tuple[FrameworkTheme, Characteristic]]:
        """Each characteristic by id, with its theme (the first of an id, should a pack repeat one)."""
        found: dict[str, tuple[FrameworkTheme, Characteristic]] = {}
        for theme in self.model.themes:
            for characteristic in theme.characteristics:
                found.setdefault(characteristic.id, (theme, characteristic))
        return found

    @cached_property
    def levels(self) -> dict[str, tuple[int, Level]]:
        """Each level by id, with its rank on the scale (0 the lowest)."""
        found: dict[str, tuple[int, Level]] = {}
        for rank, level in enumerate(self.model.scale.levels):
            found.setdefault(level.id, (rank, level))
        return found

    def is_good(self, level: str) -> bool:
        return level in self.model.scale.good
