"""The paper's status chart: an inline SVG of Completed / In Progress / Overdue milestones per theme.

Pure: numbers in, SVG text out. The chart must read on a screen reader (role="img", a title and a
description that state every figure) and when printed in greyscale: each status has its own fill
pattern as well as its colour, every segment is labelled with its number, and the legend names the
patterns. Bars share one scale, so a theme with more milestones has a longer bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
LABEL_WIDTH = 180
TOTAL_WIDTH = 90
BAR_AREA = WIDTH - LABEL_WIDTH - TOTAL_WIDTH - 10
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 62  # title and legend above the bars
_NAMESPACE = ' xmlns="http://www.w3.org/2000/svg"'
MIN_LABELLED_SEGMENT = 18  # narrower segments carry no number inside; the description still has it
LABEL_CHARS = 24  # what fits beside a bar at 13px


@dataclass(frozen=True)
class Bar:
    label: str
    completed: int
    in_progress: int
    overdue: int
    not_started: int = 0

    @property
    def total(self) -> int:
        return self.completed + self.in_progress + self.overdue + self.not_started


@dataclass(frozen=True)
class _Series:
    name: str
    fill: str  # a paint: a colour or url(#pattern)
    text: str  # colour of the number drawn inside


# The series' names in the standard vocabulary; a plan's own words replace them (rules/status.Vocabulary).
DEFAULT_NAMES = ("Completed", "In Progress", "Overdue", "Not Started")

# Dark solid, mid hatched, light dotted, white outlined: four greys that stay apart when printed.
_SERIES = (
    _Series("Completed", "#1f4e79", "#ffffff"),
    _Series("In Progress", "url(#bv-in-progress)", "#000000"),
    _Series("Overdue", "url(#bv-overdue)", "#000000"),
    _Series("Not Started", "#ffffff", "#000000"),
)

_DEFS = """<defs>
<pattern id="bv-in-progress" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#8fbf7f"/><rect width="2" height="6" fill="#2e6b1f"/>
</pattern>
<pattern id="bv-overdue" width="5" height="5" patternUnits="userSpaceOnUse">
<rect width="5" height="5" fill="#f4c7c3"/><circle cx="2.5" cy="2.5" r="1.2" fill="#a61b1b"/>
</pattern>
</defs>"""


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe(bars: Sequence[Bar], names: Sequence[str] = DEFAULT_NAMES) -> str:
    """Every figure in the chart, in words (the series' `names`): its <desc> and the screen reader's text."""
    words = [name.lower() for name in names]
    parts = []
    for bar in bars:
        figures = f"{bar.completed} {words[0]}, {bar.in_progress} {words[1]}, {bar.overdue} {words[2]}"
        if bar.not_started:
            figures += f", {bar.not_started} {words[3]}"
        parts.append(f"{bar.label}: {figures}, of {_plural(bar.total, 'milestone')}.")
    return " ".join(parts)


def _values(bar: Bar, with_not_started: bool) -> tuple[int, ...]:
    values = (bar.completed, bar.in_progress, bar.overdue)
    return (*values, bar.not_started) if with_not_started else values


def status_chart(
    bars: Sequence[Bar], title: str, standalone: bool = False, names: Sequence[str] = DEFAULT_NAMES
) -> str:
    """A horizontal stacked bar per theme; an empty chart says there is nothing to show.

    Inline in HTML an <svg> needs no namespace, and the paper names no URL at all; a standalone
    file (`standalone=True`) does need it.
    """
    with_not_started = any(bar.not_started for bar in bars)
    named = tuple(_Series(name, s.fill, s.text) for name, s in zip(names, _SERIES, strict=True))
    series = named[: 4 if with_not_started else 3]
    height = TOP + ROW_HEIGHT * max(len(bars), 1) + 10
    largest = max((bar.total for bar in bars), default=0)
    description = describe(bars, names) if bars else "There are no milestones to show."
    out = [
        f'<svg{_NAMESPACE if standalone else ""} class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" aria-label="{escape(title)}" aria-describedby="bv-chart-desc" '
        'font-family="Arial,Liberation Sans,sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<desc id="bv-chart-desc">{escape(description)}</desc>',
        _DEFS,
        f'<text x="0" y="18" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    out += _legend(series)
    out.append(
        f'<text x="{WIDTH - 4}" y="{TOP - 6}" text-anchor="end" font-size="11">Total (% completed)</text>'
        if bars
        else ""
    )
    if not bars:
        out.append(f'<text x="0" y="{TOP + 18}">There are no milestones to show.</text>')
    for row, bar in enumerate(bars):
        out += _bar(row, bar, _values(bar, with_not_started), series, largest)
    out.append("</svg>")
    return "\n".join(line for line in out if line)


def _legend(series: Sequence[_Series]) -> list[str]:
    out = []
    x = 0
    for item in series:
        out.append(
            f'<rect x="{x}" y="30" width="14" height="14" fill="{item.fill}" stroke="#000000" stroke-width="0.8"/>'
        )
        out.append(f'<text x="{x + 20}" y="41">{escape(item.name)}</text>')
        x += 20 + 7 * len(item.name) + 28
    return out


def _bar(row: int, bar: Bar, values: Sequence[int], series: Sequence[_Series], largest: int) -> list[str]:
    y = TOP + row * ROW_HEIGHT
    middle = y + BAR_HEIGHT / 2 + 4.5
    out = [_label(bar.label, LABEL_WIDTH - 8, middle)]
    x = float(LABEL_WIDTH)
    for value, item in zip(values, series, strict=True):
        if not value:
            continue
        width = BAR_AREA * value / largest
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{item.fill}" '
            f'stroke="#000000" stroke-width="0.8"><title>{escape(item.name)}: {value}</title></rect>'
        )
        if width >= MIN_LABELLED_SEGMENT:
            out.append(
                f'<text x="{x + width / 2:.1f}" y="{middle:g}" text-anchor="middle" font-weight="bold" '
                f'fill="{item.text}" stroke="{_halo(item.text)}" stroke-width="3" paint-order="stroke">{value}</text>'
            )
        x += width
    percent = f"{100 * bar.completed / bar.total:.0f}%" if bar.total else "–"
    out.append(f'<text x="{WIDTH - 4}" y="{middle:g}" text-anchor="end">{bar.total} ({percent})</text>')
    return out


def _halo(text_colour: str) -> str:
    """A ring of the opposite shade around a number keeps it legible on any pattern."""
    return "#1f4e79" if text_colour == "#ffffff" else "#ffffff"


def _clip(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _label(label: str, x: int, middle: float) -> str:
    """A theme's name beside its bar: on two lines when long, clipped only beyond that."""
    if len(label) <= LABEL_CHARS:
        return f'<text x="{x}" y="{middle:g}" text-anchor="end">{escape(label)}</text>'
    words = label.split()
    first = ""
    while words and len(f"{first} {words[0]}".strip()) <= LABEL_CHARS:
        first = f"{first} {words.pop(0)}".strip()
    if not first:  # one very long word
        first, words = _clip(label), []
    second = _clip(" ".join(words))
    return (
        f'<text x="{x}" y="{middle - 7:g}" text-anchor="end" font-size="12">{escape(first)}'
        f'<tspan x="{x}" dy="13">{escape(second)}</tspan></text>'
    )
