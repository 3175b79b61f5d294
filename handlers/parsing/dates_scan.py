"""Turns matches of the master date pattern into typed pieces (a date, a part of day, a clock time, a zone,
an exact instant), resolving calendar words against `today`; dates.py clusters and combines them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, time, timedelta

from handlers.parsing import dates_calendar as cal
from handlers.parsing.dates_clock import CLOCK_HANDLERS
from handlers.parsing.dates_lexicon import WEEKDAY_INDEX, int_value
from handlers.parsing.dates_offsets import chinese_offset, english_offset
from handlers.parsing.dates_patterns import CANDIDATE_START, MASTER
from handlers.parsing.dates_types import NINE, SIX_PM, Match, Piece, Scan


def scan_pieces(scan: Scan) -> Iterator[Piece]:
    """The pieces of the text, left to right, produced lazily (the first expression usually suffices).

    Same hits as MASTER.finditer, but MASTER is only tried where a piece can start.
    """
    text = scan.folded
    position = 0
    while True:
        candidate = CANDIDATE_START.search(text, position)
        if candidate is None:
            return
        match = MASTER.match(text, candidate.start())
        if match is None or match.end() == match.start():
            position = candidate.start() + 1
            continue
        position = match.end()
        name = match.lastgroup
        if name is None:
            continue
        piece = _HANDLERS[name](Match(match, match.start(), match.end()), scan)
        if piece is not None:
            yield piece


def _date_piece(match: Match, day: date | None, default_time: time = NINE, **extra: object) -> Piece:
    if day is None:
        return Piece("invalid", match.start, match.end)
    piece = Piece("date", match.start, match.end, day=day, default_time=default_time)
    for key, value in extra.items():
        setattr(piece, key, value)
    return piece


def _poison(match: Match, scan: Scan) -> Piece:
    return Piece("poison", match.start, match.end)


def _off_en(match: Match, scan: Scan) -> Piece | None:
    return english_offset(match, scan)


def _off_zh(match: Match, scan: Scan) -> Piece | None:
    return chinese_offset(match, scan)


def _resolve_year(scan: Scan, digits: str | None, word: str | None) -> int | None:
    if digits:
        return int_value(digits)
    if word:
        return scan.today.year + {"今年": 0, "明年": 1, "后年": 2, "去年": -1, "前年": -2}[word]
    return None


def _iso(match: Match, scan: Scan) -> Piece | None:
    year, month, day = (int_value(match.get(k)) for k in ("iso_y", "iso_m", "iso_d"))
    if year is None or month is None or day is None:
        return None
    return _date_piece(match, cal.safe_date(year, month, day))


def _month_day(scan: Scan, match: Match, year: int | None, month: int | None, day: int | None) -> Piece:
    """M月D日 with or without a year (R14, R20): impossible dates poison the whole text."""
    if month is None or day is None or not (1 <= month <= 12 and 1 <= day <= 31):
        return Piece("invalid", match.start, match.end)
    if year is not None:
        return _date_piece(match, cal.safe_date(year, month, day))
    return _date_piece(match, cal.month_day_on_or_after(scan.today, month, day))


def _ymd(match: Match, scan: Scan) -> Piece | None:
    year = _resolve_year(scan, match.get("ymd_y"), match.get("ymd_yw"))
    return _month_day(scan, match, year, int_value(match.get("ymd_m")), int_value(match.get("ymd_d")))


_TAIL_DAY = {"初": 1, "上旬": 1, "中旬": 11, "下旬": 21, "中": 15}


def _tail_date(anchor: date, tail: str) -> tuple[date, time]:
    """Day inside the month of ``anchor`` named by a tail (月初/中/底, 上/中/下旬); 底/末 mean 18:00 (R15)."""
    if tail in ("底", "末"):
        return anchor.replace(day=cal.last_day_of_month(anchor.year, anchor.month)), SIX_PM
    return anchor.replace(day=_TAIL_DAY[tail]), NINE


def _ymt(match: Match, scan: Scan) -> Piece | None:
    year = _resolve_year(scan, match.get("ymt_y"), match.get("ymt_yw"))
    month = int_value(match.get("ymt_m"))
    tail = match.get("ymt_t")
    if year is None and tail is None:
        return None  # a bare "3月" is more often a quantity or a topic than a date
    if month is None or not 1 <= month <= 12:
        return Piece("invalid", match.start, match.end)
    if year is None:
        assert tail is not None
        # Yearless: the first such day on or after today (R14), e.g. on Dec 31 "12月底" is today.
        this_year, default_time = _tail_date(date(scan.today.year, month, 1), tail)
        if this_year < scan.today:
            this_year, default_time = _tail_date(date(scan.today.year + 1, month, 1), tail)
        return _date_piece(match, this_year, default_time)
    if tail is None:
        return _date_piece(match, date(year, month, 1))  # 明年3月 -> 1 March (R6)
    day, default_time = _tail_date(date(year, month, 1), tail)
    return _date_piece(match, day, default_time)


_REL_MONTH = {"下下个月": 2, "下下月": 2, "下个月": 1, "下月": 1, "这个月": 0, "这月": 0, "本月": 0, "当月": 0,
              "上上个月": -2, "上上月": -2, "上个月": -1, "上月": -1}


def _relmonth(match: Match, scan: Scan) -> Piece | None:
    prefix = match.get("rm_p") or ""
    months_ahead = _REL_MONTH.get(prefix)
    if months_ahead is None:
        return None
    first = cal.first_of_month(scan.today, months_ahead)
    day_text, tail = match.get("rm_d"), match.get("rm_t")
    if day_text is not None:
        day = int_value(day_text)
        safe = cal.safe_date(first.year, first.month, day) if day is not None else None
        return _date_piece(match, safe)  # 下个月31号 in a 30-day month is impossible (R20)
    if tail is not None:
        day_in_month, default_time = _tail_date(first, tail)
        return _date_piece(match, day_in_month, default_time)
    if months_ahead == 0:
        return None  # 本月 alone names no day
    return _date_piece(match, first)


def _next_day_numbered(today: date, day_of_month: int) -> date:
    found = cal.day_of_month_on_or_after(today, day_of_month)
    assert found is not None  # 1, 11, 15 and 21 exist in every month
    return found


def _monthtail(match: Match, scan: Scan) -> Piece | None:
    tail = match.get("mt_t") or ""
    if tail in ("底", "末"):
        return _date_piece(match, cal.month_end(scan.today), SIX_PM)  # R15: this month, even on the day
    # 月初 / 月中 / 旬 alone: the next such day on or after today (R15).
    return _date_piece(match, _next_day_numbered(scan.today, _TAIL_DAY[tail]))


def _xun(match: Match, scan: Scan) -> Piece | None:
    return _date_piece(match, _next_day_numbered(scan.today, _TAIL_DAY[match.get("xun_t") or "上旬"]))


def _quarter(match: Match, scan: Scan) -> Piece | None:
    today = scan.today
    tail = match.get("q_t") or match.get("q_t2") or match.get("q_t3")
    if match.get("q_end"):
        tail = "末"
    number_text = match.get("q_n") or match.get("q_cn") or match.get("q_n2")
    if number_text is not None:  # bare "Q4" is a topic, not a date (R17): a year is required
        year = _resolve_year(scan, match.get("q_y") or match.get("q_y2"), match.get("q_yw"))
        quarter = int_value(number_text)
        if year is None or quarter is None:
            return None
        start = date(year, 3 * quarter - 2, 1)
        if tail in ("末", "底"):
            return _date_piece(match, cal.quarter_end(start, 0), SIX_PM)
        return _date_piece(match, start)
    rel = (match.get("q_rel") or "").replace("个", "")
    quarters_ahead = {"下下": 2, "下": 1, "本": 0, "这": 0, "上": -1, "": 0}.get(rel, 0)
    if tail in ("末", "底"):
        return _date_piece(match, cal.quarter_end(today, quarters_ahead), SIX_PM)
    if quarters_ahead == 0 and tail != "初":
        return None
    return _date_piece(match, cal.quarter_start(today, quarters_ahead))


def _year(match: Match, scan: Scan) -> Piece | None:
    today = scan.today
    word = match.get("yr_yw") or match.get("yr_w")
    year = _resolve_year(scan, match.get("yr_y"), word)
    tail = match.get("yr_t") or match.get("yr_t2")
    if tail in ("底", "末"):
        return _date_piece(match, date(year or today.year, 12, 31), SIX_PM)
    if tail == "初" and year is None:
        jan_first = date(today.year, 1, 1)
        return _date_piece(match, jan_first if jan_first >= today else date(today.year + 1, 1, 1))
    if year is None:
        return None
    return _date_piece(match, date(year, 1, 1))  # 明年 / 明年初: the start of the year (R6)


def _period_en(match: Match, scan: Scan) -> Piece | None:
    today = scan.today
    if match.get("pe_after"):
        return _date_piece(match, cal.weekday_in_week(today, 0, 2))
    unit = match.get("pe_u")
    if unit is not None:
        start = {"week": cal.weekday_in_week(today, 0, 1), "month": cal.first_of_month(today, 1),
                 "year": date(today.year + 1, 1, 1), "quarter": cal.quarter_start(today, 1)}[unit]
        return _date_piece(match, start)
    end = match.get("pe_end") or {"eom": "month", "eoy": "year", "eoq": "quarter", "eow": "week"}.get(
        match.get("pe_abbr") or "")
    if match.get("pe_ye"):
        end = "year"
    if match.get("pe_me"):
        end = "month"
    ahead = 1 if match.get("pe_next") else 0
    if end is not None:
        last = {"month": lambda: cal.month_end(today, ahead), "year": lambda: date(today.year + ahead, 12, 31),
                "quarter": lambda: cal.quarter_end(today, ahead),
                "week": lambda: cal.weekday_in_week(today, 4, ahead)}[end]()
        return _date_piece(match, last, SIX_PM)
    which = match.get("pe_we")
    saturday = (cal.weekday_in_week(today, 5, 1) if which == "next"
                else cal.weekday_in_week(today, 5, 0) if which == "this" else cal.weekday_on_or_after(today, 5))
    return _date_piece(match, saturday)


_WEEK_SHIFT = {"下下": 2, "下": 1, "上上": -2, "上": -1, "这": 0, "本": 0}


def _weekday_zh(match: Match, scan: Scan) -> Piece | None:
    today = scan.today
    bare_prefix = match.get("wz_bp")
    if bare_prefix is not None:  # 下周 / 下下周 / 上周 alone: Monday of that week (R6)
        return _date_piece(match, cal.weekday_in_week(today, 0, _WEEK_SHIFT[bare_prefix.replace("个", "")]))
    weekday = WEEKDAY_INDEX[match.get("wz_d") or "一"]
    prefix = (match.get("wz_p") or "").replace("个", "")
    if prefix in _WEEK_SHIFT:
        return _date_piece(match, cal.weekday_in_week(today, weekday, _WEEK_SHIFT[prefix]), is_weekday=True)
    return _date_piece(match, cal.weekday_on_or_after(today, weekday), is_weekday=True)  # R3, 每周X


def _weekday_en(match: Match, scan: Scan) -> Piece | None:
    name = match.get("we_d") or ""
    prefix = match.get("we_p")
    weekday = WEEKDAY_INDEX[name]
    if prefix == "next":
        day = cal.weekday_in_week(scan.today, weekday, 1)  # R5: "next Tuesday" = 下周二
    elif prefix == "this":
        day = cal.weekday_in_week(scan.today, weekday, 0)  # R4
    else:
        day = cal.weekday_on_or_after(scan.today, weekday)
    # "sun", "sat", "wed" in lower case with nothing around them are too often ordinary words.
    weak = prefix is None and len(name) <= 4 and not scan.original[match.start].isupper()
    return _date_piece(match, day, is_weekday=True, weak=weak)


_REL_DAYS = {"大后天": 3, "后天": 2, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "明儿": 1, "明儿个": 1, "昨天": -1,
             "昨日": -1, "前天": -2, "today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "yesterday": -1}
_COMBO_DAYS = {"今早": (0, "今早"), "今晨": (0, "今晨"), "明早": (1, "明早"), "明晨": (1, "明晨"),
               "今晚": (0, "今晚"), "明晚": (1, "明晚"), "昨晚": (-1, "昨晚"), "tonight": (0, "tonight"),
               "this morning": (0, "morning"), "this afternoon": (0, "afternoon"),
               "this evening": (0, "evening")}


def _reldays(match: Match, scan: Scan) -> Piece | None:
    word = " ".join((match.get("rd_zh") or match.get("rd_en") or "").split())
    if word.endswith("day after tomorrow"):
        return _date_piece(match, scan.today + timedelta(days=2))
    if word in _COMBO_DAYS:  # one word that is both a day and a part of day (R8)
        shift, part = _COMBO_DAYS[word]
        return _date_piece(match, scan.today + timedelta(days=shift), part_of_day=part)
    return _date_piece(match, scan.today + timedelta(days=_REL_DAYS[word]))


def _eod(match: Match, scan: Scan) -> Piece:
    return Piece("pod", match.start, match.end, fixed_time=SIX_PM)


def _pod(match: Match, scan: Scan) -> Piece:
    chinese = match.get("pod_zh")
    if chinese is not None:
        return Piece("pod", match.start, match.end, part_of_day=chinese)
    # English "morning"/"afternoon" alone is usually a greeting; "in the morning", "at noon" are times.
    word = match.get("pod_en") or "morning"
    weak = match.get("pod_pre") is None and word not in ("noon", "midday")
    return Piece("pod", match.start, match.end, part_of_day=word, weak=weak)


_HANDLERS: dict[str, Callable[[Match, Scan], Piece | None]] = {
    "poison": _poison, "off_en": _off_en, "off_zh": _off_zh, "iso": _iso, "ymd": _ymd, "ymt": _ymt,
    "relmonth": _relmonth, "monthtail": _monthtail, "xun": _xun, "quarter": _quarter, "year": _year,
    "period_en": _period_en, "weekday_zh": _weekday_zh, "weekday_en": _weekday_en, "reldays": _reldays,
    "eod": _eod, "pod": _pod, **CLOCK_HANDLERS,
}
