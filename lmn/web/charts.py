"""Bar charts as inline SVG, drawn on the server: no script, nothing for the Content
Security Policy to allow. Each chart is an image with a title and a description, and
the page shows the same numbers as a table beside it (WCAG 1.1.1, 1.4.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
HEIGHT = 240
AXIS = 28  # room under the bars for the labels
TOP = 18  # room above the tallest bar for its value
GAP = 0.25  # of each slot left empty between bars


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    shown: str  # the value as text, e.g. "12" or "16,7 %"
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def baseline(self) -> int:
        return self.height - AXIS

    @property
    def label_y(self) -> int:
        return self.height - 8


def bar_chart(
    chart_id: str,
    title: str,
    points: list[tuple[str, Decimal | int]],
    *,
    suffix: str = "",
) -> Chart:
    """Bars of `points` (label, value), scaled to the largest; negative values as 0."""
    slot = WIDTH / max(len(points), 1)
    top = max((float(v) for _, v in points), default=0.0) or 1.0
    room = HEIGHT - AXIS - TOP
    bars = []
    for n, (label, value) in enumerate(points):
        height = max(float(value), 0.0) / top * room
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=f"{value}{suffix}".replace(".", ","),
                x=round(n * slot + slot * GAP / 2, 1),
                y=round(HEIGHT - AXIS - height, 1),
                width=round(slot * (1 - GAP), 1),
                height=round(height, 1),
            )
        )
    described = "; ".join(f"{b.label}: {b.shown}" for b in bars)
    return Chart(chart_id, title, described, bars)
