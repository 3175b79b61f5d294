"""Pieces written with numbers: clock times (3点半, 15:30, 3pm, at 3), other time zones (R21), and numeric
dates (5号, 12/5, Dec 5, the 15th) with the guards that keep room numbers, ratios and ids out (R17).
"""

from __future__ import annotations

from collections.abc import Callable

from handlers.parsing import dates_calendar as cal
from handlers.parsing.dates_lexicon import (
    CITY_ZONES,
    MONTH_INDEX,
    fixed_offset_zone,
    int_value,
    zone_named,
)
from handlers.parsing.dates_types import Match, Piece, Scan

# Before "N点": ordinals and degree words mean "point(s)", not o'clock (第一点, 快一点, 降2点, 这两点).
_NOT_CLOCK_BEFORE = frozenset("第几这那多快慢好降涨让扣返加减差提")
# After "N点": a list of points or "a little" (三点建议, 一点儿, 两点要求).
_NOT_CLOCK_AFTER = ("建议", "意见", "要求", "问题", "内容", "想法", "需求", "原因", "东西", "注意", "优势", "好处",
                    "考虑", "儿", "几", "点")
# After "N号"/"N日": buildings, lines, rooms, sizes… (2号楼, 3号线, 5号会议室, 5日内).
_NOT_DAY_AFTER = ("楼", "线", "门", "位", "厅", "馆", "院", "房", "室", "机", "台", "码", "店", "仓", "柜", "窗",
                  "口", "床", "车", "站", "街", "路", "桥", "巷", "弄", "栋", "座", "单元", "件", "箱", "球", "员",
                  "种", "型", "款", "字", "包", "桌", "文件", "选手", "电池", "内", "以内", "之内", "游", "元", "币",
                  "货", "样", "品", "会议", "会场", "包间", "展位", "窗口")
_NOT_DAY_BEFORE = frozenset("第几编型款")


def _meridiem(text: str | None) -> str | None:
    if not text:
        return None
    return "am" if text.startswith("a") else "pm"


def _clock(match: Match, hour: int | None, minute: int | None, meridiem: str | None = None,
           weak: bool = False) -> Piece | None:
    if hour is None or minute is None or not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    if meridiem is not None and not 1 <= hour <= 12:
        return None  # "13pm", "0am"
    return Piece("clock", match.start, match.end, hour=hour, minute=minute, meridiem=meridiem, weak=weak)


def _clock_colon(match: Match, scan: Scan) -> Piece | None:
    return _clock(match, int_value(match.get("cc_h")), int_value(match.get("cc_m")),
                  _meridiem(match.get("cc_ap")))


def _clock_ampm(match: Match, scan: Scan) -> Piece | None:
    # "3-4pm": the range start takes the meridiem written after the end (R19).
    hour = int_value(match.get("ce_r") or match.get("ce_h"))
    minute = int_value(match.get("ce_m")) if match.get("ce_m") and not match.get("ce_r") else 0
    return _clock(match, hour, minute, _meridiem(match.get("ce_ap")))


def _clock_at(match: Match, scan: Scan) -> Piece | None:
    return _clock(match, int_value(match.get("ca_h") or match.get("co_h")), 0)


def _clock_zh(match: Match, scan: Scan) -> Piece | None:
    text = scan.folded
    if match.start > 0 and text[match.start - 1] in _NOT_CLOCK_BEFORE:
        return None
    if text.startswith(_NOT_CLOCK_AFTER, match.end):
        return None
    hour_text = match.get("cz_h") or ""
    if match.get("cz_half"):
        minute: int | None = 30
    elif match.get("cz_q"):
        minute = 15 if match.get("cz_q") == "一" else 45
    else:
        minute = int_value(match.get("cz_m")) if match.get("cz_m") else 0
    # "一点" alone is mostly "a little" (便宜一点); it counts only beside a date or a part of day.
    weak = hour_text == "一" and match.get("cz_m") is None and not match.get("cz_half") and not match.get("cz_q")
    return _clock(match, int_value(hour_text), minute, weak=weak)


def _zone(match: Match, scan: Scan) -> Piece | None:
    city = match.get("tz_city") or match.get("tz_encity")
    if city is not None:
        zone = zone_named(CITY_ZONES[" ".join(city.split())])
        return Piece("tz", match.start, match.end, zone=zone, weak=True)
    fixed = fixed_offset_zone(match.get("tz_ab") or "", match.get("tz_off"))
    if fixed is None:
        return None
    return Piece("tz", match.start, match.end, zone=fixed, weak=True)


def _day_piece(match: Match, scan: Scan, day: int | None, weak: bool = False) -> Piece | None:
    if day is None or not 1 <= day <= 31:
        return None
    found = cal.day_of_month_on_or_after(scan.today, day)
    if found is None:
        return None
    return Piece("date", match.start, match.end, day=found, weak=weak)


def _month_day_piece(match: Match, scan: Scan, month: int | None, day: int | None,
                     year: int | None) -> Piece | None:
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return None  # not shaped like a date at all: leave it to other readings
    found = (cal.safe_date(year, month, day) if year is not None
             else cal.month_day_on_or_after(scan.today, month, day))
    if found is None:
        return Piece("invalid", match.start, match.end)  # Feb 30, 2/30 (R20)
    return Piece("date", match.start, match.end, day=found)


def _dom_zh(match: Match, scan: Scan) -> Piece | None:
    text = scan.folded
    if match.start > 0 and text[match.start - 1] in _NOT_DAY_BEFORE:
        return None
    if text.startswith(_NOT_DAY_AFTER, match.end):
        return None
    return _day_piece(match, scan, int_value(match.get("dz_d")))


def _dom_en(match: Match, scan: Scan) -> Piece | None:
    day = int_value(match.get("de_d"))
    month_name = match.get("de_mon")
    if month_name is not None:
        return _month_day_piece(match, scan, MONTH_INDEX[month_name], day, None)
    # "the 3rd" alone is often an ordinal ("the 3rd option"); "on/by the 15th" is a date.
    return _day_piece(match, scan, day, weak=match.get("de_p") is None)


def _md(match: Match, scan: Scan) -> Piece | None:
    return _month_day_piece(match, scan, int_value(match.get("md_m")), int_value(match.get("md_d")),
                            int_value(match.get("md_y")))


def _mdy_en(match: Match, scan: Scan) -> Piece | None:
    month_name = match.get("mde_mon") or match.get("dme_mon") or ""
    day = int_value(match.get("mde_d") or match.get("dme_d"))
    year = int_value(match.get("mde_y") or match.get("dme_y"))
    return _month_day_piece(match, scan, MONTH_INDEX[month_name], day, year)


CLOCK_HANDLERS: dict[str, Callable[[Match, Scan], Piece | None]] = {
    "clock_colon": _clock_colon, "clock_ampm": _clock_ampm, "clock_at": _clock_at, "clock_zh": _clock_zh,
    "tz": _zone, "dom_zh": _dom_zh, "dom_en": _dom_en, "md": _md, "mdy_en": _mdy_en,
}
