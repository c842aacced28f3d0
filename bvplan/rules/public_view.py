"""The public view of the plans: everything marked `exempt` taken out, once, before anything sees them.

Pure. Exempt information (Local Government Act 1972, Schedule 12A) is withheld from the public
version of a paper and from every output meant for publication. `public_view` is the one place
that decides what a public reader may see: every command and paper given `--public` (status,
report, changes, due and its calendars, the public website) applies it to the loaded plans first
and then works on what is left, so every count, roll-up, RAG and "latest note" is taken from the
public items by construction, and no output needs a `public` branch of its own.

What is withheld: any item whose model has `exempt: true` (a theme, an action, a milestone, a
note, a measure, a theme's or the plan's progress summary, a committee report section, and any
item a later version of the format marks the same way), with everything it holds. An exempt note
goes, so the latest public note shows instead. The walk is generic over the models: a new kind of
item gains an `exempt` field and is withheld here, with no change to this module or its callers;
naming it in `KIND_WORDS` only gives the papers its word.

What was withheld is kept as a list of `WithheldItem`s, so a paper can say how many items it
left out (`Withheld.of`), and `changes` can hide an item exempt at either end of a comparison.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from bvplan.format.model import PlanFile, ThemeFile
from bvplan.format.workspace import Plan, Theme, Workspace

Path = tuple[str | int, ...]
# For each list field of a model walked, the index of each item kept, with the same for that item.
Kept = dict[str, list[tuple[int, "Kept"]]]

# Each kind of item the papers count, by model class name, with its word in a paper, in the order a
# paper lists them. A model with an `exempt` field that is not named here is still withheld, and
# counted under its class name.
KIND_WORDS: dict[str, tuple[str, str]] = {
    "ThemeFile": ("theme", "themes"),
    "Action": ("action", "actions"),
    "Milestone": ("milestone", "milestones"),
    "Note": ("note", "notes"),
    "Measure": ("measure", "measures"),
    "Update": ("progress summary", "progress summaries"),
    "Section": ("section", "sections"),
    "Assessment": ("self-assessment rating", "self-assessment ratings"),
}


@dataclass(frozen=True, slots=True)
class WithheldItem:
    """One item left out of the public view: which plan, what kind, and where it stood."""

    plan: str  # the plan's id
    kind: str  # the model's class name: a key of KIND_WORDS, or a kind added since
    path: Path  # from the plan: ("themes", slug, "actions", 0, ...), ("sections", key), ("meetings", 0, ...)
    item_id: str | None  # the item's `id` (action, milestone, measure), or a theme's slug; None for the rest

    @property
    def key(self) -> str | int:
        """The last step of its path: an update's period, a section's key, a list index."""
        return self.path[-1]


def id_of(item: WithheldItem) -> str | None:
    """The id of a withheld action, milestone or measure; None for a theme (a slug is no id) and the rest."""
    return item.item_id if item.kind != "ThemeFile" else None


@dataclass(frozen=True)
class Withheld:
    """How many items of each kind were withheld, in the order a paper lists them."""

    counts: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, items: Iterable[WithheldItem]) -> Withheld:
        tally: dict[str, int] = {}
        for item in items:
            tally[item.kind] = tally.get(item.kind, 0) + 1
        order = {kind: rank for rank, kind in enumerate(KIND_WORDS)}
        return cls(tuple(sorted(tally.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))))

    def count(self, kind: str) -> int:
        return dict(self.counts).get(kind, 0)

    @property
    def themes(self) -> int:
        return self.count("ThemeFile")

    @property
    def actions(self) -> int:
        return self.count("Action")

    @property
    def milestones(self) -> int:
        return self.count("Milestone")

    @property
    def notes(self) -> int:
        return self.count("Note")

    @property
    def measures(self) -> int:
        return self.count("Measure")

    @property
    def updates(self) -> int:
        return self.count("Update")

    @property
    def sections(self) -> int:
        return self.count("Section")

    @property
    def total(self) -> int:
        return sum(n for _kind, n in self.counts)

    @property
    def parts(self) -> tuple[str, ...]:
        """ "1 theme", "3 milestones", ...: each kind withheld, counted, in words."""
        words = []
        for kind, n in self.counts:
            one, many = KIND_WORDS.get(kind, (kind.lower(), kind.lower() + "s"))
            words.append(f"{n} {one if n == 1 else many}")
        return tuple(words)


@dataclass(frozen=True)
class PublicView:
    """The workspace as a public reader sees it, and what was taken out of it."""

    workspace: Workspace
    withheld: tuple[WithheldItem, ...]

    def withheld_from(self, plan_id: str) -> tuple[WithheldItem, ...]:
        return tuple(item for item in self.withheld if item.plan == plan_id)

    @property
    def withheld_ids(self) -> frozenset[tuple[str, str]]:
        """(plan id, item id) of every withheld item that has an id: actions, milestones, measures."""
        return frozenset((item.plan, item_id) for item in self.withheld if (item_id := id_of(item)))


def public_view(workspace: Workspace, also_withhold: Collection[tuple[str, str]] = ()) -> PublicView:
    """The plans with every exempt item removed, and the list of what was removed.

    The one home of "what a public reader may see": apply it once, to the loaded workspace, before
    anything is selected, counted or rendered. `also_withhold` names (plan id, item id) pairs to
    take out as if they were exempt (`changes` hides an item exempt at either end of a comparison).
    Plans read only to resolve references (`workspace.context`) are filtered the same way.
    """
    withheld: list[WithheldItem] = []
    plans = tuple(public_plan(plan, withheld, also_withhold) for plan in workspace.plans)
    context = tuple(public_plan(plan, [], also_withhold) for plan in workspace.context)
    # The frameworks are the council's and bvplan's, not a plan's: the same in the public view.
    public = Workspace(plans, context, frameworks=workspace.frameworks, packs=workspace.packs)
    return PublicView(public, tuple(withheld))


def public_plan(
    plan: Plan, withheld: list[WithheldItem] | None = None, also_withhold: Collection[tuple[str, str]] = ()
) -> Plan:
    """One plan with every exempt item removed; what was removed is appended to `withheld`."""
    out: list[WithheldItem] = [] if withheld is None else withheld
    extra = frozenset(item_id for plan_id, item_id in also_withhold if plan_id == plan.id)
    walker = _Walker(plan.id, out, extra)
    themes: list[Theme] = []
    for theme in plan.themes:
        path: Path = ("themes", theme.slug)
        if theme.model.exempt:
            walker.drop(theme.model, path, theme.slug)
            continue
        model, kept = walker.model(theme.model, path)
        themes.append(_with_model(theme, model, kept))
    plan_model, _kept = walker.model(plan.model, ())
    if not walker.changed:
        return plan
    assert isinstance(plan_model, PlanFile)
    return dataclasses.replace(plan, model=plan_model, themes=themes)


class _Walker:
    """Walks a model tree, dropping every model marked exempt from the lists and mappings that hold it."""

    def __init__(self, plan_id: str, withheld: list[WithheldItem], also: frozenset[str]) -> None:
        self.plan_id = plan_id
        self.withheld = withheld
        self.also = also
        self.changed = False

    def _exempt(self, model: BaseModel) -> bool:
        if getattr(model, "exempt", False) is True:
            return True
        return bool(self.also) and _id_of(model) in self.also

    def drop(self, model: BaseModel, path: Path, item_id: str | None) -> None:
        """Record `model` and every item it holds as withheld."""
        self.changed = True
        self.withheld.append(WithheldItem(self.plan_id, type(model).__name__, path, item_id))
        for child, child_path in _children(model, path):
            if "exempt" in type(child).model_fields:
                self.drop(child, child_path, _id_of(child))
            else:
                # Not an item itself (a meeting), but it may hold items (its sections).
                for grandchild, grandchild_path in _items_within(child, child_path):
                    self.drop(grandchild, grandchild_path, _id_of(grandchild))

    def model(self, model: BaseModel, path: Path) -> tuple[BaseModel, Kept]:
        """`model` without its exempt items, and for each list field which items were kept (see `Kept`)."""
        update: dict[str, Any] = {}
        kept_lists: Kept = {}
        for name in _containers(type(model)):
            value = getattr(model, name)
            if isinstance(value, list):
                items: list[Any] = []
                kept: list[tuple[int, Kept]] = []
                for index, item in enumerate(value):
                    if not isinstance(item, BaseModel):
                        items.append(item)
                        kept.append((index, {}))
                        continue
                    item_path = (*path, name, index)
                    if self._exempt(item):
                        self.drop(item, item_path, _id_of(item))
                        continue
                    copy, inner = self.model(item, item_path)
                    items.append(copy)
                    kept.append((index, inner))
                if len(items) != len(value) or any(a is not b for a, b in zip(items, value, strict=True)):
                    update[name] = items
                kept_lists[name] = kept
            elif isinstance(value, dict):
                entries: dict[Any, Any] = {}
                for key, item in value.items():
                    if not isinstance(item, BaseModel):
                        entries[key] = item
                        continue
                    item_path = (*path, name, key)
                    if self._exempt(item):
                        self.drop(item, item_path, _id_of(item))
                        continue
                    entries[key], _ = self.model(item, item_path)
                if len(entries) != len(value) or any(entries[k] is not value[k] for k in entries):
                    update[name] = entries
            elif isinstance(value, BaseModel):
                copy, _ = self.model(value, (*path, name))
                if copy is not value:
                    update[name] = copy
        return (model.model_copy(update=update) if update else model), kept_lists


def _id_of(model: BaseModel) -> str | None:
    item_id = getattr(model, "id", None) if "id" in type(model).model_fields else None
    return item_id if isinstance(item_id, str) else None


_CONTAINERS: dict[type[BaseModel], tuple[str, ...]] = {}


def _containers(cls: type[BaseModel]) -> tuple[str, ...]:
    """The fields of a model class that may hold an item (a model with an `exempt` field), however deep.

    Read from the annotations once per class, so that walking 100,000 milestones looks only at the
    fields that can hold an item (an action's milestones and measures, a milestone's notes), never
    at dates, text, revisions or RAG ratings.
    """
    found = _CONTAINERS.get(cls)
    if found is None:
        _CONTAINERS[cls] = ()  # a model that holds its own kind (none does today) ends here
        found = tuple(
            name
            for name, field in cls.model_fields.items()
            if any("exempt" in held.model_fields or _containers(held) for held in _models_in(field.annotation))
        )
        _CONTAINERS[cls] = found
    return found


def _models_in(annotation: object) -> Iterator[type[BaseModel]]:
    """The model classes an annotation names: `list[Note]`, `dict[str, Update]`, `Section | None`."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)


def _children(model: BaseModel, path: Path) -> Iterator[tuple[BaseModel, Path]]:
    for name in _containers(type(model)):
        value = getattr(model, name)
        if isinstance(value, list):
            yield from ((item, (*path, name, i)) for i, item in enumerate(value) if isinstance(item, BaseModel))
        elif isinstance(value, dict):
            yield from ((item, (*path, name, k)) for k, item in value.items() if isinstance(item, BaseModel))
        elif isinstance(value, BaseModel):
            yield value, (*path, name)


def _items_within(model: BaseModel, path: Path) -> Iterator[tuple[BaseModel, Path]]:
    """The outermost items (models with an `exempt` field) anywhere inside `model`."""
    for child, child_path in _children(model, path):
        if "exempt" in type(child).model_fields:
            yield child, child_path
        else:
            yield from _items_within(child, child_path)


def _with_model(theme: Theme, model: BaseModel, kept: Kept) -> Theme:
    """`theme` holding `model`, with `origin` (where each action and milestone stands in the file) kept true."""
    if model is theme.model:
        return theme
    origin = tuple(
        (theme.action_index(a), tuple(int(theme.milestone_path(a, m)[-1]) for m, _ in inner.get("milestones", [])))
        for a, inner in kept.get("actions", [])
    )
    assert isinstance(model, ThemeFile)
    return dataclasses.replace(theme, model=model, origin=origin)


def withheld_in_paper(
    items: Iterable[WithheldItem], update_keys: Collection[str], meeting_index: int | None
) -> Withheld:
    """What one paper leaves out: every item of its plan, but only the progress summaries of its
    period and the sections of its own meeting (or the plan's standing ones), and no self-assessment
    rating (the papers show none; `bvplan heatmap` shows them)."""

    def in_paper(item: WithheldItem) -> bool:
        if item.kind == "Assessment":
            return False
        if item.kind == "Update":
            return item.key in update_keys
        if item.kind == "Section":
            return item.path[0] == "sections" or (item.path[:2] == ("meetings", meeting_index))
        if item.path and item.path[0] == "meetings":
            return item.path[1] == meeting_index
        return True

    return Withheld.of(item for item in items if in_paper(item))
