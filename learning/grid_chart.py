"""The mastery grid of a class (a row a student, a column a part of the text), as pure geometry:
data in, shapes out, drawn by `learning/_grid.html`. Split from `charts.py`, whose
`Drawn` it shares."""

from dataclasses import dataclass

from .charts import Drawn, percent_of


@dataclass(frozen=True)
class GridCell:
    x: int
    y: int
    known: int
    total: int
    level: int

    @property
    def percent(self) -> int:
        return percent_of(self.known, self.total)


@dataclass
class Grid(Drawn):
    title: str
    description: str
    rows: list[str]
    columns: list[str]
    cells: list[list[GridCell]]
    width: int
    height: int
    label_width: int
    size: int

    @property
    def empty(self) -> bool:
        return not self.rows or not any(c.known for row in self.cells for c in row)

    @property
    def lines(self) -> list[tuple[str, float, list[GridCell]]]:
        """Each row's label, the baseline of its label, and its cells."""
        return [
            (label, row[0].y + self.size * 0.7 if row else 0, row)
            for label, row in zip(self.rows, self.cells, strict=True)
        ]

    top: int = 20

    @property
    def headers(self) -> list[tuple[int, str, float]]:
        """Each column's number, name and the x of its centre; the names are
        written slanted above the columns."""
        return [
            (n, name, self.label_width + (n - 1) * (self.size + 2) + self.size / 2)
            for n, name in enumerate(self.columns, start=1)
        ]

    @property
    def header_y(self) -> int:
        return self.top - 6

    @property
    def legend(self) -> list[tuple[int, int, int]]:
        """(shade, lowest percent, highest percent) of each of the five shades."""
        return [(level, 20 * level, 20 * level + 19 if level < 4 else 100) for level in range(5)]


def share_grid(
    rows: list[str],
    columns: list[str],
    values: list[list[tuple[int, int]]],
    *,
    title: str,
    description: str,
    size: int = 22,
    label_width: int = 130,
    top: int = 110,
) -> Grid:
    """A heat map of shares (known of total), a row per student and a column per
    bank, in five shades from none to all; `top` leaves room for the column
    names, slanted."""
    cells = [
        [
            GridCell(
                x=label_width + j * (size + 2),
                y=top + i * (size + 2),
                known=known,
                total=total,
                level=min(4, int(5 * known / total)) if total else 0,
            )
            for j, (known, total) in enumerate(row)
        ]
        for i, row in enumerate(values)
    ]
    return Grid(
        title=title,
        description=description,
        rows=rows,
        columns=columns,
        cells=cells,
        # Room on the right for the last name's slant.
        width=label_width + len(columns) * (size + 2) + top,
        height=top + len(rows) * (size + 2),
        label_width=label_width,
        size=size,
        top=top,
    )
