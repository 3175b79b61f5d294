"""Reads a date/time typed in chat (Chinese, English or mixed) into an aware datetime, per the contract in
shared/conventions/dates-and-times.md (rules R1–R22 are cited by number below).

How it works: one precompiled master pattern finds pieces (a date, a part of day, a clock time, a zone, an
exact offset) — see dates_patterns/dates_scan/dates_clock/dates_offsets. Pieces that touch (only spaces,
commas, 的 between them) form one expression; the first expression that reads as a time wins.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from handlers.parsing.dates_lexicon import (
    NOON_PARTS,
    PART_OF_DAY_DEFAULT,
    PM_PARTS,
    SMALL_HOURS_PARTS,
    normalize_for_scan,
    zone_named,
)
from handlers.parsing.dates_patterns import DEADLINE_AFTER, DEADLINE_BEFORE, GAP, RANGE_JOIN
from handlers.parsing.dates_scan import scan_pieces
from handlers.parsing.dates_types import Piece, Scan

__all__ = ["WhenMatch", "find_when", "parse_when"]

WorkdayTest = Callable[[date], bool]
# Parts of day after which "12点" means midnight that night rather than noon.
_NIGHT_PARTS: Final = PM_PARTS - {"下午", "afternoon", "傍晚"}
# How far back a deadline word ("by", "截止到") may sit before the expression.
_DEADLINE_LOOKBACK: Final = 24
_STANDALONE_KINDS: Final = frozenset({"poison", "invalid", "instant"})


@dataclass(frozen=True, slots=True)
class WhenMatch:
    when: datetime  # timezone-aware, expressed in the sender's tz
    start: int  # span of the matched time expression in the ORIGINAL text (text[start:end])
    end: int
    date_only: bool  # True when no time of day was given (resolved to 09:00 / 18:00 defaults)


class _Impossible:
    """Marker: the text names an impossible date (R20), so the whole text reads as no time."""


_IMPOSSIBLE: Final = _Impossible()


def parse_when(text: str, now: datetime, tz: str | ZoneInfo, *,
               is_workday: WorkdayTest | None = None) -> datetime | None:
    found = find_when(text, now, tz, is_workday=is_workday)
    return found.when if found is not None else None


def find_when(text: str, now: datetime, tz: str | ZoneInfo, *,
              is_workday: WorkdayTest | None = None) -> WhenMatch | None:
    """The first time expression in ``text`` and its instant, or None for no (or a vague) time (R17)."""
    zone: tzinfo = zone_named(tz) if isinstance(tz, str) else tz
    local_now = now.replace(tzinfo=zone) if now.tzinfo is None else now.astimezone(zone)
    folded = normalize_for_scan(text)
    scan = Scan(folded, text, local_now, zone, is_workday)
    pieces = _LazyPieces(scan_pieces(scan))
    index = 0
    while pieces.has(index):
        stop = _cluster_end(pieces, index, folded)
        group = pieces.between(index, stop)
        outcome = _resolve(group, scan)
        if isinstance(outcome, _Impossible):
            return None
        if outcome is not None:
            when, date_only = outcome
            start, end = _full_span(pieces, stop, folded, group[0].start, group[-1].end)
            return WhenMatch(when, start, end, date_only)
        index = stop
    return None


class _LazyPieces:
    """Pieces pulled from the scanner only as far as the clustering needs to look."""

    __slots__ = ("_items", "_source")

    def __init__(self, source: Iterator[Piece]) -> None:
        self._source = source
        self._items: list[Piece] = []

    def has(self, index: int) -> bool:
        while len(self._items) <= index:
            following = next(self._source, None)
            if following is None:
                return False
            self._items.append(following)
        return True

    def __getitem__(self, index: int) -> Piece:
        return self._items[index]

    def between(self, start: int, stop: int) -> list[Piece]:
        return self._items[start:stop]


def _slots(piece: Piece) -> set[str]:
    if piece.kind == "date":
        return {"date", "pod"} if piece.part_of_day else {"date"}
    return {piece.kind}


def _cluster_end(pieces: _LazyPieces, index: int, folded: str) -> int:
    """Index after the last piece that belongs to the expression starting at ``pieces[index]``."""
    first = pieces[index]
    if first.kind in _STANDALONE_KINDS:
        return index + 1
    taken = _slots(first)
    weekday_only = first.kind == "date" and first.is_weekday
    last_end = first.end
    cursor = index + 1
    while pieces.has(cursor):
        piece = pieces[cursor]
        if piece.kind in _STANDALONE_KINDS or not GAP.fullmatch(folded, last_end, piece.start):
            break
        wanted = _slots(piece)
        clash = wanted & taken
        # 12月5日(周五) / Friday, Dec 5: a weekday beside an explicit date is a restatement, not a clash.
        restated = clash == {"date"} and (weekday_only != piece.is_weekday) and not (
            piece.part_of_day and "pod" in taken)
        if clash and not restated:
            break
        if piece.kind == "date":
            weekday_only = weekday_only and piece.is_weekday
        taken |= wanted
        last_end = piece.end
        cursor += 1
    return cursor


def _full_span(pieces: _LazyPieces, stop: int, folded: str, start: int, end: int) -> tuple[int, int]:
    """Widen the span over a range's second end (R19) and deadline words around it (R16)."""
    if pieces.has(stop) and pieces[stop].kind in ("date", "clock", "pod"):
        joiner = RANGE_JOIN.fullmatch(folded, end, pieces[stop].start)
        if joiner is not None and pieces[stop].start > end:
            end = pieces[_cluster_end(pieces, stop, folded) - 1].end
    after = DEADLINE_AFTER.match(folded, end)
    if after is not None:
        end = after.end()
    before = DEADLINE_BEFORE.search(folded, max(0, start - _DEADLINE_LOOKBACK), start)
    if before is not None:
        start = before.start()
    return start, end


def _resolve(group: list[Piece], scan: Scan) -> tuple[datetime, bool] | _Impossible | None:
    first = group[0]
    if any(piece.kind == "invalid" for piece in group):
        return _IMPOSSIBLE
    if first.kind == "poison":
        return None
    if first.kind == "instant":
        assert first.instant is not None
        return first.instant, False
    if all(piece.weak for piece in group):
        return None
    dates = [piece for piece in group if piece.kind == "date"]
    day_piece = next((p for p in dates if not p.is_weekday), dates[0] if dates else None)
    part_piece = next((p for p in group if p.part_of_day or p.fixed_time), None)
    clock = next((p for p in group if p.kind == "clock"), None)
    zone_piece = next((p for p in group if p.kind == "tz"), None)
    clock_zone = zone_piece.zone if zone_piece is not None and zone_piece.zone is not None else scan.zone
    part = part_piece.part_of_day if part_piece is not None else None

    day_shift = 0
    if clock is not None:
        reading = _hour_of_day(clock.hour, clock.minute, clock.meridiem, part)
        if reading is None:
            return None
        hour, minute, day_shift = reading
        wall: time | None = time(hour, minute)
    elif part_piece is not None and part_piece.fixed_time is not None:
        wall = None  # 下班前 / EOD: a date-level deadline at 18:00 on the day (R15)
        if day_piece is None:
            return _at(scan.today, part_piece.fixed_time, clock_zone, scan), True
        return _at(day_piece.day or scan.today, part_piece.fixed_time, clock_zone, scan), True
    elif part is not None:
        wall = time(*PART_OF_DAY_DEFAULT[part])
    else:
        wall = None

    if day_piece is not None:
        assert day_piece.day is not None
        day = day_piece.day + timedelta(days=day_shift)
        if wall is None:
            return _at(day, day_piece.default_time, clock_zone, scan), True  # R7
        return _at(day, wall, clock_zone, scan), False
    if wall is None:
        return None
    # R11: a time with no date is today if still ahead, else the same time tomorrow.
    base = scan.now.astimezone(clock_zone).date() + timedelta(days=day_shift)
    candidate = _at(base, wall, clock_zone, scan)
    if candidate <= scan.now:
        candidate = _at(base + timedelta(days=1), wall, clock_zone, scan)
    return candidate, False


def _at(day: date, wall: time, clock_zone: tzinfo, scan: Scan) -> datetime:
    """Wall-clock ``wall`` on ``day`` in ``clock_zone`` (R21), re-expressed in the sender's zone."""
    return datetime.combine(day, wall, tzinfo=clock_zone).astimezone(scan.zone)


def _hour_of_day(hour: int, minute: int, meridiem: str | None, part: str | None) -> tuple[int, int, int] | None:
    """24-hour (hour, minute, days to add) for a written hour under R9 (with a part of day) or R10 (bare)."""
    if meridiem == "am":
        return (0 if hour == 12 else hour), minute, 0
    if meridiem == "pm":
        return (12 if hour == 12 else hour + 12), minute, 0
    if part in PM_PARTS:
        if 1 <= hour <= 11:
            return hour + 12, minute, 0
        if hour == 12 and part in _NIGHT_PARTS:
            return 0, minute, 1  # 晚上12点: midnight at the end of that day
        return hour, minute, 0
    if part in NOON_PARTS:
        return (hour + 12 if 1 <= hour <= 5 else hour), minute, 0  # 中午1点 = 13:00, 中午12点 = 12:00
    if part in SMALL_HOURS_PARTS:
        return (0 if hour == 12 else hour), minute, 0
    if part is None and 1 <= hour <= 6:
        return hour + 12, minute, 0  # R10: a bare 1–6 is afternoon
    return hour, minute, 0
