"""The burn-down of a city's days as an SVG chart's coordinates (drawn by the template; the
page's table gives the same figures in words)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format

from .selectors import programme_months

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass
class Tick:
    x: float
    y: float
    label: str


@dataclass
class BurndownChart:
    width: int
    height: int
    plan_points: str  # the allocation spent evenly over the programme
    used_points: str  # the days left after each month
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot_bottom: int
    plot_left: int
    plot_right: int


def burndown_chart(workload: Any, programme: Any) -> BurndownChart:
    months = programme_months(programme)
    allocation = workload.allocation_days
    lowest = min([Decimal("0"), *(left for _m, left in workload.by_month)])
    span = (allocation - lowest) or Decimal("1")
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: float) -> float:
        return round(LEFT + plot_w * index / len(months), 1)

    def y(days: Decimal) -> float:
        return round(TOP + plot_h * float((allocation - days) / span), 1)

    plan = f"{x(0)},{y(allocation)} {x(len(months))},{y(Decimal('0'))}"
    left_after = dict(workload.by_month)
    used, left = [f"{x(0)},{y(allocation)}"], allocation
    for index, month in enumerate(months, start=1):
        if month in left_after:
            left = left_after[month]
        if month > max(left_after, default=months[0]):
            break
        used.append(f"{x(index)},{y(left)}")
    # At most seven month names ("Oct 2017", "sept. 2017") fit side by side on the axis.
    step = max(1, -(-len(months) // 7))
    x_ticks = [
        Tick(x(i), HEIGHT - BOTTOM + 16, date_format(m, "SHORT_YEAR_MONTH_FORMAT"))
        for i, m in enumerate(months)
        if i % step == 0
    ]
    y_values = [allocation * Decimal(k) / 4 for k in range(5)] + ([lowest] if lowest < 0 else [])
    y_ticks = [Tick(LEFT - 6, y(v) + 4, f"{v.normalize():f}") for v in y_values]
    return BurndownChart(
        WIDTH,
        HEIGHT,
        plan,
        " ".join(used),
        x_ticks,
        y_ticks,
        HEIGHT - BOTTOM,
        LEFT,
        WIDTH - RIGHT,
    )
