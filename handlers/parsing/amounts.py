"""Find the money amount in a chat message (Chinese, English, mixed), per
/work/shared/conventions/amounts.md: currency, ranges, qualifiers, and the non-money numbers to skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from handlers.parsing.amounts_lexicon import (
    AND_SEP_RE,
    ASCII_WORD_BEFORE_RE,
    CHAIN_RE,
    CN_BIG,
    COUNTER_RE,
    CUR_PRE_AT_RE,
    CUR_PRE_RE,
    CUR_SUF_RE,
    CURRENCY_CODES,
    IDIOM_RE,
    MONEY_WORDS,
    ORDINAL_PREV,
    PHONE_LIKE_RE,
    PREFIX_RE,
    QUAL_PRE_RE,
    QUAL_SUF_RE,
    RANGE_SEP_RE,
    START_RE,
    TIME_PRE_RE,
    UNIT_HEADER_RE,
    UNIT_HEADERS,
)
from handlers.parsing.amounts_numbers import NumExpr, scan_number
from handlers.parsing.nfkc import normalize_with_index, original_span

__all__ = ["AmountMatch", "find_amount", "parse_amount"]

_DEFAULT_CURRENCY: Final = "CNY"
_SCALE_LETTERS: Final = frozenset("kKwW")
_ORDINAL_TWO: Final[dict[str, str]] = {"期": "星", "拜": "礼"}


@dataclass(frozen=True, slots=True)
class AmountMatch:
    amount: Decimal  # exact, whole currency units; for a range the LOWER bound
    currency: str  # ISO 4217, CNY when no marker
    upper: Decimal | None  # upper bound of a range, else None
    approximate: bool  # 左右/约/多/十几万 etc.
    start: int  # span in the ORIGINAL text covering the amount incl. currency markers/qualifiers
    end: int


def parse_amount(text: str) -> tuple[Decimal, str] | None:
    """The amount and currency of the first money amount in ``text``, or None."""
    found = find_amount(text)
    return None if found is None else (found.amount, found.currency)


def find_amount(text: str) -> AmountMatch | None:
    """The first money amount in ``text`` (A10: several amounts → the first), or None."""
    norm, index = normalize_with_index(text)
    found = _find(norm)
    if found is None or index is None:
        return found
    start, end = original_span(index, found.start, found.end)
    return AmountMatch(found.amount, found.currency, found.upper, found.approximate, start, end)


def _find(s: str) -> AmountMatch | None:
    header = UNIT_HEADER_RE.search(s) if "单位" in s else None
    skip_to = 0
    for m in START_RE.finditer(s):
        p = m.start()
        if p < skip_to or (header is not None and header.start() <= p < header.end()):
            continue
        outcome = _candidate(s, p, header)
        if isinstance(outcome, AmountMatch):
            return outcome
        skip_to = outcome
    return None


def _skip_number(s: str, p: int) -> int:
    num = scan_number(s, p)
    return num.end if num is not None and num.end > p else p + 1


def _candidate(s: str, p: int, header: re.Match[str] | None) -> AmountMatch | int:
    """An amount starting at ``p``, or the position to resume scanning from."""
    prev = s[p - 1] if p else ""
    if prev in ORDINAL_PREV:
        two = _ORDINAL_TWO.get(prev)
        weekday = prev != "周" or p < 2 or s[p - 2] != "每"
        if weekday and (two is None or (p >= 2 and s[p - 2] == two)):
            after = s[p + 1 : p + 2]
            if not (after in CN_BIG or after in _SCALE_LETTERS) or prev in "第初":
                return _skip_number(s, p) if s[p].isdigit() else p + 1
    if prev.isascii() and prev.isalpha():
        word = ASCII_WORD_BEFORE_RE.search(s, max(0, p - 12), p)
        if word is None or word.group(1).lower() not in MONEY_WORDS:
            return _skip_number(s, p)
    elif (prev in ".-/:_" and p >= 2 and s[p - 2].isdigit()) or prev == "#":
        return _skip_number(s, p)
    if IDIOM_RE.match(s, p):
        return p + 1
    allow_dot = TIME_PRE_RE.search(s, max(0, p - 3), p) is None
    num = scan_number(s, p, allow_dot)
    if num is None:
        return p + 1
    return _assemble(s, p, num, header)


def _assemble(s: str, p: int, num: NumExpr, header: re.Match[str] | None) -> AmountMatch | int:
    currency: str | None = None
    approx = num.approx
    lo, hi = num.lo, num.hi
    money_unit, ctx_unit = num.money_unit, num.ctx_unit
    last = num  # the expression the text ends with, for chain and letter checks
    end = num.end
    suffix_currency = False
    suf = CUR_SUF_RE.match(s, end)
    if suf is not None:
        currency = CURRENCY_CODES[suf.group("cur").lower()]
        end = suf.end()
        suffix_currency = True
    sep = RANGE_SEP_RE.match(s, end)
    if sep is None and _between_before(s, p):
        sep = AND_SEP_RE.match(s, end)
    if sep is not None:
        q = sep.end()
        pre2 = CUR_PRE_AT_RE.match(s, q)
        if pre2 is not None:
            q = pre2.end()
        num2 = scan_number(s, q) if START_RE.match(s, q) else None
        if num2 is not None and num2.end > q:
            lo, hi = _range_bounds(num, num2)
            approx = approx or num2.approx
            money_unit = money_unit or num2.money_unit
            ctx_unit = ctx_unit or num2.ctx_unit
            if currency is None and pre2 is not None:
                currency = CURRENCY_CODES[pre2.group("cur").lower()]
            last = num2
            end = num2.end
            suffix_currency = False
            suf = CUR_SUF_RE.match(s, end)
            if suf is not None:
                currency = currency or CURRENCY_CODES[suf.group("cur").lower()]
                end = suf.end()
                suffix_currency = True
    num_end = last.end
    # Runs on into a date, time, phone or version (2026-03-05, 15:30, 12/5, 1.2.3).
    if not suffix_currency and s[num_end - 1 : num_end].isdigit() and CHAIN_RE.match(s, num_end):
        return _after_chain(s, num_end)
    if not suffix_currency and num_end < len(s) and s[num_end].isascii() and s[num_end].isalpha():
        return num_end
    for _ in range(3):
        qual = QUAL_SUF_RE.match(s, end)
        if qual is None:
            break
        approx = approx or qual.group("a") is not None
        end = qual.end()
        if currency is None and (suf := CUR_SUF_RE.match(s, end)) is not None:
            currency = CURRENCY_CODES[suf.group("cur").lower()]
            end = suf.end()
            suffix_currency = True
    plain = not (money_unit or ctx_unit or num.has_unit or last.has_unit)
    if not suffix_currency and (
        COUNTER_RE.match(s, end) or (plain and s[end : end + 1] == " " and COUNTER_RE.match(s, end + 1))
    ):
        return end
    # What stands before: currency symbol, qualifier, then a money cue or a count word.
    start = p
    cur_pre = CUR_PRE_RE.search(s, max(0, start - 8), start)
    if cur_pre is not None:
        start = cur_pre.start()
        currency = currency or CURRENCY_CODES[cur_pre.group("cur").lower()]
    qual_pre = QUAL_PRE_RE.search(s, max(0, start - 16), start)
    if qual_pre is not None:
        start = qual_pre.start()
        approx = approx or qual_pre.group("a") is not None
        if cur_pre is None and (cur2 := CUR_PRE_RE.search(s, max(0, start - 8), start)) is not None:
            start = cur2.start()
            currency = currency or CURRENCY_CODES[cur2.group("cur").lower()]
    ctx = PREFIX_RE.search(s, max(0, start - 24), start)
    cue = ctx is not None and ctx.group("cue") is not None
    count_word = ctx is not None and ctx.group("cnt") is not None
    if count_word and currency is None:
        return end
    if num.digits and hi is None and currency is None and PHONE_LIKE_RE.fullmatch(num.digits):
        return end
    if plain and currency is None and header is not None:
        mult, currency = UNIT_HEADERS[header.group("u")]
        lo = lo * mult
        hi = None if hi is None else hi * mult
    elif not (currency or cue or money_unit):
        return end
    if plain and num.used_dot and currency is None:
        return end
    return AmountMatch(lo, currency or _DEFAULT_CURRENCY, hi, approx, start, end)


def _range_bounds(num: NumExpr, num2: NumExpr) -> tuple[Decimal, Decimal]:
    """A5: the unit written after the upper bound applies to a bare lower bound."""
    upper = num2.hi if num2.hi is not None else num2.lo
    lower = num.lo
    if not (num.money_unit or num.ctx_unit) and num2.tail > 1:
        # 八十到一百万, 五到十万: 十/百 inside a lower bound are part of its number, not its scale; the
        # scale is the widest run of units trailing the upper bound that keeps lower <= upper.
        for scale in reversed(num2.scales):
            if lower * scale <= upper:
                lower = lower * scale
                break
    elif num.has_unit and not num2.has_unit and num.tail > 1:
        scaled = upper * num.tail
        if scaled >= lower:
            upper = scaled
    return _whole(lower), _whole(upper)


def _whole(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def _between_before(s: str, p: int) -> bool:
    return s[max(0, p - 10) : p].rstrip().lower().endswith("between")


def _after_chain(s: str, pos: int) -> int:
    n = len(s)
    while pos < n and (s[pos].isdigit() or s[pos] in "-/:._,"):
        pos += 1
    return pos

