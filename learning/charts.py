"""Server-rendered SVG charts, as pure geometry: data in, shapes out.

Templates draw what these return (`learning/_bar_chart.html`,
`learning/_heatmap.html`); every chart also carries its numbers for the table
behind "Show data", so no figure exists only as a picture.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from . import formatting


class Drawn:
    """A chart whose drawing is kept: `digest` names everything it shows (every
    field, the translated title and description included), so a template keeps
    the SVG it drew under it, with the language, in any cache (bench/README.md)."""

    @property
    def digest(self) -> str:
        # A lazy translation's repr names the object, not the text: take the text.
        plain = replace(self, title=str(self.title), description=str(self.description))
        return hashlib.blake2b(repr(plain).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass
class BarChart(Drawn):
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    max_value: float
    baseline: float
    unit: str = ""
    marks: list[tuple[str, float]] = field(default_factory=list)
    # Write each bar's value above it (a histogram's counts).
    labelled: bool = False

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def bar_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    description: str,
    width: int = 640,
    height: int = 200,
    unit: str = "",
) -> BarChart:
    """Vertical bars, one per point, scaled so the largest fills the height."""
    top, bottom = 16, 24
    plot = height - top - bottom
    biggest = max((value for _, value in points), default=0) or 1
    slot = width / max(1, len(points))
    bars = [
        Bar(
            label=label,
            value=value,
            x=round(i * slot + slot * 0.1, 2),
            y=round(top + plot - plot * value / biggest, 2),
            width=round(slot * 0.8, 2),
            height=round(plot * value / biggest, 2),
        )
        for i, (label, value) in enumerate(points)
    ]
    return BarChart(
        title=title,
        description=description,
        width=width,
        height=height,
        bars=bars,
        max_value=max((value for _, value in points), default=0),
        baseline=top + plot,
        unit=unit,
    )


@dataclass(frozen=True)
class DayCell:
    day: date
    count: int
    x: int
    y: int
    level: int


@dataclass
class Heatmap:
    title: str
    description: str
    cells: list[DayCell]
    width: int
    height: int
    size: int

    @property
    def empty(self) -> bool:
        return not any(cell.count for cell in self.cells)


def calendar_heatmap(
    counts: dict[date, int], *, end: date, days: int, title: str, description: str, size: int = 12
) -> Heatmap:
    """A GitHub-style calendar: a column per week, a row per weekday (Monday on top),
    each cell shaded in five levels relative to the busiest day."""
    start = end - timedelta(days=days - 1)
    first_monday = start - timedelta(days=start.weekday())
    busiest = max(counts.values(), default=0)
    cells = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        count = counts.get(day, 0)
        level = min(4, 1 + int(3 * count / busiest)) if count else 0
        week = (day - first_monday).days // 7
        cells.append(
            DayCell(
                day=day, count=count, x=week * (size + 2), y=day.weekday() * (size + 2), level=level
            )
        )
    weeks = (end - first_monday).days // 7 + 1
    return Heatmap(
        title=title,
        description=description,
        cells=cells,
        width=weeks * (size + 2),
        height=7 * (size + 2),
        size=size,
    )


def percent_of(part: int, whole: int) -> int:
    """`part` as a whole percentage of `whole`; 0 of nothing is 0 %."""
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    total: int
    y: float
    width: float

    @property
    def percent(self) -> int:
        return percent_of(self.value, self.total)


@dataclass
class HBarChart(Drawn):
    title: str
    description: str
    bars: list[HBar]
    width: int
    height: int
    bar_height: int

    @property
    def empty(self) -> bool:
        return not any(bar.value for bar in self.bars)


def share_chart(
    rows: list[tuple[str, int, int]],
    *,
    title: str,
    description: str,
    width: int = 360,
    bar_height: int = 18,
) -> HBarChart:
    """Horizontal bars of `value` out of `total` per row (a share, 0 to 100 %),
    each bar drawn on a full-width track so the share reads at a glance."""
    # Each label sits above its bar, so a narrow screen keeps the bar's full width.
    step = bar_height * 2 + 8
    bars = [
        HBar(
            label=label,
            value=value,
            total=total,
            y=i * step + bar_height,
            width=round(width * value / total, 2) if total else 0,
        )
        for i, (label, value, total) in enumerate(rows)
    ]
    return HBarChart(
        title=title,
        description=description,
        bars=bars,
        width=width,
        height=max(step, len(rows) * step),
        bar_height=bar_height,
    )


@dataclass(frozen=True)
class Point:
    label: str
    value: float
    x: float
    y: float


@dataclass
class LineChart(Drawn):
    title: str
    description: str
    points: list[Point]
    width: int
    height: int
    mark: float | None
    mark_y: float | None
    top: float
    bottom: float

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)

    @property
    def empty(self) -> bool:
        return not self.points


def line_chart(
    points: list[tuple[str, float]],
    *,
    title: str,
    description: str,
    mark: float | None = None,
    maximum: float = 100,
    width: int = 360,
    height: int = 160,
) -> LineChart:
    """Values from 0 to `maximum` as points joined by a line, left to right in the
    order given, with an optional horizontal mark (a pass mark)."""
    top, bottom, side = 10, 20, 10
    plot_h, plot_w = height - top - bottom, width - 2 * side

    def y_of(value: float) -> float:
        return round(top + plot_h - plot_h * min(value, maximum) / maximum, 2)

    gap = plot_w / max(1, len(points) - 1)
    placed = [
        Point(label=label, value=value, x=round(side + i * gap, 2), y=y_of(value))
        for i, (label, value) in enumerate(points)
    ]
    if len(placed) == 1:
        placed = [Point(placed[0].label, placed[0].value, width / 2, placed[0].y)]
    return LineChart(
        title=title,
        description=description,
        points=placed,
        width=width,
        height=height,
        mark=mark,
        mark_y=y_of(mark) if mark is not None else None,
        top=top,
        bottom=top + plot_h,
    )


def histogram(
    percents: list[float],
    *,
    title: str,
    description: str,
    mark: float | None = None,
    width: int = 360,
    height: int = 160,
) -> BarChart:
    """Grades from 0 to 100 % counted in ten bins (the last one takes 100), with
    an optional vertical mark at the pass mark."""
    counts = [0] * 10
    for percent in percents:
        counts[min(9, max(0, int(percent // 10)))] += 1
    dash = "\u2013"
    labels = [*(f"{10 * i}{dash}{10 * i + 9}" for i in range(9)), f"90{dash}100"]
    chart = bar_chart(
        list(zip(labels, counts, strict=True)),
        title=title,
        description=description,
        width=width,
        height=height,
    )
    if mark is not None:
        chart.marks = [(formatting.percent(mark), round(width * mark / 100, 2))]
    chart.labelled = True
    return chart
