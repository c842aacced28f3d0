"""`bvplan trace ID` as users meet it: real processes on the shipped example plan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLANS, RunCli

AS_OF = ["--as-of", "2026-01-19", "--plans", str(SHIPPED_PLANS)]


def test_a_requirement_up_to_its_direction_and_down_to_the_evidence(run_cli: RunCli) -> None:
    result = run_cli("trace", "D1.3", *AS_OF)

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Trace of D1.3 in example-2025-26, as at 2026-01-19\n")
    assert "Direction D1: Secure effective governance and decision-making [Overdue]" in out
    assert "GAP [BV404]: past its deadline and still open" in out
    assert "└─ Milestone G3.2: Deliver the scrutiny and finance modules to every member [Overdue (19 days)]" in out
    assert "evidence: reports/member-development-programme.pdf" in out
    assert out.endswith("1 gap in the chain.\n")


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
def test_every_format_is_the_same_bytes_every_run(run_cli: RunCli, fmt: str) -> None:
    first = run_cli("trace", "D2", "--format", fmt, *AS_OF)
    second = run_cli("trace", "D2", "--format", fmt, *AS_OF)
    assert first.returncode == 0 and first.stdout == second.stdout
    if fmt == "json":
        document = json.loads(first.stdout)
        assert document["item"]["id"] == "D2" and document["gaps"] == 1
        assert [c["id"] for c in document["item"]["children"]][:4] == ["D2.1", "D2.2", "D2.3", "D2.4"]
    if fmt == "md":
        assert "**GAP \\[BV404\\]: past its deadline and still open**" in first.stdout


def test_the_public_view_never_shows_an_exempt_item(run_cli: RunCli) -> None:
    withheld = run_cli("trace", "D2.4", "--public", *AS_OF)
    assert withheld.returncode == 2 and "has no item 'D2.4'" in withheld.stderr

    public = run_cli("trace", "D2", "--public", "--format", "json", *AS_OF)
    assert public.returncode == 0
    for hidden in ("D2.4", "F4", "commercial investments"):
        assert hidden not in public.stdout
    assert '"requirements met": "0 of 3"' in public.stdout


def test_an_unknown_id_gets_a_suggestion(run_cli: RunCli) -> None:
    result = run_cli("trace", "D1.9", "--plan", "example-2025-26", *AS_OF)
    assert result.returncode == 2
    assert "plan 'example-2025-26' has no item 'D1.9'; did you mean" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_link_removed_shows_as_a_gap(run_cli: RunCli, tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    shutil.copytree(SHIPPED_PLANS / "example-2025-26", plans / "example-2025-26")
    theme = plans / "example-2025-26" / "governance.yaml"
    theme.write_text(theme.read_text(encoding="utf-8").replace("answers: [INS1]", ""), encoding="utf-8")

    # The plan now has an error (BV400), which trace, like every command, will not work on.
    result = run_cli("trace", "INS1", "--as-of", "2026-01-19", "--plans", plans)
    assert result.returncode == 1
    assert "error[BV400]: no action answers accepted recommendation INS1" in result.stderr
