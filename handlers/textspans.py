"""Cutting recognized pieces (a time, an amount, a phone) out of a chat line, keeping the rest in order."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"[「“\"]([^」”\"]+)[」”\"]|[^\s,，;；、。]+")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


class Line:
    """A line of text in which spans can be marked as used; what is left splits into tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._used = [False] * len(text)

    def blanked(self) -> str:
        """The text with used spans turned into spaces (so offsets stay valid)."""
        return "".join(" " if used else ch for ch, used in zip(self.text, self._used, strict=True))

    def use(self, start: int, end: int) -> None:
        for i in range(max(0, start), min(end, len(self.text))):
            self._used[i] = True

    def first_used(self) -> int:
        return next((i for i, used in enumerate(self._used) if used), len(self.text))

    def tokens(self) -> list[Token]:
        found = []
        for match in _TOKEN.finditer(self.blanked()):
            word = match.group(1) if match.group(1) is not None else match.group(0)
            found.append(Token(word.strip(), match.start(), match.end()))
        return [tok for tok in found if tok.text]


def split_ref(raw: str) -> tuple[str, str]:
    """The first word (or quoted phrase) and the rest."""
    match = _TOKEN.search(raw)
    if match is None:
        return "", ""
    word = match.group(1) if match.group(1) is not None else match.group(0)
    return word, raw[match.end() :].strip(" ,，;；、")
