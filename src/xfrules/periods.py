"""Calendar arithmetic for obligation periods: windows, due dates, months."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .kinds.base import ObligationBase, Period

__all__ = [
    "Window",
    "around_day_window",
    "month_due",
    "months_between",
    "period_label",
    "shift_years",
    "window_for",
]


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    due: date


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def shift_years(day: date, years: int) -> date:
    """Same calendar day ``years`` earlier or later (29 Feb falls back to 28 Feb)."""
    year = day.year + years
    return date(year, day.month, min(day.day, _last_day(year, day.month)))


def month_due(period: Period, year: int, month: int) -> date:
    """The due date of the report for ``year``-``month``."""
    assert period.due_day is not None
    if period.due_next_month:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return date(year, month, min(period.due_day, _last_day(year, month)))


def months_between(start: date, end: date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def around_day_window(period: Period, year: int) -> Window:
    """The days around ``period.day`` in ``year`` (国家扶贫日前后: 10-17 ± the days given).

    29 February falls back to 28 February in a common year."""
    assert period.day is not None
    month, day = (int(x) for x in period.day.split("-"))
    anchor = date(year, month, min(day, _last_day(year, month)))
    end = anchor + timedelta(days=period.days_after)
    return Window(
        anchor - timedelta(days=period.days_before),
        end,
        end + timedelta(days=period.grace_days),
    )


def period_label(start: date | None, end: date | None) -> str:
    """A period as people write it: ``2020`` for a calendar year, ``2020-05`` for a month,
    ``2019-05-27..2020-12-31`` otherwise; ``-`` when there is none."""
    if start is None or end is None:
        return "-"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    whole_month = start.day == 1 and end.day == _last_day(end.year, end.month)
    if (start.year, start.month) == (end.year, end.month) and whole_month:
        return f"{start:%Y-%m}"
    return f"{start}..{end}"


def window_for(obligation: ObligationBase, as_of: date) -> Window:
    """The period an obligation measures on ``as_of`` and when that period is due."""
    period = obligation.period
    grace = timedelta(days=period.grace_days)
    if period.frequency == "fixed":
        assert period.start is not None and period.end is not None
        return Window(period.start, period.end, period.due or period.end + grace)
    if period.frequency == "annual":
        end = date(as_of.year, 12, 31)
        return Window(date(as_of.year, 1, 1), end, end + grace)
    if period.frequency == "around_day":
        return around_day_window(period, as_of.year)
    last = _last_day(as_of.year, as_of.month)
    start, end = date(as_of.year, as_of.month, 1), date(as_of.year, as_of.month, last)
    return Window(start, end, month_due(period, as_of.year, as_of.month))
