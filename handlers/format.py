"""How amounts and times are shown to people, in their language and time zone."""

from __future__ import annotations

import calendar
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from bot.core.i18n import t
from storage.dto import Money

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "JPY": "JP¥"}


def format_money(money: Money) -> str:
    amount = money.amount
    text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = SYMBOLS.get(money.currency)
    return f"{symbol}{text}" if symbol else f"{money.currency} {text}"


def decimal_text(amount: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros after the point."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_time(when: datetime, tz: str, locale: str, now: datetime | None = None) -> str:
    local = when.astimezone(ZoneInfo(tz))
    same_year = now is None or now.astimezone(ZoneInfo(tz)).year == local.year
    return t(
        "time.format" if same_year else "time.format_year", locale,
        year=local.year, month=local.month, day=local.day, hour=local.hour, minute=local.minute,
        weekday=t(f"weekday.{local.weekday()}", locale), month_name=calendar.month_abbr[local.month],
    )


def format_date(when: datetime, tz: str) -> str:
    return when.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d")
