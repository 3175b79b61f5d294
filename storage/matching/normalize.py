"""R1 normalization: width, case, brackets, punctuation, diacritics, `&`, whitespace.

Everything downstream (anatomy, keys, judge) works on the output of `normalize`.
"""

from __future__ import annotations

import re
import unicodedata

_OPEN = "([{【〔〖「『《〈<"
_CLOSE = ")]}】〕〗」』》〉>"
_BRACKETS = str.maketrans({**dict.fromkeys(_OPEN, "("), **dict.fromkeys(_CLOSE, ")")})
# Punctuation dropped without a trace (J.P. -> jp, McDonald's -> mcdonalds, 亚历山大·王 -> 亚历山大王).
_DROP = str.maketrans(dict.fromkeys(".'’‘`·•・。", ""))
# Punctuation that separates words.
_SPACE = re.compile(r"[\s,，、;；:：\-–—_/\\|!！?？\"“”*#~+=]+")
_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}()]) (?=[{_CJK}()])|(?<=[{_CJK}]) (?=\w)|(?<=\w) (?=[{_CJK}])")
_DOT_COM = re.compile(r"\.com\b(?!\.)", re.IGNORECASE)
_HAS_CJK = re.compile(f"[{_CJK}]")


def strip_diacritics(text: str) -> str:
    """Nestlé -> Nestle; CJK text is unaffected."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


# ASCII and the unified ideographs neither decompose nor carry diacritics: most names skip that step.
_PLAIN = re.compile(r"[\x00-\x7f\u4e00-\u9fff]*")


def normalize(text: str) -> str:
    """Return the canonical spelling of a name: lower case, half width, `(` `)` brackets, single spaces."""
    s = unicodedata.normalize("NFKC", text)
    s = (s if _PLAIN.fullmatch(s) else strip_diacritics(s)).casefold()
    s = s.translate(_BRACKETS)
    s = s.replace("&", " and ")
    s = _DOT_COM.sub(" ", s) if not has_cjk(s) and "@" not in s else s
    s = s.translate(_DROP)
    s = _SPACE.sub(" ", s)
    s = re.sub(r"\s*\(\s*", " (", s)
    s = re.sub(r"\s*\)\s*", ") ", s)
    s = " ".join(s.split())
    return _CJK_GAP.sub("", s).strip()


def compact(text: str) -> str:
    """Normalized text without spaces or brackets: the form used for exact keys."""
    return re.sub(r"[\s()]", "", normalize(text))


def has_cjk(text: str) -> bool:
    return _HAS_CJK.search(text) is not None


def is_cjk_char(ch: str) -> bool:
    return _HAS_CJK.fullmatch(ch) is not None
