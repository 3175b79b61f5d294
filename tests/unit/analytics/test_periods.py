"""When digests and weekly reviews fall due in team time, and which windows they cover."""

from __future__ import annotations

from datetime import date, datetime

from storage.analytics_dto import TeamInfo
from storage.services.analytics_periods import (
    digest_due,
    digest_window,
    last_digest_at,
    mon_to_fri,
    month_window,
    weekly_due,
)

SHANGHAI = TeamInfo(1, "sales", "Asia/Shanghai", "zh-CN", "CN")
LONDON = TeamInfo(2, "emea", "Europe/London", "en", "GB")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_digest_is_due_from_nine_on_a_working_day() -> None:
    assert digest_due(SHANGHAI, at("2026-11-30T08:59:00+08:00"), mon_to_fri) is None
    assert digest_due(SHANGHAI, at("2026-11-30T09:00:00+08:00"), mon_to_fri) == date(2026, 11, 30)


def test_digest_is_not_due_on_a_weekend_or_after_working_hours() -> None:
    assert digest_due(SHANGHAI, at("2026-11-28T09:30:00+08:00"), mon_to_fri) is None
    assert digest_due(SHANGHAI, at("2026-11-30T18:00:00+08:00"), mon_to_fri) is None


def test_digest_follows_the_teams_own_clock() -> None:
    # 09:00 in Shanghai is 01:00 in London: only the Shanghai team is due.
    now = at("2026-11-30T01:00:00+00:00")
    assert digest_due(SHANGHAI, now, mon_to_fri) == date(2026, 11, 30)
    assert digest_due(LONDON, now, mon_to_fri) is None


def test_mondays_digest_covers_the_weekend() -> None:
    since, until = digest_window(SHANGHAI, date(2026, 11, 30), mon_to_fri)
    assert (since, until) == (at("2026-11-27T09:00:00+08:00"), at("2026-11-30T09:00:00+08:00"))


def test_a_holiday_is_skipped_by_the_calendar_given() -> None:
    def no_mondays(team: TeamInfo, day: date) -> bool:
        return day.weekday() in (1, 2, 3, 4)

    assert digest_due(SHANGHAI, at("2026-11-30T09:00:00+08:00"), no_mondays) is None
    since, _ = digest_window(SHANGHAI, date(2026, 12, 1), no_mondays)
    assert since == at("2026-11-27T09:00:00+08:00")


def test_on_demand_digest_starts_at_the_last_scheduled_one() -> None:
    assert last_digest_at(SHANGHAI, at("2026-11-30T15:00:00+08:00")) == at("2026-11-30T09:00:00+08:00")
    assert last_digest_at(SHANGHAI, at("2026-11-30T08:00:00+08:00")) == at("2026-11-27T09:00:00+08:00")


def test_weekly_review_is_due_monday_half_past_nine_for_last_week() -> None:
    assert weekly_due(SHANGHAI, at("2026-11-30T09:29:00+08:00"), mon_to_fri) is None
    assert weekly_due(SHANGHAI, at("2026-11-30T09:30:00+08:00"), mon_to_fri) == date(2026, 11, 23)
    assert weekly_due(SHANGHAI, at("2026-12-01T09:30:00+08:00"), mon_to_fri) is None


def test_month_window_is_in_team_time() -> None:
    start, end, label = month_window(at("2026-11-30T17:00:00+00:00"), "Asia/Shanghai")  # Dec 1, 01:00 local
    assert (start, end, label) == (at("2026-12-01T00:00:00+08:00"), at("2027-01-01T00:00:00+08:00"), "2026-12")
