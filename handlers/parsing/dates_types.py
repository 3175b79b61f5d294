"""Shared value types of the chat date grammar: the text being read (Scan), a regex hit (Match) and the
typed piece a hit becomes (Piece). No logic beyond trivial accessors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import Literal

PieceKind = Literal["date", "pod", "clock", "tz", "instant", "invalid", "poison"]
NINE = time(9, 0)
SIX_PM = time(18, 0)


@dataclass(slots=True)
class Scan:
    """One text being read: the folded text, the original (for letter case) and `now` in the sender's zone."""

    folded: str
    original: str
    now: datetime
    zone: tzinfo
    is_workday: Callable[[date], bool] | None

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass(slots=True)
class Match:
    """A hit of one named alternative of the master pattern, detached from `re` for cheap passing around."""

    raw: re.Match[str]
    start: int
    end: int

    def get(self, name: str) -> str | None:
        # Named lookups on demand: groupdict() over the ~130 groups of the master pattern costs more.
        return self.raw.group(name)


@dataclass(slots=True)
class Piece:
    """One component of a time expression; adjacent pieces are clustered into one expression."""

    kind: PieceKind
    start: int
    end: int
    weak: bool = False  # counts only beside something stronger ("sun", "一点", "morning")
    day: date | None = None
    default_time: time = NINE
    is_weekday: bool = False  # a weekday may sit beside an explicit date naming the same day
    part_of_day: str | None = None
    fixed_time: time | None = None  # 下班前 / EOD: a set clock that still counts as "no time given"
    hour: int = 0
    minute: int = 0
    meridiem: str | None = None  # "am" / "pm" when written
    zone: tzinfo | None = None
    instant: datetime | None = None
