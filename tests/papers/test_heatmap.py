"""`bvplan heatmap` on the invented example-2025-26 plan: goldens in every text format, the same bytes
on every run, the workbook read back with openpyxl, the public view, and the optimism flag."""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
from pathlib import Path

import pytest

from bvplan.papers import heatmap as views
from bvplan.rules.assessments import Change, heatmaps
from bvplan.rules.public_view import public_view
from bvplan.rules.validation import validate
from tests.conftest import RunMain

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
REPO = Path(__file__).resolve().parent.parent.parent
PLAN = "example-2025-26"
AS_OF = "2025-12-31"
SUFFIX = {"md": "md", "html": "html", "csv": "csv", "json": "json", "table": "txt"}


def check_golden(name: str, actual: str, regen: bool) -> None:
    golden = GOLDEN / name
    if regen:
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden}; run pytest with --regen-goldens to create it"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), str(golden), "heatmap"))
        pytest.fail(f"the heat map differs from {golden.name} (--regen-goldens accepts it):\n{diff}")


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "table"])
@pytest.mark.parametrize("public", [False, True], ids=["full", "public"])
def test_golden_heatmaps(run_main: RunMain, regen_goldens: bool, fmt: str, public: bool) -> None:
    args = ["heatmap", "--plan", PLAN, "--as-of", AS_OF, "--format", fmt, *(["--public"] if public else [])]

    first = run_main(*args, cwd=REPO)
    again = run_main(*args, cwd=REPO)

    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    check_golden(f"{PLAN}-heatmap{'-public' if public else ''}.{SUFFIX[fmt]}", first.stdout, regen_goldens)


def example(public: bool = False, day: dt.date = dt.date(2025, 12, 31)) -> views.Heatmap:
    loaded = validate([REPO / "plans" / PLAN])
    workspace = public_view(loaded.workspace).workspace if public else loaded.workspace
    [heatmap] = heatmaps(workspace, workspace.plans, day)
    return heatmap


def test_self_and_external_ratings_are_apart_and_changes_follow_each_series() -> None:
    heatmap = example()
    labels = [c.label for c in heatmap.columns]
    row = {r.id: r for r in heatmap.rows}

    assert labels == [
        "2025-06-30 self (Corporate Leadership Team (invented))",
        "2025-11-14 external (LGA corporate peer challenge (invented))",
        "2025-12-15 self (Corporate Leadership Team (invented))",
    ]
    g002 = row["G002"].cells
    # The December self-rating is measured against June's self-rating, not November's external one.
    assert [c.change for c in g002] == [Change.FIRST, Change.FIRST, Change.UP]
    assert g002[2].words == "Improvement needed (up from Significant concerns)"
    assert row["G002"].latest_self is g002[2] and row["G002"].latest_external is g002[1]


def test_every_rated_cell_gives_its_level_in_words_beside_its_colour() -> None:
    page = views.as_html([example()])

    assert '<td style="background-color: #FFEB9C">Improvement needed</td>' in page
    assert '<td style="background-color: #E2EFDA">Largely in place (up from Improvement needed)</td>' in page
    assert page.count("<caption>") == 7
    assert '<th scope="row">G002</th>' in page and '<th scope="col">ID</th>' in page


def test_a_good_self_rating_with_slipping_delivery_is_flagged_only_while_it_slips() -> None:
    before = {r.id: r for r in example(day=dt.date(2025, 9, 30)).rows}
    after = {r.id: r for r in example().rows}

    # R001 was rated good in June; by December the strategy (F2.2, due 30 November) is overdue.
    assert before["R001"].optimism is None
    assert after["R001"].optimism is not None
    assert after["R001"].optimism.overdue_actions == ("F2",)
    # An amber rating is never flagged, however late its actions.
    assert all(r.optimism is None for r in after.values() if r.id != "R001")


def test_the_public_view_withholds_an_exempt_rating_whole() -> None:
    full = {r.id: r for r in example().rows}
    public = example(public=True)
    shown = {r.id: r for r in public.rows}

    assert full["R004"].cells[0].level is not None
    assert all(c.rating is None for c in shown["R004"].cells)
    assert shown["R004"].latest_self is None
    # Every other rating is unchanged; nothing counts the one withheld.
    assert [c.words for r in public.rows if r.id != "R004" for c in r.cells] == [
        c.words for r in example().rows if r.id != "R004" for c in r.cells
    ]
    [r004] = [r for r in json.loads(views.as_json([public]))["heatmaps"][0]["rows"] if r["characteristic"] == "R004"]
    assert r004["cells"] == [None, None, None] and r004["latest_self"] is None


def test_the_workbook_reads_back_with_words_and_fills(tmp_path: Path, run_main: RunMain) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "heatmap.xlsx"

    result = run_main("heatmap", "--plan", PLAN, "--as-of", AS_OF, "-o", target, cwd=REPO)
    again = tmp_path / "again.xlsx"
    run_main("heatmap", "--plan", PLAN, "--as-of", AS_OF, "-o", again, cwd=REPO)

    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == again.read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))[PLAN]
    header = [c.value for c in sheet[1]]
    rows = {r[4].value: r for r in sheet.iter_rows(min_row=2)}
    g002 = rows["G002"]
    december = header.index("2025-12-15 self (Corporate Leadership Team (invented))")
    assert g002[december].value == "Improvement needed (up from Significant concerns)"
    assert g002[december].fill.fgColor.rgb.endswith("FFEB9C")
    assert rows["R001"][header.index("optimism_bias")].value == "overdue: F2; off target: FIN-OUT1"
    assert sheet.freeze_panes == "A2"


def test_json_is_the_heat_map_as_data() -> None:
    document = json.loads(views.as_json([example()]))
    [heatmap] = document["heatmaps"]
    [r001] = [r for r in heatmap["rows"] if r["characteristic"] == "R001"]

    assert heatmap["as_of"] == AS_OF
    assert [s["level"] for s in heatmap["frameworks"][0]["scale"] if s["good"]] == ["light-green", "green"]
    assert r001["cells"][0]["level"] == "light-green" and r001["cells"][2] is None
    assert r001["optimism_bias"] == {"overdue": ["F2"], "off_target": ["FIN-OUT1"]}
    assert r001["actions"] == ["F1", "F2", "F5"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "--format xlsx writes a workbook, not text; give a file with -o"),
        (["-o", "plans/x.yaml"], "that name is for plan files"),
        (["--plan", "bvip-2018-19"], "bvip-2018-19 names no framework; add one to plan.yaml"),
    ],
)
def test_mistakes_are_usage_errors(run_main: RunMain, args: list[str], message: str) -> None:
    result = run_main("heatmap", *args, cwd=REPO)

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_output_file_name_says_its_format() -> None:
    from bvplan.cli.heatmap import SUFFIXES, HeatmapFormat

    assert {HeatmapFormat(name) for name in SUFFIXES.values()} == set(HeatmapFormat) - {HeatmapFormat.text}
