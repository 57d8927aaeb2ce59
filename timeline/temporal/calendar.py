"""Calendar arithmetic for the resolver: unit extents, shifts, weeks, seasons, thirds."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Shift by whole months, clamping the day to the target month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def week_start(day: date) -> date:
    """The Monday of the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


def week_value(day: date) -> str:
    """TIMEX3 week value (`2019-W04`) of the ISO week holding `day`."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def season_extent(year: int, code: str) -> tuple[date, date]:
    """First and last day of a season; winter runs December to February of the next year."""
    first, last = SEASON_MONTHS[code]
    end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
    return date(year, first, 1), month_end(end_year, end_month)


def shift(day: date, amount: int, unit: str) -> date:
    """`day` moved by `amount` units exactly (D, W, M, Q, Y, DE, CE; clock units in whole days)."""
    if unit == "D":
        return day + timedelta(days=amount)
    if unit == "W":
        return day + timedelta(weeks=amount)
    if unit in ("M", "Q", "Y", "DE", "CE"):
        months = {"M": 1, "Q": 3, "Y": 12, "DE": 120, "CE": 1200}[unit]
        return add_months(day, amount * months)
    hours = {"TH": 1, "TM": 1 / 60, "TS": 1 / 3600}[unit]
    return day + timedelta(
        days=int(amount * hours // 24) if amount >= 0 else -int(-amount * hours // 24)
    )


def extent(day: date, unit: str) -> tuple[str, date, date, str]:
    """(value, first day, last day, precision) of the calendar unit holding `day`."""
    if unit == "W":
        monday = week_start(day)
        return week_value(day), monday, monday + timedelta(days=6), "week"
    if unit == "M":
        return f"{day:%Y-%m}", day.replace(day=1), month_end(day.year, day.month), "month"
    if unit == "Q":
        quarter = (day.month - 1) // 3 + 1
        first = date(day.year, quarter * 3 - 2, 1)
        return f"{day.year:04d}-Q{quarter}", first, month_end(day.year, quarter * 3), "month"
    if unit == "Y":
        return f"{day.year:04d}", date(day.year, 1, 1), date(day.year, 12, 31), "year"
    if unit in ("DE", "CE"):
        size = 10 if unit == "DE" else 100
        first = day.year // size * size
        value = str(first)[: 3 if unit == "DE" else 2]
        precision = "decade" if unit == "DE" else "year"
        return value, date(first, 1, 1), date(first + size - 1, 12, 31), precision
    return day.isoformat(), day, day, "day"


def third(first: date, last: date, precision: str, part: str) -> tuple[date, date]:
    """The START/MID/END third of an interval the way news means it (mid-October = 11-20)."""
    if precision == "month":
        bounds = {"START": (1, 10), "MID": (11, 20), "END": (21, last.day)}[part]
        return first.replace(day=bounds[0]), first.replace(day=bounds[1])
    if precision == "week":
        monday = week_start(first)
        days = {"START": (0, 1), "MID": (2, 3), "END": (4, 6)}[part]
        return monday + timedelta(days=days[0]), monday + timedelta(days=days[1])
    if precision == "decade":
        years = {"START": (0, 3), "MID": (4, 6), "END": (7, 9)}[part]
        return date(first.year + years[0], 1, 1), date(first.year + years[1], 12, 31)
    if precision in ("year", "season"):
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        size = max(1, months // 3)
        offset = {"START": 0, "MID": size, "END": months - size}[part]
        start = add_months(first, offset)
        end_month = add_months(first, offset + size - 1 if part != "END" else months - 1)
        return start, month_end(end_month.year, end_month.month)
    return first, last
