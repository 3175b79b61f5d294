"""NFKC normalization that remembers where each character came from, so spans found in the
normalized text point into the text the rep typed (full-width digits, ＨＵＡＷＥＩ, ￥, ：)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def normalize_with_index(text: str) -> tuple[str, list[int] | None]:
    """NFKC per character, and the original index of every normalized character (None: unchanged)."""
    if text.isascii() or unicodedata.is_normalized("NFKC", text):
        return text, None
    parts: list[str] = []
    index: list[int] = []
    shifted = False
    for i, ch in enumerate(text):
        out = ch if ch.isascii() else _nfkc_char(ch)
        parts.append(out)
        index.extend([i] * len(out))
        shifted = shifted or len(out) != 1
    return "".join(parts), index if shifted else None


def original_span(index: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The span in the typed text of a non-empty span [start, end) of the normalized text."""
    if index is None:
        return start, end
    return index[start], index[end - 1] + 1
