"""Server-rendered SVG charts, as pure geometry: data in, shapes out.

Templates draw what these return (`learning/_bar_chart.html`,
`learning/_heatmap.html`); every chart also carries its numbers for the table
behind "Show data", so no figure exists only as a picture.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    x: float
    y: float
    width: float
    height: float


@dataclass
class BarChart:
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar]
    max_value: float
    baseline: float
    unit: str = ""
    marks: list[tuple[str, float]] = field(default_factory=list)

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
class Cell:
    day: date
    count: int
    x: int
    y: int
    level: int


@dataclass
class Heatmap:
    title: str
    description: str
    cells: list[Cell]
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
            Cell(
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
