"""The whitespace matrix laid out for the page, and its heat map (Plotly)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import plotly.graph_objects as go

from steward.accounts.choices import OPEN_HOLDERS, Holder
from steward.accounts.models import WhitespaceCell
from steward.catalog.models import ProductFamily
from steward.core.charts import base_layout, plain_text

# Holders in the heat map's order, each with its colour: from "no business" to "ours".
HOLDER_SCALE: tuple[tuple[str, str], ...] = (
    (Holder.NOT_A_FIT, "#d5d8dc"),
    (Holder.UNKNOWN, "#aab7b8"),
    (Holder.IN_HOUSE, "#d9822b"),
    (Holder.COMPETITOR, "#c0392b"),
    (Holder.US, "#2e8540"),
)
HOLDER_INDEX = {holder: index for index, (holder, _) in enumerate(HOLDER_SCALE)}


@dataclass
class MatrixLine:
    label: str
    key: tuple[int, int | None]
    cells: list[tuple[ProductFamily, WhitespaceCell | None]] = field(default_factory=list)


@dataclass
class MatrixTable:
    lines: list[MatrixLine]
    missing: int

    @property
    def open_cells(self) -> int:
        return sum(
            1
            for line in self.lines
            for _, cell in line.cells
            if cell is not None and cell.holder in OPEN_HOLDERS
        )


def matrix_table(
    rows: Sequence[Any], families: Sequence[ProductFamily], cells: Iterable[WhitespaceCell]
) -> MatrixTable:
    """Rows (locations, buying units) x families, each place holding its cell or None."""
    by_place = {(c.site_id, c.buying_unit_id, c.family_id): c for c in cells}
    lines = []
    missing = 0
    for row in rows:
        line = MatrixLine(label=row.label, key=row.key)
        for family in families:
            cell = by_place.get((*row.key, family.pk))
            missing += cell is None
            line.cells.append((family, cell))
        lines.append(line)
    return MatrixTable(lines=lines, missing=missing)


def _colorscale() -> list[list[Any]]:
    steps = len(HOLDER_SCALE)
    scale: list[list[Any]] = []
    for index, (_, colour) in enumerate(HOLDER_SCALE):
        scale.append([index / steps, colour])
        scale.append([(index + 1) / steps, colour])
    return scale


def heatmap_figure(table: MatrixTable, families: Sequence[ProductFamily]) -> Any:
    """Cells coloured by who holds them; the text is the potential of the cell."""
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for line in table.lines:
        z.append(
            [
                HOLDER_INDEX[cell.holder] + 0.5 if cell is not None else None
                for _, cell in line.cells
            ]
        )
        text.append(
            [
                (
                    f"{cell.get_holder_display()}"
                    + (f" ({plain_text(cell.competitor)})" if cell.competitor else "")
                    + (
                        f"<br>potential {cell.potential:,.0f} {cell.currency}"
                        if cell.potential
                        else ""
                    )
                )
                if cell is not None
                else "no cell"
                for _, cell in line.cells
            ]
        )
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[plain_text(family.name) for family in families],
            y=[plain_text(line.label) for line in table.lines],
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
            zmin=0,
            zmax=len(HOLDER_SCALE),
            colorscale=_colorscale(),
            showscale=False,
            xgap=2,
            ygap=2,
        )
    )
    height = max(220, 60 * len(table.lines) + 80)
    figure.update_layout(**base_layout(height=height, yaxis={"autorange": "reversed"}))
    return figure
