"""Geometry of the gap charts, computed here so that templates only draw.

Charts never rely on colour alone: every bar carries its phase's pattern and its level as text,
every heat-map cell its level as a number and a mark for high priority; each chart has a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from programmes.models import RatingLevel

from .choices import Phase, Priority
from .selectors import FactorLine, ThemeComparison

# Bars of each phase: a fill class and a pattern, told apart without colour.
PHASE_STYLE = {
    Phase.BASELINE: "bar-baseline",
    Phase.MID_TERM: "bar-mid-term",
    Phase.FINAL: "bar-final",
}
NOT_RATED = "\u2013"  # an en dash: no level given
_LABEL_WIDTH, _PLOT_WIDTH, _BAR_HEIGHT, _ROW_GAP = 70, 420, 14, 12


@dataclass
class Bar:
    phase: str
    phase_label: str
    css: str
    x: int
    y: int
    width: int
    height: int
    text: str
    text_x: int


@dataclass
class BarRow:
    code: str
    y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Tick:
    x: int
    label: str
    level: int


@dataclass
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_bottom: int
    rows: list[BarRow]
    ticks: list[Tick]


def bar_chart(lines: list[FactorLine], phases: list[str], scale: list[RatingLevel]) -> BarChart:
    """Horizontal bars: one group per key factor, one bar per phase, length = level."""
    top = max((r.level for r in scale), default=1) or 1
    labels = {r.level: r.label for r in scale}
    unit = _PLOT_WIDTH / top
    rows: list[BarRow] = []
    y = 10
    for line in lines:
        row = BarRow(code=line.code, y=y)
        for phase in phases:
            level = line.levels.get(phase)
            width = round((level or 0) * unit)
            row.bars.append(
                Bar(
                    phase=phase,
                    phase_label=str(Phase(phase).label),
                    css=PHASE_STYLE[Phase(phase)],
                    x=_LABEL_WIDTH,
                    y=y,
                    width=max(width, 2),
                    height=_BAR_HEIGHT,
                    text=NOT_RATED if level is None else f"{level} {labels.get(level, '')}",
                    text_x=_LABEL_WIDTH + max(width, 2) + 6,
                )
            )
            y += _BAR_HEIGHT + 2
        rows.append(row)
        y += _ROW_GAP
    ticks = [
        Tick(x=_LABEL_WIDTH + round(r.level * unit), label=r.label, level=r.level) for r in scale
    ]
    return BarChart(
        width=_LABEL_WIDTH + _PLOT_WIDTH + 160,
        height=y + 30,
        plot_left=_LABEL_WIDTH,
        plot_bottom=y,
        rows=rows,
        ticks=ticks,
    )


_CELL_W, _CELL_H, _CITY_W, _HEAD_H = 56, 30, 150, 28


@dataclass
class HeatCell:
    x: int
    y: int
    css: str
    text: str
    title: str
    high: bool


@dataclass
class HeatMapRow:
    label: str
    y: int
    cells: list[HeatCell]


@dataclass
class HeatMap:
    width: int
    height: int
    cell_width: int
    cell_height: int
    columns: list[tuple[str, int]]  # (code, x of the column's centre)
    rows: list[HeatMapRow]


def heat_map(comparison: ThemeComparison) -> HeatMap:
    """Cities down, key factors across; each cell shaded by level and labelled with it."""
    labels = {r.level: r.label for r in comparison.scale}
    columns = [
        (f.code, _CITY_W + i * _CELL_W + _CELL_W // 2) for i, f in enumerate(comparison.key_factors)
    ]
    rows = []
    for r, row in enumerate(comparison.rows):
        y = _HEAD_H + r * _CELL_H
        cells = []
        for c, rating in enumerate(row.cells):
            level = rating.level if rating is not None else None
            high = rating is not None and rating.priority == Priority.HIGH
            cells.append(
                HeatCell(
                    x=_CITY_W + c * _CELL_W,
                    y=y,
                    css="heat-none" if level is None else f"heat-{min(level, 3)}",
                    text=(NOT_RATED if level is None else str(level)) + (" ▲" if high else ""),
                    title=f"{row.city.name}, {comparison.key_factors[c].code}: "
                    + (NOT_RATED if level is None else f"{level} {labels.get(level, '')}"),
                    high=high,
                )
            )
        rows.append(HeatMapRow(label=row.city.name, y=y, cells=cells))
    return HeatMap(
        width=_CITY_W + len(columns) * _CELL_W + 10,
        height=_HEAD_H + len(rows) * _CELL_H + 10,
        cell_width=_CELL_W,
        cell_height=_CELL_H,
        columns=columns,
        rows=rows,
    )
