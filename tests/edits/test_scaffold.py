"""`bvplan init`: the scaffold validates, refuses to overwrite, and its pre-commit hook and CI workflow really run."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from bvplan import __version__
from bvplan.format.periods import financial_year_of, year_label
from tests.conftest import REPO, RunCli

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
def scaffold(run_cli: RunCli, tmp_path: Path) -> Path:
    root = tmp_path / "council-plans"
    result = run_cli("init", root, "--plan-id", PLAN_ID, "--authority", 'London Borough of "Example": Town Hall')
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


def test_the_scaffold_is_a_valid_plan(run_cli: RunCli, scaffold: Path) -> None:
    assert tree(scaffold) == EXPECTED_FILES
    result = run_cli("validate", "--strict", cwd=scaffold)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "2 files checked: no problems."
    plan = load_yaml(scaffold / f"plans/{PLAN_ID}/plan.yaml")
    assert plan["authority"] == 'London Borough of "Example": Town Hall'
    year = financial_year_of(dt.date.today())
    assert plan["start"] == dt.date(year, 4, 1) and plan["end"] == dt.date(year + 1, 3, 31)
    assert plan["title"] == f"Best Value Improvement Plan {year_label(year)}"
    status = run_cli("status", "--as-of", f"{year_label(year)} q1", "--format", "json", cwd=scaffold)
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


def test_a_six_monthly_plan_for_a_chosen_year(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "six"
    result = run_cli("init", root, "--year", "2018-19", "--cadence", "six-monthly", "--theme", "Property & Assets")
    assert result.returncode == 0, result.stderr
    assert (root / "plans/bvip-2018-19/property-assets.yaml").is_file()
    checked = run_cli("validate", "--strict", cwd=root)
    assert checked.returncode == 0, checked.stdout
    assert "period: 2018-19 H1" in (root / "plans/bvip-2018-19/plan.yaml").read_text(encoding="utf-8")


def test_refuses_to_overwrite_anything(run_cli: RunCli, scaffold: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    (target / ".github/workflows").mkdir(parents=True)
    mine = b"# the council's own workflow\n"
    (target / ".github/workflows/plans.yml").write_bytes(mine)
    (target / "notes.txt").write_bytes(b"kept")
    result = run_cli("init", target, "--plan-id", PLAN_ID)
    assert result.returncode == 2
    assert "exist already, so nothing was written" in result.stderr
    assert ".github/workflows/plans.yml" in result.stderr
    assert tree(target) == [".github/workflows/plans.yml", "notes.txt"]
    assert (target / ".github/workflows/plans.yml").read_bytes() == mine
    before = {name: (scaffold / name).read_bytes() for name in EXPECTED_FILES}
    again = run_cli("init", scaffold, "--plan-id", PLAN_ID)
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
def test_bad_arguments(run_cli: RunCli, tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("init", tmp_path / "x", *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_file_in_place_of_the_folder(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run_cli("init", tmp_path / "file")
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_the_pinned_hook_form_names_the_shipped_hook(run_cli: RunCli, tmp_path: Path) -> None:
    root = tmp_path / "pinned"
    url = "https://git.example.org/council/bvplan"
    assert run_cli("init", root, "--hook-repo", url).returncode == 0
    config = load_yaml(root / ".pre-commit-config.yaml")
    shipped = load_yaml(REPO / ".pre-commit-hooks.yaml")
    assert config == {"repos": [{"repo": url, "rev": f"v{__version__}", "hooks": [{"id": shipped[0]["id"]}]}]}


@pytest.mark.slow
def test_the_pre_commit_hook_runs_for_real(scaffold: Path, tmp_path: Path) -> None:
    """The scaffold's own .pre-commit-config.yaml, unmodified: its `repo: local` hook runs the bvplan on PATH."""
    env = tool_env(tmp_path)
    config = load_yaml(scaffold / ".pre-commit-config.yaml")
    shipped = load_yaml(REPO / ".pre-commit-hooks.yaml")[0]
    hook = config["repos"][0]["hooks"][0]
    assert {k: hook[k] for k in ("id", "entry", "files")} == {k: shipped[k] for k in ("id", "entry", "files")}
    init_repo(scaffold, env)
    installed = subprocess.run(
        [str(VENV_BIN / "pre-commit"), "install"], cwd=scaffold, env=env, capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    assert git(scaffold, "add", "-A", env=env).returncode == 0
    good = git(scaffold, "commit", "-m", "Start the plan", env=env)
    assert good.returncode == 0, good.stdout + good.stderr
    assert "bvplan validate" in good.stdout + good.stderr and "Passed" in good.stdout + good.stderr

    theme = scaffold / f"plans/{PLAN_ID}/governance.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("    owner:", "    ownr:", 1), encoding="utf-8")
    assert git(scaffold, "add", "-A", env=env).returncode == 0
    bad = git(scaffold, "commit", "-m", "A typo", env=env)
    output = bad.stdout + bad.stderr
    assert bad.returncode != 0, output
    assert "Failed" in output
    line = next(n for n, text in enumerate(theme.read_text().splitlines(), 1) if "ownr:" in text)
    assert f"plans/{PLAN_ID}/governance.yaml:{line}:5: error[BV201]: unknown key 'ownr'" in output
    assert git(scaffold, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1"


def test_the_workflow_passes_actionlint(scaffold: Path) -> None:
    actionlint = shutil.which("actionlint", path=str(VENV_BIN)) or shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (the test extra installs it)")
    result = subprocess.run(
        [actionlint, "-no-color", ".github/workflows/plans.yml"], cwd=scaffold, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def run_step(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # GitHub runs `run:` steps with this shell on Linux runners.
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.slow
def test_the_workflow_steps_run_locally(scaffold: Path, tmp_path: Path) -> None:
    """Each `run:` step, as a pull request would run it, with bvplan from this venv in place of the install step."""
    env = tool_env(tmp_path)
    init_repo(scaffold, env)
    assert git(scaffold, "add", "-A", env=env).returncode == 0
    assert git(scaffold, "commit", "-q", "-m", "Start the plan", env=env).returncode == 0
    # The pull request's base branch as actions/checkout with fetch-depth 0 leaves it.
    assert git(scaffold, "update-ref", "refs/remotes/origin/main", "HEAD", env=env).returncode == 0
    theme = scaffold / f"plans/{PLAN_ID}/governance.yaml"
    year = financial_year_of(dt.date.today())
    theme.write_text(
        theme.read_text(encoding="utf-8").replace(
            f"        due: {year}-09-30\n", f"        due: {year}-09-30\n        completed: {year}-09-20\n"
        ),
        encoding="utf-8",
    )
    assert git(scaffold, "commit", "-q", "-am", "G1.2 done", env=env).returncode == 0

    workflow = load_yaml(scaffold / ".github/workflows/plans.yml")
    assert workflow["on"] == {"pull_request": None, "workflow_dispatch": None}
    summary = tmp_path / "step-summary.md"
    step_env = {
        **env,
        **{k: str(v) for k, v in workflow["env"].items()},
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    steps = workflow["jobs"]["plans"]["steps"]
    assert [s.get("uses", "").split("@")[0] for s in steps if "uses" in s] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-artifact",
    ]
    ran = []
    for step in steps:
        if "uses" in step:
            continue  # GitHub's own actions: checkout, Python, artifact upload
        if step["name"] == "Install bvplan":
            assert step["run"].endswith('python -m pip install "$BVPLAN"\n')
            continue  # installs the released bvplan; this test runs the one under test instead
        if "if" in step:
            assert step["if"] == "github.event_name == 'pull_request'"
        result = run_step(step["run"], scaffold, step_env)
        assert result.returncode == 0, f"{step['name']}: {result.stdout}{result.stderr}"
        ran.append(step["name"])
    assert ran == ["Validate the plans", "List what this pull request changes", "Build this quarter's board paper"]

    written = summary.read_text(encoding="utf-8")
    assert "### Milestones completed (1)" in written
    assert "| Governance | G1.2 | Full Council agrees the revised constitution |" in written
    today = dt.date.today().isoformat()
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    artifact = scaffold / upload["with"]["path"]
    assert sorted(p.name for p in artifact.iterdir()) == [f"{PLAN_ID}-{today}.html", f"{PLAN_ID}-{today}.md"]
    assert (artifact / f"{PLAN_ID}-{today}.md").stat().st_size > 0

    # A mistake in a plan fails the validate step with an annotation on the line.
    theme.write_text(theme.read_text(encoding="utf-8").replace("    owner:", "    ownr:", 1), encoding="utf-8")
    validate = next(s for s in steps if s.get("name") == "Validate the plans")
    failed = run_step(validate["run"], scaffold, step_env)
    assert failed.returncode == 1
    assert f"::error file=plans/{PLAN_ID}/governance.yaml,line=" in failed.stdout
    assert "title=BV201 unknown-key::unknown key 'ownr'" in failed.stdout
