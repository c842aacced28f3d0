"""The registers in the plan format: Direction requirements, recommendations, answers, outcome measures."""

from __future__ import annotations

import json
from pathlib import Path

from bvplan.format.loader import load
from bvplan.format.registers import index_registers
from bvplan.format.schema import schema_text
from tests.conftest import SHIPPED_PLANS

EXAMPLE = SHIPPED_PLANS / "example-2025-26"


def test_the_example_plan_loads_its_registers() -> None:
    loaded = load([EXAMPLE])
    assert not loaded.report.errors, loaded.report.sorted()
    [plan] = loaded.workspace.plans
    index = index_registers(plan)

    requirements = ["D1.1", "D1.2", "D1.3", "D1.4", "D2.1", "D2.2", "D2.3", "D2.4", "D3.1", "D3.2", "D3.3"]
    assert list(index.requirements) == requirements
    assert [r.id for _i, r in index.recommendations.values()] == ["INS1", "INS2", "INS3", "S24-1", "S24-2"]
    assert [p.action.id for p in index.answered_by["S24-1"]] == ["F5", "F6"]
    # D2 is served by the actions answering its requirements, and by those naming it directly.
    assert [p.action.id for p in index.served_by["D2"]] == ["F1", "F2", "F3", "F4"]
    assert [m.id for m in index.outcome_measures("D2")] == ["FIN-OC1"]
    assert index.kind_of("G3.2") == "milestone" and index.kind_of("X1") == "direction"


def test_the_plan_says_every_name_and_figure_is_invented() -> None:
    text = (EXAMPLE / "plan.yaml").read_text(encoding="utf-8")
    assert "INVENTED" in text and "Example Borough Council does not exist" in text
    for theme in ("governance", "finance", "housing"):
        assert "INVENTED" in (EXAMPLE / f"{theme}.yaml").read_text(encoding="utf-8")


def test_the_schema_describes_the_registers() -> None:
    plan = json.loads(schema_text("plan"))
    theme = json.loads(schema_text("theme"))
    definitions = plan["$defs"]

    assert "recommendations" in plan["properties"]
    assert set(definitions["Requirement"]["required"]) == {"id", "text"}
    assert definitions["RecommendationSource"]["properties"]["kind"]["enum"] == [
        "inspection",
        "notice",
        "auditor",
        "peer-challenge",
        "cipfa",
        "other",
    ]
    assert definitions["Recommendation"]["properties"]["response"]["enum"] == ["accepted", "rejected"]
    assert "answers" in theme["$defs"]["Action"]["properties"]
    assert theme["$defs"]["Measure"]["properties"]["kind"]["enum"] == ["output", "outcome"]


def test_a_response_outside_the_choices_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        "id: demo\ntitle: Demo\nauthority: A council\nboard: A board\nstart: 2025-04-01\nend: 2026-03-31\n"
        "cadence: quarterly\nrecommendations:\n  - id: R1\n    source: {kind: auditor, title: s24}\n"
        "    text: Do it\n    response: maybe\n",
        encoding="utf-8",
    )
    loaded = load([tmp_path / "plans"])

    assert [(d.code, d.span.line if d.span else None) for d in loaded.report.sorted()] == [("BV205", 12)]
