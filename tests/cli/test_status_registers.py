"""`bvplan status` lists the requirements and recommendations past their deadline (BV404), every format."""

from __future__ import annotations

import json

from tests.conftest import SHIPPED_PLANS, RunCli

ARGS = ["--plan", "example-2025-26", "--as-of", "2026-01-19", "--plans", str(SHIPPED_PLANS)]


def test_the_table_and_json_list_what_is_past_its_deadline(run_cli: RunCli) -> None:
    table = run_cli("status", *ARGS)
    assert table.returncode == 0, table.stderr
    section = table.stdout[table.stdout.index("requirements and recommendations past their deadline") :]
    rows = [line.split()[:4] for line in section.splitlines()[3:7]]
    assert rows == [
        ["D1.3", "requirement", "2025-12-31", "19"],
        ["D2.2", "requirement", "2025-11-30", "50"],
        ["INS2", "recommendation", "2025-09-30", "111"],
        ["S24-2", "recommendation", "2025-09-30", "111"],
    ]

    document = json.loads(run_cli("status", *ARGS, "--format", "json").stdout)
    [plan] = document["plans"]
    assert [(r["id"], r["days_past"]) for r in plan["past_deadline"]] == [
        ("D1.3", 19),
        ("D2.2", 50),
        ("INS2", 111),
        ("S24-2", 111),
    ]


def test_a_plan_without_registers_has_no_such_table(run_cli: RunCli) -> None:
    result = run_cli("status", "--plan", "bvip-2018-19", "--as-of", "2018-06-30", "--plans", str(SHIPPED_PLANS))
    assert result.returncode == 0 and "past their deadline" not in result.stdout
    document = json.loads(
        run_cli(
            "status",
            "--plan",
            "bvip-2018-19",
            "--as-of",
            "2018-06-30",
            "--plans",
            str(SHIPPED_PLANS),
            "--format",
            "json",
        ).stdout
    )
    assert "past_deadline" not in json.dumps(document)
