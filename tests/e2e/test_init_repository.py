"""The repository `bvplan init` writes, used for real: its pre-commit hook under the real pre-commit,
its workflow checked by actionlint, and the workflow's shell steps run as a pull request runs them."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from bvplan.format.periods import financial_year_of
from tests.conftest import REPO, RunCli
from tests.edits.test_scaffold import PLAN_ID, VENV_BIN, git, init_repo, load_yaml, tool_env


@pytest.fixture
def scaffold(run_cli: RunCli, tmp_path: Path) -> Path:
    """A repository written by the installed command, as a council starts one."""
    root = tmp_path / "council-plans"
    result = run_cli("init", root, "--plan-id", PLAN_ID, "--authority", 'London Borough of "Example": Town Hall')
    assert result.returncode == 0, result.stderr
    return root


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
    assert workflow["on"] == {"pull_request": None, "push": {"branches": ["main"]}, "workflow_dispatch": None}
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

    # On main, the site job builds the public site into the folder it uploads for GitHub Pages.
    site = workflow["jobs"]["site"]
    assert site["needs"] == "plans" and "refs/heads/main" in site["if"]
    assert [s.get("uses", "").split("@")[0] for s in site["steps"] if "uses" in s] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/upload-pages-artifact",
    ]
    build = next(s for s in site["steps"] if s.get("name") == "Build the public site")
    result = run_step(build["run"], scaffold, {**step_env, "GITHUB_EVENT_NAME": "push"})
    assert result.returncode == 0, result.stdout + result.stderr
    pages = scaffold / next(s for s in site["steps"] if "upload-pages" in s.get("uses", ""))["with"]["path"]
    assert (pages / "index.html").is_file() and (pages / "data/milestones.csv").is_file()

    # A mistake in a plan fails the validate step with an annotation on the line.
    theme.write_text(theme.read_text(encoding="utf-8").replace("    owner:", "    ownr:", 1), encoding="utf-8")
    validate = next(s for s in steps if s.get("name") == "Validate the plans")
    failed = run_step(validate["run"], scaffold, step_env)
    assert failed.returncode == 1
    assert f"::error file=plans/{PLAN_ID}/governance.yaml,line=" in failed.stdout
    assert "title=BV201 unknown-key::unknown key 'ownr'" in failed.stdout
