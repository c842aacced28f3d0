"""The JSON Schema that editors use: generated from the models, shipped in the package, referenced by the plans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bvplan.format.schema import schema_text, shipped_path

SHIPPED_PLANS = Path(__file__).resolve().parent.parent.parent / "plans"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<target>\S+)$")


@pytest.mark.parametrize("kind", ["plan", "theme"])
def test_shipped_schema_is_what_the_models_generate(kind: str) -> None:
    # If this fails after a change to bvplan/format/model.py: bvplan schema KIND > bvplan/schemas/KIND.schema.json
    assert shipped_path(kind).read_text() == schema_text(kind)


@pytest.mark.parametrize("kind", ["plan", "theme"])
def test_schema_command_prints_the_shipped_schema(kind: str, run_main) -> None:
    result = run_main("schema", kind)

    assert result.returncode == 0
    assert result.stdout == shipped_path(kind).read_text()
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["additionalProperties"] is False


def test_schema_describes_the_format() -> None:
    plan = json.loads(schema_text("plan"))
    theme = json.loads(schema_text("theme"))

    assert set(plan["required"]) == {"id", "title", "authority", "board", "start", "end", "cadence"}
    assert plan["properties"]["start"]["format"] == "date"
    assert plan["properties"]["cadence"]["enum"] == ["quarterly", "six-monthly"]
    assert set(theme["required"]) == {"theme", "actions"}
    milestone = theme["$defs"]["Milestone"]
    assert {"id", "title", "due", "revisions", "completed", "cancelled", "notes", "carried_from", "start"} <= set(
        milestone["properties"]
    )
    assert set(theme["$defs"]["Revision"]["required"]) == {"to", "reason", "proposed"}


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_PLANS.glob("*/*.yaml"))


@pytest.mark.skipif(not shipped_files(), reason="no shipped plans")
@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_shipped_plan_files_point_editors_at_the_schema(path: Path) -> None:
    first = path.read_text().splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path}: the first line should be a yaml-language-server modeline"
    kind = "plan" if path.name == "plan.yaml" else "theme"
    target = (path.parent / match["target"]).resolve()
    assert target == shipped_path(kind).resolve()
