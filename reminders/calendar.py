"""Team working days and hours: country holidays (China's adjusted working weekends included) plus overrides.

China's 调休 make-up working days come from `holidays` (`weekend_workdays`, known for 2025 and 2026 in
holidays 0.109); years the package does not know yet are filled in with `[calendar] extra_*` overrides.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from config.settings import CalendarSettings

_LIMIT = 400  # a year of consecutive days off would be a broken calendar: stop rather than loop


class TeamCalendar:
    """Working days by country, working hours in the team's time zone."""

    def __init__(self, country: str = "CN", tz: str = "Asia/Shanghai", *, work_start: time = time(9),
                 work_end: time = time(18), extra_holidays: Iterable[date] = (),
                 extra_workdays: Iterable[date] = ()) -> None:
        self.country = country
        self.zone = ZoneInfo(tz)
        self.work_start, self.work_end = work_start, work_end
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._holidays = holidays.country_holidays(country)

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        # Indexing expands the package's years lazily; weekend_workdays is filled for the years seen.
        if day in self._holidays:
            return False
        if day in getattr(self._holidays, "weekend_workdays", ()):
            return True
        return day.weekday() < 5

    def local(self, at: datetime) -> datetime:
        return at.astimezone(self.zone)

    def is_working_moment(self, at: datetime) -> bool:
        local = self.local(at)
        return self.is_workday(local.date()) and self.work_start <= local.time() < self.work_end

    def at_local(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.zone)

    def next_workday(self, day: date) -> date:
        """The first working day strictly after `day`."""
        for step in range(1, _LIMIT):
            candidate = day + timedelta(days=step)
            if self.is_workday(candidate):
                return candidate
        raise ValueError(f"no working day within {_LIMIT} days after {day}")

    def next_working_moment(self, at: datetime) -> datetime:
        """`at` itself inside working hours, otherwise the start of the next working period."""
        local = self.local(at)
        day = local.date()
        if self.is_workday(day):
            if local.time() < self.work_start:
                return self.at_local(day, self.work_start)
            if local.time() < self.work_end:
                return at
        return self.at_local(self.next_workday(day), self.work_start)

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (start itself never counts)."""
        day = start
        for _ in range(count):
            day = self.next_workday(day)
        return day

    def working_days_later(self, at: datetime, count: int) -> datetime:
        """Same local time `count` working days later, pulled into working hours on that day."""
        local = self.local(at)
        day = self.add_working_days(local.date(), count)
        clock = local.time().replace(tzinfo=None)
        if not self.work_start <= clock < self.work_end:
            clock = self.work_start
        return self.at_local(day, clock)


@lru_cache(maxsize=64)
def _cached(country: str, tz: str, start: time, end: time, off: frozenset[date], on: frozenset[date]) -> TeamCalendar:
    return TeamCalendar(country, tz, work_start=start, work_end=end, extra_holidays=off, extra_workdays=on)


def team_calendar(settings: CalendarSettings, tz: str, country: str | None = None) -> TeamCalendar:
    """The calendar for a team (its country and zone), shared between calls."""
    return _cached((country or settings.country).upper(), tz, settings.work_start, settings.work_end,
                   frozenset(settings.extra_holidays), frozenset(settings.extra_workdays))
