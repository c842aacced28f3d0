"""The chain of one item, up to what it answers to and down to the evidence, each gap marked.

Pure. `trace(registers, ID)` works for any Direction, requirement, recommendation, action,
milestone or measure: `up` holds each path from a Direction or recommendation down to the item's
parent, `item` the item with everything beneath it. Each link carries the gaps `validate` would
report for it (BV400-BV405, and BV345 for a milestone completed with no evidence), as they stand on
the reporting date. In the public view an exempt item is not there: asking for it is "not found".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bvplan.errors import UsageError
from bvplan.format.model import Direction, Recommendation, Requirement
from bvplan.format.registers import PlacedAction
from bvplan.rules.chain import Gap, ItemStatus, Registers, requirement_status
from bvplan.rules.measures import MeasureStatus
from bvplan.rules.status import ActionStatus, MilestoneStatus, Status, status_words
from bvplan.suggest import did_you_mean


class TraceNotFound(UsageError):
    """No item of that id in the plan (or none the public view shows)."""

    def __init__(self, item_id: str, plan_id: str, hint: str | None) -> None:
        super().__init__(f"plan '{plan_id}' has no item '{item_id}'" + (f"; {hint}" if hint else ""))
        self.item_id = item_id


@dataclass
class Link:
    kind: str  # direction, exit criterion, objective, requirement, recommendation, action, milestone, measure
    id: str
    title: str
    status: str  # in words
    details: list[tuple[str, str]] = field(default_factory=list)  # (label, value), in order
    evidence_needed: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    children: list[Link] = field(default_factory=list)
    measure: MeasureStatus | None = None  # for a measure: its values, which the views format by unit

    def as_json(self) -> dict[str, object]:
        values: dict[str, object] = {}
        if self.measure is not None:
            latest, target = self.measure.latest, self.measure.target
            values["unit"] = self.measure.measure.unit
            values["latest"] = {"value": latest.value, "on": latest.on.isoformat()} if latest else None
            values["target"] = {"value": target.value, "period": target.period} if target else None
        return {
            "kind": self.kind,
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "details": dict(self.details),
            "evidence_needed": self.evidence_needed,
            "evidence": self.evidence,
            "gaps": [{"code": g.code, "text": g.text} for g in self.gaps],
            **values,
            "children": [c.as_json() for c in self.children],
        }

    def gap_count(self) -> int:
        return len(self.gaps) + sum(c.gap_count() for c in self.children)


@dataclass(frozen=True)
class Trace:
    plan_id: str
    as_of: str
    public: bool
    up: list[list[Link]]  # each a path from the top down to the item's parent
    item: Link

    def gaps(self) -> int:
        return self.item.gap_count() + sum(len(link.gaps) for path in self.up for link in path)

    def as_json(self) -> dict[str, object]:
        return {
            "plan": self.plan_id,
            "as_of": self.as_of,
            "public": self.public,
            "up": [[{k: v for k, v in link.as_json().items() if k != "children"} for link in path] for path in self.up],
            "item": self.item.as_json(),
            "gaps": self.gaps(),
        }


def trace(found: Registers, item_id: str) -> Trace:
    builder = _Builder(found)
    item, up = builder.item_and_up(item_id)
    return Trace(found.plan.id, found.as_of.isoformat(), found.public, up, item)


class _Builder:
    def __init__(self, found: Registers) -> None:
        self.found = found
        self.index = found.index

    # ---- finding the item --------------------------------------------------------------------

    def item_and_up(self, item_id: str) -> tuple[Link, list[list[Link]]]:
        index, found = self.index, self.found
        if item_id in index.directions:
            return self.direction(index.directions[item_id][1], down=True), []
        if item_id in index.requirements:
            placed = index.requirements[item_id]
            return self.requirement(placed.requirement, down=True), [[self.direction(placed.direction)]]
        if item_id in index.recommendations:
            return self.recommendation(index.recommendations[item_id][1], down=True), []
        if item_id in index.actions and item_id in found.actions:
            placed_action = index.actions[item_id]
            return self.action(placed_action, down=True), self.up_of_action(placed_action)
        if item_id in index.milestones:
            holder, _m, _milestone = index.milestones[item_id]
            milestone = self.milestone_status(holder.action.id, item_id)
            if milestone is not None:
                up = [[*path, self.action(holder)] for path in self.up_of_action(holder)] or [[self.action(holder)]]
                return self.milestone(milestone), up
        if item_id in index.measures and item_id in found.measures:
            return self.measure(found.measures[item_id].status), self.up_of_measure(item_id)
        known = self._all_ids()
        raise TraceNotFound(item_id, found.plan.id, did_you_mean(item_id, known))

    def _all_ids(self) -> list[str]:
        index = self.index
        return [
            *index.directions,
            *index.requirements,
            *index.recommendations,
            *(a for a in index.actions if a in self.found.actions),
            *index.milestones,
            *(m for m in index.measures if m in self.found.measures),
        ]

    def up_of_action(self, placed: PlacedAction) -> list[list[Link]]:
        paths: list[list[Link]] = []
        covered: set[str] = set()
        for named in placed.action.answers:
            if named in self.index.requirements:
                held = self.index.requirements[named]
                covered.add(held.direction.id)
                paths.append([self.direction(held.direction), self.requirement(held.requirement)])
            elif named in self.index.recommendations:
                paths.append([self.recommendation(self.index.recommendations[named][1])])
        for direction_id in placed.action.directions:
            if direction_id not in covered and direction_id in self.index.directions:
                covered.add(direction_id)
                paths.append([self.direction(self.index.directions[direction_id][1])])
        return paths

    def up_of_measure(self, measure_id: str) -> list[list[Link]]:
        _theme, action, measure = self.index.measures[measure_id]
        paths: list[list[Link]] = []
        named = set(measure.directions)
        if action is not None and action.id in self.found.actions:
            holder = self.index.actions[action.id]
            for path in self.up_of_action(holder) or [[]]:
                paths.append([*path, self.action(holder)])
                if path:
                    named.discard(path[0].id)
        for direction_id in measure.directions:
            if direction_id in named and direction_id in self.index.directions:
                paths.append([self.direction(self.index.directions[direction_id][1])])
        return paths

    # ---- links -------------------------------------------------------------------------------

    def direction(self, direction: Direction, down: bool = False) -> Link:
        summary = self.found.summary(direction)
        details = [("RAG", f"{summary.rag_words} ({summary.rag})")]
        if summary.total:
            details.append(("requirements met", f"{summary.met} of {summary.total}"))
            details.append(("requirements overdue", str(summary.overdue)))
        if direction.issued:
            details.append(("issued", direction.issued.isoformat()))
        if direction.met and direction.met <= self.found.as_of:
            details.append(("met", direction.met.isoformat()))
        link = Link(direction.kind, direction.id, direction.title, summary.status.value, details)
        link.evidence = list(direction.evidence)
        if direction.met is not None and not direction.evidence:
            link.gaps.append(Gap("BV402", "met with no evidence"))
        if direction.requirements and not summary.outcome_measures:
            link.gaps.append(Gap("BV405", "no outcome measure"))
        if not down:
            return link
        through_requirements: set[str] = set()
        for requirement, _status in summary.requirements:
            child = self.requirement(requirement, down=True)
            through_requirements.update(p.action.id for p in self.found.answering(requirement.id))
            link.children.append(child)
        direct = [
            p
            for p in self.index.served_by.get(direction.id, [])
            if p.action.id not in through_requirements and p.action.id in self.found.actions
        ]
        link.children.extend(self.action(p, down=True) for p in direct)
        beneath = {c.id for child in link.children for c in _walk(child) if c.kind == "measure"}
        link.children.extend(
            self.measure(m) for m in self.found.direction_measures(direction.id) if m.id not in beneath
        )
        if direction.requirements or direction.kind == "direction":
            return link
        if not link.children and direction.met is None:
            link.gaps.append(Gap("BV400", "nothing serves it: no action names it"))
        return link

    def requirement(self, requirement: Requirement, down: bool = False) -> Link:
        status = requirement_status(requirement, self.found.as_of)
        details = []
        if requirement.due:
            details.append(("due", requirement.due.isoformat()))
        if status is ItemStatus.MET and requirement.met:
            details.append(("met", requirement.met.isoformat()))
        link = Link("requirement", requirement.id, requirement.text, status.value, details)
        link.evidence_needed = list(requirement.evidence_needed)
        link.evidence = list(requirement.evidence) if status is ItemStatus.MET else []
        answering = self.found.answering(requirement.id)
        self._register_gaps(link, status, bool(self.index.answered_by.get(requirement.id)), bool(requirement.evidence))
        if down:
            link.children = [self.action(p, down=True) for p in answering]
        return link

    def recommendation(self, recommendation: Recommendation, down: bool = False) -> Link:
        status = self.found.recommendation_status(recommendation)
        source = recommendation.source
        details = [("source", f"{source.title} ({source.kind}" + (f", {source.date})" if source.date else ")"))]
        details.append(("response", recommendation.response))
        if recommendation.reason:
            details.append(("reason", recommendation.reason.strip()))
        if recommendation.due:
            details.append(("due", recommendation.due.isoformat()))
        if status is ItemStatus.CLOSED and recommendation.closed:
            details.append(("closed", recommendation.closed.isoformat()))
        if recommendation.owner_rag:
            details.append(("owner's RAG", recommendation.owner_rag))
        if recommendation.monitoring:
            details.append(("monitoring", recommendation.monitoring))
        link = Link("recommendation", recommendation.id, recommendation.text, status.value, details)
        link.evidence_needed = list(recommendation.evidence_needed)
        link.evidence = list(recommendation.evidence) if status is ItemStatus.CLOSED else []
        if status is ItemStatus.REJECTED:
            if not (recommendation.reason or "").strip():
                link.gaps.append(Gap("BV407", "rejected with no reason"))
        else:
            answered = bool(self.index.answered_by.get(recommendation.id))
            self._register_gaps(link, status, answered, bool(recommendation.evidence))
        if down:
            link.children = [self.action(p, down=True) for p in self.found.answering(recommendation.id)]
        return link

    def _register_gaps(self, link: Link, status: ItemStatus, answered: bool, has_evidence: bool) -> None:
        if not answered and not self.found.public:  # in a public view, its answering actions may be withheld
            link.gaps.append(Gap("BV400", "no action answers it"))
        if status in (ItemStatus.MET, ItemStatus.CLOSED) and not has_evidence:
            link.gaps.append(Gap("BV402", f"{status.value.lower()} with no evidence"))
        if status is ItemStatus.OVERDUE:
            link.gaps.append(Gap("BV404", "past its deadline and still open"))

    def action(self, placed: PlacedAction, down: bool = False) -> Link:
        action = placed.action
        found = self.found.actions[action.id]
        status = "Ongoing" if action.ongoing and not found.milestones else found.status.value
        details = [("theme", self.found.theme_of.get(action.id, placed.theme.name))]
        if action.owner:
            details.append(("owner", action.owner))
        if found.rag:
            details.append(("RAG", found.rag))
        if action.owner_rag:
            details.append(("owner's RAG", action.owner_rag))
        link = Link("action", action.id, action.title, status, details)
        if action.answers and not action.milestones and not action.ongoing:
            link.gaps.append(Gap("BV401", "answers a requirement or recommendation but has no milestones"))
        unknown = [
            n for n in action.answers if n not in self.index.requirements and n not in self.index.recommendations
        ]
        if unknown:
            link.gaps.append(Gap("BV403", "answers what the plan does not hold: " + ", ".join(unknown)))
        if down:
            link.children = [self.milestone(m) for m in found.milestones]
            link.children += [
                self.measure(self.found.measures[m.id].status) for m in action.measures if m.id in self.found.measures
            ]
        return link

    def milestone_status(self, action_id: str, milestone_id: str) -> MilestoneStatus | None:
        found: ActionStatus | None = self.found.actions.get(action_id)
        if found is None:
            return None
        return next((m for m in found.milestones if m.id == milestone_id), None)

    def milestone(self, milestone: MilestoneStatus) -> Link:
        details = [("deadline", milestone.deadline.isoformat())]
        if milestone.revised:
            details.append(("original deadline", milestone.original_due.isoformat()))
        if milestone.proposed:
            details.append(("proposed deadline", milestone.proposed.to.isoformat()))
        if milestone.completed:
            details.append(("completed", milestone.completed.isoformat()))
        link = Link("milestone", milestone.id, milestone.milestone.title, status_words(milestone), details)
        if milestone.status is Status.COMPLETED:
            link.evidence = list(milestone.milestone.evidence)
            if not milestone.milestone.evidence:
                link.gaps.append(Gap("BV345", "completed with no evidence"))
        return link

    def measure(self, status: MeasureStatus) -> Link:
        measure = status.measure
        details: list[tuple[str, str]] = [("kind", measure.kind)]
        if measure.metric:
            details.append(("metric", measure.metric))
        return Link("measure", measure.id, measure.title, status.standing.value, details, measure=status)


def _walk(link: Link) -> list[Link]:
    found = [link]
    for child in link.children:
        found.extend(_walk(child))
    return found
