"""The owner chain: a milestone's owner, else its action's, else its theme's lead."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bvplan.format.model import Action, Milestone
from bvplan.rules.status import owner_of, plan_status


def _milestone(owner: str | None = None) -> Milestone:
    return Milestone.model_validate(
        {"id": "M1", "title": "Report to CMT", "due": dt.date(2018, 6, 30), "owner": owner}, strict=False
    )


def _action(owner: str | None, *milestones: Milestone) -> Action:
    return Action.model_validate({"id": "A1", "title": "Act", "owner": owner, "milestones": list(milestones)})


def test_the_first_link_that_names_someone_wins() -> None:
    assert owner_of(_milestone("Head of Audit"), _action("Director"), "Lead") == "Head of Audit"
    assert owner_of(_milestone(), _action("Director"), "Lead") == "Director"
    assert owner_of(_milestone(), _action(None), "Lead") == "Lead"
    assert owner_of(_milestone(), _action(None), None) is None


def test_plan_status_takes_the_theme_lead_for_milestones_nobody_else_owns() -> None:
    owned, unowned = _action("Director", _milestone()), _action(None, _milestone())
    themes = [("property", "Property", [owned]), ("grants", "Grants", [unowned])]
    day = dt.date(2018, 6, 1)

    with_leads = plan_status("demo", "Demo", themes, day, leads={"property": "Head", "grants": "Third Sector"})
    without = plan_status("demo", "Demo", themes, day)

    assert [m.owner for m in with_leads.milestones()] == ["Director", "Third Sector"]
    assert [m.owner for m in without.milestones()] == ["Director", None]


def test_status_owner_matches_the_grants_lead_on_the_shipped_plans(run_main, repo_root) -> None:
    result = run_main(
        "status", "--as-of", "2018-06-30", "--plan", "bvip-2018-19", "--owner", "Third Sector", "--format", "csv",
        cwd=repo_root,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows, "the Grants lead owns the Grants milestones through the chain"
    assert {r["theme"] for r in rows} == {"Grants"}
    assert {r["owner"] for r in rows} == {"Head of Third Sector Programmes"}
