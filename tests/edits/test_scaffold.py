"""`bvplan init`: the scaffold validates, teaches the format and refuses to overwrite.

Its pre-commit hook and CI workflow, run for real, are in tests/e2e/test_init_repository.py."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bvplan import __version__
from bvplan.edits.scaffold import WouldOverwrite, default_settings, install_spec, scaffold_files, write_new_files
from bvplan.format.periods import financial_year_of, year_label
from tests.conftest import REPO, RunMain

VENV_BIN = Path(sys.executable).parent
PLAN_ID = "bvip-demo"
EXPECTED_FILES = [
    ".github/workflows/plans.yml",
    ".pre-commit-config.yaml",
    f"plans/{PLAN_ID}/governance.yaml",
    f"plans/{PLAN_ID}/plan.yaml",
    "schemas/plan.schema.json",
    "schemas/theme.schema.json",
]


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts)


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


def tool_env(tmp_path: Path) -> dict[str, str]:
    """bvplan (and pre-commit) from this venv first on PATH, git isolated from the user's configuration."""
    return {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "NO_COLOR": "1",
    }


@pytest.fixture
def scaffold(run_main: RunMain, tmp_path: Path) -> Path:
    root = tmp_path / "council-plans"
    result = run_main("init", root, "--plan-id", PLAN_ID, "--authority", 'London Borough of "Example": Town Hall')
    assert result.returncode == 0, result.stderr
    return root


def init_repo(root: Path, env: dict[str, str]) -> None:
    for args in (
        ("init", "-q", "-b", "main"),
        ("config", "user.name", "Policy Officer"),
        ("config", "user.email", "policy@example.org"),
        ("config", "commit.gpgsign", "false"),
    ):
        assert git(root, *args, env=env).returncode == 0


def test_the_scaffold_is_a_valid_plan(run_main: RunMain, scaffold: Path) -> None:
    assert tree(scaffold) == EXPECTED_FILES
    result = run_main("validate", "--strict", cwd=scaffold)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "2 files checked: no problems."
    plan = load_yaml(scaffold / f"plans/{PLAN_ID}/plan.yaml")
    assert plan["authority"] == 'London Borough of "Example": Town Hall'
    year = financial_year_of(dt.date.today())
    assert plan["start"] == dt.date(year, 4, 1) and plan["end"] == dt.date(year + 1, 3, 31)
    assert plan["title"] == f"Best Value Improvement Plan {year_label(year)}"
    status = run_main("status", "--as-of", f"{year_label(year)} q1", "--format", "json", cwd=scaffold)
    assert status.returncode == 0, status.stderr


def test_the_files_teach_the_format(scaffold: Path) -> None:
    plan_text = (scaffold / f"plans/{PLAN_ID}/plan.yaml").read_text(encoding="utf-8")
    theme_text = (scaffold / f"plans/{PLAN_ID}/governance.yaml").read_text(encoding="utf-8")
    assert plan_text.startswith("# yaml-language-server: $schema=../../schemas/plan.schema.json\n")
    assert theme_text.startswith("# yaml-language-server: $schema=../../schemas/theme.schema.json\n")
    # The modelines point at files the scaffold wrote, holding the schema this bvplan generates.
    from bvplan.format.schema import schema_text

    assert (scaffold / "schemas/plan.schema.json").read_text(encoding="utf-8") == schema_text("plan")
    for key in ("id:", "title:", "authority:", "board:", "start:", "end:", "cadence:", "themes:", "meetings:"):
        line = next(i for i, text in enumerate(plan_text.splitlines()) if text.startswith(key))
        assert plan_text.splitlines()[line - 1].startswith("#"), f"{key} has no comment above it"
    for key in ("revisions:", "completed:", "notes:", "cancelled:", "updates:", "carried_from:", "exempt:"):
        assert key in theme_text


def test_a_six_monthly_plan_for_a_chosen_year(run_main: RunMain, tmp_path: Path) -> None:
    root = tmp_path / "six"
    result = run_main("init", root, "--year", "2018-19", "--cadence", "six-monthly", "--theme", "Property & Assets")
    assert result.returncode == 0, result.stderr
    assert (root / "plans/bvip-2018-19/property-assets.yaml").is_file()
    checked = run_main("validate", "--strict", cwd=root)
    assert checked.returncode == 0, checked.stdout
    assert "period: 2018-19 H1" in (root / "plans/bvip-2018-19/plan.yaml").read_text(encoding="utf-8")


def test_refuses_to_overwrite_anything(run_main: RunMain, scaffold: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    (target / ".github/workflows").mkdir(parents=True)
    mine = b"# the council's own workflow\n"
    (target / ".github/workflows/plans.yml").write_bytes(mine)
    (target / "notes.txt").write_bytes(b"kept")
    result = run_main("init", target, "--plan-id", PLAN_ID)
    assert result.returncode == 2
    assert "exist already, so nothing was written" in result.stderr
    assert ".github/workflows/plans.yml" in result.stderr
    assert tree(target) == [".github/workflows/plans.yml", "notes.txt"]
    assert (target / ".github/workflows/plans.yml").read_bytes() == mine
    before = {name: (scaffold / name).read_bytes() for name in EXPECTED_FILES}
    again = run_main("init", scaffold, "--plan-id", PLAN_ID)
    assert again.returncode == 2
    assert all(name in again.stderr for name in EXPECTED_FILES)
    assert {name: (scaffold / name).read_bytes() for name in EXPECTED_FILES} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--plan-id", "BVIP 2018"], "--plan-id 'BVIP 2018'"),
        (["--year", "2018-20"], "write the financial year like 2018-19"),
        (["--authority", "  "], "--authority cannot be empty"),
    ],
)
def test_bad_arguments(run_main: RunMain, tmp_path: Path, args: list[str], message: str) -> None:
    result = run_main("init", tmp_path / "x", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_file_in_place_of_the_folder(run_main: RunMain, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_main("init", tmp_path / "file")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_the_pinned_hook_form_names_the_shipped_hook(run_main: RunMain, tmp_path: Path) -> None:
    root = tmp_path / "pinned"
    url = "https://git.example.org/council/bvplan"
    assert run_main("init", root, "--hook-repo", url).returncode == 0
    config = load_yaml(root / ".pre-commit-config.yaml")
    shipped = load_yaml(REPO / ".pre-commit-hooks.yaml")
    assert config == {"repos": [{"repo": url, "rev": f"v{__version__}", "hooks": [{"id": shipped[0]["id"]}]}]}


# ---- the scaffold, made directly ------------------------------------------------------------------


def test_the_files_of_a_new_repository_and_what_ci_installs() -> None:
    settings = default_settings(2018)
    assert (settings.plan_id, settings.title) == ("bvip-2018-19", "Best Value Improvement Plan 2018-19")
    assert sorted(str(path) for path in scaffold_files(settings)) == [
        ".github/workflows/plans.yml",
        ".pre-commit-config.yaml",
        "plans/bvip-2018-19/governance.yaml",
        "plans/bvip-2018-19/plan.yaml",
        "schemas/plan.schema.json",
        "schemas/theme.schema.json",
    ]
    assert install_spec(None, "bvplan==1.0") == "bvplan==1.0"
    assert (
        install_spec("https://git.example.org/c/bvplan", None) == f"git+https://git.example.org/c/bvplan@v{__version__}"
    )
    assert install_spec(None, None) is None


def test_writing_new_files_writes_all_or_none(tmp_path: Path) -> None:
    files = scaffold_files(default_settings(2018))
    root = tmp_path / "council"
    (root / "plans").mkdir(parents=True)
    (root / ".pre-commit-config.yaml").write_text("mine\n")
    with pytest.raises(WouldOverwrite) as refused:
        write_new_files(root, files)
    assert refused.value.existing == [root / ".pre-commit-config.yaml"]
    assert tree(root) == [".pre-commit-config.yaml"]
    written = write_new_files(tmp_path / "fresh", files)
    assert sorted(p.relative_to(tmp_path / "fresh").as_posix() for p in written) == sorted(map(str, files))
