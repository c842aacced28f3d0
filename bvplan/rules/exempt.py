"""What a public view of a plan may show: everything not marked `exempt`.

Pure. Exempt information (Local Government Act 1972, Schedule 12A) is withheld from the public
version of a paper and from any export meant for publication. A theme, action or milestone marked
`exempt` is left out whole, before anything is counted, so no figure betrays it; an exempt note is
left out, so the latest public note shows instead.
"""

from __future__ import annotations

import datetime as dt

from bvplan.format.model import Action, Assessment, Milestone
from bvplan.format.workspace import Plan
from bvplan.rules.status import PlanStatus, plan_status, vocabulary_of


def public_actions(actions: list[Action]) -> list[Action]:
    """The actions, less exempt actions, exempt milestones and exempt notes."""
    kept: list[Action] = []
    for action in actions:
        if action.exempt:
            continue
        milestones: list[Milestone] = []
        for milestone in action.milestones:
            if milestone.exempt:
                continue
            notes = [note for note in milestone.notes if not note.exempt]
            milestones.append(
                milestone if len(notes) == len(milestone.notes) else milestone.model_copy(update={"notes": notes})
            )
        kept.append(action.model_copy(update={"milestones": milestones}))
    return kept


def public_status(plan: Plan, day: dt.date) -> PlanStatus:
    """A plan's status on `day` with everything exempt left out."""
    themes = [(t.slug, t.name, public_actions(t.model.actions)) for t in plan.ordered_themes() if not t.model.exempt]
    model = plan.model
    return plan_status(
        plan.id, model.title, themes, day, model.due_soon_days, model.rag, vocabulary=vocabulary_of(model)
    )


def public_assessments(assessments: list[Assessment]) -> list[Assessment]:
    """The self-assessment ratings, less those marked exempt: withheld whole, so no cell or change shows them."""
    return [assessment for assessment in assessments if not assessment.exempt]
