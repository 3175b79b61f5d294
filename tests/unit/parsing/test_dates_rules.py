"""Own cases per rule beyond the conventions' examples: spans, flags, guards, and the 'beyond' section."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.parsing.dates import WhenMatch, find_when, parse_when

SHANGHAI = ZoneInfo("Asia/Shanghai")
FRI = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
MON = datetime(2026, 11, 30, 9, 30, tzinfo=SHANGHAI)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def find(text: str, now: datetime = FRI) -> WhenMatch:
    found = find_when(text, now, "Asia/Shanghai")
    assert found is not None, text
    return found


@pytest.mark.parametrize(("text", "span"), [
    ("跟进 华为 电话沟通 下次 周五下午3点", "周五下午3点"),
    ("客户周五前回复报价", "周五前"),
    ("合同月底之前签", "月底之前"),
    ("send the quote by Friday please", "by Friday"),
    ("call Bob tomorrow at 3pm about pricing", "tomorrow at 3pm"),
    ("demo 12月5日到12月7日 北京", "12月5日到12月7日"),
    ("明天下午3-4点开会", "明天下午3-4点"),
    ("下次 next Tue 下午2点 再聊", "next Tue 下午2点"),
    ("明天下午３点拜访", "明天下午３点"),
    ("提醒我 半小时后 回电", "半小时后"),
    ("meeting on Dec 5 at 10am", "on Dec 5 at 10am"),
    ("东京时间明天下午3点开会", "东京时间明天下午3点"),
])
def test_span_covers_the_whole_expression(text: str, span: str) -> None:
    found = find(text)
    assert text[found.start:found.end] == span


def test_next_keyword_before_chinese_weekday_is_not_in_span() -> None:
    found = find("跟进 ACME next 周五下午3点")
    assert found.when == local(2026, 11, 27, 15)
    assert "next" not in "跟进 ACME next 周五下午3点"[found.start:found.end]


@pytest.mark.parametrize(("text", "date_only"), [
    ("明天", True), ("月底", True), ("EOD", True), ("3天后", True), ("明天下午3点", False),
    ("明天下午", False), ("半小时后", False), ("下午3点", False),
])
def test_date_only_flag(text: str, date_only: bool) -> None:
    assert find(text).date_only is date_only


def test_result_is_expressed_in_sender_zone_whatever_offset_now_has() -> None:
    now_in_utc = FRI.astimezone(UTC)
    when = parse_when("明天下午3点", now_in_utc, "Asia/Shanghai")
    assert when == local(2026, 11, 28, 15)
    assert when is not None
    assert when.utcoffset() == timedelta(hours=8)


def test_zone_may_be_given_as_zoneinfo() -> None:
    assert parse_when("明天", FRI, SHANGHAI) == local(2026, 11, 28)


def test_parse_when_equals_find_when_value() -> None:
    assert parse_when("下周三下午2点", FRI, "Asia/Shanghai") == find("下周三下午2点").when


@pytest.mark.parametrize(("text", "expected"), [
    ("下午12点", local(2026, 11, 27, 12)),
    ("晚上12点", local(2026, 11, 28, 0)),
    ("凌晨12点半", local(2026, 11, 28, 0, 30)),
    ("晚上7点半", local(2026, 11, 27, 19, 30)),
    ("下午15点", local(2026, 11, 27, 15)),
    ("12am", local(2026, 11, 28, 0)),
    ("3:30pm", local(2026, 11, 27, 15, 30)),
    ("at 11", local(2026, 11, 27, 11)),
    ("at 10", local(2026, 11, 28, 10)),  # exactly now is no longer ahead (R11)
    ("5 o'clock", local(2026, 11, 27, 17)),
    ("0点", local(2026, 11, 28, 0)),
    ("23:59", local(2026, 11, 27, 23, 59)),
])
def test_hour_rules(text: str, expected: datetime) -> None:
    assert parse_when(text, FRI, "Asia/Shanghai") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("3天前", local(2026, 11, 24)),
    ("2小时前", local(2026, 11, 27, 8)),
    ("一年半后", local(2028, 5, 27)),
    ("半年后", local(2027, 5, 27)),
    ("1.5小时后", local(2026, 11, 27, 11, 30)),
    ("in half an hour", local(2026, 11, 27, 10, 30)),
    ("2 weeks later", local(2026, 12, 11)),
    ("3 days ago", local(2026, 11, 24)),
])
def test_more_offsets(text: str, expected: datetime) -> None:
    assert parse_when(text, FRI, "Asia/Shanghai") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("周末", local(2026, 11, 28)),
    ("下周末", local(2026, 12, 5)),
    ("this weekend", local(2026, 11, 28)),
    ("12月上旬", local(2026, 12, 1)),
    ("12月中旬", local(2026, 12, 11)),
    ("12月下旬", local(2026, 12, 21)),
    ("下旬", local(2026, 12, 21)),
    ("下季度", local(2027, 1, 1)),
    ("next quarter", local(2027, 1, 1)),
    ("明年Q1", local(2027, 1, 1)),
    ("Q2 2027", local(2027, 4, 1)),
    ("季度末", local(2026, 12, 31, 18)),
    ("年初", local(2027, 1, 1)),
    ("明年初", local(2027, 1, 1)),
    ("每周一", local(2026, 11, 30)),
    ("明年", local(2027, 1, 1)),
    ("12月底", local(2026, 12, 31, 18)),
])
def test_beyond_core_rules(text: str, expected: datetime) -> None:
    assert parse_when(text, FRI, "Asia/Shanghai") == expected


def test_workdays_default_to_monday_to_friday() -> None:
    assert parse_when("3个工作日后", FRI, "Asia/Shanghai") == local(2026, 12, 2)


def test_workdays_follow_the_team_calendar() -> None:
    holidays = {date(2026, 11, 30), date(2026, 12, 1)}

    def is_workday(day: date) -> bool:
        return day.weekday() < 5 and day not in holidays

    found = parse_when("3个工作日后", FRI, "Asia/Shanghai", is_workday=is_workday)
    assert found == local(2026, 12, 4)


def test_first_time_in_a_message_wins() -> None:
    assert parse_when("明天开会，后天出报告", FRI, "Asia/Shanghai") == local(2026, 11, 28)


def test_weekday_restating_an_explicit_date_keeps_the_date() -> None:
    assert parse_when("12月4日（周五）下午3点", FRI, "Asia/Shanghai") == local(2026, 12, 4, 15)


def test_on_a_monday_next_tuesday_is_eight_days_later() -> None:
    assert parse_when("next Tuesday", MON, "Asia/Shanghai") == local(2026, 12, 8)


@pytest.mark.parametrize("text", [
    "last Friday", "last week", "good morning", "早上好", "有三点建议", "第一点", "便宜一点", "3个月的合同",
    "3号线", "5号会议室", "1503房间", "16:9", "iPhone 15", "I sat down with them", "比赛第3日", "5日内完成",
    "本月", "这周", "3月", "预算 1.5 万",
])
def test_guarded_non_times(text: str) -> None:
    assert parse_when(text, MON, "Asia/Shanghai") is None


def test_impossible_date_makes_the_whole_text_null() -> None:
    assert parse_when("2月30日下午3点", FRI, "Asia/Shanghai") is None


def test_fullwidth_span_maps_to_original_text() -> None:
    text = "约 １２月５日 １５：３０"
    found = find(text)
    assert text[found.start:found.end] == "１２月５日 １５：３０"
    assert found.when == local(2026, 12, 5, 15, 30)
