"""Number grammar for amounts: reads one number expression (50万, 1.5千万, 三五十万, 3千5, $1.2M's 1.2M)
from NFKC text and evaluates it exactly with Decimal, applying A3 multipliers and the A4 trailing digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from handlers.parsing.amounts_lexicon import (
    ARABIC_RE,
    CN_BIG,
    CN_DIGITS,
    CN_SMALL,
    COUNTER_RE,
    ENG_UNIT_RE,
    ENG_UNITS,
)

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HALF: Final = Decimal("0.5")
_TEN: Final = Decimal(10)
_UNIT_KINDS: Final = frozenset({"small", "big", "eng"})
_VAGUE_LEADERS: Final = frozenset("数上近")


@dataclass(slots=True)
class _Tok:
    kind: str  # num | pair | small | big | eng | half
    value: Decimal
    hi: Decimal
    single: bool = False  # a lone digit, eligible for the A4 trailing-digit rule
    ctx: bool = False  # an English scale word that needs a money context (m, mn, b)


@dataclass(slots=True)
class NumExpr:
    """One evaluated number expression; ``hi`` is set for colloquial ranges such as 三五十万."""

    lo: Decimal
    hi: Decimal | None
    end: int
    approx: bool
    money_unit: bool  # 万, 亿, 千, k, w, million ... (A3)
    ctx_unit: bool  # m, mm, mn, b: money only with a currency marker or cue
    has_unit: bool  # any unit at all, 十 and 百 included
    tail: Decimal  # product of the units written after the last digit (80-100万: 10^4)
    digits: str  # the digit string when the expression is one bare Arabic number, else ""
    used_dot: bool  # 点 was read as a decimal point
    scales: tuple[Decimal, ...] = ()  # products of the trailing units, innermost first (一百万: 万, 百万)


def _cn_run_value(run: str) -> int:
    value = 0
    for ch in run:
        value = value * 10 + CN_DIGITS[ch]
    return value


def _fraction(s: str, i: int) -> tuple[Decimal, int] | None:
    """Digits after 点 (Arabic or Chinese), as a fraction; i points after 点."""
    n = len(s)
    j = i
    digits: list[str] = []
    while j < n:
        ch = s[j]
        if "0" <= ch <= "9":
            digits.append(ch)
        elif ch in CN_DIGITS:
            digits.append(str(CN_DIGITS[ch]))
        else:
            break
        j += 1
    if not digits:
        return None
    return Decimal("0." + "".join(digits)), j


def scan_number(s: str, pos: int, allow_dot: bool = True) -> NumExpr | None:
    """Read the number expression starting at ``pos``; None when nothing numeric starts there."""
    n = len(s)
    toks: list[_Tok] = []
    i = pos
    approx = False
    used_dot = False
    while i < n:
        c = s[i]
        prev = toks[-1].kind if toks else ""
        if "0" <= c <= "9":
            if prev in ("num", "pair"):
                break
            m = ARABIC_RE.match(s, i)
            assert m is not None
            text = m.group()
            j = m.end()
            nxt = s[j] if j < n else ""
            if prev in ("small", "big"):
                single = len(text) == 1
                if not single and nxt not in CN_SMALL and nxt not in CN_BIG and nxt not in "多余":
                    break
                if single and COUNTER_RE.match(s, j):
                    break
            value = Decimal(text.replace(",", ""))
            if allow_dot and nxt == "点" and "." not in text and "," not in text:
                frac = _fraction(s, j + 1)
                if frac is not None:
                    value += frac[0]
                    j = frac[1]
                    used_dot = True
            toks.append(_Tok("num", value, value, single=len(text) == 1 and j == m.end()))
            i = j
        elif c in CN_DIGITS:
            if prev in ("num", "pair"):
                break
            j = i + 1
            while j < n and s[j] in CN_DIGITS:
                j += 1
            run = s[i:j]
            nxt = s[j] if j < n else ""
            if len(run) == 1:
                value = Decimal(CN_DIGITS[run])
                tok = _Tok("num", value, value, single=True)
            else:
                d0, d1 = CN_DIGITS[run[0]], CN_DIGITS[run[1]]
                if len(run) == 2 and 1 <= d0 < d1 <= d0 + 2 and (nxt in CN_SMALL or nxt in CN_BIG):
                    tok = _Tok("pair", Decimal(d0), Decimal(d1))
                else:
                    value = Decimal(_cn_run_value(run))
                    tok = _Tok("num", value, value)
            if allow_dot and nxt == "点" and tok.kind == "num":
                frac = _fraction(s, j + 1)
                if frac is not None:
                    tok = _Tok("num", tok.value + frac[0], tok.value + frac[0])
                    j = frac[1]
                    used_dot = True
            toks.append(tok)
            i = j
        elif c == "几" or (c in _VAGUE_LEADERS and not toks):
            if prev in ("num", "pair"):
                break
            approx = True
            value = _ZERO if prev in ("small", "big") else _ONE
            toks.append(_Tok("num", value, value))
            i += 1
        elif c in CN_SMALL:
            if not toks:
                if c not in "十拾":
                    return None
                toks.append(_Tok("num", _ONE, _ONE))  # 十万 = 一十万
            unit = Decimal(CN_SMALL[c])
            toks.append(_Tok("small", unit, unit))
            i += 1
        elif c in CN_BIG:
            if not toks:
                return None
            unit = Decimal(CN_BIG[c])
            toks.append(_Tok("big", unit, unit))
            i += 1
        elif c == "个":
            after = s[i + 1 : i + 3]
            if prev in ("num", "pair", "small") and (
                after[:1] in CN_BIG or (after[:1] in "半多" and after[1:2] in CN_BIG)  # 1个亿, 两个半亿, 一个多亿
            ) and after[:1] != "":
                i += 1
                continue
            break
        elif c == "半":
            after = s[i + 1 : i + 3]
            if not toks and (after[:1] in CN_BIG or (after[:1] == "个" and after[1:2] in CN_BIG)):
                if after[:1] == "":
                    break
                toks.append(_Tok("num", _HALF, _HALF))
            elif prev == "num" and s[i - 1] == "个" and after[:1] in CN_BIG and after[:1] != "":
                toks[-1] = _Tok("num", toks[-1].value + _HALF, toks[-1].hi + _HALF)
            elif prev == "big" and not COUNTER_RE.match(s, i + 1):
                toks.append(_Tok("half", toks[-1].value / 2, toks[-1].value / 2))
            else:
                break
            i += 1
        elif c in "多余":
            if prev in ("num", "pair", "small", "big") and s[i + 1 : i + 2] != "少":
                approx = True
                i += 1
                continue
            break
        elif c == "来":
            if prev in ("num", "small") and s[i + 1 : i + 2] in ("十", "百", "千", "万", "亿", "块", "元"):
                approx = True
                i += 1
                continue
            break
        elif c == " ":
            if prev in ("num", "pair") and s[i + 1 : i + 2] in ("万", "亿", "千", "萬", "億"):
                i += 1
                continue
            if prev in ("num", "pair") and (em := ENG_UNIT_RE.match(s, i)) and em.group("word"):
                toks.append(_eng_tok(em.group("word")))
                i = em.end()
            break
        else:
            if prev in ("num", "pair") and c.isascii() and c.isalpha():
                em = ENG_UNIT_RE.match(s, i)
                if em is not None:
                    toks.append(_eng_tok(em.group("word") or em.group("short")))
                    i = em.end()
            break
    return _build(toks, i, approx, used_dot, s[pos:i]) if toks else None


def _eng_tok(word: str) -> _Tok:
    mult, ctx = ENG_UNITS[word.lower()]
    return _Tok("eng", mult, mult, ctx=ctx)


def _build(toks: list[_Tok], end: int, approx: bool, used_dot: bool, raw: str) -> NumExpr | None:
    if not any(t.kind in ("num", "pair") for t in toks):
        return None
    money_unit = ctx_unit = has_unit = False
    for t in toks:
        if t.kind == "big" or (t.kind == "small" and t.value == 1000):
            money_unit = True
        elif t.kind == "eng":
            if t.ctx:
                ctx_unit = True
            else:
                money_unit = True
        if t.kind in _UNIT_KINDS:
            has_unit = True
    tail = _ONE
    scales: list[Decimal] = []
    for t in reversed(toks):
        if t.kind in _UNIT_KINDS:
            tail *= t.value
            scales.append(tail)
        elif t.kind != "half":
            break
    has_pair = any(t.kind == "pair" for t in toks)
    lo = _evaluate(toks, False)
    hi = _evaluate(toks, True) if has_pair else None
    digits = raw.replace(",", "") if len(toks) == 1 and toks[0].kind == "num" and raw[:1].isdigit() else ""
    return NumExpr(lo, hi, end, approx, money_unit, ctx_unit, has_unit, tail, digits, used_dot, tuple(scales))


def _evaluate(toks: list[_Tok], pick_hi: bool) -> Decimal:
    result = wan = section = _ZERO
    cur: Decimal | None = None
    last_unit: Decimal | None = None
    count = len(toks)
    for idx, t in enumerate(toks):
        kind = t.kind
        if kind in ("num", "pair"):
            v = t.hi if pick_hi else t.value
            if (
                t.single
                and idx > 0
                and toks[idx - 1].kind in ("small", "big")
                and last_unit is not None
                and not any(toks[k].kind in _UNIT_KINDS for k in range(idx + 1, count))
            ):
                v = v * last_unit / _TEN
            cur = v
        elif kind == "small":
            section += (cur if cur is not None else _ONE) * t.value
            cur = None
            last_unit = t.value
        elif kind == "big" and t.value < 10**8:
            wan += (section + (cur or _ZERO)) * t.value
            section = _ZERO
            cur = None
            last_unit = t.value
        elif kind in ("big", "eng"):
            result = (result + wan + section + (cur or _ZERO)) * t.value
            wan = section = _ZERO
            cur = None
            last_unit = t.value
        else:  # half: 两万半, 一亿半
            section += t.value
    return _clean(result + wan + section + (cur or _ZERO))


def _clean(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()

