"""R13: canonical E.164 phone numbers for exact matching (mainland China and NANP conventions).

`phonenumbers` is imported lazily: the package costs ~15 ms to import and most lookups are names.
"""

from __future__ import annotations

import re

_PHONE_TEXT = re.compile(r"(?:tel:|电话:?|手机:?)?\s*\+?[\d\s().\-]{7,}(?:\s*(?:ext\.?|x|转)\s*\d{1,6})?", re.I)
_EXTENSION = re.compile(r"\s*(?:ext\.?|x|转)\s*\d{1,6}\s*$", re.I)
_WRITTEN_NANP = re.compile(r"^1[\s.\-]\(?[2-9]\d\d\)?[\s.\-]")
_CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def looks_like_phone(text: str) -> bool:
    """True when `text` is a phone number and nothing else (at least 7 digits)."""
    stripped = text.strip()
    return bool(_PHONE_TEXT.fullmatch(stripped)) and sum(ch.isdigit() for ch in stripped) >= 7


def _split(text: str) -> tuple[str, str] | None:
    """Decide (country calling code, national number) following R13."""
    raw = _EXTENSION.sub("", text.strip())
    raw = re.sub(r"^(?:tel:|电话:?|手机:?)\s*", "", raw, flags=re.I)
    digits = re.sub(r"\D", "", raw)
    if raw.startswith("+"):
        if digits.startswith("1"):
            return "1", digits[1:]
        if digits.startswith("86"):
            return "86", digits[2:].removeprefix("0")
        return "", digits
    if _WRITTEN_NANP.match(raw):
        return "1", digits[1:]
    if digits.startswith("0086"):
        return "86", digits[4:].removeprefix("0")
    if digits.startswith("00"):
        return "", digits[2:]
    if digits.startswith("86") and len(digits) >= 12:
        return "86", digits[2:].removeprefix("0")
    if _CN_MOBILE.match(digits) or digits.startswith("0") or digits.startswith(("400", "800")):
        return "86", digits.removeprefix("0")
    if len(digits) == 10 and digits[0] in "23456789":
        return "1", digits
    if len(digits) == 11 and digits.startswith("1"):
        return "1", digits[1:]
    return None


# Texts already canonicalized, and each answer as its own text (the answer is canonical: `canonical_phone`
# of it is itself). A phone lookup canonicalizes the typed number, then its answer again (the query's key,
# the candidate's number); phonenumbers takes ~0.2 ms each. Emptied when full; strings only, nothing for
# the garbage collector to walk.
_SEEN: dict[str, str | None] = {}
_SEEN_LIMIT = 8192


def canonical_phone(text: str) -> str | None:
    """`138-0013-8000` -> `+8613800138000`; None when the text is not a possible number."""
    if text in _SEEN:
        return _SEEN[text]
    found = _canonical(text)
    if len(_SEEN) >= _SEEN_LIMIT:
        _SEEN.clear()
    _SEEN[text] = found
    if found is not None:
        _SEEN[found] = found
    return found


def forget_phones() -> None:
    """Empty the memo of canonical numbers (benchmarks time a number as if never seen)."""
    _SEEN.clear()


def _canonical(text: str) -> str | None:
    split = _split(text)
    if split is None:
        return None
    country, national = split
    import phonenumbers  # lazy: see module docstring

    try:
        number = phonenumbers.parse("+" + country + national)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
