"""Calendar arithmetic for the chat date grammar: weeks, month ends, yearless dates, working days.

Pure functions of dates; the rule numbers (R3, R14…) refer to shared/conventions/dates-and-times.md.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# Years searched forward for a yearless date such as 2月29日; 8 covers any leap-year gap.
_YEAR_SEARCH = 8


def monday_of(day: date) -> date:
    """Monday of the ISO (Monday→Sunday) week containing ``day`` (R2)."""
    return day - timedelta(days=day.weekday())


def weekday_on_or_after(today: date, weekday: int) -> date:
    """Nearest date on or after today with that weekday; today counts (R3)."""
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def weekday_in_week(today: date, weekday: int, weeks_ahead: int) -> date:
    """Day ``weekday`` of the week ``weeks_ahead`` weeks from the current one (R4/R5: 0 = this week)."""
    return monday_of(today) + timedelta(days=7 * weeks_ahead + weekday)


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """Same day of month ``months`` later, clamped to a shorter month's last day (R13)."""
    result: date = day + relativedelta(months=months)
    return result


def first_of_month(day: date, months_ahead: int) -> date:
    return add_months(day.replace(day=1), months_ahead)


def safe_date(year: int, month: int, day: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if day > last_day_of_month(year, month):
        return None
    return date(year, month, day)


def month_day_on_or_after(today: date, month: int, day: int) -> date | None:
    """First M/D on or after today (R14), skipping years that lack it (Feb 29); None if it never exists."""
    for year in range(today.year, today.year + _YEAR_SEARCH + 1):
        candidate = safe_date(year, month, day)
        if candidate is not None and candidate >= today:
            return candidate
    return None


def day_of_month_on_or_after(today: date, day: int) -> date | None:
    """First date on or after today whose day of month is ``day``, skipping short months (R14)."""
    if not 1 <= day <= 31:
        return None
    cursor = today.replace(day=1)
    for _ in range(13):
        candidate = safe_date(cursor.year, cursor.month, day)
        if candidate is not None and candidate >= today:
            return candidate
        cursor = add_months(cursor, 1)
    return None


def month_end(day: date, months_ahead: int = 0) -> date:
    first = first_of_month(day, months_ahead)
    return first.replace(day=last_day_of_month(first.year, first.month))


def quarter_start(day: date, quarters_ahead: int) -> date:
    first_month = 3 * ((day.month - 1) // 3) + 1
    return add_months(date(day.year, first_month, 1), 3 * quarters_ahead)


def quarter_end(day: date, quarters_ahead: int) -> date:
    start = quarter_start(day, quarters_ahead)
    return month_end(start, 2)


def is_weekday_workday(day: date) -> bool:
    """Default working-day test when the team calendar is not supplied: Monday to Friday."""
    return day.weekday() < 5


def add_workdays(today: date, count: int, is_workday: Callable[[date], bool] | None) -> date:
    """The ``count``-th working day after today (today itself never counts)."""
    test = is_workday or is_weekday_workday
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    cursor = today
    # A year of consecutive holidays would be a broken calendar; stop rather than loop forever.
    for _ in range(366 + 2 * remaining):
        if remaining == 0:
            break
        cursor += timedelta(days=step)
        if test(cursor):
            remaining -= 1
    return cursor
