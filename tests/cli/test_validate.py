"""`bvplan validate` as users meet it: real processes on real files, every output format and exit code."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bvplan.format.diagnostic_format import as_github
from bvplan.format.diagnostics import CODES, Report, Span, error
from tests.conftest import REPO, RunMain, run_in_terminal

EXAMPLES = Path(__file__).parent.parent / "examples"
HEADLINE = re.compile(r"^(?P<where>\S[^\s]*?): (?P<severity>error|warning)\[(?P<code>BV\d{3})\]: ")

PLAN = """\
id: {id}
title: Demo improvement plan
authority: A borough council
board: Best Value Improvement Board
start: {start}
end: {end}
cadence: quarterly
"""

THEME = """\
theme: Property
actions:
  - id: PR1
    title: Implement the Community Buildings Scheme
    owner: Director of Property
    milestones:
      - id: PR1.1
        title: Open the second Community Hub
        due: 2018-09-30
"""


def write_plan(
    plans: Path,
    files: dict[str, str],
    plan_id: str = "demo",
    start: str = "2018-04-01",
    end: str = "2019-03-31",
    plan_extra: str = "",
) -> Path:
    folder = plans / plan_id
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(PLAN.format(id=plan_id, start=start, end=end) + plan_extra)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def headlines(output: str) -> list[str]:
    """`path:line:col: severity[CODE]` of every diagnostic in text output, in order."""
    found = []
    for line in output.splitlines():
        match = HEADLINE.match(line)
        if match:
            found.append(f"{match['where']}: {match['severity']}[{match['code']}]")
    return found


# --- one example per code -------------------------------------------------------------------------------------


def example_dirs() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_dir())


def test_every_code_has_exactly_one_example() -> None:
    codes = [p.name.split("-", 1)[0] for p in example_dirs()]
    assert sorted(codes) == sorted(CODES)


def test_example_names_match_code_names() -> None:
    for folder in example_dirs():
        code, name = folder.name.split("-", 1)
        assert CODES[code][0] == name, folder.name


@pytest.mark.parametrize("example", example_dirs(), ids=lambda p: p.name)
def test_example_triggers_its_code_at_the_expected_place(example: Path, run_main) -> None:
    code = example.name.split("-", 1)[0]
    expected = (example / "expected.txt").read_text().splitlines()
    args_file = example / "args.txt"
    args = args_file.read_text().split() if args_file.exists() else ["plans"]

    result = run_main("validate", *args, cwd=example)

    assert "Traceback" not in result.stderr
    assert headlines(result.stdout) == expected
    assert {line.rsplit("[", 1)[1].rstrip("]") for line in expected} == {code}
    has_errors = any(": error[" in line for line in expected)
    assert result.returncode == (1 if has_errors else 0), result.stdout + result.stderr
    if not has_errors:
        assert run_main("validate", "--strict", *args, cwd=example).returncode == 1

    # The JSON output places each problem exactly where the text output does.
    document = json.loads(run_main("validate", "--format", "json", *args, cwd=example).stdout)
    from_json = [
        (f"{d['path']}:{d['line']}:{d['column']}" if d["line"] else d["path"]) + f": {d['severity']}[{d['code']}]"
        for d in document["diagnostics"]
    ]
    assert from_json == expected
    assert all(d["name"] == CODES[code][0] for d in document["diagnostics"])


# --- output formats ---------------------------------------------------------------------------------------------


@pytest.fixture
def typo_tree(tmp_path: Path) -> Path:
    write_plan(tmp_path / "plans", {"property.yaml": THEME.replace("due:", "deu:")})
    return tmp_path


def test_text_shows_location_excerpt_carets_and_hint(typo_tree: Path, run_main) -> None:
    result = run_main("validate", cwd=typo_tree)

    assert result.returncode == 1
    assert (
        "plans/demo/property.yaml:9:9: error[BV201]: unknown key 'deu'\n"
        "  |\n"
        "9 |         deu: 2018-09-30\n"
        "  |         ^^^\n"
        "  = hint: did you mean 'due'?\n"
    ) in result.stdout
    # The key it was meant to be is also missing, and said so at the milestone.
    assert "plans/demo/property.yaml:7:9: error[BV200]: missing required key 'due'" in result.stdout
    assert result.stdout.rstrip().endswith("2 files checked: 2 errors.")
    assert "\x1b[" not in result.stdout


def test_json_lists_every_field(typo_tree: Path, run_main) -> None:
    result = run_main("validate", "--format", "json", cwd=typo_tree)

    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert list(document) == ["files_checked", "errors", "warnings", "diagnostics"]
    assert (document["files_checked"], document["errors"], document["warnings"]) == (2, 2, 0)
    assert document["diagnostics"][1] == {
        "path": "plans/demo/property.yaml",
        "line": 9,
        "column": 9,
        "end_line": 9,
        "end_column": 12,
        "severity": "error",
        "code": "BV201",
        "name": "unknown-key",
        "message": "unknown key 'deu'",
        "hint": "did you mean 'due'?",
    }


def test_github_annotations_are_chosen_under_github_actions(typo_tree: Path, run_main) -> None:
    result = run_main("validate", cwd=typo_tree, env={"GITHUB_ACTIONS": "true"})

    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[1] == (
        "::error file=plans/demo/property.yaml,line=9,col=9,endLine=9,endColumn=12,title=BV201 unknown-key"
        "::unknown key 'deu'%0Ahint: did you mean 'due'?"
    )
    assert lines[-1] == "2 files checked: 2 errors."
    # --format wins over the environment.
    text = run_main("validate", "--format", "text", cwd=typo_tree, env={"GITHUB_ACTIONS": "true"})
    assert not text.stdout.startswith("::")


def test_github_escapes_data_and_properties() -> None:
    report = Report([error("odd:name,1.yaml", Span(3, 5, 3, 9), "BV201", "unknown key '100%'\nsecond line", "a\r")])

    lines = list(as_github(report))

    assert lines[0] == (
        "::error file=odd%3Aname%2C1.yaml,line=3,col=5,endLine=3,endColumn=9,title=BV201 unknown-key"
        "::unknown key '100%25'%0Asecond line%0Ahint: a%0D"
    )


def test_github_file_level_problem_has_no_position(tmp_path: Path, run_main) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": "# nothing yet\n"})

    result = run_main("validate", "--format", "github", cwd=tmp_path)

    assert result.stdout.splitlines()[0].startswith("::error file=plans/demo/property.yaml,title=BV105 empty-file::")


# --- every problem in one run; exit codes -----------------------------------------------------------------------


def test_every_problem_in_every_file_in_one_run(tmp_path: Path, run_main) -> None:
    plans = tmp_path / "plans"
    write_plan(
        plans,
        {
            "property.yaml": THEME.replace("2018-09-30", "2018-02-30") + "        exempt: yes\n",
            "grants.yaml": THEME.replace("Property", "Grants")
            .replace("PR1", "GR1")
            .replace("title: Open", "titel: Open"),
            "finance.yaml": "theme: Finance\nactions:\n  - id: PR1\n    title: [not, text]\n    milestones: []\n",
        },
        plan_extra="cadence: monthly\n",
    )
    write_plan(plans, {"people.yaml": "theme: People\nactions: {}\n"}, plan_id="other")

    result = run_main("validate", cwd=tmp_path)

    assert result.returncode == 1
    assert headlines(result.stdout) == [
        "plans/demo/finance.yaml:4:12: error[BV202]",
        "plans/demo/grants.yaml:7:9: error[BV200]",
        "plans/demo/grants.yaml:8:9: error[BV201]",
        "plans/demo/plan.yaml:8:1: error[BV103]",
        "plans/demo/property.yaml:9:14: error[BV203]",
        "plans/demo/property.yaml:10:17: error[BV204]",
        "plans/other/people.yaml:2:10: error[BV202]",
    ]
    assert result.stdout.rstrip().endswith("6 files checked: 7 errors.")


def test_clean_plans_exit_zero(tmp_path: Path, run_main) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": THEME})

    result = run_main("validate", cwd=tmp_path)

    assert (result.returncode, result.stdout.strip()) == (0, "2 files checked: no problems.")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing"], "bvplan: error: missing: no such file or folder"),
        (["notes.txt"], "bvplan: error: notes.txt: not a YAML file"),
        (["empty"], "bvplan: error: empty: no plans here (a plan is a folder holding plan.yaml)"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_two(tmp_path: Path, run_main, args: list[str], message: str) -> None:
    (tmp_path / "notes.txt").write_text("hello\n")
    (tmp_path / "empty").mkdir()

    result = run_main("validate", *args, cwd=tmp_path)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_default_path_is_plans_folder(tmp_path: Path, run_main) -> None:
    result = run_main("validate", cwd=tmp_path)

    assert result.returncode == 2
    assert "plans: no such file or folder" in result.stderr


def test_warnings_pass_unless_strict(tmp_path: Path, run_main) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": THEME.replace("2018-09-30", "2019-09-30")})

    relaxed = run_main("validate", cwd=tmp_path)
    strict = run_main("validate", "--strict", cwd=tmp_path)

    assert relaxed.returncode == 0
    assert strict.returncode == 1
    for result in (relaxed, strict):
        assert headlines(result.stdout) == ["plans/demo/property.yaml:9:14: warning[BV305]"]
        assert "deadline 2019-09-30 is outside the plan period (2018-04-01 to 2019-03-31)" in result.stdout


def test_completion_outside_period_is_a_warning_too(tmp_path: Path, run_main) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": THEME + "        completed: 2019-04-02\n"})

    result = run_main("validate", cwd=tmp_path)

    assert result.returncode == 0
    assert headlines(result.stdout) == ["plans/demo/property.yaml:10:20: warning[BV305]"]
    assert "completion date 2019-04-02 is outside the plan period" in result.stdout


# --- pre-commit style: file arguments ----------------------------------------------------------------------------


def test_single_theme_file_checks_its_plan_only(tmp_path: Path, run_main) -> None:
    plans = tmp_path / "plans"
    write_plan(plans, {"property.yaml": THEME})
    write_plan(plans, {"property.yaml": THEME.replace("due:", "deu:")}, plan_id="broken")

    good = run_main("validate", "plans/demo/property.yaml", cwd=tmp_path)
    bad = run_main("validate", "plans/broken/property.yaml", cwd=tmp_path)
    both = run_main("validate", "plans/demo/property.yaml", "plans/broken/plan.yaml", cwd=tmp_path)

    assert (good.returncode, good.stdout.strip()) == (0, "2 files checked: no problems.")
    assert bad.returncode == 1
    assert "plans/broken/property.yaml:9:9: error[BV201]: unknown key 'deu'" in bad.stdout
    assert both.returncode == 1
    assert "4 files checked: 2 errors." in both.stdout


def test_file_argument_resolves_references_to_sibling_plans(tmp_path: Path, run_main) -> None:
    plans = tmp_path / "plans"
    write_plan(plans, {"property.yaml": THEME}, plan_id="old", start="2017-04-01", end="2018-03-31")
    write_plan(
        plans,
        {"property.yaml": THEME.replace("    owner:", "    carried_from: old/PR1\n    owner:")},
        plan_extra="carried_from: old\n",
    )

    result = run_main("validate", "plans/demo/property.yaml", cwd=tmp_path)

    assert (result.returncode, result.stdout.strip()) == (0, "2 files checked: no problems.")


def test_stray_yaml_file_outside_a_plan(tmp_path: Path, run_main) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "loose.yml").write_text(THEME)

    result = run_main("validate", "plans/loose.yml", cwd=tmp_path)

    assert result.returncode == 1
    assert headlines(result.stdout) == ["plans/loose.yml: error[BV311]"]


# --- the mistakes the issue names ----------------------------------------------------------------------------------


def check_theme(tmp_path: Path, run_main, theme: str) -> tuple[int, str]:
    write_plan(tmp_path / "plans", {"property.yaml": theme})
    result = run_main("validate", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stdout


@pytest.mark.parametrize(
    ("word", "meant"), [("yes", "true"), ("on", "true"), ("Off", "false"), ("no", "false"), ("y", "true")]
)
def test_yaml11_booleans_are_flagged(tmp_path: Path, run_main, word: str, meant: str) -> None:
    code, out = check_theme(tmp_path, run_main, THEME + f"        exempt: {word}\n")

    assert code == 1
    assert f"plans/demo/property.yaml:10:17: error[BV204]: 'exempt' is '{word}', which YAML tools disagree on" in out
    assert f"hint: write {meant} (YAML 1.1 tools read '{word}' as {meant}; YAML 1.2 reads it as text)" in out


def test_yaml11_boolean_where_a_date_belongs(tmp_path: Path, run_main) -> None:
    code, out = check_theme(tmp_path, run_main, THEME + "        completed: yes\n")

    assert code == 1
    assert "10:20: error[BV204]: 'completed' must be a date, found 'yes' (which YAML 1.1 tools read as true)" in out


def test_yaml11_words_are_fine_as_text(tmp_path: Path, run_main) -> None:
    code, out = check_theme(tmp_path, run_main, THEME.replace("Open the second Community Hub", "No"))

    assert (code, out.strip()) == (0, "2 files checked: no problems.")


def test_quoted_true_is_not_a_boolean(tmp_path: Path, run_main) -> None:
    code, out = check_theme(tmp_path, run_main, THEME + '        exempt: "true"\n')

    assert code == 1
    assert "error[BV202]: 'exempt' must be true or false, found 'true'" in out


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ("2018-02-30", "'due': '2018-02-30' is not a real date", "check the day and month"),
        ("2018-13-01", "'due': '2018-13-01' is not a real date", "check the day and month"),
        ("2018-6-3", "'due': '2018-6-3' is not written YYYY-MM-DD", "two-digit month and day"),
        ("2018-06-30T12:00:00", "is not written YYYY-MM-DD", "two-digit month and day"),
        ("20180930", "'due' must be a date, found the number 20180930", "write a date as YYYY-MM-DD"),
        ("2018", "'due' must be a date, found the number 2018", "write a date as YYYY-MM-DD"),
        ("30/09/2018", "'due' must be a date (YYYY-MM-DD), found '30/09/2018'", "e.g. 2018-06-30"),
        ('"2018-09-30"', "'due' must be a date (YYYY-MM-DD), found '2018-09-30'", "e.g. 2018-06-30"),
    ],
)
def test_bad_dates(tmp_path: Path, run_main, value: str, message: str, hint: str) -> None:
    code, out = check_theme(tmp_path, run_main, THEME.replace("2018-09-30", value))

    assert code == 1
    assert "plans/demo/property.yaml:9:14: error[BV203]: " in out
    assert message in out
    assert hint in out


def test_duplicate_key_names_the_first(tmp_path: Path, run_main) -> None:
    code, out = check_theme(tmp_path, run_main, THEME + "        title: Open the hub again\n")

    assert code == 1
    assert "plans/demo/property.yaml:10:9: error[BV103]: duplicate key 'title' (first given on line 8)" in out


def test_duplicate_key_at_top_of_plan_file(tmp_path: Path, run_main) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": THEME}, plan_extra="title: Again\n")

    result = run_main("validate", cwd=tmp_path)

    assert headlines(result.stdout) == ["plans/demo/plan.yaml:8:1: error[BV103]"]


def test_carried_from_to_missing_plan_action_and_milestone(tmp_path: Path, run_main) -> None:
    plans = tmp_path / "plans"
    write_plan(plans, {"property.yaml": THEME}, plan_id="old", start="2017-04-01", end="2018-03-31")
    theme = THEME.replace("    owner:", "    carried_from: old/PR2\n    owner:") + "        carried_from: gone/PR1.1\n"
    write_plan(plans, {"property.yaml": theme}, plan_extra="carried_from: olde\n")

    result = run_main("validate", "plans/demo", cwd=tmp_path)

    assert result.returncode == 1
    assert headlines(result.stdout) == [
        "plans/demo/plan.yaml:8:15: error[BV306]",
        "plans/demo/property.yaml:5:19: error[BV306]",
        "plans/demo/property.yaml:11:23: error[BV306]",
    ]
    out = result.stdout
    assert "carried_from names plan 'olde', which is not among the plans" in out
    assert "hint: known plans: demo, old" in out
    assert "plan 'old' has no action 'PR2'" in out
    assert "hint: did you mean 'PR1'?" in out
    assert "carried_from names plan 'gone', which is not among the plans" in out


def test_theme_file_that_fails_is_not_also_called_missing(tmp_path: Path, run_main) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": "- a list\n"}, plan_extra="themes: [property]\n")

    result = run_main("validate", cwd=tmp_path)

    assert headlines(result.stdout) == ["plans/demo/property.yaml:1:1: error[BV202]"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\n",
        "[\n",
        "just text\n",
        "42\n",
        "theme: x\nactions:\n  - 7\n",
        "theme: x\nactions:\n  - {id: A, title: t, milestones: [{id: B, title: t, due: 2018-01-01, revisions: [5]}]}\n",
        "theme: x\nactions: []\nupdates: [a]\n",
        "theme: x\nactions: []\nupdates:\n  2018-19 Q1: 3\n",
        "? [a, b]\n: c\n",
        "theme: x\nactions: []\n---\ntheme: y\n",
        "theme: &x x\nactions: *x\n",
        "<<: {theme: x}\nactions: []\n",
        "\ttheme: x\n",
        "theme: x\nactions: []\nexempt: ~\n",
        "theme: x\nactions: []\n1: 2\n",
    ],
)
def test_odd_files_give_diagnostics_not_tracebacks(tmp_path: Path, run_main, text: str) -> None:
    code, out = check_theme(tmp_path, run_main, text)

    assert code == 1
    assert headlines(out)


# --- the documentation of the codes --------------------------------------------------------------------------------


def test_errors_doc_lists_exactly_the_codes() -> None:
    doc = (Path(__file__).parent.parent.parent / "docs" / "errors.md").read_text()
    rows = [line.split(" | ") for line in doc.splitlines() if re.match(r"^\| BV\d{3} \|", line)]

    assert [row[0].lstrip("| ") for row in rows] == list(CODES)
    for code, name, _meaning, example, *_fix in (row for row in rows):
        code = code.lstrip("| ")
        assert name == CODES[code][0]
        [folder] = [p for p in example_dirs() if p.name.startswith(code + "-")]
        first = (folder / "expected.txt").read_text().splitlines()[0]
        assert example.startswith(f"`{first}: "), (code, example)


def test_machine_formats_are_not_wrapped_in_a_terminal(tmp_path: Path) -> None:
    write_plan(tmp_path / "plans", {"property.yaml": THEME.replace("2018-09-30", "2019-09-30")})

    document = json.loads(run_in_terminal(tmp_path, "validate", "--format", "json", columns=50))
    annotations = run_in_terminal(tmp_path, "validate", "--format", "github", columns=50).splitlines()

    assert document["diagnostics"][0]["message"].endswith("outside the plan period (2018-04-01 to 2019-03-31)")
    assert annotations[0].startswith("::warning file=plans/demo/property.yaml,line=9,col=14,")
    assert annotations[0].endswith("%0Ahint: propose a revised date, or check the year")


def test_the_readme_sample_is_what_validate_prints(run_main: RunMain, plans_copy: Path) -> None:
    """The README's sample output under `bvplan validate`: the shipped plans with the first `due:`
    of bvip-2018-19/property.yaml mistyped `deu:`, as its text says."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("### `bvplan validate", 1)[1]
    sample = section.split("```text\n", 1)[1].split("```\n", 1)[0]
    theme = plans_copy / "bvip-2018-19/property.yaml"
    text = theme.read_text(encoding="utf-8")
    theme.write_text(text.replace("\n        due:", "\n        deu:", 1), encoding="utf-8")
    result = run_main("validate", cwd=plans_copy.parent)
    assert result.returncode == 1
    assert result.stdout == sample
