"""`bvplan changes` on real git repositories: a sequence of plan edits committed and tagged as a council would.

Every test runs the CLI in a real process against a repository built in a temporary folder.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Ran, RunMain

PLAN = """\
id: bvip-2018-19
title: Best Value Improvement Plan 2018-19
authority: London Borough of Tower Hamlets
board: Best Value Improvement Board
start: 2018-04-01
end: 2019-03-31
cadence: quarterly
"""

PROPERTY_APRIL = """\
theme: Property
actions:
  - id: PR1
    title: Implement Community Buildings Scheme
    milestones:
      - id: PR1.1
        title: Open the first Community Hub
        due: 2018-04-30
      - id: PR1.2
        title: Open the second Community Hub
        due: 2018-06-30
      - id: PR1.3
        title: Consult on a third hub
        due: 2018-09-30
"""

GRANTS_APRIL = """\
theme: Grants
actions:
  - id: GR1
    title: Review the Third Sector Team
    milestones:
      - id: GR1.1
        title: Consult staff on the restructure
        due: 2018-05-31
"""

PROPERTY_JUNE = """\
theme: Property
actions:
  - id: PR1
    title: Implement Community Buildings Scheme
    milestones:
      - id: PR1.1
        title: Open the first Community Hub
        due: 2018-04-30
        completed: 2018-05-03
      - id: PR1.2
        title: Open the second Community Hub
        due: 2018-06-30
        revisions:
          - to: 2018-10-31
            reason: Raines House is a listed building with a longer lead-in time.
            proposed: 2018-06-11
      - id: PR1.3
        title: Consult on a third hub
        due: 2018-09-30
        cancelled:
          on: 2018-06-05
          reason: Merged into PR1.2.
"""

GRANTS_JUNE = """\
theme: Grants
actions:
  - id: GR1
    title: Review the Third Sector Team
    milestones:
      - id: GR1.1
        title: Consult staff on the restructure
        due: 2018-05-31
        notes:
          - on: 2018-06-01
            text: Consultation launched.
"""

PROPERTY_JULY = """\
theme: Property
actions:
  - id: PR1
    title: Implement Community Buildings Scheme
    milestones:
      - id: PR1.1
        title: Open the first Community Hub
        due: 2018-04-30
        completed: 2018-05-03
      - id: PR1.2
        title: Open the second Community Hub
        due: 2018-06-30
        revisions:
          - to: 2018-10-31
            reason: Raines House is a listed building with a longer lead-in time.
            proposed: 2018-06-11
            agreed: 2018-07-19
            by: Best Value Improvement Board
      - id: PR1.3
        title: Consult on a third hub
        due: 2018-09-30
        cancelled:
          on: 2018-06-05
          reason: Merged into PR1.2.
      - id: PR1.4
        title: Evaluate the first year of the hubs
        due: 2018-12-31
  - id: PR2
    title: Asset Reviews and Service Delivery Plans
    milestones:
      - id: PR2.1
        title: Complete the asset reviews
        due: 2018-09-30
      - id: PR2.2
        title: Agree the service delivery plans
        due: 2018-12-31
"""

GRANTS_JULY = GRANTS_JUNE.replace(
    "        due: 2018-05-31\n", "        due: 2018-05-31\n        completed: 2018-07-02\n"
)

WORKING_TREE_NOTE = """\
        notes:
          - on: 2018-08-01
            text: Survey of hub users designed.
          - on: 2018-08-02
            text: Staffing issue with a named officer.
            exempt: true
"""


def _git(repo: Path, *args: str, when: str = "2018-04-16T10:00:00+01:00") -> str:
    environment = {
        **os.environ,
        "HOME": str(repo.parent),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "TZ": "UTC",
    }
    result = subprocess.run(["git", *args], cwd=repo, env=environment, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def _commit(repo: Path, files: dict[str, str], message: str, when: str, tag: str | None = None) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A", when=when)
    _git(repo, "commit", "-q", "-m", message, when=when)
    if tag:
        _git(repo, "tag", tag, when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A plan repository with three board meetings' worth of edits, each commit tagged."""
    root = tmp_path / "council"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.name", "Policy Officer")
    _git(root, "config", "user.email", "policy@example.org")
    _git(root, "config", "commit.gpgsign", "false")
    folder = "plans/bvip-2018-19/"
    _commit(
        root,
        {folder + "plan.yaml": PLAN, folder + "property.yaml": PROPERTY_APRIL, folder + "grants.yaml": GRANTS_APRIL},
        "Start the 2018-19 plan",
        "2018-04-16T10:00:00+01:00",
        "board-2018-04-16",
    )
    _commit(
        root,
        {folder + "property.yaml": PROPERTY_JUNE, folder + "grants.yaml": GRANTS_JUNE},
        "June board",
        "2018-06-11T09:00:00+01:00",
        "board-2018-06-11",
    )
    _commit(
        root,
        {folder + "property.yaml": PROPERTY_JULY, folder + "grants.yaml": GRANTS_JULY},
        "July board",
        "2018-07-19T17:00:00+01:00",
        "board-2018-07-19",
    )
    return root


def _run(run_main: RunMain, repo: Path, *args: str) -> Ran:
    return run_main("changes", *args, cwd=repo, env={"TZ": "UTC", "HOME": str(repo.parent)})


def _endpoint(repo: Path, name: str) -> dict[str, str]:
    commit = _git(repo, "rev-parse", f"{name}^{{commit}}")
    return {"name": name, "commit": commit, "committed": _git(repo, "show", "-s", "--format=%cI", commit)}


def test_changes_between_the_april_and_june_boards(run_main: RunMain, repo: Path) -> None:
    result = _run(run_main, repo, "--since", "board-2018-04-16", "--until", "board-2018-06-11", "--format", "json")
    assert result.returncode == 0, result.stderr
    plan, property_, grants = "bvip-2018-19", "Property", "Grants"
    assert json.loads(result.stdout) == {
        "since": _endpoint(repo, "board-2018-04-16"),
        "until": _endpoint(repo, "board-2018-06-11"),
        "changes": [
            {
                "kind": "milestone-completed",
                "plan": plan,
                "theme": property_,
                "item_id": "PR1.1",
                "title": "Open the first Community Hub",
                "detail": "on 2018-05-03, 3 days after the deadline 2018-04-30",
            },
            {
                "kind": "milestone-cancelled",
                "plan": plan,
                "theme": property_,
                "item_id": "PR1.3",
                "title": "Consult on a third hub",
                "detail": "on 2018-06-05: Merged into PR1.2.",
            },
            {
                "kind": "deadline-proposed",
                "plan": plan,
                "theme": property_,
                "item_id": "PR1.2",
                "title": "Open the second Community Hub",
                "detail": "2018-06-30 → 2018-10-31, proposed 2018-06-11: "
                "Raines House is a listed building with a longer lead-in time.",
            },
            {
                "kind": "note-added",
                "plan": plan,
                "theme": grants,
                "item_id": "GR1.1",
                "title": "Consult staff on the restructure",
                "detail": "2018-06-01: Consultation launched.",
            },
        ],
    }


def test_changes_between_the_june_and_july_boards(run_main: RunMain, repo: Path) -> None:
    result = _run(run_main, repo, "--since", "board-2018-06-11", "--until", "board-2018-07-19", "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert [(c["kind"], c["item_id"], c["detail"]) for c in changes] == [
        ("milestone-completed", "GR1.1", "on 2018-07-02, 32 days after the deadline 2018-05-31"),
        (
            "deadline-agreed",
            "PR1.2",
            "2018-06-30 → 2018-10-31, agreed 2018-07-19 by Best Value Improvement Board: "
            "Raines House is a listed building with a longer lead-in time.",
        ),
        ("action-added", "PR2", "2 milestones"),
        ("milestone-added", "PR1.4", "due 2018-12-31"),
    ]


def test_a_date_means_the_last_commit_on_or_before_it(run_main: RunMain, repo: Path) -> None:
    # 2018-07-18 falls between the June and July boards: the June commit is the one in force.
    result = _run(run_main, repo, "--since", "2018-07-18", "--until", "2018-07-19", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["since"]["commit"] == _endpoint(repo, "board-2018-06-11")["commit"]
    assert document["until"]["commit"] == _endpoint(repo, "board-2018-07-19")["commit"]
    assert len(document["changes"]) == 4


def test_working_tree_is_the_default_end_and_exempt_notes_stay_out_of_public(run_main: RunMain, repo: Path) -> None:
    theme = repo / "plans/bvip-2018-19/property.yaml"
    theme.write_text(
        PROPERTY_JULY.replace("        due: 2018-12-31\n", "        due: 2018-12-31\n" + WORKING_TREE_NOTE, 1),
        encoding="utf-8",
    )
    result = _run(run_main, repo, "--since", "board-2018-07-19", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["until"] == {"name": "working tree", "commit": None, "committed": None}
    assert [(c["kind"], c["item_id"], c["detail"]) for c in document["changes"]] == [
        ("note-added", "PR1.4", "2018-08-01: Survey of hub users designed."),
        ("note-added", "PR1.4", "2018-08-02: Staffing issue with a named officer."),
    ]
    public = _run(run_main, repo, "--since", "board-2018-07-19", "--format", "json", "--public")
    assert [c["detail"] for c in json.loads(public.stdout)["changes"]] == ["2018-08-01: Survey of hub users designed."]


def test_markdown_and_table_name_both_ends(run_main: RunMain, repo: Path) -> None:
    june = _git(repo, "rev-parse", "--short=7", "board-2018-06-11")
    july = _git(repo, "rev-parse", "--short=7", "board-2018-07-19")
    markdown = _run(
        run_main, repo, "--since", "board-2018-06-11", "--until", "board-2018-07-19", "--format", "markdown"
    )
    assert markdown.returncode == 0, markdown.stderr
    lines = markdown.stdout.splitlines()
    assert lines[0] == f"## Changes from board-2018-06-11 ({june}, 2018-06-11) to board-2018-07-19 ({july}, 2018-07-19)"
    assert "### Revised deadlines agreed (1)" in lines
    assert "| Property | PR2 | Asset Reviews and Service Delivery Plans | 2 milestones |" in lines
    table = _run(run_main, repo, "--since", "board-2018-07-19", "--until", "board-2018-07-19")
    assert table.returncode == 0
    assert "no changes" in table.stdout


def test_the_checkout_is_untouched(run_main: RunMain, repo: Path) -> None:
    theme = repo / "plans/bvip-2018-19/grants.yaml"
    theme.write_text(GRANTS_JULY + "# an edit not yet committed\n", encoding="utf-8")
    files = sorted(p for p in repo.rglob("*") if p.is_file())
    before = {p: p.read_bytes() for p in files}
    status_before = _git(repo, "status", "--porcelain=v1", "--untracked-files=all")
    head_before = _git(repo, "rev-parse", "HEAD")
    result = _run(run_main, repo, "--since", "board-2018-04-16", "--until", "board-2018-06-11")
    assert result.returncode == 0, result.stderr
    result = _run(run_main, repo, "--since", "board-2018-04-16")
    assert result.returncode == 0, result.stderr
    assert sorted(p for p in repo.rglob("*") if p.is_file()) == files
    assert {p: p.read_bytes() for p in files} == before  # .git/index and HEAD included
    assert _git(repo, "status", "--porcelain=v1", "--untracked-files=all") == status_before
    assert _git(repo, "rev-parse", "HEAD") == head_before


def test_one_cat_file_process_reads_every_blob(run_main: RunMain, repo: Path, tmp_path: Path) -> None:
    # A `git` earlier on PATH that logs each call, then runs the real one.
    shims = tmp_path / "shims"
    shims.mkdir()
    log = tmp_path / "git-calls.log"
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    shim = shims / "git"
    shim.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real_git}" "$@"\n', encoding="utf-8")
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    path = f"{shims}{os.pathsep}{os.environ['PATH']}"
    result = run_main(
        "changes", "--since", "board-2018-04-16", "--until", "board-2018-07-19", cwd=repo, env={"PATH": path}
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    # One blob-reading process per revision, for three files each (`--batch-check` only names the plans folder).
    assert sum("--batch" in call.split() for call in calls) == 2
    assert not any(word in call.split() for call in calls for word in ("checkout", "reset", "stash", "switch"))


def test_unknown_revision_is_a_usage_error_with_a_suggestion(run_main: RunMain, repo: Path) -> None:
    result = _run(run_main, repo, "--since", "board-2018-06-12")
    assert result.returncode == 2
    assert "unknown revision 'board-2018-06-12'" in result.stderr
    assert "a tag" in result.stderr and "YYYY-MM-DD" in result.stderr
    assert "did you mean 'board-2018-06-11'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("since", "message"),
    [
        ("2017-01-01", "no commit on or before 2017-01-01: the history starts on 2018-04-16"),
        ("2018-02-30", "'2018-02-30' is not a date; write it as YYYY-MM-DD"),
        ("--help", "is not a revision"),
        ("", "an empty revision"),
    ],
)
def test_revisions_that_name_nothing(run_main: RunMain, repo: Path, since: str, message: str) -> None:
    result = _run(run_main, repo, f"--since={since}")
    assert result.returncode == 2
    assert message in result.stderr


def test_outside_a_git_repository(run_main: RunMain, tmp_path: Path) -> None:
    folder = tmp_path / "not-a-repo"
    (folder / "plans/bvip-2018-19").mkdir(parents=True)
    (folder / "plans/bvip-2018-19/plan.yaml").write_text(PLAN, encoding="utf-8")
    result = run_main("changes", "--since", "HEAD", cwd=folder, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert result.returncode == 2
    assert "is not in a git repository" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_repository_without_commits(run_main: RunMain, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    _git(folder, "init", "-q")
    result = run_main("changes", "--since", "HEAD", cwd=folder)
    assert result.returncode == 2
    assert "no commits yet" in result.stderr


def test_plans_that_do_not_load_at_a_revision(run_main: RunMain, repo: Path) -> None:
    broken = PROPERTY_JULY.replace("        due: 2018-12-31\n", "        deu: 2018-12-31\n")
    _commit(repo, {"plans/bvip-2018-19/property.yaml": broken}, "A typo", "2018-07-20T10:00:00+01:00", "typo")
    result = _run(run_main, repo, "--since", "board-2018-07-19", "--until", "typo")
    assert result.returncode == 1
    assert "typo:plans/bvip-2018-19/property.yaml:27:9: error[BV201]: unknown key 'deu'" in result.stderr
    assert "the plans in typo" in result.stderr


def test_plans_folder_outside_the_repository(run_main: RunMain, repo: Path, tmp_path: Path) -> None:
    result = _run(run_main, repo, "--since", "board-2018-04-16", "--plans", str(tmp_path))
    assert result.returncode == 2
    # The repository is found from the plans folder (wherever the command runs), and this one has none.
    assert "is not in a git repository" in result.stderr


def test_changes_since_for_the_report(repo: Path) -> None:
    from bvplan.git.history import changes_since

    found = changes_since(repo, "board-2018-06-11", "board-2018-07-19")
    assert [(c.kind, c.plan, c.theme, c.item_id) for c in found] == [
        ("milestone-completed", "bvip-2018-19", "Grants", "GR1.1"),
        ("deadline-agreed", "bvip-2018-19", "Property", "PR1.2"),
        ("action-added", "bvip-2018-19", "Property", "PR2"),
        ("milestone-added", "bvip-2018-19", "Property", "PR1.4"),
    ]
    assert found[0].title == "Consult staff on the restructure"


def test_files_and_plan_folders_committed_as_links_read_as_in_the_working_tree(
    run_main: RunMain, tmp_path: Path
) -> None:
    """A theme file and a whole plan folder committed as symbolic links: nothing changed, nothing reported."""
    repo = tmp_path / "linked"
    shared = repo / "shared"
    (shared / "hp2").mkdir(parents=True)
    (repo / "plans/hp").mkdir(parents=True)
    plan = "id: {}\ntitle: A plan\nauthority: A council\nboard: The Board\nstart: 2018-04-01\nend: 2019-03-31\n"
    plan += "cadence: quarterly\n"
    theme = "theme: Grants\nactions:\n  - id: GR1\n    title: Grants\n    milestones:\n"
    theme += "      - {id: GR1.1, title: Report, due: 2018-06-30}\n"
    (repo / "plans/hp/plan.yaml").write_text(plan.format("hp"), encoding="utf-8")
    (shared / "grants.yaml").write_text(theme, encoding="utf-8")
    (repo / "plans/hp/grants.yaml").symlink_to("../../shared/grants.yaml")
    (shared / "hp2/plan.yaml").write_text(plan.format("hp2"), encoding="utf-8")
    (shared / "hp2/grants.yaml").write_text(theme, encoding="utf-8")
    (repo / "plans/hp2").symlink_to("../shared/hp2")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=Officer", "-c", "user.email=o@example.org", "commit", "-q", "-m", "Linked plans")
    result = run_main("changes", "--since", "HEAD", "--format", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["changes"] == []
    # And a real change through the link is seen, so the comparison did read both ends.
    done = theme.replace("due: 2018-06-30}", "due: 2018-06-30, completed: 2018-06-01}")
    for changed in (shared / "grants.yaml", shared / "hp2/grants.yaml"):
        changed.write_text(done, encoding="utf-8")
    moved = run_main("changes", "--since", "HEAD", "--format", "json", cwd=repo)
    kinds = [(c["plan"], c["kind"]) for c in json.loads(moved.stdout)["changes"]]
    assert sorted(kinds) == [("hp", "milestone-completed"), ("hp2", "milestone-completed")]


def test_dubious_ownership_says_what_git_said(run_main: RunMain, tmp_path: Path) -> None:
    """git refusing a repository owned by someone else is reported in git's words, not as 'no repository'."""
    repo = tmp_path / "theirs"
    (repo / "plans").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    shims = tmp_path / "shims"
    shims.mkdir()
    real_git = subprocess.run(["which", "git"], capture_output=True, text=True, check=True).stdout.strip()
    # Make every git call see the repository as another user's: safe.directory allows none.
    (shims / "git").write_text(f'#!/bin/sh\nexec "{real_git}" -c safe.directory= "$@"\n', encoding="utf-8")
    (shims / "git").chmod(0o755)
    environment = {"PATH": f"{shims}{os.pathsep}{os.environ['PATH']}"}
    if os.geteuid() != 0:
        pytest.skip("needs root to chown the repository to another user")
    for path in (repo, repo / ".git"):
        os.chown(path, 12345, 12345)
    result = run_main("changes", "--since", "HEAD", cwd=repo, env=environment)
    assert result.returncode == 2
    assert "dubious ownership" in result.stderr, result.stderr
    assert "not in a git repository" not in result.stderr
