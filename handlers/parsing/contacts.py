"""Phone numbers (canonical E.164, per R13 of customer-matching.md) and e-mail addresses in chat text.

phonenumbers is imported lazily inside the functions: it is slow to import.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Final

from handlers.parsing.nfkc import normalize_with_index, original_span

__all__ = ["EmailMatch", "PhoneMatch", "canonical_phone", "find_email", "find_phone"]

_EMAIL_RE: Final = re.compile(
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]*[A-Za-z0-9_%+\-])?"
    r"@((?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![A-Za-z0-9\-])"
)
# 1-NPA-NXX-XXXX: the leading 1 is the NANP country code, not a CN mobile prefix (R13).
_NANP_WITH_ONE_RE: Final = re.compile(r"\+?1[\s.\-]\(?[2-9]\d{2}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}")
_NANP_RE: Final = re.compile(r"(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.\-])\d{3}[\s.\-]\d{4}")
_CN_SERVICE_RE: Final = re.compile(r"[48]00[\s.\-]?\d{3}[\s.\-]?\d{4}")
_CN_MOBILE_RE: Final = re.compile(r"1[3-9]\d{9}")
_ALLOWED_RAW_RE: Final = re.compile(r"[+\d\s().\-]+")
_REGIONS: Final = ("CN", "US")


@dataclass(frozen=True, slots=True)
class PhoneMatch:
    e164: str  # canonical, e.g. +8613800138000
    start: int  # span in the original text
    end: int


@dataclass(frozen=True, slots=True)
class EmailMatch:
    address: str  # lowercased
    domain: str  # lowercased, the part after @
    start: int
    end: int


def find_email(text: str) -> EmailMatch | None:
    """The first e-mail address in ``text`` (display-name and mailto: forms included)."""
    norm, index = normalize_with_index(text)
    m = _EMAIL_RE.search(norm)
    if m is None:
        return None
    start, end = original_span(index, m.start(), m.end())
    return EmailMatch(m.group().lower(), m.group(1).lower(), start, end)


def _e164(number: Any) -> str:
    import phonenumbers

    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def canonical_phone(raw: str) -> str | None:
    """E.164 for a string that is just a phone number (CN by default, NANP forms too), else None."""
    import phonenumbers

    text = unicodedata.normalize("NFKC", raw).strip()
    if text.lower().startswith("tel:"):
        text = text[4:].strip()
    if not text or not _ALLOWED_RAW_RE.fullmatch(text):
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = re.sub(r"\D", "", text)
    if not text.startswith("+") and digits.startswith("86") and len(digits) >= 12:
        text = "+" + digits
    if _NANP_WITH_ONE_RE.fullmatch(text) and not text.startswith("+86"):
        regions: tuple[str, ...] = ("US",)
    elif not text.startswith("+") and _CN_MOBILE_RE.fullmatch(digits):
        regions = ("CN",)
    elif not text.startswith("+") and _NANP_RE.fullmatch(text) and not _CN_SERVICE_RE.fullmatch(text):
        regions = ("US", "CN")
    else:
        regions = _REGIONS
    for region in regions:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return _e164(number)
        if text.startswith("+"):
            return None
    return None


def find_phone(text: str) -> PhoneMatch | None:
    """The first phone number in ``text`` as canonical E.164; digits inside e-mail addresses are skipped."""
    import phonenumbers

    norm, index = normalize_with_index(text)
    if sum(ch.isdigit() for ch in norm) < 7:
        return None
    taken = [(m.start(), m.end()) for m in _EMAIL_RE.finditer(norm)]
    best: tuple[int, int, str] | None = None
    for region in _REGIONS:
        matcher = phonenumbers.PhoneNumberMatcher(norm, region, leniency=phonenumbers.Leniency.VALID)
        for m in matcher:
            if any(a < m.end and m.start < b for a, b in taken):
                continue
            e164 = canonical_phone(norm[m.start : m.end])  # the same reading as for a bare phone
            if e164 is None:
                continue
            if best is None or m.start < best[0]:
                best = (m.start, m.end, e164)
            break
    if best is None:
        return None
    start, end = original_span(index, best[0], best[1])
    return PhoneMatch(best[2], start, end)
