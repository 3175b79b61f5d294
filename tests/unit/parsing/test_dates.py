"""Every example of shared/conventions/dates-and-times.md, rule by rule, as a test case."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.parsing.dates import parse_when

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
# The moments the conventions' examples are set at.
FRI = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)  # Friday Nov 27, 10:00
MON = datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)  # Monday, last day of November
SUN_EVENING = datetime(2026, 11, 29, 21, 0, tzinfo=SHANGHAI)
DEC_31 = datetime(2026, 12, 31, 15, 0, tzinfo=SHANGHAI)
JAN_31 = datetime(2027, 1, 31, 10, 0, tzinfo=SHANGHAI)
LA_FRI = datetime(2026, 10, 30, 10, 0, tzinfo=LOS_ANGELES)  # DST ends Sunday Nov 1


def at(text: str, year: int, month: int, day: int, hour: int = 9, minute: int = 0,
       now: datetime = FRI) -> tuple[str, datetime, datetime]:
    zone = now.tzinfo
    assert zone is not None
    return text, now, datetime(year, month, day, hour, minute, tzinfo=zone)


CONVENTION_EXAMPLES = [
    # R1 relative days
    at("今天", 2026, 11, 27), at("today", 2026, 11, 27), at("明天", 2026, 11, 28), at("明儿", 2026, 11, 28),
    at("明早", 2026, 11, 28, 8), at("明晚", 2026, 11, 28, 20), at("tomorrow", 2026, 11, 28),
    at("tmr", 2026, 11, 28), at("后天", 2026, 11, 29), at("the day after tomorrow", 2026, 11, 29),
    at("大后天", 2026, 11, 30), at("昨天", 2026, 11, 26), at("yesterday", 2026, 11, 26),
    at("前天", 2026, 11, 25),
    # R2 Sunday closes the week
    at("周日", 2026, 11, 29), at("星期日", 2026, 11, 29), at("星期天", 2026, 11, 29),
    at("礼拜天", 2026, 11, 29), at("下周日", 2026, 12, 6),
    # R3 bare weekday, today counts
    at("周三", 2026, 12, 2), at("星期三", 2026, 12, 2), at("礼拜三", 2026, 12, 2), at("周3", 2026, 12, 2),
    at("Wednesday", 2026, 12, 2), at("on Wed", 2026, 12, 2), at("周五下午3点", 2026, 11, 27, 15),
    # R4 this week, even if past
    at("这周三拜访过了", 2026, 11, 25), at("本周三", 2026, 11, 25), at("this Wednesday", 2026, 11, 25),
    # R5 next / after next / previous week
    at("下周三", 2026, 12, 2), at("下星期三", 2026, 12, 2), at("下礼拜三", 2026, 12, 2),
    at("next Wednesday", 2026, 12, 2), at("下下周三", 2026, 12, 9), at("上周三", 2026, 11, 18),
    at("next Tuesday", 2026, 12, 8, now=MON), at("下周二", 2026, 12, 8, now=MON),
    at("下周一", 2026, 11, 30, now=SUN_EVENING), at("next Monday", 2026, 11, 30, now=SUN_EVENING),
    # R6 a bare period means its start
    at("下周", 2026, 11, 30), at("next week", 2026, 11, 30), at("下下周", 2026, 12, 7),
    at("下个月", 2026, 12, 1), at("下月", 2026, 12, 1), at("next month", 2026, 12, 1),
    at("下下个月", 2027, 1, 1), at("明年3月", 2027, 3, 1),
    # R7 date without a time: 09:00 even if earlier than now
    at("今天跟进", 2026, 11, 27), at("12月5日", 2026, 12, 5),
    # R8 part of day without an hour
    at("明天早上", 2026, 11, 28, 8), at("明天早晨", 2026, 11, 28, 8), at("今早", 2026, 11, 27, 8),
    at("明天上午", 2026, 11, 28, 9), at("tomorrow morning", 2026, 11, 28, 9), at("明天中午", 2026, 11, 28, 12),
    at("tomorrow noon", 2026, 11, 28, 12), at("明天下午", 2026, 11, 28, 14),
    at("tomorrow afternoon", 2026, 11, 28, 14), at("明天傍晚", 2026, 11, 28, 18),
    at("明天晚上", 2026, 11, 28, 20), at("今晚", 2026, 11, 27, 20), at("tomorrow evening", 2026, 11, 28, 20),
    at("tonight", 2026, 11, 27, 20),
    # R9 hour with a part of day
    at("下午3点", 2026, 11, 27, 15), at("晚上11点", 2026, 11, 27, 23), at("中午1点", 2026, 11, 27, 13),
    at("中午2点", 2026, 11, 27, 14), at("中午12点", 2026, 11, 27, 12), at("明天上午9点", 2026, 11, 28, 9),
    at("明天凌晨2点", 2026, 11, 28, 2), at("12pm", 2026, 11, 27, 12), at("明天11am", 2026, 11, 28, 11),
    # R10 bare hour
    at("明天3点", 2026, 11, 28, 15), at("明天8点", 2026, 11, 28, 8), at("明天15点", 2026, 11, 28, 15),
    at("2:30", 2026, 11, 27, 14, 30), at("9:30", 2026, 11, 28, 9, 30), at("14:30", 2026, 11, 27, 14, 30),
    at("at 3", 2026, 11, 27, 15),
    # R11 time without a date
    at("9点半开会", 2026, 11, 28, 9, 30), at("10点半开会", 2026, 11, 27, 10, 30),
    at("下午3点", 2026, 11, 30, 15, now=SUN_EVENING), at("下午2点", 2027, 1, 1, 14, now=DEC_31),
    # R12 minutes and number forms
    at("3点半", 2026, 11, 27, 15, 30), at("3点一刻", 2026, 11, 27, 15, 15),
    at("3点三刻", 2026, 11, 27, 15, 45), at("3点15", 2026, 11, 27, 15, 15),
    at("3点15分", 2026, 11, 27, 15, 15), at("3点05", 2026, 11, 27, 15, 5),
    at("三点二十", 2026, 11, 27, 15, 20), at("两点", 2026, 11, 27, 14),
    at("１２月５日", 2026, 12, 5), at("１５：３０", 2026, 11, 27, 15, 30),
    # R13 offsets
    at("半小时后", 2026, 11, 27, 10, 30), at("2小时后", 2026, 11, 27, 12), at("20分钟后", 2026, 11, 27, 10, 20),
    at("一个半小时后", 2026, 11, 27, 11, 30), at("in 30 minutes", 2026, 11, 27, 10, 30),
    at("in 2 hours", 2026, 11, 27, 12), at("in 48 hours", 2026, 11, 29, 10),
    at("3天后", 2026, 11, 30), at("两周后", 2026, 12, 11), at("3个星期后", 2026, 12, 18),
    at("两个礼拜后", 2026, 12, 11), at("一周后", 2026, 12, 4), at("in 3 days", 2026, 11, 30),
    at("3 days from now", 2026, 11, 30), at("5天后下午2点", 2026, 12, 2, 14), at("半个月后", 2026, 12, 12),
    at("一个月后", 2026, 12, 27), at("3个月后", 2027, 2, 27), at("一年后", 2027, 11, 27),
    at("in a month", 2026, 12, 27), at("一个月后", 2027, 2, 28, now=JAN_31),
    at("3个月后", 2027, 2, 28, now=MON), at("3天以后", 2026, 11, 30),
    # R14 absolute dates
    at("12月5日", 2026, 12, 5), at("12月5号", 2026, 12, 5), at("12/5", 2026, 12, 5), at("Dec 5", 2026, 12, 5),
    at("5 Dec", 2026, 12, 5), at("December 5th", 2026, 12, 5), at("2026-12-08", 2026, 12, 8),
    at("2026/12/08", 2026, 12, 8), at("2026年12月8日", 2026, 12, 8), at("二〇二六年十二月八日", 2026, 12, 8),
    at("1月10日", 2027, 1, 10), at("1/8", 2027, 1, 8, now=DEC_31), at("31号", 2026, 12, 31),
    at("27号", 2026, 11, 27), at("on the 15th", 2026, 12, 15), at("这个月20号", 2026, 11, 20),
    at("本月20号", 2026, 11, 20), at("下个月5号", 2026, 12, 5), at("下月5号", 2026, 12, 5),
    # R15 boundaries
    at("月底", 2026, 11, 30, 18), at("end of month", 2026, 11, 30, 18), at("EOM", 2026, 11, 30, 18),
    at("月底", 2026, 11, 30, 18, now=MON), at("下个月底", 2026, 12, 31, 18),
    at("end of next month", 2026, 12, 31, 18), at("年底", 2026, 12, 31, 18), at("year end", 2026, 12, 31, 18),
    at("EOY", 2026, 12, 31, 18), at("明年年底", 2027, 12, 31, 18), at("今天下班前", 2026, 11, 27, 18),
    at("EOD", 2026, 11, 27, 18), at("COB", 2026, 11, 27, 18), at("月初", 2026, 12, 1),
    at("下个月初", 2026, 12, 1), at("下月初", 2026, 12, 1), at("月中", 2026, 12, 15),
    at("下个月中", 2026, 12, 15), at("月底", 2027, 1, 31, 18, now=JAN_31),
    # R16 deadline markers keep the value
    at("周五前", 2026, 11, 27), at("月底前", 2026, 11, 30, 18), at("五点前", 2026, 11, 27, 17),
    at("周五之前", 2026, 11, 27), at("周五以前", 2026, 11, 27), at("by Friday", 2026, 11, 27),
    at("before 5pm", 2026, 11, 27, 17), at("due Friday", 2026, 11, 27),
    # R18 past references
    at("上周五", 2026, 11, 20), at("这周一见过", 2026, 11, 23), at("今早拜访了", 2026, 11, 27, 8),
    # R19 ranges: the start counts
    at("明天下午3-4点", 2026, 11, 28, 15), at("12月5日到12月7日", 2026, 12, 5),
    # R21 another zone named in the text
    at("东京时间明天下午3点", 2026, 11, 28, 14), at("伦敦时间明天下午3点", 2026, 11, 28, 23),
    at("新加坡时间明天下午3点", 2026, 11, 28, 15), at("明天下午3点 EST", 2026, 11, 29, 4),
    at("明天下午3点 PST", 2026, 11, 29, 7), at("明天下午3点 UTC", 2026, 11, 28, 23),
    # R22 mixed Chinese/English
    at("明天 3pm", 2026, 11, 28, 15), at("next Tue 下午2点", 2026, 12, 1, 14),
    at("下周一 morning", 2026, 11, 30, 9),
]


@pytest.mark.parametrize(("text", "now", "expected"), CONVENTION_EXAMPLES)
def test_convention_example(text: str, now: datetime, expected: datetime) -> None:
    assert parse_when(text, now, "Asia/Shanghai") == expected


def test_r13_elapsed_hours_cross_dst_in_utc() -> None:
    when = parse_when("in 48 hours", LA_FRI, "America/Los_Angeles")
    assert when == datetime(2026, 11, 1, 9, 0, tzinfo=LOS_ANGELES)
    assert when is not None
    assert when.utcoffset() == timedelta(hours=-8)  # now PST, was PDT


@pytest.mark.parametrize("text", ["2月30日", "13月5日", "Feb 30"])
def test_r20_impossible_date_is_null(text: str) -> None:
    assert parse_when(text, FRI, "Asia/Shanghai") is None


@pytest.mark.parametrize("text", [
    "电话 13812345678", "订单号 20261205", "会议室1503", "2号楼", "邮编 100080", "v2.3.1 版本", "报价50万",
    "采购3台", "增长30%", "打8折", "评分9分", "比例16:9", "5G", "Q4", "改天", "过几天", "有空", "尽快", "回头",
    "近期", "以后再说", "later", "soon", "ASAP", "没有时间的一句话",
])
def test_r17_non_times_and_vague_words_are_null(text: str) -> None:
    assert parse_when(text, FRI, "Asia/Shanghai") is None
