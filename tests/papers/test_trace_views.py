"""The trace of an item in text, Markdown and JSON: three renderings of one chain, built in-process."""

from __future__ import annotations

import datetime as dt
import json

from bvplan.format.loader import load
from bvplan.papers.trace_views import as_json, as_markdown, as_text
from bvplan.rules.chain import registers
from bvplan.rules.trace import trace
from tests.conftest import SHIPPED_PLANS

DAY = dt.date(2026, 1, 19)


def _ids(item: dict[str, object]) -> list[str]:
    children = item.get("children", [])
    assert isinstance(children, list)
    return [str(item["id"]), *(i for child in children for i in _ids(child))]


def test_the_three_formats_name_the_same_items_and_gaps() -> None:
    plan = load([SHIPPED_PLANS / "example-2025-26"]).workspace.plan("example-2025-26")
    assert plan is not None
    chain = trace(registers(plan, DAY), "D1")
    document = json.loads(as_json(chain))
    ids = _ids(document["item"])
    text, markdown = as_text(chain), as_markdown(chain)
    assert ids[0] == "D1" and len(ids) > 3
    for item_id in ids:
        assert item_id in text and item_id in markdown
    gaps = document["gaps"]
    assert text.count("GAP [") == markdown.count("**GAP \\[") == gaps
