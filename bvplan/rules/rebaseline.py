"""The re-baseline profile: per theme, how often milestones' deadlines were moved, and by how much.

Pure and exact under time travel: as at date D, a deadline moves only by a revision agreed on or
before D (a proposal alone moves nothing), as the status rules have it. A board sees how often
dates moved, not only whether they are met now: re-baselined milestones are the visible trace of
optimism bias.

- Still on the original date: no revision agreed by D; revised once, twice, three times or more:
  that many revisions agreed by D.
- The mean slip is over the milestones whose deadline in force differs from the original: the days
  from the original `due` to the deadline in force at D (negative if a date was brought forward).
- Cancelled milestones are left out, as from the counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bvplan.rules.status import MilestoneStatus, PlanStatus, Status


@dataclass(frozen=True, slots=True)
class RebaselineRow:
    theme: str
    original: int = 0
    once: int = 0
    twice: int = 0
    three_or_more: int = 0
    slipped: int = 0  # milestones whose deadline in force differs from the original
    slip_days: int = 0  # their slips added up

    @property
    def total(self) -> int:
        return self.original + self.once + self.twice + self.three_or_more

    @property
    def mean_slip(self) -> float | None:
        """Mean days moved, over the milestones whose date moved; None when none did."""
        return self.slip_days / self.slipped if self.slipped else None

    @property
    def mean_slip_text(self) -> str:
        mean = self.mean_slip
        return "-" if mean is None else f"{mean:.0f} days"

    @classmethod
    def of(cls, theme: str, milestones: Iterable[MilestoneStatus], day_of: PlanStatus) -> RebaselineRow:
        counts = [0, 0, 0, 0]
        slipped = slip_days = 0
        for m in milestones:
            if m.status is Status.CANCELLED:
                continue
            agreed = sum(1 for r in m.milestone.revisions if r.agreed is not None and r.agreed <= day_of.as_of)
            counts[min(agreed, 3)] += 1
            if m.revised:
                slipped += 1
                slip_days += (m.deadline - m.original_due).days
        return cls(theme, counts[0], counts[1], counts[2], counts[3], slipped, slip_days)

    def __add__(self, other: RebaselineRow) -> RebaselineRow:
        return RebaselineRow(
            self.theme,
            self.original + other.original,
            self.once + other.once,
            self.twice + other.twice,
            self.three_or_more + other.three_or_more,
            self.slipped + other.slipped,
            self.slip_days + other.slip_days,
        )


def rebaseline_profile(status: PlanStatus) -> tuple[RebaselineRow, ...]:
    """One row per theme of the plan's status (public or not, as the caller made it)."""
    return tuple(RebaselineRow.of(theme.name, theme.milestones(), status) for theme in status.themes)


def total(rows: Sequence[RebaselineRow]) -> RebaselineRow:
    return sum(rows, RebaselineRow("Total")) if rows else RebaselineRow("Total")
