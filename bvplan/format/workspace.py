"""Plans as loaded: each plan's `plan.yaml` and theme files, with where each came from."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from bvplan.format.frameworks import Framework
from bvplan.format.model import Action, Milestone, PlanFile, ThemeFile
from bvplan.format.yamlsource import SourceMap


@dataclass
class Theme:
    slug: str  # the file name without .yaml: how plan.yaml's `themes` names it
    path: str  # as shown to the user
    model: ThemeFile
    source: SourceMap
    # Set when the file has errors and only its sound actions and milestones were kept (see
    # salvage.py): where each kept one stands in the file.
    origin: tuple[tuple[int, tuple[int, ...]], ...] | None = None

    def action_index(self, index: int) -> int:
        """Where the action at `index` of the model stands in the file's list of actions."""
        return self.origin[index][0] if self.origin else index

    def action_path(self, index: int) -> tuple[str | int, ...]:
        return ("actions", self.action_index(index))

    def milestone_path(self, action: int, milestone: int) -> tuple[str | int, ...]:
        at = self.origin[action][1][milestone] if self.origin else milestone
        return (*self.action_path(action), "milestones", at)

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
                yield theme, theme.action_index(index), action

    def milestones(self) -> Iterator[tuple[Theme, Action, Milestone, tuple[str | int, ...]]]:
        """Every milestone with its theme, action and path within the theme file."""
        for theme in self.themes:
            for a, action in enumerate(theme.model.actions):
                for m, milestone in enumerate(action.milestones):
                    yield theme, action, milestone, theme.milestone_path(a, m)

    @cached_property
    def action_ids(self) -> frozenset[str]:
        return frozenset(action.id for _theme, _index, action in self.actions())

    @cached_property
    def milestone_ids(self) -> frozenset[str]:
        return frozenset(milestone.id for _theme, _action, milestone, _path in self.milestones())

    def ordered_themes(self) -> list[Theme]:
        """Themes in the plan's `themes` order when it gives one, else by file name."""
        order = self.model.themes or []
        rank = {slug: i for i, slug in enumerate(order)}
        return sorted(self.themes, key=lambda t: (rank.get(t.slug, len(rank)), t.slug))


@dataclass(frozen=True)
class Workspace:
    """The plans a command is about, and the plans beside them read only to resolve references.

    Given one plan's folder (or files in it), bvplan is about that plan alone: its siblings in the
    plans folder are `context`, read so that `carried_from` can name them, and never checked,
    reported or edited. Given the plans folder, every plan is in `plans` and `context` is empty.

    Immutable once made (the loader gathers the plans first): the lookups by id are built on first
    use and can never go stale. A different set of plans is a new Workspace.
    """

    plans: tuple[Plan, ...] = ()
    # Sibling plans, each id once and none of the ids in `plans`; for most only plan.yaml is read
    # (themes only of those a chosen plan's `carried_from` names).
    context: tuple[Plan, ...] = ()
    # The frameworks the plans may name, by id: the shipped packs, replaced by a council's own of the
    # same id. Read only when a plan names a framework or the packs themselves are checked.
    frameworks: Mapping[str, Framework] = field(default_factory=dict)
    # The council's own packs as read (every file, duplicates included), for their checks.
    packs: tuple[Framework, ...] = ()

    def __post_init__(self) -> None:
        # A list given by a caller is taken as a tuple, so that no one can add to it afterwards.
        object.__setattr__(self, "plans", tuple(self.plans))
        object.__setattr__(self, "context", tuple(self.context))
        object.__setattr__(self, "packs", tuple(self.packs))

    @cached_property
    def _by_id(self) -> dict[str, Plan]:
        """Plans by id, the first of each id winning."""
        found: dict[str, Plan] = {}
        for plan in self.plans:
            found.setdefault(plan.id, plan)
        return found

    @cached_property
    def _context_by_id(self) -> dict[str, Plan]:
        found: dict[str, Plan] = {}
        for plan in self.context:
            found.setdefault(plan.id, plan)
        return found

    def plan(self, plan_id: str) -> Plan | None:
        """One of the plans the command is about (never a sibling read only for references)."""
        return self._by_id.get(plan_id)

    def referenced(self, plan_id: str) -> Plan | None:
        """The plan a `carried_from` names: one of `plans`, or else a sibling."""
        return self._by_id.get(plan_id) or self._context_by_id.get(plan_id)

    def frameworks_of(self, plan: Plan) -> list[Framework]:
        """The frameworks a plan names that exist, in its order."""
        return [self.frameworks[f] for f in dict.fromkeys(plan.model.frameworks) if f in self.frameworks]

    @property
    def ids(self) -> list[str]:
        return [plan.id for plan in self.plans]

    @property
    def known_ids(self) -> list[str]:
        """Every plan id a reference may name: the plans, then their siblings."""
        return [plan.id for plan in (*self.plans, *self.context)]
