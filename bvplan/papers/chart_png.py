"""The paper's status chart as a PNG, for Word, which cannot show the HTML paper's inline SVG.

Drawn with Pillow (which WeasyPrint, in the same `office` extra, already brings) from the same
figures and in the same design as charts.py: a stacked bar per theme on one scale, the four
statuses told apart by pattern as well as colour (solid, striped, dotted, white), every segment
wide enough labelled with its number, the total and % completed beside each bar. Rasterising the
SVG itself would need cairo or a browser; drawing it again from the figures needs neither.
Pillow's built-in font is used, so the image is the same on every machine.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

# The same geometry as the SVG chart, so the two read alike.
from bvplan.papers.charts import BAR_AREA, BAR_HEIGHT, DEFAULT_NAMES, LABEL_WIDTH, ROW_HEIGHT, TOP, WIDTH, Bar
from bvplan.papers.office import office_module

SCALE = 2  # drawn at twice the SVG's size, so the image stays sharp when printed
MIN_LABELLED_SEGMENT = 18
LABEL_CHARS = 24

_COMPLETED, _IN_PROGRESS, _OVERDUE, _NOT_STARTED = "Completed", "In Progress", "Overdue", "Not Started"
_BLACK, _WHITE = (0, 0, 0), (255, 255, 255)


def chart_png(bars: Sequence[Bar], title: str, names: Sequence[str] = DEFAULT_NAMES) -> bytes:
    """The chart as PNG bytes, its legend in the series' `names`; the same bars give the same bytes."""
    shown = dict(zip((_COMPLETED, _IN_PROGRESS, _OVERDUE, _NOT_STARTED), names, strict=True))
    image_module = office_module("PIL.Image", "the chart in --format docx")
    draw_module = office_module("PIL.ImageDraw", "the chart in --format docx")
    font_module = office_module("PIL.ImageFont", "the chart in --format docx")
    with_not_started = any(bar.not_started for bar in bars)
    series = [_COMPLETED, _IN_PROGRESS, _OVERDUE] + ([_NOT_STARTED] if with_not_started else [])
    height = TOP + ROW_HEIGHT * max(len(bars), 1) + 10
    image = image_module.new("RGB", (WIDTH * SCALE, height * SCALE), _WHITE)
    draw = draw_module.Draw(image)
    fonts = {size: font_module.load_default(size=size * SCALE) for size in (11, 12, 13, 15)}

    draw.text((0, 4 * SCALE), title, fill=_BLACK, font=fonts[15])
    x = 0
    for name in series:
        _segment(draw, name, x, 30, 14, 14)
        draw.text(((x + 20) * SCALE, 37 * SCALE), shown[name], fill=_BLACK, font=fonts[13], anchor="ls")
        x += 20 + 7 * len(shown[name]) + 28
    if not bars:
        draw.text((0, (TOP + 18) * SCALE), "There are no milestones to show.", fill=_BLACK, font=fonts[13], anchor="ls")
    else:
        draw.text(
            ((WIDTH - 4) * SCALE, (TOP - 6) * SCALE), "Total (% completed)", fill=_BLACK, font=fonts[11], anchor="rs"
        )
    largest = max((bar.total for bar in bars), default=0)
    for row, bar in enumerate(bars):
        _bar(draw, fonts, row, bar, series, largest)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _bar(draw: Any, fonts: dict[int, Any], row: int, bar: Bar, series: Sequence[str], largest: int) -> None:
    y = TOP + row * ROW_HEIGHT
    middle = y + BAR_HEIGHT / 2
    _label(draw, fonts, bar.label, middle)
    values = {
        _COMPLETED: bar.completed,
        _IN_PROGRESS: bar.in_progress,
        _OVERDUE: bar.overdue,
        _NOT_STARTED: bar.not_started,
    }
    x = float(LABEL_WIDTH)
    for name in series:
        value = values[name]
        if not value:
            continue
        width = BAR_AREA * value / largest
        _segment(draw, name, x, y, width, BAR_HEIGHT)
        if width >= MIN_LABELLED_SEGMENT:
            ink = _WHITE if name == _COMPLETED else _BLACK
            halo = (31, 78, 121) if name == _COMPLETED else _WHITE
            draw.text(
                ((x + width / 2) * SCALE, middle * SCALE),
                str(value),
                fill=ink,
                font=fonts[13],
                anchor="mm",
                stroke_width=2,
                stroke_fill=halo,
            )
        x += width
    percent = f"{100 * bar.completed / bar.total:.0f}%" if bar.total else "–"
    draw.text(
        ((WIDTH - 4) * SCALE, middle * SCALE), f"{bar.total} ({percent})", fill=_BLACK, font=fonts[13], anchor="rm"
    )


def _label(draw: Any, fonts: dict[int, Any], label: str, middle: float) -> None:
    """A theme's name beside its bar: on two lines when long, clipped only beyond that (as in charts.py)."""
    x = (LABEL_WIDTH - 8) * SCALE
    if len(label) <= LABEL_CHARS:
        draw.text((x, middle * SCALE), label, fill=_BLACK, font=fonts[13], anchor="rm")
        return
    words = label.split()
    first = ""
    while words and len(f"{first} {words[0]}".strip()) <= LABEL_CHARS:
        first = f"{first} {words.pop(0)}".strip()
    if not first:
        first, words = _clip(label), []
    draw.text((x, (middle - 6.5) * SCALE), first, fill=_BLACK, font=fonts[12], anchor="rm")
    draw.text((x, (middle + 6.5) * SCALE), _clip(" ".join(words)), fill=_BLACK, font=fonts[12], anchor="rm")


def _clip(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _segment(draw: Any, name: str, x: float, y: float, width: float, height: float) -> None:
    """One status's box in its pattern: solid blue, green stripes, red dots, or white."""
    left, top = round(x * SCALE), round(y * SCALE)
    right, bottom = round((x + width) * SCALE), round((y + height) * SCALE)
    if name == _COMPLETED:
        draw.rectangle((left, top, right, bottom), fill=(31, 78, 121))
    elif name == _IN_PROGRESS:
        draw.rectangle((left, top, right, bottom), fill=(143, 191, 127))
        for start in range(left - (bottom - top), right, 12):  # 45° stripes, clipped to the box
            for offset in range(4):
                x0, y0 = start + offset, bottom
                x1, y1 = start + offset + (bottom - top), top
                if x0 < left:
                    y0 -= left - x0
                    x0 = left
                if x1 > right:
                    y1 += x1 - right
                    x1 = right
                if x0 <= x1:
                    draw.line((x0, y0, x1, y1), fill=(46, 107, 31))
    elif name == _OVERDUE:
        draw.rectangle((left, top, right, bottom), fill=(244, 199, 195))
        for cy in range(top + 5, bottom - 2, 10):
            for cx in range(left + 5, right - 2, 10):
                draw.ellipse((cx - 2.4, cy - 2.4, cx + 2.4, cy + 2.4), fill=(166, 27, 27))
    else:
        draw.rectangle((left, top, right, bottom), fill=_WHITE)
    draw.rectangle((left, top, right, bottom), outline=_BLACK, width=2)
