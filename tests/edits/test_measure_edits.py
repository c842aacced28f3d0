"""record, confidence and complete --evidence on copies of the shipped plans; measures and Directions in
status, in the paper and through carry-forward. Real processes on real files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bvplan.edits.measure_edits import parse_value
from bvplan.format.periods import make_period
from bvplan.papers.measure_views import CONFIDENCE_COLUMNS, DIRECTION_COLUMNS, MEASURE_COLUMNS
from bvplan.papers.report import Options, build_paper
from bvplan.papers.trend_chart import sparkline
from bvplan.rules.validation import validate
from tests.conftest import RunMain


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- record ---------------------------------------------------------------------------------------------------


def test_record_appends_an_actual_as_an_exact_splice(plans_copy: Path, run_main: RunMain) -> None:
    theme = plans_copy / "bvip-2017-18" / "communications.yaml"
    before = theme.read_bytes()

    done = run_main(
        "record", "CO-M1", "66%", "--on", "2018-03-31", "--note", "Issue of 29 March", "--plans", plans_copy
    )

    assert done.returncode == 0, done.stderr
    assert "wrote an actual of 66 on 2018-03-31 for bvip-2017-18/CO-M1" in done.stderr
    last = b"        note: Average open rate, including an issue at 73% (002)\n"
    new = b"      - on: 2018-03-31\n        value: 66\n        note: Issue of 29 March\n"
    assert before.count(last) == 1
    assert theme.read_bytes() == before.replace(last, last + new)
    assert run_main("validate", plans_copy).returncode == 0
    # The new actual is the latest known at the year end: status says so.
    status = run_main(
        "status", "--as-of", "2018-03-31", "--plan", "bvip-2017-18", "--format", "csv", "--rows", "measures",
        "--plans", plans_copy,
    )  # fmt: skip
    [row] = [r for r in csv.DictReader(io.StringIO(status.stdout)) if r["measure"] == "CO-M1"]
    assert (row["latest"], row["latest_note"], row["standing"]) == ("66", "Issue of 29 March", "On target")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["CO-M1", "104"], "104 is not a percentage between 0 and 100"),  # validation refuses it
        (["CO-M1", "lots"], "'lots' is not a number"),
        (["CO-M9", "5"], "no measure 'CO-M9'; did you mean"),
        (["CO-M1", "5", "--on", "2018-02-30"], "--on '2018-02-30' is not a date"),
        (["CO-M1", "50", "--on", "2017-01-01"], "before the baseline of 2017-06-30"),
        (["nope/CO-M1", "5"], "no plan 'nope'"),
    ],
)
def test_record_refusals_write_nothing(plans_copy: Path, run_main: RunMain, args: list[str], message: str) -> None:
    before = tree(plans_copy)

    done = run_main("record", *args, "--plans", plans_copy)

    assert done.returncode in (1, 2), done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert tree(plans_copy) == before


def test_record_takes_pounds_with_commas(tmp_path: Path, run_main: RunMain) -> None:
    plans = tmp_path / "plans" / "demo"
    plans.mkdir(parents=True)
    (plans / "plan.yaml").write_text(
        "id: demo\ntitle: Demo\nauthority: A council\nboard: A board\nstart: 2018-04-01\nend: 2019-03-31\n"
        "cadence: quarterly\n"
    )
    (plans / "finance.yaml").write_text(
        "theme: Finance\nactions: []\nmeasures:\n  - id: savings\n    title: Savings delivered\n"
        "    unit: pounds\n    better: higher\n    targets: [{period: 2018-19, value: 1500000}]\n"
    )

    done = run_main("record", "savings", "£1,250,000.50", "--on", "2018-09-30", "--plans", tmp_path / "plans")

    assert done.returncode == 0, done.stderr
    assert "    actuals:\n      - on: 2018-09-30\n        value: 1250000.5\n" in (plans / "finance.yaml").read_text()
    bad = run_main("record", "savings", "10.005", "--on", "2018-09-30", "--plans", tmp_path / "plans")
    assert bad.returncode == 1 and "not a sum of pounds and pence" in bad.stderr


# --- confidence and evidence --------------------------------------------------------------------------------------


def test_confidence_is_recorded_and_high_with_overdue_milestones_is_flagged(
    plans_copy: Path, run_main: RunMain
) -> None:
    done = run_main(
        "confidence", "bvip-2018-19/PR1", "high", "--reason", "The hubs are on schedule", "--on", "2018-06-01",
        "--by", "Director of Property", "--plans", plans_copy,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "+      - level: high" in done.stdout

    status = run_main("status", "--as-of", "2018-06-30", "--format", "json", "--plans", plans_copy)
    [plan] = json.loads(status.stdout)["plans"]
    [pr1] = [c for c in plan["confidence"] if c["action"] == "PR1"]
    assert (pr1["confidence"], pr1["confidence_on"], pr1["overdue"], pr1["optimism_bias"]) == (
        "high",
        "2018-06-01",
        1,
        True,
    )
    [d1] = [d for d in plan["directions"] if d["direction"] == "D2017.1"]
    assert d1["optimism_bias"] == ["PR1"]
    # Before the confidence was given, there is nothing to flag: exact under time travel.
    earlier = run_main(
        "status", "--as-of", "2018-05-31", "--plan", "bvip-2018-19", "--format", "json", "--plans", plans_copy
    )
    [plan] = json.loads(earlier.stdout)["plans"]
    assert not any(c["optimism_bias"] for c in plan["confidence"])
    # The paper shows the confidence beside the RAG, with the red flag.
    paper = run_main("report", "q1", "--plan", "bvip-2018-19", "--format", "md", "--plans", plans_copy)
    assert "### Confidence of delivery" in paper.stdout
    assert "| High (1 Jun 2018, Director of Property)<br>**Red flag: optimism bias**" in paper.stdout


def test_confidence_in_the_future_is_refused(plans_copy: Path, run_main: RunMain) -> None:
    before = tree(plans_copy)

    done = run_main(
        "confidence", "bvip-2018-19/PR1", "low", "--reason", "x", "--on", "2999-01-01", "--plans", plans_copy
    )

    assert done.returncode == 2  # a bad argument, refused before the plans are read, as `note --on` is
    assert "--on 2999-01-01 is after today" in done.stderr
    assert tree(plans_copy) == before


def test_complete_with_evidence_and_require_evidence(plans_copy: Path, run_main: RunMain) -> None:
    plan = plans_copy / "bvip-2018-19" / "plan.yaml"
    plan.write_text(plan.read_text() + "require_evidence: true\n")
    warned = run_main("validate", "--strict", plans_copy)
    assert warned.returncode == 1 and "warning[BV345]" in warned.stdout

    done = run_main(
        "complete", "bvip-2018-19/PR1.4", "--on", "2018-06-20", "--evidence", "https://example.org/cabinet/2018-06",
        "--evidence", "evidence/PR1.4-lease.pdf", "--plans", plans_copy,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    text = (plans_copy / "bvip-2018-19" / "property.yaml").read_text()
    assert (
        "        completed: 2018-06-20\n        evidence:\n          - https://example.org/cabinet/2018-06\n"
        "          - evidence/PR1.4-lease.pdf\n"
    ) in text
    loaded = validate([plans_copy])
    warnings = [d for d in loaded.report.diagnostics if d.code == "BV345"]
    paper = run_main("report", "q2", "--plan", "bvip-2018-19", "--format", "md", "--plans", plans_copy)
    assert f"{len(warnings)} completed milestones have no evidence cited" in paper.stdout
    assert not any("PR1.4" in w.message for w in warnings)


# --- status -------------------------------------------------------------------------------------------------------


def test_status_csv_rows_keep_their_documented_columns(run_main: RunMain, repo_root: Path) -> None:
    for rows, columns in (
        ("measures", MEASURE_COLUMNS),
        ("directions", DIRECTION_COLUMNS),
        ("confidence", CONFIDENCE_COLUMNS),
    ):
        done = run_main(
            "status",
            "--as-of",
            "2018-03-31",
            "--plan",
            "bvip-2017-18",
            "--format",
            "csv",
            "--rows",
            rows,
            cwd=repo_root,
        )
        assert done.returncode == 0, done.stderr
        reader = csv.DictReader(io.StringIO(done.stdout))
        assert tuple(reader.fieldnames or ()) == columns
        assert list(reader)
    milestones = run_main("status", "--as-of", "2018-03-31", "--format", "csv", cwd=repo_root)
    assert milestones.stdout.startswith("plan,theme,action,action_title,milestone,")
    wrong = run_main("status", "--rows", "measures", cwd=repo_root)
    assert wrong.returncode == 2 and "--rows goes with --format csv" in wrong.stderr


def test_status_shows_the_year_end_measures_of_002(run_main: RunMain, repo_root: Path) -> None:
    done = run_main("status", "--as-of", "2018-03-31", "--plan", "bvip-2017-18", "--format", "json", cwd=repo_root)
    [plan] = json.loads(done.stdout)["plans"]
    rate = next(m for m in plan["measures"] if m["measure"] == "CO-M1")

    assert (rate["baseline"], rate["target"], rate["latest"], rate["standing"], rate["rag"], rate["trend"]) == (
        50, 60, 64, "On target", "green", "Improving",
    )  # fmt: skip
    assert {m["latest"] for m in plan["measures"]} >= {943, 5, 4, 8, 58, 14, 180, 750, 80, 60}
    [d1, _d2, _d3] = plan["directions"]
    assert (d1["direction"], d1["completed"], d1["total"]) == ("D2017.1", 81, 99)
    # In Q2 the Q4 figure is not yet known: the open rate stands at its Q1 value, with no trend.
    q2 = run_main("status", "--as-of", "2017-09-30", "--plan", "bvip-2017-18", "--format", "json", cwd=repo_root)
    [plan] = json.loads(q2.stdout)["plans"]
    rate = next(m for m in plan["measures"] if m["measure"] == "CO-M1")
    assert (rate["latest"], rate["standing"], rate["trend"]) == (50, "Off target", "Not enough data")


def test_status_table_and_markdown_show_measures_and_directions(run_main: RunMain, repo_root: Path) -> None:
    table = run_main("status", "--as-of", "2018-03-31", "--plan", "bvip-2017-18", cwd=repo_root, env={"COLUMNS": "200"})
    markdown = run_main(
        "status", "--as-of", "2018-03-31", "--plan", "bvip-2017-18", "--format", "markdown", cwd=repo_root
    )

    assert "measures" in table.stdout and "progress against the Directions" in table.stdout
    assert (
        "| Communications | Tower Hamlets Now (staff e-newsletter) average open rate (CO-M1) | 50% (2017-06-30) |"
        in markdown.stdout
    )


# --- the paper ---------------------------------------------------------------------------------------------------


def test_paper_measures_table_with_rag_words_colour_and_trend_chart(
    run_main: RunMain, repo_root: Path, tmp_path: Path
) -> None:
    out = tmp_path / "paper.html"
    done = run_main("report", "q4", "--plan", "bvip-2017-18", "--format", "html", "-o", out, cwd=repo_root)
    assert done.returncode == 0, done.stderr
    html = out.read_text()

    assert '<td class="rag rag-green">On target (Green)</td>' in html
    assert '<td class="rag rag-red">Off target (Red)</td>' in html
    assert (
        'aria-label="Trend of Tower Hamlets Now (staff e-newsletter) average open rate: 50% in 2017-18 Q1, 64% in 2017-18 Q4: improving"'
        in html
    )
    assert "<h3>Progress against the Directions</h3>" in html


def test_public_paper_leaves_out_exempt_measures_before_counting() -> None:
    loaded = validate([Path(__file__).parent.parent.parent / "plans"])
    plan = loaded.workspace.plan("bvip-2017-18")
    assert plan is not None
    period = make_period(2017, "Q4")
    full = build_paper(plan, period)
    communications = next(t for t in plan.themes if t.slug == "communications")
    hidden = communications.model.measures[0].model_copy(update={"exempt": True})
    communications.model = communications.model.model_copy(
        update={"measures": [hidden, *communications.model.measures[1:]]}
    )

    public = build_paper(plan, period, Options(public=True))

    assert [m.id for m in full.performance.measures["Communications"]] == ["CO-M1", "CO-M2"]
    assert [m.id for m in public.performance.measures["Communications"]] == ["CO-M2"]
    [d1_full, *_] = full.performance.directions
    [d1_public, *_] = public.performance.directions
    assert (d1_full.measures_total, d1_public.measures_total) == (2, 1)


def test_sparkline_states_every_value_and_escapes() -> None:
    svg = sparkline([1.0, 3.0, 2.0], 'Trend of "<b>": 1, 3, 2')

    assert svg.count("<circle") == 3 and "<polyline" in svg
    assert "<title>Trend of &quot;&lt;b&gt;&quot;: 1, 3, 2</title>" in svg
    assert 'role="img"' in svg
    assert "<circle" not in sparkline([], "none")


# --- carry-forward --------------------------------------------------------------------------------------------------


def test_carry_forward_carries_measures_with_their_history(plans_copy: Path, run_main: RunMain) -> None:
    import shutil

    shutil.rmtree(plans_copy / "bvip-2018-19")

    done = run_main("carry-forward", "--from", "bvip-2017-18", "--to", "bvip-2018-19", "--apply", "--plans", plans_copy)

    assert done.returncode == 0, done.stderr
    loaded = validate([plans_copy])
    assert loaded.report.errors == 0
    new = loaded.workspace.plan("bvip-2018-19")
    assert new is not None
    assert [d.id for d in new.model.directions] == ["D2017.1", "D2017.2", "D2017.3"]
    communications = next(t for t in new.themes if t.slug == "communications")
    rate = communications.model.measures[0]
    assert rate.carried_from == "bvip-2017-18/CO-M1"
    assert [(a.on.isoformat(), a.value) for a in rate.actuals] == [("2017-06-30", 50), ("2018-03-31", 64)]
    assert rate.targets == []  # the 2017-18 target stays in the plan it was set for
    property_theme = next(t for t in new.themes if t.slug == "property")
    assert [m.id for m in property_theme.model.measures] == ["PR-M1", "PR-M2"]


def test_a_measure_carried_from_nothing_is_reported(plans_copy: Path, run_main: RunMain) -> None:
    theme = plans_copy / "bvip-2018-19" / "grants.yaml"
    theme.write_text(
        theme.read_text()
        + "measures:\n  - id: GR-M1\n    title: Contracts\n    unit: number\n    better: higher\n"
        + "    carried_from: bvip-2017-18/GR-M9\n"
    )

    done = run_main("validate", plans_copy)

    assert done.returncode == 1
    assert "error[BV306]: plan 'bvip-2017-18' has no measure 'GR-M9'" in done.stdout
    assert "did you mean 'GR-M1'" in done.stdout


def test_record_finds_a_measure_under_an_action(tmp_path: Path, run_main: RunMain) -> None:
    folder = tmp_path / "plans" / "demo"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(
        "id: demo\ntitle: Demo\nauthority: A council\nboard: A board\nstart: 2018-04-01\nend: 2019-03-31\n"
        "cadence: quarterly\n"
    )
    theme = (
        "theme: Property\nactions:\n  - id: PR1\n    title: Sell surplus assets\n    milestones:\n"
        "      - id: PR1.1\n        title: Sell the depot\n        due: 2018-12-31\n    measures:  # receipts\n"
        "      - id: receipts\n        title: Capital receipts against target price\n        unit: pounds\n"
        "        better: higher\n        tolerance: 50000\n        targets:\n          - {period: 2018-19, value: 2000000}\n"
    )
    (folder / "property.yaml").write_text(theme)

    done = run_main("record", "demo/receipts", "1,960,000", "--on", "2018-11-02", "--plans", tmp_path / "plans")

    assert done.returncode == 0, done.stderr
    assert (
        folder / "property.yaml"
    ).read_text() == theme + "        actuals:\n          - on: 2018-11-02\n            value: 1960000\n"
    status = run_main(
        "status", "--as-of", "2018-12-31", "--format", "csv", "--rows", "measures", "--plans", tmp_path / "plans"
    )
    [row] = csv.DictReader(io.StringIO(status.stdout))
    assert (row["action"], row["latest"], row["standing"], row["rag"]) == (
        "PR1",
        "1960000",
        "Within tolerance",
        "amber",
    )
    unknown = run_main("confidence", "PR9", "low", "--reason", "x", "--plans", tmp_path / "plans")
    assert unknown.returncode == 2 and "no action 'PR9'; did you mean 'PR1'?" in unknown.stderr


@pytest.mark.parametrize(
    ("typed", "value"), [("64", 64), ("64%", 64), ("£1,250.50", 1250.5), ("-3.5", -3.5), (" 7 ", 7)]
)
def test_a_measured_value_as_typed(typed: str, value: float) -> None:
    assert parse_value(typed) == value
    assert type(parse_value(typed)) is type(value)


@pytest.mark.parametrize("typed", ["sixty", "1e999", "", "12 apples"])
def test_what_is_not_a_number_is_refused_with_examples(typed: str) -> None:
    with pytest.raises(Exception, match=r"not a number; write it like 64|too large a number"):
        parse_value(typed)
