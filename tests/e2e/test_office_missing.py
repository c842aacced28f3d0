"""Without the `office` extra, Word, PDF and xlsx output says which command installs it: exit 2, no traceback.

The extra's libraries are hidden from a real bvplan process by packages of the same names, put
first on its path, that fail to import as a missing package does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHIPPED_PLANS, RunCli

HIDDEN = ("docx", "openpyxl", "weasyprint", "PIL")


@pytest.fixture
def without_office(tmp_path: Path) -> dict[str, str]:
    shadow = tmp_path / "shadow"
    for name in HIDDEN:
        package = shadow / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(
            f"raise ModuleNotFoundError(\"No module named '{name}'\", name={name!r})\n", encoding="utf-8"
        )
    return {"PYTHONPATH": str(shadow)}


@pytest.mark.parametrize(
    "args",
    [
        ("report", "q1", "--plan", "bvip-2018-19", "-o", "{out}/q1.docx"),
        ("report", "q1", "--plan", "bvip-2018-19", "-o", "{out}/q1.pdf"),
        ("status", "--as-of", "q1", "--plan", "bvip-2018-19", "--format", "xlsx", "-o", "{out}/tracker.xlsx"),
        ("heatmap", "--as-of", "2025-12-31", "--plan", "example-2025-26", "-o", "{out}/heatmap.xlsx"),
    ],
)
def test_office_formats_without_the_extra_name_the_install_command(
    run_cli: RunCli, tmp_path: Path, without_office: dict[str, str], args: tuple[str, ...]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    argv = [a.format(out=out) for a in args]
    result = run_cli(*argv, "--plans", SHIPPED_PLANS, env=without_office)
    assert result.returncode == 2, result.stderr
    assert "install it with: pip install 'bvplan[office]'" in result.stderr
    assert "Traceback" not in result.stderr
    assert list(out.iterdir()) == []


def test_markdown_and_html_need_no_extra(run_cli: RunCli, without_office: dict[str, str]) -> None:
    result = run_cli("report", "q1", "--plan", "bvip-2018-19", "--plans", SHIPPED_PLANS, env=without_office)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("#") or "Best Value" in result.stdout
