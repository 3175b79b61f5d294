"""Report periods in team time: when digests and reviews fall due, and the windows they cover.

Pure functions of an instant, a time zone and a working-day predicate; nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from storage.analytics_dto import TeamInfo

IsWorkday = Callable[[TeamInfo, date], bool]

DIGEST_AT = time(9, 0)
WEEKLY_AT = time(9, 30)
# A digest not sent by the end of the working day is skipped: nothing is pushed outside working hours.
QUIET_FROM = time(18, 0)
FUNNEL_DAYS = 90
_MAX_LOOKBACK = 40  # days; longer than any run of public holidays


def mon_to_fri(team: TeamInfo, day: date) -> bool:
    """The default calendar: Monday to Friday. The scheduler passes the team's country calendar instead."""
    return day.weekday() < 5


def local_instant(day: date, at: time, tz: str) -> datetime:
    """`day` at `at` in zone `tz`, as an aware UTC instant."""
    return datetime.combine(day, at, ZoneInfo(tz)).astimezone(UTC)


def local_day(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def previous_workday(team: TeamInfo, day: date, is_workday: IsWorkday) -> date:
    """The last working day strictly before `day` (or 40 days back when the calendar says none)."""
    for back in range(1, _MAX_LOOKBACK + 1):
        candidate = day - timedelta(days=back)
        if is_workday(team, candidate):
            return candidate
    return day - timedelta(days=_MAX_LOOKBACK)


def digest_window(team: TeamInfo, day: date, is_workday: IsWorkday) -> tuple[datetime, datetime]:
    """The digest of `day` covers [previous working day 09:00, `day` 09:00), team time.

    Consecutive digests therefore cover consecutive windows: weekend and holiday changes land in the
    next working day's digest, and a digest sent late still reports exactly its own window.
    """
    since = local_instant(previous_workday(team, day, is_workday), DIGEST_AT, team.tz)
    return since, local_instant(day, DIGEST_AT, team.tz)


def last_digest_at(team: TeamInfo, now: datetime, is_workday: IsWorkday = mon_to_fri) -> datetime:
    """The most recent scheduled digest instant at or before `now` (what "since the last digest" means)."""
    today = local_day(now, team.tz)
    if is_workday(team, today) and local_instant(today, DIGEST_AT, team.tz) <= now:
        return local_instant(today, DIGEST_AT, team.tz)
    return local_instant(previous_workday(team, today, is_workday), DIGEST_AT, team.tz)


def digest_due(team: TeamInfo, now: datetime, is_workday: IsWorkday) -> date | None:
    """The team-local date whose digest is due at `now`: a working day between 09:00 and 18:00."""
    local = now.astimezone(ZoneInfo(team.tz))
    if not is_workday(team, local.date()) or not DIGEST_AT <= local.time() < QUIET_FROM:
        return None
    return local.date()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_due(team: TeamInfo, now: datetime, is_workday: IsWorkday) -> date | None:
    """The Monday of the week under review, when its review is due at `now`.

    The review goes out at 09:30 on the first working day of the following week (Monday, unless
    Monday is a holiday), before 18:00.
    """
    local = now.astimezone(ZoneInfo(team.tz))
    this_week = week_start(local.date())
    first = next((this_week + timedelta(days=i) for i in range(7) if is_workday(team, this_week + timedelta(days=i))),
                 None)
    if first != local.date() or not WEEKLY_AT <= local.time() < QUIET_FROM:
        return None
    return this_week - timedelta(days=7)


def week_window(monday: date, tz: str) -> tuple[datetime, datetime]:
    return local_instant(monday, time(0), tz), local_instant(monday + timedelta(days=7), time(0), tz)


def month_window(now: datetime, tz: str) -> tuple[datetime, datetime, str]:
    """[first of this month, first of next month) in team time, and its YYYY-MM label."""
    local = now.astimezone(ZoneInfo(tz)).date()
    first = local.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return local_instant(first, time(0), tz), local_instant(following, time(0), tz), f"{first:%Y-%m}"


def funnel_window(now: datetime, tz: str, days: int = FUNNEL_DAYS) -> tuple[datetime, datetime]:
    """The funnel cohort: deals created in the last `days` days and today, in team time."""
    today = local_day(now, tz)
    start = local_instant(today - timedelta(days=days), time(0), tz)
    return start, local_instant(today + timedelta(days=1), time(0), tz)
