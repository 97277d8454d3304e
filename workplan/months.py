"""Months of a programme: M1 starts on the programme's start date, M(n) a calendar month later
per step, and ends the day before M(n+1) starts (the EU grants' way of counting)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(programme_start: date, month: int) -> date:
    """The first day of month `month` (1-based) of a programme starting on `programme_start`."""
    return _add_months(programme_start, month - 1)


def month_end(programme_start: date, month: int) -> date:
    """The last day of month `month`: what "due in month n" means."""
    return _add_months(programme_start, month) - timedelta(days=1)


def month_of(programme_start: date, day: date) -> int:
    """The programme month a day falls in (0 or less: before the programme started)."""
    months = (day.year - programme_start.year) * 12 + day.month - programme_start.month
    if day >= month_start(programme_start, months + 1):
        return months + 1
    return months
