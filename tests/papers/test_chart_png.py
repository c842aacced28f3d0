"""The status chart as a PNG for Word: the SVG chart's size at twice the scale, the same every time."""

from __future__ import annotations

import io

import pytest

from bvplan.papers.chart_png import SCALE, chart_png
from bvplan.papers.charts import ROW_HEIGHT, TOP, WIDTH, Bar

Image = pytest.importorskip("PIL.Image")

BARS = [Bar("Grants", 2, 5, 3), Bar("Property", 0, 4, 1, not_started=2)]


def test_the_png_has_the_svg_charts_size_at_twice_the_scale() -> None:
    image = Image.open(io.BytesIO(chart_png(BARS, "Milestones by status and theme")))
    assert image.format == "PNG"
    assert image.size == (WIDTH * SCALE, (TOP + ROW_HEIGHT * len(BARS) + 10) * SCALE)


def test_each_series_is_drawn_and_the_same_figures_give_the_same_bytes() -> None:
    png = chart_png(BARS, "Milestones by status and theme")
    assert png == chart_png(BARS, "Milestones by status and theme")
    colours = {colour for _count, colour in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)}
    assert len(colours) > 4  # white, black text, and a fill for each status drawn
    assert chart_png([], "Nothing to show") != png
