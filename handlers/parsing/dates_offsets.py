"""Offsets from `now` (R13): 半小时后 / in 2 hours are exact instants; 3天后 / in 2 weeks / 一个月后 are
calendar dates (09:00 unless a time is given); N个工作日后 counts working days.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from handlers.parsing import dates_calendar as cal
from handlers.parsing.dates_lexicon import number_value
from handlers.parsing.dates_types import Match, Piece, Scan

_ZH_UNITS = {"分钟": "minute", "小时": "hour", "钟头": "hour", "天": "day", "日": "day", "周": "week",
             "星期": "week", "礼拜": "week", "月": "month", "年": "year", "工作日": "workday"}
_BACKWARD_WORDS = frozenset({"以前", "之前", "前", "ago"})
# Beyond this an "offset" is almost surely something else (an amount, an id): refuse it.
_MAX_DAYS = 3660


def _english_unit(word: str) -> str:
    if word.startswith(("business", "working", "work")):
        return "workday"
    if word.startswith("min"):
        return "minute"
    if word.startswith("h"):
        return "hour"
    if word.startswith(("w",)):
        return "week"
    if word.startswith("mo"):
        return "month"
    if word.startswith("y"):
        return "year"
    return "day"


def english_offset(match: Match, scan: Scan) -> Piece | None:
    number = match.get("oe_n") or match.get("oe_n2") or ""
    unit_word = match.get("oe_u") or match.get("oe_u2") or ""
    amount = number_value(" ".join(number.split()))
    if amount is None:
        return None
    if match.get("oe_half"):
        amount += 0.5
    sign = -1 if match.get("oe_dir") == "ago" else 1
    return offset_piece(match, scan, sign * amount, _english_unit(unit_word))


def chinese_offset(match: Match, scan: Scan) -> Piece | None:
    if match.get("oz_h0"):
        amount = 0.5
    else:
        written = number_value(match.get("oz_n") or "")
        if written is None:
            return None
        # 一个半小时, 一年半: the 半 adds half a unit.
        amount = written + 0.5 if match.get("oz_h1") or match.get("oz_h2") else written
    sign = -1 if match.get("oz_dir") in _BACKWARD_WORDS else 1
    return offset_piece(match, scan, sign * amount, _ZH_UNITS[match.get("oz_u") or "天"])


def offset_piece(match: Match, scan: Scan, amount: float, unit: str) -> Piece | None:
    if amount == 0:
        return None
    if unit in ("minute", "hour"):
        delta = timedelta(minutes=amount) if unit == "minute" else timedelta(hours=amount)
        if abs(delta) > timedelta(days=_MAX_DAYS):
            return None
        # Elapsed time is computed in UTC so a DST change moves the wall clock (R13).
        instant = (scan.now.astimezone(UTC) + delta).astimezone(scan.zone)
        return Piece("instant", match.start, match.end, instant=instant)
    whole = int(amount)
    has_half = abs(amount - whole) == 0.5
    if amount != whole and not has_half:
        return None
    try:
        if unit == "workday":
            if has_half or abs(whole) > _MAX_DAYS:
                return None
            day = cal.add_workdays(scan.today, whole, scan.is_workday)
        elif unit in ("day", "week"):
            days = amount * (7 if unit == "week" else 1)
            if days != int(days) or abs(days) > _MAX_DAYS:
                return None  # 1.5天后 names no date
            day = scan.today + timedelta(days=int(days))
        else:
            months = whole * (12 if unit == "year" else 1)
            day = cal.add_months(scan.today, months)
            if has_half:  # 半个月 = 15 days, 半年 = 6 months (R13)
                day = cal.add_months(day, 6 * (1 if amount > 0 else -1)) if unit == "year" else (
                    day + timedelta(days=15 if amount > 0 else -15))
    except (OverflowError, ValueError):
        return None
    return Piece("date", match.start, match.end, day=day)
