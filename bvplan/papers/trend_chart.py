"""A measure's trend as a small inline SVG: a line through the latest value of each reporting period.

Pure: values in, SVG text out. The picture is never the only record: it carries a title stating
every value (what a screen reader reads), and the paper prints the trend in words beside it. It
reads in greyscale: a solid line with a marked point per period and the latest point larger.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 96, 24, 4


def sparkline(values: Sequence[float], description: str) -> str:
    """An SVG of `values` (oldest first); `description` is its text alternative."""
    label = escape(description, quote=True)
    head = f'<svg class="trend" role="img" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
    head += f'xmlns="http://www.w3.org/2000/svg" aria-label="{label}"><title>{label}</title>'
    if not values:
        return head + "</svg>"
    low, high = min(values), max(values)
    span = high - low or 1.0
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    points = [
        (PAD + i * step if len(values) > 1 else WIDTH / 2, HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD))
        for i, v in enumerate(values)
    ]
    if high == low:  # a flat line, or one point, sits in the middle, not on the floor
        points = [(x, HEIGHT / 2) for x, _y in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    parts = [head]
    if len(points) > 1:
        parts.append(f'<polyline points="{path}" fill="none" stroke="#222222" stroke-width="1.5"/>')
    for index, (x, y) in enumerate(points):
        radius = 3 if index == len(points) - 1 else 1.8
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="#222222"/>')
    parts.append("</svg>")
    return "".join(parts)
