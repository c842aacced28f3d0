"""Framework packs: the shipped best-value-2024, a council's own packs in plans/frameworks/, and the
checks of what plans say about them (BV420-BV428). Real files, loaded as bvplan loads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bvplan.format.diagnostics import Report, Severity
from bvplan.format.frameworks import SHIPPED_DIR
from bvplan.format.loader import load_frameworks, shipped_frameworks
from bvplan.format.schema import schema_text
from bvplan.format.workspace import Workspace
from bvplan.rules.validation import validate
from tests.conftest import PinToday, RunMain

PLAN = """\
id: demo
title: Demo improvement plan
authority: A borough council
board: Best Value Improvement Board
start: 2025-04-01
end: 2026-03-31
cadence: quarterly
"""

THEME = """\
theme: Governance
actions:
  - id: G1
    title: Strengthen scrutiny
    characteristics: [{characteristic}]
    milestones:
      - id: G1.1
        title: Train every scrutiny member
        due: 2025-06-30
        completed: 2025-06-20
"""

PACK = """\
id: {id}
title: Corporate plan priorities
source: The council's corporate plan 2025-28 (invented for this test)
scale:
  levels:
    - id: behind
      words: Behind plan
      colour: "#FFC7CE"
    - id: on-plan
      words: On plan
      colour: "#C6EFCE"
  good: [on-plan]
themes:
  - id: HOMES
    title: Good homes
    characteristics:
      - id: HOMES1
        text: Council homes meet the decent homes standard
"""


def write(root: Path, plan_extra: str = "", characteristic: str = "G002", packs: dict[str, str] | None = None) -> Path:
    plans = root / "plans"
    (plans / "demo").mkdir(parents=True)
    (plans / "demo" / "plan.yaml").write_text(PLAN + plan_extra)
    (plans / "demo" / "governance.yaml").write_text(THEME.format(characteristic=characteristic))
    for name, text in (packs or {}).items():
        (plans / "frameworks").mkdir(exist_ok=True)
        (plans / "frameworks" / name).write_text(text)
    return plans


def codes(plans: Path) -> list[tuple[str, str]]:
    return [(d.code, d.path) for d in validate([plans]).report.sorted()]


# --- the shipped pack ------------------------------------------------------------------------------------------


def test_best_value_2024_has_the_seven_themes_of_the_guidance() -> None:
    [pack] = [p for p in shipped_frameworks() if p.id == "best-value-2024"]

    assert [t.title for t in pack.model.themes] == [
        "Continuous improvement",
        "Leadership",
        "Governance",
        "Culture",
        "Use of resources",
        "Service delivery",
        "Partnerships and community engagement",
    ]
    prefixes = {t.title: {c.id.rstrip("0123456789") for c in t.characteristics} for t in pack.model.themes}
    assert list(prefixes.values()) == [{"CI"}, {"L"}, {"G"}, {"C"}, {"R"}, {"SD"}, {"PCE"}]
    # Every characteristic and indicator cites the part of the guidance it summarises.
    assert all(c.cites for t in pack.model.themes for c in t.characteristics)
    assert all(i.cites for t in pack.model.themes for i in t.indicators)
    assert all(t.indicators for t in pack.model.themes)
    assert pack.model.date is not None and pack.model.date.isoformat() == "2024-05-08"
    assert "paraphrase" in (pack.model.note or "")
    assert pack.model.scale.good == ["light-green", "green"]


def test_every_shipped_pack_is_valid_and_named_after_its_id() -> None:
    files = sorted(SHIPPED_DIR.glob("*.yaml"))
    report = Report()
    _frameworks, packs = load_frameworks([SHIPPED_DIR], [], report, {})

    assert report.diagnostics == []
    assert [p.id for p in packs] == [f.stem for f in files]
    assert [p.id for p in shipped_frameworks()] == [f.stem for f in files]


def test_the_shipped_pack_ships_in_the_wheel(repo_root: Path) -> None:
    pyproject = (repo_root / "pyproject.toml").read_text()
    assert '"frameworks/*.yaml"' in pyproject


def test_framework_schema_is_shipped_and_describes_the_pack() -> None:
    document = json.loads(schema_text("framework"))
    shipped = (SHIPPED_DIR.parent / "schemas" / "framework.schema.json").read_text()

    assert shipped == schema_text("framework")
    assert set(document["required"]) == {"id", "title", "source", "scale", "themes"}


# --- a council's own packs --------------------------------------------------------------------------------------


def test_a_council_pack_is_found_beside_the_plans_and_not_taken_for_a_plan(tmp_path: Path) -> None:
    plans = write(
        tmp_path,
        "frameworks: [best-value-2024, corporate-plan]\n",
        "HOMES1",
        {"corporate-plan.yaml": PACK.format(id="corporate-plan")},
    )

    loaded = validate([plans])

    assert loaded.report.diagnostics == []
    assert loaded.workspace.ids == ["demo"]
    assert [f.id for f in loaded.workspace.frameworks_of(loaded.workspace.plans[0])] == [
        "best-value-2024",
        "corporate-plan",
    ]
    # plan, theme and the pack
    assert loaded.report.files_checked == 3


def test_a_pack_file_named_alone_is_checked_as_a_pack(tmp_path: Path) -> None:
    plans = write(
        tmp_path,
        packs={"corporate-plan.yaml": PACK.format(id="corporate-plan").replace("good: [on-plan]", "good: [onplan]")},
    )

    by_file = validate([plans / "frameworks" / "corporate-plan.yaml"]).report.sorted()
    by_folder = validate([plans / "frameworks"]).report.sorted()

    assert [(d.code, d.severity) for d in by_file] == [("BV426", Severity.ERROR)]
    assert by_file[0].hint == "did you mean 'on-plan'?"
    assert [d.code for d in by_folder] == ["BV426"]


def test_a_council_pack_with_a_shipped_id_replaces_the_shipped_one(tmp_path: Path) -> None:
    plans = write(
        tmp_path,
        "frameworks: [best-value-2024]\n",
        "HOMES1",
        {"best-value-2024.yaml": PACK.format(id="best-value-2024")},
    )

    loaded = validate([plans])

    assert loaded.report.diagnostics == []
    [framework] = loaded.workspace.frameworks_of(loaded.workspace.plans[0])
    assert not framework.shipped and list(framework.characteristics) == ["HOMES1"]


def test_a_plan_folder_alone_still_finds_the_councils_packs(tmp_path: Path) -> None:
    plans = write(
        tmp_path, "frameworks: [corporate-plan]\n", "HOMES1", {"corporate-plan.yaml": PACK.format(id="corporate-plan")}
    )

    assert validate([plans / "demo"]).report.diagnostics == []


def test_packs_are_not_read_when_no_plan_names_one(tmp_path: Path) -> None:
    plans = write(tmp_path, characteristic="G002")
    (plans / "demo" / "governance.yaml").write_text(THEME.replace("    characteristics: [{characteristic}]\n", ""))

    loaded = validate([plans / "demo"])

    assert loaded.workspace.frameworks == {}
    assert loaded.report.diagnostics == []


# --- what plans say about frameworks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "characteristic", "expected"),
    [
        ("frameworks: [best-value-2024]\n", "G002", []),
        ("frameworks: [best-value-2024]\n", "G02", [("BV421", "plans/demo/governance.yaml")]),
        ("", "G002", [("BV421", "plans/demo/governance.yaml")]),
        (
            "frameworks: [best-value]\n",
            "HOMES1",
            [("BV421", "plans/demo/governance.yaml"), ("BV420", "plans/demo/plan.yaml")],
        ),
    ],
)
def test_characteristics_an_action_serves_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, extra: str, characteristic: str, expected: list[tuple[str, str]]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, extra, characteristic)

    assert codes(Path("plans")) == expected


def test_two_frameworks_of_a_plan_may_not_share_a_characteristic_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    clash = PACK.format(id="peer").replace("HOMES1", "G002")
    write(tmp_path, "frameworks: [best-value-2024, peer]\n", "G002", {"peer.yaml": clash})

    [diagnostic] = validate([Path("plans")]).report.sorted()

    assert diagnostic.code == "BV424"
    assert "in two of the plan's frameworks: best-value-2024 and peer" in diagnostic.message


ASSESSMENT = """\
assessments:
  - characteristic: {characteristic}
    level: {level}
    on: {on}
"""


@pytest.mark.parametrize(
    ("characteristic", "level", "on", "expected", "hint"),
    [
        ("G002", "amber", "2025-07-01", [], None),
        ("G02", "amber", "2025-07-01", ["BV421"], "did you mean 'G002'"),
        ("G002", "Amber", "2025-07-01", ["BV425"], "did you mean 'amber'"),
        ("G002", "amber", "2999-07-01", ["BV427"], "date a rating the day it was given"),
    ],
)
def test_assessments_are_checked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    characteristic: str,
    level: str,
    on: str,
    expected: list[str],
    hint: str | None,
) -> None:
    monkeypatch.chdir(tmp_path)
    extra = "frameworks: [best-value-2024]\n" + ASSESSMENT.format(characteristic=characteristic, level=level, on=on)
    write(tmp_path, extra)

    found = validate([Path("plans")]).report.sorted()

    assert [d.code for d in found] == expected
    if hint:
        assert hint in (found[0].hint or "")


def test_a_good_rating_while_serving_actions_are_overdue_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pin_today: PinToday
) -> None:
    monkeypatch.chdir(tmp_path)
    pin_today("2025-09-01")
    extra = "frameworks: [best-value-2024]\n" + ASSESSMENT.format(characteristic="G002", level="green", on="2025-07-01")
    plans = write(tmp_path, extra)
    theme = plans / "demo" / "governance.yaml"
    theme.write_text(theme.read_text().replace("        completed: 2025-06-20\n", ""))

    [warning] = validate([Path("plans")]).report.sorted()

    assert (warning.code, warning.severity) == ("BV428", Severity.WARNING)
    assert warning.message == "G002 is rated good while the actions serving it slip (overdue: G1)"
    # The same rating not good (amber), or the milestone done: no warning.
    (plans / "demo" / "plan.yaml").write_text(
        (plans / "demo" / "plan.yaml").read_text().replace("level: green", "level: amber")
    )
    assert validate([Path("plans")]).report.sorted() == []


def test_validate_passes_on_the_shipped_plans(repo_root: Path, run_main: RunMain) -> None:
    result = run_main("validate", "plans", cwd=repo_root)

    assert result.returncode == 0, result.stdout


def test_the_pack_checks_read_only_the_councils_packs(tmp_path: Path) -> None:
    from bvplan.format.framework_checks import check_packs
    from bvplan.format.loader import load_frameworks

    folder = tmp_path / "frameworks"
    folder.mkdir()
    (folder / "peer.yaml").write_text(PACK.format(id="peer").replace("good: [on-plan]", "good: [top]"))
    frameworks, packs = load_frameworks([folder], [], Report(), {})

    found = list(check_packs(Workspace(frameworks=frameworks, packs=packs)))
    shipped_only = list(check_packs(Workspace(frameworks={p.id: p for p in shipped_frameworks()})))

    assert [d.code for d in found] == ["BV426"]
    assert shipped_only == []
