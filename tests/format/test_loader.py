"""What the loader reads, and what a path given to bvplan is about.

Listing: each parent folder is listed once, however many of its plans are named (it was listed once
per plan: quadratic). Reading: a file or one plan's folder reads its siblings only as far as
references need (their plan.yaml; theme files only of the plans `carried_from` names), and gives the
same diagnostics as reading every sibling in full. Scope: one plan's folder means that plan alone
for every command; its siblings resolve references and are never reported, edited, or blocking.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from bvplan.format import loader
from bvplan.rules.validation import validate
from tests.conftest import SHIPPED_PLANS, RunMain


def _tiny_plan(folder: Path, plan_id: str, extra: str = "", theme: str | None = None) -> None:
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        f"id: {plan_id}\ntitle: Plan {plan_id}\nauthority: Test Council\nboard: Test Board\n"
        f"start: 2018-04-01\nend: 2019-03-31\ncadence: quarterly\n{extra}",
        encoding="utf-8",
    )
    (folder / "grants.yaml").write_text(
        theme
        or (
            "theme: Grants\nactions:\n  - id: G1\n    title: Grants action\n    milestones:\n"
            "      - id: G1.1\n        title: First\n        due: 2018-09-30\n"
        ),
        encoding="utf-8",
    )


def _shown(diagnostics: list[loader.Diagnostic]) -> list[str]:
    return [f"{d.path}:{d.span.line if d.span else ''} {d.code} {d.message} | {d.hint}" for d in diagnostics]


def test_each_parent_folder_is_listed_once_however_many_plans_are_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    for index in range(40):
        _tiny_plan(plans / f"p{index:02}", f"p{index:02}")
    listed: list[Path] = []
    original = loader._plan_folders_under

    def counting(root: Path) -> list[Path]:
        listed.append(root)
        return original(root)

    monkeypatch.setattr(loader, "_plan_folders_under", counting)
    every_folder = sorted(p for p in plans.iterdir())
    loaded = loader.load(every_folder)
    assert len(loaded.workspace.plans) == 40
    assert listed == [plans]  # once, not once per plan
    listed.clear()
    loader.load([plans])
    assert len(listed) <= 2  # the plans folder when named, and as the parent of its plans


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original = loader.read_plan_bytes

    def recording(path: Path) -> bytes:
        read.append(f"{path.parent.name}/{path.name}")
        return original(path)

    monkeypatch.setattr(loader, "read_plan_bytes", recording)
    return read


def _folder_with_siblings(tmp_path: Path) -> Path:
    """Plan `hp` carries from `old`; `other` is neither named nor sound; `twin` repeats hp's id."""
    plans = tmp_path / "plans"
    _tiny_plan(plans / "old", "old")
    _tiny_plan(
        plans / "hp",
        "hp",
        "carried_from: old\n",
        "theme: Grants\nactions:\n  - id: G1\n    title: Carried\n    carried_from: old/G1\n    milestones:\n"
        "      - id: G1.1\n        title: First\n        due: 2018-09-30\n        carried_from: old/G1.2\n"
        "      - id: G1.2\n        title: Second\n        due: 2018-10-30\n        carried_from: gone/X1\n",
    )
    _tiny_plan(plans / "other", "other", theme="theme: [unclosed\n")
    _tiny_plan(plans / "twin", "hp")
    for index in range(5):
        _tiny_plan(plans / f"z{index}", f"z{index}")
    return plans


def test_one_file_reads_sibling_themes_only_of_the_plans_it_references(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = _folder_with_siblings(tmp_path)
    read = _reads(monkeypatch)
    loaded = validate([plans / "hp" / "grants.yaml"])
    assert sorted(read) == sorted(
        ["hp/plan.yaml", "hp/grants.yaml", "old/plan.yaml", "old/grants.yaml", "other/plan.yaml", "twin/plan.yaml"]
        + [f"z{index}/plan.yaml" for index in range(5)]
    )
    assert [p.id for p in loaded.workspace.plans] == ["hp"]
    assert "other" in loaded.workspace.known_ids


def _full_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loader as it was: every sibling read in full, whatever the references."""
    monkeypatch.setattr(loader, "_referenced_plan_ids", lambda plans: _Everything())


class _Everything(set[str]):
    def __contains__(self, item: object) -> bool:
        return True


def test_one_file_gets_the_same_diagnostics_as_reading_every_sibling_in_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = _folder_with_siblings(tmp_path)
    target = [plans / "hp" / "grants.yaml"]
    lazily = validate(target)
    assert {d.code for d in lazily.report.diagnostics} == {"BV306"}  # the unknown milestone and plan
    with monkeypatch.context() as patch:
        _full_read(patch)
        fully = validate(target)
    assert _shown(lazily.report.sorted()) == _shown(fully.report.sorted())
    assert lazily.report.files_checked == fully.report.files_checked


@pytest.mark.parametrize(
    "file", sorted(str(p.relative_to(SHIPPED_PLANS)) for p in SHIPPED_PLANS.rglob("*.yaml")), ids=str
)
def test_every_shipped_file_checks_alone_as_it_does_with_every_sibling_read(
    file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED_PLANS, plans)
    # Damage a reference, so that the comparison covers a diagnostic that needs a sibling's ids.
    communications = plans / "bvip-2018-19" / "communications.yaml"
    communications.write_text(
        communications.read_text(encoding="utf-8").replace("bvip-2017-18/CO5.3", "bvip-2017-18/CO5.9"),
        encoding="utf-8",
    )
    lazily = validate([plans / file])
    with monkeypatch.context() as patch:
        _full_read(patch)
        fully = validate([plans / file])
    assert _shown(lazily.report.sorted()) == _shown(fully.report.sorted())
    if file.startswith("bvip-2018-19"):
        assert any(d.code == "BV306" for d in lazily.report.diagnostics)


# --- one plan's folder means that plan alone ------------------------------------------------------


@pytest.fixture
def broken_sibling(plans_copy: Path) -> Path:
    """The shipped plans, with a sibling `other` live at the same time as bvip-2018-19, and broken."""
    other = plans_copy / "other"
    shutil.copytree(plans_copy / "bvip-2018-19", other)
    plan = other / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("id: bvip-2018-19", "id: other"), encoding="utf-8")
    grants = other / "grants.yaml"
    grants.write_text(grants.read_text(encoding="utf-8") + "\nunknown_key: 1\n", encoding="utf-8")
    return plans_copy


def test_status_of_one_plan_folder_reports_that_plan_alone_and_ignores_sibling_errors(
    broken_sibling: Path, run_main: RunMain
) -> None:
    whole = run_main("status", "--as-of", "2018-06-30", "--format", "csv", "--plans", broken_sibling)
    assert whole.returncode == 1  # the plans folder: every plan is checked
    one = run_main("status", "--as-of", "2018-06-30", "--format", "csv", "--plans", broken_sibling / "bvip-2018-19")
    assert one.returncode == 0, one.stderr
    plans_listed = {line.split(",", 1)[0] for line in one.stdout.splitlines()[1:]}
    assert plans_listed == {"bvip-2018-19"}  # `other` is live on that date too, and not this command's
    named = run_main("status", "--as-of", "2018-06-30", "--plan", "other", "--plans", broken_sibling / "bvip-2018-19")
    assert named.returncode == 2
    assert "no plan 'other'" in named.stderr


def test_validate_of_one_plan_folder_checks_its_references_but_not_its_siblings(
    broken_sibling: Path, run_main: RunMain
) -> None:
    result = run_main("validate", broken_sibling / "bvip-2018-19")
    assert result.returncode == 0, result.stdout
    assert "other" not in result.stdout
    broken_reference = broken_sibling / "bvip-2018-19" / "communications.yaml"
    text = broken_reference.read_text(encoding="utf-8")
    broken_reference.write_text(text.replace("bvip-2017-18/CO5.3", "bvip-2017-18/CO5.9"), encoding="utf-8")
    result = run_main("validate", broken_sibling / "bvip-2018-19")
    assert result.returncode == 1
    assert "plan 'bvip-2017-18' has no milestone 'CO5.9'" in result.stdout


def test_an_edit_in_one_plan_folder_never_reaches_a_sibling(broken_sibling: Path, run_main: RunMain) -> None:
    before = {p: p.read_bytes() for p in broken_sibling.rglob("*.yaml")}
    sibling_only = "CO2.1"  # a milestone of bvip-2017-18 that bvip-2018-19 does not have
    in_sibling = run_main("complete", sibling_only, "--plans", broken_sibling / "bvip-2018-19", "--on", "2018-06-01")
    assert in_sibling.returncode == 2, in_sibling.stdout + in_sibling.stderr
    assert f"no milestone '{sibling_only}'" in in_sibling.stderr
    named = run_main(
        "complete", f"bvip-2017-18/{sibling_only}", "--plans", broken_sibling / "bvip-2018-19", "--on", "2018-06-01"
    )
    assert named.returncode == 2
    assert "no plan 'bvip-2017-18'" in named.stderr
    assert {p: p.read_bytes() for p in broken_sibling.rglob("*.yaml")} == before


def test_carry_forward_needs_the_plans_folder(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main("carry-forward", "--from", "bvip-2018-19", "--to", "next", "--plans", plans_copy / "bvip-2018-19")
    assert result.returncode == 2
    assert "give the plans folder" in result.stderr
    assert not (plans_copy / "bvip-2018-19" / "next").exists()


def test_a_report_of_one_plan_folder_still_names_the_plan_it_carries_from(plans_copy: Path, run_main: RunMain) -> None:
    whole = run_main("report", "2018-19", "q1", "--plan", "bvip-2018-19", "--plans", plans_copy)
    one = run_main("report", "2018-19", "q1", "--plans", plans_copy / "bvip-2018-19")
    assert whole.returncode == 0 and one.returncode == 0, one.stderr
    assert "Best Value Improvement Plan 2017-18" in one.stdout  # the title of the sibling it carries from
    assert one.stdout == whole.stdout


def test_carry_forward_never_waits_on_a_named_pipe_in_the_plans(plans_copy: Path, run_main: RunMain) -> None:
    """carry-forward checks the plans as they would be after it by reading every file again: a pipe
    there is refused unopened, as the loader refuses it, instead of waiting for a writer forever."""
    os.mkfifo(plans_copy / "bvip-2017-18" / "pipe.yaml")
    result = run_main("carry-forward", "--from", "bvip-2018-19", "--to", "next", "--plans", plans_copy)
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1), result.stderr
    assert not (plans_copy / "next").exists()  # a dry run
