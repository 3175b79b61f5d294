"""`dealbot parse`: the date/time and amount read from a text, as JSON, one text or a stream of lines."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from bot.core.clock import system_clock
from handlers.format import decimal_text
from handlers.parsing.amounts import find_amount
from handlers.parsing.dates import parse_when


def parse_one(text: str, now: datetime, tz: str) -> dict[str, Any]:
    when = parse_when(text, now, tz)
    amount = find_amount(text)
    return {
        "when": when.isoformat() if when else None,
        "amount": decimal_text(amount.amount) if amount else None,
        "currency": amount.currency if amount else None,
    }


def parse_lines(lines: Iterable[str], out: IO[str], default_tz: str) -> None:
    """One result line per input line, in order; a broken line gets an `error` instead of stopping."""
    for line in lines:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            tz = item.get("tz") or default_tz
            now = datetime.fromisoformat(item["now"]) if item.get("now") else system_clock()
            if now.tzinfo is None:  # a wall-clock `now` is read in the text's own zone
                now = now.replace(tzinfo=ZoneInfo(tz))
            result = parse_one(str(item["text"]), now, tz)
        except (ValueError, KeyError, TypeError, LookupError) as exc:
            result = {"when": None, "amount": None, "currency": None, "error": str(exc)}
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
