"""Word tables and text normalisation for the chat date grammar (see dates.py).

Everything here is data or a tiny pure helper; nothing depends on `now`.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space map one-to-one onto ASCII, which is what
# NFKC does for them; a translate table does it in C without changing the length, so spans stay valid.
_FULLWIDTH_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH_TABLE[0x3000] = 0x20
# A few traditional characters reps type on Taiwanese/HK keyboards; one character each, so length-safe.
_TRADITIONAL, _SIMPLIFIED = "週後禮點時號兩個鐘過間", "周后礼点时号两个钟过间"
_FULLWIDTH_TABLE.update({ord(a): ord(b) for a, b in zip(_TRADITIONAL, _SIMPLIFIED, strict=True)})


def normalize_for_scan(text: str) -> str:
    """NFKC + lower case, guaranteed to keep ``len`` so indices map 1:1 onto the original text."""
    if text.isascii():
        return text.lower()
    folded = text.translate(_FULLWIDTH_TABLE)
    if not unicodedata.is_normalized("NFKC", folded):
        # Rare path (circled digits, compatibility ideographs…): normalise char by char and keep
        # the original character wherever NFKC would expand or contract it.
        chars = []
        for char in folded:
            normal = unicodedata.normalize("NFKC", char)
            chars.append(normal if len(normal) == 1 else char)
        folded = "".join(chars)
    lowered = folded.lower()
    if len(lowered) != len(folded):  # e.g. 'İ' lowers to two code points
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    return lowered


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
               "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
               "thirty": 30, "forty-five": 45}


def number_value(token: str) -> float | None:
    """Value of an ASCII, English-word or Chinese numeral ("12", "1.5", "two", "二十三", "二〇二六", "两")."""
    if not token:
        return None
    if token[0].isdigit():
        try:
            return float(token)
        except ValueError:
            return None
    if token in _EN_NUMBERS:
        return float(_EN_NUMBERS[token])
    if token.startswith("half"):
        return 0.5
    return _chinese_int(token)


def _chinese_int(token: str) -> float | None:
    if "百" in token:  # 一百天后: only the plain "N百" form is worth supporting
        head, _, tail = token.partition("百")
        hundreds = _chinese_int(head) if head else 1.0
        rest = _chinese_int(tail) if tail else 0.0
        if hundreds is None or rest is None:
            return None
        return hundreds * 100 + rest
    if "十" in token:
        head, _, tail = token.partition("十")
        if "十" in tail or len(head) > 1 or len(tail) > 1:
            return None
        tens = _CN_DIGITS.get(head) if head else 1
        ones = _CN_DIGITS.get(tail) if tail else 0
        if tens is None or ones is None:
            return None
        return float(tens * 10 + ones)
    value = 0
    for char in token:  # positional: 二〇二六 -> 2026, 零五 -> 5
        digit = _CN_DIGITS.get(char)
        if digit is None:
            return None
        value = value * 10 + digit
    return float(value)


def int_value(token: str | None) -> int | None:
    """Whole-number value of a numeral token, or None when absent, fractional or unreadable."""
    if token is None:
        return None
    value = number_value(token)
    if value is None or value != int(value):
        return None
    return int(value)


WEEKDAY_INDEX: dict[str, int] = {
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5,
    "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6,
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}

MONTH_INDEX: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

# Part of day -> (default hour, default minute) per R8.  The hour rule per R9 is keyed by the same names.
PART_OF_DAY_DEFAULT: dict[str, tuple[int, int]] = {
    "早上": (8, 0), "早晨": (8, 0), "清晨": (8, 0), "今早": (8, 0), "明早": (8, 0), "今晨": (8, 0),
    "明晨": (8, 0), "上午": (9, 0), "morning": (9, 0), "中午": (12, 0), "noon": (12, 0),
    "midday": (12, 0), "下午": (14, 0), "afternoon": (14, 0), "傍晚": (18, 0), "晚上": (20, 0),
    "晚间": (20, 0), "夜里": (20, 0), "夜间": (20, 0), "今晚": (20, 0), "明晚": (20, 0), "昨晚": (20, 0),
    "evening": (20, 0), "tonight": (20, 0), "night": (20, 0), "深夜": (23, 0), "半夜": (0, 0),
    "凌晨": (2, 0),
}
# Which R9 rule a part of day applies to a written hour.
PM_PARTS = frozenset({"下午", "afternoon", "傍晚", "晚上", "晚间", "夜里", "夜间", "今晚", "明晚", "昨晚",
                      "evening", "tonight", "night", "深夜"})
NOON_PARTS = frozenset({"中午", "noon", "midday"})
SMALL_HOURS_PARTS = frozenset({"凌晨", "半夜"})

_FIXED_OFFSETS: dict[str, float] = {
    "utc": 0, "gmt": 0, "est": -5, "edt": -4, "mst": -7, "mdt": -6, "pst": -8,
    "pdt": -7, "jst": 9, "kst": 9, "sgt": 8, "hkt": 8, "cet": 1, "cest": 2, "bst": 1, "aest": 10,
}
CITY_ZONES: dict[str, str] = {
    "东京": "Asia/Tokyo", "大阪": "Asia/Tokyo", "伦敦": "Europe/London", "新加坡": "Asia/Singapore",
    "纽约": "America/New_York", "华盛顿": "America/New_York", "洛杉矶": "America/Los_Angeles",
    "旧金山": "America/Los_Angeles", "硅谷": "America/Los_Angeles", "西雅图": "America/Los_Angeles",
    "芝加哥": "America/Chicago", "北京": "Asia/Shanghai", "上海": "Asia/Shanghai", "香港": "Asia/Hong_Kong",
    "台北": "Asia/Taipei", "首尔": "Asia/Seoul", "悉尼": "Australia/Sydney", "墨尔本": "Australia/Melbourne",
    "巴黎": "Europe/Paris", "柏林": "Europe/Berlin", "法兰克福": "Europe/Berlin", "慕尼黑": "Europe/Berlin",
    "迪拜": "Asia/Dubai", "孟买": "Asia/Kolkata", "新德里": "Asia/Kolkata", "莫斯科": "Europe/Moscow",
    "曼谷": "Asia/Bangkok", "雅加达": "Asia/Jakarta", "吉隆坡": "Asia/Kuala_Lumpur",
    "温哥华": "America/Vancouver", "多伦多": "America/Toronto", "阿姆斯特丹": "Europe/Amsterdam",
    "tokyo": "Asia/Tokyo", "london": "Europe/London", "singapore": "Asia/Singapore",
    "new york": "America/New_York", "los angeles": "America/Los_Angeles",
    "san francisco": "America/Los_Angeles", "seattle": "America/Los_Angeles", "chicago": "America/Chicago",
    "beijing": "Asia/Shanghai", "shanghai": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong",
    "taipei": "Asia/Taipei", "seoul": "Asia/Seoul", "sydney": "Australia/Sydney", "paris": "Europe/Paris",
    "berlin": "Europe/Berlin", "dubai": "Asia/Dubai", "pacific": "America/Los_Angeles",
    "eastern": "America/New_York", "central": "America/Chicago", "mountain": "America/Denver",
}
CITY_NAMES_ZH = [name for name in CITY_ZONES if not name.isascii()]
CITY_NAMES_EN = [name for name in CITY_ZONES if name.isascii()]


@lru_cache(maxsize=64)
def zone_named(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def fixed_offset_zone(abbreviation: str, extra: str | None) -> tzinfo | None:
    """Fixed-offset zone for an abbreviation like EST, or 'UTC+8' / 'GMT-05:30' (R21)."""
    hours = _FIXED_OFFSETS.get(abbreviation)
    if hours is None:
        return None
    offset = timedelta(hours=hours)
    if extra:
        sign = -1 if extra.lstrip().startswith("-") else 1
        digits = extra.strip().lstrip("+-").strip().replace(":", "")
        extra_hours, extra_minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
        offset += sign * timedelta(hours=int(extra_hours), minutes=int(extra_minutes))
    if abs(offset) >= timedelta(hours=24):
        return None
    return timezone(offset)
