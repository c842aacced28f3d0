"""Which plans and which reporting period a command is about, from what the user typed.

A bare period ('q1', 'h2', 'year') is taken in the financial year of the plan chosen with --plan,
or else of the latest plan. A reporting date (a period's last day, or a date) selects the plans
live on it unless --plan names one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bvplan.errors import UsageError
from bvplan.format.periods import Period, PeriodError, financial_year_of, parse_reporting, period_for_date
from bvplan.format.workspace import Plan, Workspace
from bvplan.rules.lookup import NotFound, plan_named
from bvplan.rules.owners import matches_owner
from bvplan.rules.status import MilestoneStatus, PlanStatus, ThemeStatus, narrowed


class SelectionError(UsageError, ValueError):
    """The user asked for a plan, theme or period that is not there; the message says what is."""


@dataclass(frozen=True)
class Selection:
    period: Period
    plans: tuple[Plan, ...]

    @property
    def as_of(self) -> dt.date:
        return self.period.end


def _reference_plan(workspace: Workspace, plan_id: str | None) -> Plan:
    if plan_id is not None:
        try:
            return plan_named(workspace, plan_id)
        except NotFound as exc:  # a SelectionError: the command first checks whether errors are why
            raise SelectionError(str(exc)) from exc
    if not workspace.plans:
        raise SelectionError("no plans were found")
    return max(workspace.plans, key=lambda p: (p.model.start, p.id))


def select(workspace: Workspace, when: str | None, plan_id: str | None, today: dt.date) -> Selection:
    reference = _reference_plan(workspace, plan_id)
    model = reference.model
    if when is None:
        period = period_for_date(today, model.cadence, model.year_start)
    else:
        default_year = financial_year_of(model.start, model.year_start)
        try:
            period = parse_reporting(when, default_year, model.cadence, model.year_start)
        except PeriodError as exc:
            raise SelectionError(str(exc)) from exc
    if plan_id is not None:
        return Selection(period, (reference,))
    day = period.end
    live = tuple(p for p in workspace.plans if p.model.start <= day <= p.model.end)
    if not live:
        spans = "; ".join(
            f"{p.id} {p.model.start} to {p.model.end}" for p in sorted(workspace.plans, key=lambda p: p.model.start)
        )
        raise SelectionError(f"no plan is live on {day} ({spans}); choose a date with --as-of or a plan with --plan")
    if len(live) == 1 and live[0] is not reference:
        # The period was read in the latest plan's terms; the one plan live may report in others (a
        # date in a six-monthly plan falls in a half, not a quarter). The reporting date stays.
        own = select(workspace, when, live[0].id, today).period
        if own.end == period.end:
            period = own
    return Selection(period, live)


def theme_matches(slug: str, name: str, wanted: str | None) -> bool:
    """True when no theme is asked for, or `wanted` is the theme's file name or title (ignoring case)."""
    return not wanted or wanted.casefold() in (slug.casefold(), name.casefold())


def owner_matches(owner: str | None, wanted: str | None) -> bool:
    """True when no owner is asked for, or the owner (through the owner chain) contains `wanted`."""
    return not wanted or (owner is not None and matches_owner(owner, [wanted]))


def chosen_part(status: PlanStatus, theme: str | None = None, owner: str | None = None) -> PlanStatus:
    """The part of a plan's status that `--theme` and `--owner` choose, counted again from it alone.

    The milestones of that theme and owner, their actions and themes; everything a table, a
    Direction's progress or a summary counts from it is that theme's and that owner's only.
    """
    if not theme and not owner:
        return status

    def theme_test(t: ThemeStatus) -> bool:
        return theme_matches(t.slug, t.name, theme)

    def milestone_test(m: MilestoneStatus) -> bool:
        return owner_matches(m.owner, owner)

    return narrowed(status, theme_test if theme else None, milestone_test if owner else None)
