"""Everyday use as a new user meets it (issue 12): edits that refuse nonsense, a current plan, help and paths.

Every test runs bvplan's command line in this process on a copy of the shipped plans (or an `init`
repository), with "today" pinned (the `pin_today` fixture) so that the answers do not depend on the
day they run; shell completion runs the installed command, and init's next steps run in a shell.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bvplan.format.yamlsource import parse
from tests.conftest import PinToday, Ran, RunMain
from tests.edits.test_edit_commands import tree
from tests.edits.test_yaml_edit import splice_parts

IN_2018 = "2018-06-30"


def milestone(plans: Path, plan: str, theme: str, item: str) -> dict[str, Any]:
    data = parse((plans / plan / f"{theme}.yaml").read_text(encoding="utf-8"), "t").data
    for action in data["actions"]:
        for found in action["milestones"]:
            if found["id"] == item:
                return dict(found)
    raise AssertionError(f"no {item}")


def status_row(run_main: RunMain, plans: Path, item: str, day: str = "2018-06-30") -> dict[str, Any]:
    result = run_main("status", "--as-of", day, "--format", "json", "--plans", plans)
    assert result.returncode == 0, result.stderr
    rows = [row for p in json.loads(result.stdout)["plans"] for t in p["themes"] for row in t["milestones"]]
    [row] = [r for r in rows if r["milestone"] == item]
    return row


# --- 1. a fact cannot be dated in the future -------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("complete", "PR1.5", "--on", "2018-07-01"),
        ("note", "PR1.5", "later", "--on", "2018-07-01"),
        ("cancel", "PR1.5", "--reason", "r", "--on", "2018-07-01"),
        ("revise", "PR1.5", "--to", "2018-09-30", "--reason", "r", "--proposed", "2018-07-01"),
    ],
)
def test_a_fact_dated_after_today_is_refused(
    plans_copy: Path, run_main: RunMain, pin_today: PinToday, args: tuple[str, ...]
) -> None:
    pin_today(IN_2018)
    before = tree(plans_copy)
    result = run_main(*args, "--plans", plans_copy)
    assert result.returncode == 2, result.stderr
    assert "is after today (2018-06-30): a fact cannot be dated in the future" in result.stderr
    assert tree(plans_copy) == before


def test_validate_makes_a_future_fact_an_error_and_a_future_deadline_fine(
    plans_copy: Path, run_main: RunMain, pin_today: PinToday
) -> None:
    pin_today("2018-09-30")
    assert run_main("complete", "PR1.5", "--on", "2018-09-29", "--plans", plans_copy).returncode == 0
    assert run_main("validate", plans_copy).returncode == 0
    pin_today(IN_2018)
    # The shipped facts are dated up to 2018-06-30; their deadlines run on to 2019 and are no error.
    earlier = run_main("validate", plans_copy)
    assert earlier.returncode == 1
    assert "error[BV320]: a completion dated 2018-09-29, after today (2018-06-30)" in earlier.stdout
    assert earlier.stdout.count("BV320") == 1


# --- 2 and 3. notes in date order; the last written is the latest --------------------------------


def test_notes_are_inserted_in_date_order(plans_copy: Path, run_main: RunMain, pin_today: PinToday) -> None:
    pin_today(IN_2018)
    assert run_main("note", "CO1.3", "a", "--plans", plans_copy).returncode == 0
    result = run_main("note", "CO1.3", "b", "--on", "2018-06-29", "--plans", plans_copy)
    assert result.returncode == 0, result.stderr
    notes = milestone(plans_copy, "bvip-2018-19", "communications", "CO1.3")["notes"]
    assert [(str(n["on"]), n["text"]) for n in notes] == [("2018-06-29", "b"), ("2018-06-30", "a")]
    assert run_main("validate", "--strict", plans_copy).returncode == 0


def test_the_note_written_last_on_a_day_is_the_latest_and_a_duplicate_is_refused(
    plans_copy: Path, run_main: RunMain, pin_today: PinToday
) -> None:
    pin_today(IN_2018)
    args = ("note", "GR4.2", "UPDATED: policy to Cabinet in August", "--on", "2018-06-01", "--plans", plans_copy)
    assert run_main(*args).returncode == 0
    assert status_row(run_main, plans_copy, "GR4.2")["latest_note"] == "UPDATED: policy to Cabinet in August"
    paper = run_main("report", "q1", "--plan", "bvip-2018-19", "--plans", plans_copy)
    assert "UPDATED: policy to Cabinet in August" in paper.stdout
    before = tree(plans_copy)
    again = run_main(*args)
    assert again.returncode == 2
    assert "already has this note on 2018-06-01" in again.stderr
    assert tree(plans_copy) == before


# --- 4 and 5. revisions: no past deadlines; a new proposal supersedes, agreeing one ends the rest -------


def test_stacked_proposals_follow_the_rule(plans_copy: Path, run_main: RunMain, pin_today: PinToday) -> None:
    pin_today(IN_2018)

    def run(*args: str) -> Ran:
        return run_main(*args, "--plans", plans_copy)

    past = run("revise", "PR2.1", "--to", "2018-03-01", "--reason", "x", "--proposed", "2018-06-25")
    assert past.returncode == 2
    assert "--to 2018-03-01 is before the day it is proposed (2018-06-25)" in past.stderr
    assert run("revise", "PR2.1", "--to", "2018-10-31", "--reason", "a", "--proposed", "2018-06-20").returncode == 0
    second = run("revise", "PR2.1", "--to", "2018-11-30", "--reason", "b", "--proposed", "2018-06-25")
    assert second.returncode == 0
    assert "supersedes the proposal of 2018-06-20 (to 2018-10-31)" in second.stderr
    assert status_row(run_main, plans_copy, "PR2.1", "2018-06-26")["proposed_deadline"] == "2018-11-30"
    assert run("agree", "PR2.1", "--on", "2018-06-28").returncode == 0
    again = run("agree", "PR2.1", "--on", "2018-06-29")
    assert again.returncode == 2
    assert "no proposed revision waiting" in again.stderr
    row = status_row(run_main, plans_copy, "PR2.1")
    assert (row["deadline"], row["proposed_deadline"]) == ("2018-11-30", None)
    # Withdrawing: the latest proposal, while it waits; the deadline in force stays.
    assert run("revise", "PR2.1", "--to", "2018-12-31", "--reason", "c", "--proposed", "2018-06-29").returncode == 0
    withdrawn = run("withdraw", "PR2.1", "--reason", "The contractor caught up", "--on", "2018-06-30")
    assert withdrawn.returncode == 0, withdrawn.stderr
    last = milestone(plans_copy, "bvip-2018-19", "property", "PR2.1")["revisions"][-1]
    assert last["withdrawn"] == {"on": parse("d: 2018-06-30", "t").data["d"], "reason": "The contractor caught up"}
    row = status_row(run_main, plans_copy, "PR2.1")
    assert (row["deadline"], row["proposed_deadline"]) == ("2018-11-30", None)
    assert run("agree", "PR2.1").returncode == 2
    assert run_main("validate", "--strict", plans_copy).returncode == 0


# --- 6. a recorded correction ------------------------------------------------------------------------


def test_reopen_records_the_correction_and_its_reason(plans_copy: Path, run_main: RunMain, pin_today: PinToday) -> None:
    pin_today(IN_2018)

    def run(*args: str) -> Ran:
        return run_main(*args, "--plans", plans_copy)

    assert run("complete", "PR1.5", "--on", "2018-06-20").returncode == 0
    twice = run("complete", "PR1.5", "--on", "2018-06-25")
    assert twice.returncode == 2
    assert "'bvplan reopen' it first" in twice.stderr
    assert run("reopen", "PR1.5", "--reason", " ").returncode == 2
    reopened = run("reopen", "PR1.5", "--reason", "Recorded against the wrong milestone")
    assert reopened.returncode == 0, reopened.stderr
    data = milestone(plans_copy, "bvip-2018-19", "property", "PR1.5")
    assert "completed" not in data
    [correction] = data["corrections"]
    assert {k: str(v) for k, v in correction.items()} == {
        "on": "2018-06-30",
        "reopened": "completed",
        "was": "2018-06-20",
        "reason": "Recorded against the wrong milestone",
    }
    assert run("complete", "PR1.5", "--on", "2018-06-25").returncode == 0
    assert run_main("validate", "--strict", plans_copy).returncode == 0
    nothing = run("reopen", "PR1.6", "--reason", "r")
    assert nothing.returncode == 2 and "nothing to reopen" in nothing.stderr


# --- 7. cancel checks its date like complete ---------------------------------------------------------


def test_cancelling_after_the_plan_ended_warns_like_completing(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main(
        "cancel", "bvip-2017-18/OC3.5", "--reason", "Superseded", "--on", "2018-06-30", "--plans", plans_copy
    )
    assert result.returncode == 0, result.stderr
    assert "warning[BV305]: cancellation date 2018-06-30 is outside the plan period" in result.stderr


# --- 8. edits land where a person would put them ----------------------------------------------------


@pytest.fixture
def init_repo(run_main: RunMain, pin_today: PinToday, tmp_path: Path) -> Path:
    pin_today(IN_2018)
    root = tmp_path / "council"
    assert run_main("init", root, "--year", "2018-19").returncode == 0
    return root


def test_edits_in_an_init_repository_go_after_the_templates_comments(
    init_repo: Path, run_main: RunMain, pin_today: PinToday
) -> None:
    theme = init_repo / "plans/bvip-2018-19/governance.yaml"
    before = theme.read_bytes()
    assert run_main("agree", "G1.2", "--on", "2018-06-30", cwd=init_repo).returncode == 0
    agreed = theme.read_bytes()
    inserted = b"            agreed: 2018-06-30\n            by: Best Value Improvement Board\n"
    assert b"            # by: Best Value Improvement Board\n" + inserted in agreed
    assert agreed.replace(inserted, b"", 1) == before
    pin_today("2018-07-02")
    result = run_main("complete", "G1.2", "--on", "2018-07-02", cwd=init_repo)
    assert result.returncode == 0, result.stderr
    removed, inserted = splice_parts(agreed, theme.read_bytes())
    assert (removed, inserted) == (b"", b"        completed: 2018-07-02\n")
    assert b"leave this item out of --public reports\n        completed: 2018-07-02\n" in theme.read_bytes()
    assert run_main("validate", "--strict", cwd=init_repo).returncode == 0


# --- 9. a bare id means the current plan ---------------------------------------------------------------


def test_a_bare_id_means_the_plan_live_on_the_edits_date_and_says_so(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main("complete", "PR1.5", "--on", "2018-04-20", "--plans", plans_copy)
    assert result.returncode == 0, result.stderr
    assert "PR1.5 is bvip-2018-19/PR1.5: the plan live on 2018-04-20; also in bvip-2017-18" in result.stderr
    assert str(milestone(plans_copy, "bvip-2018-19", "property", "PR1.5")["completed"]) == "2018-04-20"


def test_a_closed_plan_is_edited_only_when_named(plans_copy: Path, run_main: RunMain, pin_today: PinToday) -> None:
    pin_today(IN_2018)
    before = tree(plans_copy)
    refused = run_main("cancel", "OC3.5", "--reason", "Superseded", "--plans", plans_copy)
    assert refused.returncode == 2
    assert "OC3.5 is in bvip-2017-18, which closed on 2018-03-31" in refused.stderr
    assert "name it: bvip-2017-18/OC3.5 (or --plan bvip-2017-18)" in refused.stderr
    assert tree(plans_copy) == before
    for named in (("bvip-2017-18/OC3.5",), ("OC3.5", "--plan", "bvip-2017-18")):
        result = run_main("cancel", *named, "--reason", "Superseded", "--dry-run", "--plans", plans_copy)
        assert result.returncode == 0, result.stderr
        assert "cancellation of bvip-2017-18/OC3.5" in result.stderr


def test_report_says_which_plan_it_chose(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main("report", "q1", "--plans", plans_copy)
    assert result.returncode == 0, result.stderr
    assert "reporting 2018-19 Q1 of bvip-2018-19, the plan live on 2018-06-30 (choose another with --plan)" in (
        result.stderr
    )


# --- 13. status --status due-soon, and an empty result says so ------------------------------------------


def test_status_due_soon_and_an_empty_result(plans_copy: Path, run_main: RunMain) -> None:
    data = json.loads(
        run_main(
            "status", "--as-of", "2018-06-30", "--status", "due-soon", "--format", "json", "--plans", plans_copy
        ).stdout
    )
    found = [m for p in data["plans"] for t in p["themes"] for m in t["milestones"]]
    assert found and all(m["due_soon"] and m["status"] == "In Progress" for m in found)
    assert {"PR1.5", "GR4.1"} <= {m["milestone"] for m in found}
    empty = run_main(
        "status", "--as-of", "2018-06-30", "--status", "cancelled", "--theme", "grants", "--plans", plans_copy
    )
    assert empty.returncode == 0
    assert empty.stdout.strip() == "No milestones match on 2018-06-30 in bvip-2018-19."


# --- 14 and 15. help a person reads; completion --------------------------------------------------------


def test_help_lists_commands_in_the_order_of_the_work_uncut_with_readable_metavars(run_main: RunMain) -> None:
    top = run_main("--help", env={"COLUMNS": "100"}).stdout
    listed = top.split("Commands:")[1].splitlines()
    commands = [line.split()[0] for line in listed if line.startswith("  ") and not line.startswith("   ")]
    assert commands[:3] == ["validate", "status", "report"]
    assert commands.index("complete") < commands.index("carry-forward") < commands.index("changes")
    assert commands.index("changes") < commands.index("init")
    assert "..." not in top.split("Commands:")[1]
    for command in ("validate", "status", "report", "complete", "revise", "carry-forward", "changes", "init"):
        text = run_main(command, "--help", env={"COLUMNS": "100"}).stdout
        assert not re.search(r"<(str|path|int|list)|list\[|\{[A-Z]", text, re.IGNORECASE), text
    assert "complete [OPTIONS] ID\n" in run_main("complete", "--help").stdout
    assert "--on DATE" in run_main("complete", "--help").stdout
    assert "report [OPTIONS] PERIOD...\n" in run_main("report", "--help").stdout


def test_shell_completion_of_commands_plans_and_milestones(repo_root: Path, run_main: RunMain) -> None:
    script = Path(sys.executable).parent / "bvplan"  # completion is keyed to the installed command's name

    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_BVPLAN_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        result = subprocess.run([script], env=env, cwd=repo_root, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout.splitlines()

    assert complete("bvplan car") == ["carry-forward"]
    assert complete("bvplan complete PR1.") == ["PR1.1", "PR1.2", "PR1.3", "PR1.4", "PR1.5", "PR1.6", "PR1.7"]
    assert complete("bvplan complete bvip-2018-19/PR1.") == [f"bvip-2018-19/PR1.{i}" for i in range(1, 7)]
    assert complete("bvplan note GR1.1 x --plan bvip-2") == ["bvip-2017-18", "bvip-2018-19"]
    shown = subprocess.run(
        [script, "--show-completion", "bash"], env={**os.environ, "SHELL": "/bin/bash"}, capture_output=True, text=True
    )
    assert shown.returncode == 0 and "_BVPLAN_COMPLETE" in shown.stdout


# --- 17. changes finds the repository from the plans folder ----------------------------------------------


def test_changes_finds_the_repository_from_the_plans_folder(
    plans_copy: Path, run_main: RunMain, tmp_path: Path
) -> None:
    repo = plans_copy.parent
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp_path)}
    for args in (
        ("init", "-q"),
        ("-c", "user.name=t", "-c", "user.email=t@e", "add", "-A"),
        ("-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "plans"),
        ("tag", "board-2018-06-11"),
    ):
        assert subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True).returncode == 0
    assert (
        run_main("note", "bvip-2018-19/PR1.6", "Leases signed", "--on", "2018-06-30", "--plans", plans_copy).returncode
        == 0
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run_main("changes", "--since", "board-2018-06-11", "--plans", plans_copy, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert "Leases signed" in result.stdout


# --- 18 and 19. init's next steps work as printed; the workflow installs from where the council says ------


def test_init_next_steps_work_as_printed(run_main: RunMain, tmp_path: Path) -> None:
    result = run_main("init", "council", "--year", "2018-19", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [step] = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("bvplan validate")]
    assert step == 'bvplan validate && bvplan status --as-of "2018-19 q1"'
    ran = subprocess.run(
        step.replace("bvplan ", f"{sys.executable} -m bvplan "),
        shell=True,
        cwd=tmp_path / "council",
        capture_output=True,
        text=True,
    )
    assert ran.returncode == 0, ran.stderr
    assert "BVPLAN_INSTALL" in result.stdout and "--install SPEC" in result.stdout
    workflow = (tmp_path / "council/.github/workflows/plans.yml").read_text()
    assert "bvplan==" not in workflow
    assert 'BVPLAN: "${{ vars.BVPLAN_INSTALL }}"' in workflow


def test_init_with_a_hook_repo_installs_from_it(run_main: RunMain, tmp_path: Path) -> None:
    url = "https://git.example.org/council/bvplan"
    assert run_main("init", "c", "--hook-repo", url, cwd=tmp_path).returncode == 0
    workflow = (tmp_path / "c/.github/workflows/plans.yml").read_text()
    assert f"vars.BVPLAN_INSTALL || 'git+{url}@v" in workflow


# --- 20. errors in a plan a command does not use do not block it ----------------------------------------


def test_errors_in_another_plan_do_not_block_status_or_report(plans_copy: Path, run_main: RunMain) -> None:
    broken = plans_copy / "bvip-2018-19/grants.yaml"
    broken.write_text(broken.read_text() + "  - broken: [\n")
    for args in (("status", "--as-of", "2018-03-31"), ("report", "q4", "--plan", "bvip-2017-18")):
        result = run_main(*args, "--plans", plans_copy)
        assert result.returncode == 0, result.stderr
        assert "1 error in files this command does not use (" in result.stderr
        assert "bvip-2018-19/grants.yaml" in result.stderr
    used = run_main("status", "--as-of", "2018-06-30", "--plans", plans_copy)
    assert used.returncode == 1
    assert "error[BV102]" in used.stderr


# --- 11 and 12. show, list, search ----------------------------------------------------------------------


def _git(repo: Path, home: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(home),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_show_follows_an_item_back_through_its_plans_with_the_commits(
    plans_copy: Path, run_main: RunMain, pin_today: PinToday, tmp_path: Path
) -> None:
    pin_today(IN_2018)
    repo = plans_copy.parent
    _git(repo, tmp_path, "init", "-q")
    _git(repo, tmp_path, "add", "-A")
    _git(repo, tmp_path, "commit", "-qm", "The plans")
    assert run_main("note", "GR4.1", "Contracts review finished", "--on", "2018-06-30", cwd=repo).returncode == 0
    _git(repo, tmp_path, "commit", "-qam", "GR4.1: contracts review finished")
    result = run_main("show", "GR4.1", cwd=repo)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    # GR4.1 of 2018-19 continues GR6.6 of 2017-18: the older plan comes first.
    assert out.index("bvip-2017-18/GR6.6 (milestone, Grants") < out.index("bvip-2018-19/GR4.1 (milestone, Grants")
    assert "carried from bvip-2017-18/GR6.6" in out
    assert "2018-06-30  note       Contracts review finished" in out
    assert "GR4.1: contracts review finished" in out.split("Commits:")[1]
    assert "note added, 2018-06-30: Contracts review finished" in out
    unknown = run_main("show", "ZZ9", cwd=repo)
    assert unknown.returncode == 2 and "no action or milestone 'ZZ9'" in unknown.stderr


def test_show_outside_git_says_so(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main("show", "bvip-2018-19/PR1", "--plans", plans_copy, cwd=plans_copy.parent)
    assert result.returncode == 0, result.stderr
    assert "bvip-2018-19/PR1 (action, Property" in result.stdout
    assert "PR1.5" in result.stdout
    assert "(No commits shown: " in result.stdout and "is not in a git repository" in result.stdout


def test_list_filters_by_plan_theme_and_owner(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main("list", "--plan", "bvip-2018-19", "--theme", "grants", "--plans", plans_copy)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "bvip-2018-19: Grants"
    assert "  GR1      Review the Third Sector Team" in lines
    assert all("bvip-2017-18" not in line for line in lines)
    nobody = run_main("list", "--owner", "nobody at all", "--plans", plans_copy)
    assert nobody.returncode == 0 and nobody.stdout.strip() == "No actions or milestones match."
    assert run_main("list", "--plan", "nope", "--plans", plans_copy).returncode == 2
    unknown = run_main("list", "--theme", "nope", "--plans", plans_copy)
    assert unknown.returncode == 2 and "no theme 'nope' in the chosen plans; themes: communications" in unknown.stderr


def test_search_finds_milestones_notes_and_updates(plans_copy: Path, run_main: RunMain) -> None:
    result = run_main("search", "INTRANET", "--plans", plans_copy)
    assert result.returncode == 0, result.stderr
    kinds = {line.split(" (", 1)[1].split(",", 1)[0] for line in result.stdout.splitlines()}
    assert {"action", "milestone", "note", "update"} <= kinds
    assert "bvip-2018-19/CO1.4 (milestone, Communications): Launch the new intranet site" in result.stdout
    none = run_main("search", "zebra crossing", "--plans", plans_copy)
    assert none.returncode == 0 and none.stdout.strip() == "Nothing mentions 'zebra crossing'."
