"""Properties of the status rules on generated plans: what must hold for every plan and every date."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bvplan.format.loader import load_sources
from bvplan.format.model import Action, Cancellation, Milestone, Note, PlanFile, RagOverride, Revision, ThemeFile
from bvplan.rules.status import COUNTED, ActionStatus, MilestoneStatus, Status, action_status, plan_status, status_of

FIRST, LAST = dt.date(2017, 1, 1), dt.date(2020, 12, 31)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

dates = st.dates(FIRST, LAST)
texts = st.text(alphabet="abcdefghij klmnop,.:'-|*#&", min_size=1, max_size=20).filter(lambda s: s.strip() != "")
colours = st.sampled_from(["red", "amber", "green", "blue"])


def after(day: dt.date, days: int = 400) -> st.SearchStrategy[dt.date]:
    return st.dates(day, day + dt.timedelta(days=days))


@st.composite
def revisions(draw: st.DrawFn) -> list[Revision]:
    found: list[Revision] = []
    proposed = draw(dates)
    for _ in range(draw(st.integers(0, 3))):
        proposed = draw(after(proposed, 120))
        agreed = draw(st.none() | after(proposed, 90))
        found.append(Revision(to=draw(dates), reason=draw(texts), proposed=proposed, agreed=agreed))
    return found


@st.composite
def rag_overrides(draw: st.DrawFn) -> RagOverride | None:
    if not draw(st.booleans()):
        return None
    return RagOverride(status=draw(colours), reason=draw(texts), on=draw(dates))


@st.composite
def milestones(draw: st.DrawFn, milestone_id: str) -> Milestone:
    due = draw(dates)
    start = draw(st.none() | st.dates(due - dt.timedelta(days=365), due))
    outcome = draw(st.sampled_from(["open", "completed", "cancelled"]))
    completed = draw(after(start or FIRST, 1500)) if outcome == "completed" else None
    cancelled = Cancellation(on=draw(dates), reason=draw(texts)) if outcome == "cancelled" else None
    notes = sorted((Note(on=draw(dates), text=draw(texts)) for _ in range(draw(st.integers(0, 2)))), key=lambda n: n.on)
    return Milestone(
        id=milestone_id,
        title=draw(texts),
        owner=draw(st.none() | texts),
        start=start,
        due=due,
        revisions=draw(revisions()),
        completed=completed,
        cancelled=cancelled,
        rag=draw(rag_overrides()),
        notes=notes,
    )


@st.composite
def actions(draw: st.DrawFn, action_id: str) -> Action:
    count = draw(st.integers(1, 4))
    return Action(
        id=action_id,
        title=draw(texts),
        owner=draw(st.none() | texts),
        rag=draw(rag_overrides()),
        milestones=[draw(milestones(f"{action_id}.{m}")) for m in range(1, count + 1)],
    )


@st.composite
def themes(draw: st.DrawFn) -> list[ThemeFile]:
    found = []
    for t in range(draw(st.integers(1, 3))):
        count = draw(st.integers(1, 3))
        found.append(ThemeFile(theme=draw(texts), actions=[draw(actions(f"T{t}A{a}")) for a in range(1, count + 1)]))
    return found


def plan_of(theme_files: list[ThemeFile], day: dt.date, due_soon_days: int = 30) -> Any:
    return plan_status(
        "demo", "Demo", [(f"t{i}", t.theme, t.actions) for i, t in enumerate(theme_files)], day, due_soon_days
    )


def observed(m: MilestoneStatus) -> tuple[Any, ...]:
    """Everything a report shows about a milestone, without the milestone object itself."""
    return (
        m.id,
        m.status,
        m.deadline,
        m.completed,
        m.cancelled,
        m.on_time,
        m.proposed,
        m.due_soon,
        m.days_overdue,
        m.rag,
        m.rag_override,
        m.note,
    )


def observed_action(a: ActionStatus) -> tuple[Any, ...]:
    return (a.action.id, a.status, a.rag, a.rag_override, tuple(observed(m) for m in a.milestones))


@SETTINGS
@given(themes(), dates, st.integers(0, 90))
def test_counts_add_up_to_the_total(theme_files: list[ThemeFile], day: dt.date, due_soon_days: int) -> None:
    result = plan_of(theme_files, day, due_soon_days)
    everything = result.milestones()

    counts = result.counts
    assert counts.total == sum(1 for m in everything if m.status in COUNTED)
    assert counts.total + counts.cancelled == len(everything)
    assert counts.completed + counts.in_progress + counts.overdue + counts.not_started == counts.total
    assert sum(t.counts.total for t in result.themes) == counts.total
    assert sum(result.action_counts.values()) == len(result.actions())
    assert 0 <= counts.percent_delivered <= 100
    assert counts.due_soon <= counts.in_progress
    assert counts.completed_late <= counts.completed


@SETTINGS
@given(themes(), dates, st.integers(1, 2000))
def test_completed_stays_completed(theme_files: list[ThemeFile], day: dt.date, later_by: int) -> None:
    later = day + dt.timedelta(days=later_by)
    before = plan_of(theme_files, day)
    after_ = plan_of(theme_files, later)

    for then, now in zip(before.milestones(), after_.milestones(), strict=True):
        if then.status is Status.COMPLETED:
            assert now.status is Status.COMPLETED
            assert (now.completed, now.on_time) == (then.completed, then.on_time)
        if then.status is Status.CANCELLED:
            assert now.status is Status.CANCELLED


FactAdder = Callable[[Milestone, Action, dt.date], tuple[Milestone, Action]]


def _later(draw: st.DrawFn, day: dt.date) -> dt.date:
    return draw(st.dates(day + dt.timedelta(days=1), day + dt.timedelta(days=800)))


@st.composite
def later_fact(draw: st.DrawFn, milestone: Milestone, action: Action, day: dt.date) -> tuple[Milestone, Action]:
    """`milestone` and `action` with one more fact, dated after `day`."""
    kind = draw(st.sampled_from(["completion", "cancellation", "proposal", "agreement", "note", "rag", "action-rag"]))
    when = _later(draw, day)
    change: dict[str, Any] = {}
    if kind == "completion" and milestone.completed is None:
        change = {"completed": when}
    elif kind == "cancellation" and milestone.cancelled is None:
        change = {"cancelled": Cancellation(on=when, reason="Superseded")}
    elif kind == "proposal":
        extra = Revision(to=draw(dates), reason="Later", proposed=when)
        change = {"revisions": [*milestone.revisions, extra]}
    elif kind == "agreement":
        # The board agrees, after the day, a revision proposed at any time (or proposes and agrees it later).
        pending = [i for i, r in enumerate(milestone.revisions) if r.agreed is None]
        if pending:
            index = draw(st.sampled_from(pending))
            revision = milestone.revisions[index]
            agreed = max(when, revision.proposed)
            updated = [*milestone.revisions]
            updated[index] = revision.model_copy(update={"agreed": agreed})
            change = {"revisions": updated}
        else:
            extra = Revision(to=draw(dates), reason="Later", proposed=when, agreed=_later(draw, when))
            change = {"revisions": [*milestone.revisions, extra]}
    elif kind == "note":
        change = {"notes": [*milestone.notes, Note(on=when, text="Later news")]}
    elif kind == "rag" and (milestone.rag is None or milestone.rag.on > day):
        change = {"rag": RagOverride(status=draw(colours), reason="Board view", on=when)}
    elif kind == "action-rag" and (action.rag is None or action.rag.on > day):
        action = action.model_copy(update={"rag": RagOverride(status=draw(colours), reason="Board view", on=when)})
    changed = milestone.model_copy(update=change)
    return changed, action.model_copy(
        update={"milestones": [changed if m.id == milestone.id else m for m in action.milestones]}
    )


@SETTINGS
@given(st.data(), st.integers(1, 4))
def test_facts_dated_after_the_day_change_nothing_at_it(data: st.DataObject, facts: int) -> None:
    original = data.draw(actions("A1"))
    day = data.draw(dates)
    changed = original
    for _ in range(facts):
        target = data.draw(st.sampled_from(changed.milestones))
        _milestone, changed = data.draw(later_fact(target, changed, day))

    assert observed_action(action_status(changed, day)) == observed_action(action_status(original, day))


# --- the order files are read in --------------------------------------------------------------------------------


def to_yaml(value: Any) -> str:
    """Flow-style YAML: JSON for text, plain ISO dates so that they load as dates."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {to_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(to_yaml(v) for v in value) + "]"
    if isinstance(value, dt.date):
        return value.isoformat()
    return json.dumps(value)


PLAN = PlanFile(
    id="demo",
    title="Demo plan",
    authority="A council",
    board="The board",
    start=dt.date(2018, 4, 1),
    end=dt.date(2019, 3, 31),
    cadence="quarterly",
)


def rows(sources: dict[str, dict[str, bytes | None]], day: dt.date) -> list[tuple[Any, ...]]:
    loaded = load_sources(sources)
    assert loaded.report.errors == 0, loaded.report.diagnostics
    [plan] = loaded.workspace.plans
    status = status_of(plan, day)
    return [(t.slug, t.name, tuple(observed_action(a) for a in t.actions)) for t in status.themes]


@SETTINGS
@given(themes(), dates, st.randoms(use_true_random=False))
def test_statuses_do_not_depend_on_the_order_files_are_read(
    theme_files: list[ThemeFile], day: dt.date, shuffler: random.Random
) -> None:
    files = {"plan.yaml": to_yaml(PLAN.model_dump(exclude_defaults=True)).encode()}
    for index, theme in enumerate(theme_files):
        files[f"theme-{index}.yaml"] = to_yaml(theme.model_dump(exclude_defaults=True)).encode()
    names = list(files)
    shuffler.shuffle(names)

    in_order = rows({"plans/demo": files}, day)
    shuffled = rows({"plans/demo": {name: files[name] for name in names}}, day)

    assert shuffled == in_order
    assert [slug for slug, _name, _actions in in_order] == [f"theme-{i}" for i in range(len(theme_files))]
