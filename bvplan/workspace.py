"""Plans as loaded: each plan's `plan.yaml` and theme files, with where each came from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from bvplan.model import Action, Milestone, PlanFile, ThemeFile
from bvplan.yamlsource import SourceMap


@dataclass
class Theme:
    slug: str  # the file name without .yaml: how plan.yaml's `themes` names it
    path: str  # as shown to the user
    model: ThemeFile
    source: SourceMap

    @property
    def name(self) -> str:
        return self.model.theme


@dataclass
class Plan:
    folder: str
    path: str
    model: PlanFile
    source: SourceMap
    themes: list[Theme] = field(default_factory=list)
    # Every theme file in the folder, by slug, including those that failed to load.
    theme_files: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return self.model.id

    def actions(self) -> Iterator[tuple[Theme, int, Action]]:
        for theme in self.themes:
            for index, action in enumerate(theme.model.actions):
                yield theme, index, action

    def milestones(self) -> Iterator[tuple[Theme, Action, Milestone, tuple[str | int, ...]]]:
        """Every milestone with its theme, action and path within the theme file."""
        for theme in self.themes:
            for a, action in enumerate(theme.model.actions):
                for m, milestone in enumerate(action.milestones):
                    yield theme, action, milestone, ("actions", a, "milestones", m)

    def ordered_themes(self) -> list[Theme]:
        """Themes in the plan's `themes` order when it gives one, else by file name."""
        order = self.model.themes or []
        rank = {slug: i for i, slug in enumerate(order)}
        return sorted(self.themes, key=lambda t: (rank.get(t.slug, len(rank)), t.slug))


@dataclass
class Workspace:
    plans: list[Plan] = field(default_factory=list)

    def plan(self, plan_id: str) -> Plan | None:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        return None

    @property
    def ids(self) -> list[str]:
        return [plan.id for plan in self.plans]
