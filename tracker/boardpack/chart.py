"""The progress-over-time chart as plain geometry, drawn by the page (SVG) and the PDF alike."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..models import Status
from ..services.board.summary import ProgressPoint

# Stacked from the bottom: what is finished sits on the axis, what has not begun on top.
SERIES: tuple[Status, ...] = (Status.VERIFIED, Status.COMPLETED, Status.IN_PROGRESS, Status.NOT_STARTED)


@dataclass(frozen=True)
class Segment:
    status: Status
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Bar:
    label: str
    label_x: float
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class Gridline:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: list[Bar]
    gridlines: list[Gridline]


def _nice_step(maximum: int, lines: int = 4) -> int:
    if maximum <= lines:
        return 1
    rough = maximum / lines
    magnitude = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= rough:
            return int(multiple * magnitude)
    return int(10 * magnitude)


def point_label(point: ProgressPoint, is_last: bool) -> str:
    return "Today" if is_last else point.day.strftime("%b %y")


def progress_chart(points: list[ProgressPoint], width: float = 640, height: float = 260) -> Chart:
    """Stacked bars, one per point; withdrawn actions are left out (they no longer count)."""
    left, right, top, bottom = 44.0, width - 8, 10.0, height - 28
    totals = [sum(point.by_status[status] for status in SERIES) for point in points]
    step = _nice_step(max(totals, default=0) or 1)
    top_value = max(step, math.ceil(max(totals, default=0) / step) * step)
    scale = (bottom - top) / top_value
    slot = (right - left) / max(len(points), 1)
    bar_width = slot * 0.6
    bars = []
    for index, (point, total) in enumerate(zip(points, totals, strict=True)):
        x = left + index * slot + (slot - bar_width) / 2
        y = bottom
        segments = []
        for status in SERIES:
            count = point.by_status[status]
            if count <= 0:
                continue
            segment_height = count * scale
            y -= segment_height
            segments.append(
                Segment(status, count, round(x, 2), round(y, 2), round(bar_width, 2), round(segment_height, 2))
            )
        bars.append(Bar(point_label(point, index == len(points) - 1), round(x + bar_width / 2, 2), total, segments))
    gridlines = [Gridline(value, round(bottom - value * scale, 2)) for value in range(0, top_value + 1, step)]
    return Chart(width, height, left, right, top, bottom, bars, gridlines)
