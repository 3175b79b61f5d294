"""pypinyin with its phrase table held compactly: the same readings, a fifth of the memory.

pypinyin keeps its 47,000 phrases as a dict of lists of lists of strings, about 42 MB of a serving
process (measured with `dealbot serve` at rest: 195 MB of the two processes' 153 MB without them). The
matcher needs the phrases: they decide a heteronym's reading inside a word (重庆 is chong, not zhong),
and those readings are stored in every customer's pinyin key. So the table stays, in another form:
each phrase's readings as one string ("yī dīng bù shí"; heteronyms joined by commas), turned back into
pypinyin's lists only for the few phrases a lookup meets.

`load()` imports pypinyin without its phrase table (its own switch, PYPINYIN_NO_PHRASES), reads the
table from pypinyin's own data file entry by entry (no moment with the whole table as lists), and puts
the compact table where pypinyin's modules look for it; its segmenter's prefix set (another 7 MB of
strings) is answered from the same table. pypinyin's code does the rest unchanged, so the readings are the same:
tests/unit/matching/test_pinyin_tables.py compares them with a plain pypinyin in another process.
pypinyin is pinned in pyproject.toml, because this reads its data file and module names.
"""

from __future__ import annotations

import json
import os
import re
import sys
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_ENTRY = re.compile(r'"([^"\\]+)"\s*:\s*(\[(?:\s*\[[^\[\]]*\]\s*,?)*\s*\])')
_READINGS = re.compile(r"\[([^\[\]]*)\]")
_WORD = re.compile(r'"([^"\\]*)"')
_loaded = False


class CompactPhrases(dict[str, bytes]):
    """phrase → b"reading reading …" in UTF-8 (heteronyms of one character joined by commas; half the size
    of a str with tone marks); read as pypinyin's [[reading, …], …] lists, made afresh on each read
    (pypinyin deep-copies them anyway)."""

    def __getitem__(self, phrase: str) -> list[list[str]]:  # type: ignore[override]
        return [readings.split(",") for readings in dict.__getitem__(self, phrase).decode().split(" ")]

    def get(self, phrase: str, default: Any = None) -> Any:
        try:
            return self[phrase]
        except KeyError:
            return default

    def __setitem__(self, phrase: str, readings: Any) -> None:
        """pypinyin's load_phrases_dict() writes lists: kept in the compact form too."""
        dict.__setitem__(self, phrase, readings if isinstance(readings, bytes) else _encode(readings))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for phrase, readings in dict(*args, **kwargs).items():
            self[phrase] = readings


def _encode(readings: list[list[str]]) -> bytes:
    return " ".join(",".join(alternatives) for alternatives in readings).encode()


class PhrasePrefixes:
    """pypinyin's segmenter asks whether a text is the start of some phrase. Its own PrefixSet keeps every
    prefix of every phrase as a string (7 MB); here the answer comes from the phrases in sorted order: a
    text starts some phrase exactly when the first phrase sorted at or after it starts with it."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._sorted = sorted(phrases)

    def __contains__(self, text: object) -> bool:
        if not isinstance(text, str) or not text:
            return False
        at = bisect_left(self._sorted, text)
        return at < len(self._sorted) and self._sorted[at].startswith(text)

    def train(self, words: Iterable[str]) -> None:
        """As PrefixSet.train: pypinyin's load_phrases_dict() adds words."""
        self._sorted = sorted({*self._sorted, *words})


def read_phrases(path: Path) -> CompactPhrases:
    """pypinyin's phrases_dict.json, one entry at a time."""
    table = CompactPhrases()
    text = path.read_text(encoding="utf-8")
    count = 0
    for match in _ENTRY.finditer(text):
        phrase, value = match.groups()
        dict.__setitem__(table, phrase, " ".join(",".join(_WORD.findall(inner))
                                                 for inner in _READINGS.findall(value)).encode())
        count += 1
    if count == 0 or "\\" in text:  # another layout, or escapes the patterns do not read: parse it whole
        table = CompactPhrases()
        for phrase, readings in json.loads(text).items():
            table[phrase] = readings
    return table


def load() -> None:
    """Import pypinyin with the compact phrase table (once; a pypinyin already imported is left as is)."""
    global _loaded
    if _loaded or "pypinyin" in sys.modules:
        _loaded = True
        return
    # pypinyin's own switches, read once at its import: no phrase table, and no private copy of its
    # character table (the copy is for callers who add readings; the matcher adds none).
    switches = ("PYPINYIN_NO_PHRASES", "PYPINYIN_NO_DICT_COPY")
    previous = {name: os.environ.get(name) for name in switches}
    os.environ.update(dict.fromkeys(switches, "1"))
    try:
        import pypinyin.constants
        from pypinyin.seg import mmseg
    finally:
        for name, value in previous.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    empty = pypinyin.constants.PHRASES_DICT
    table = read_phrases(Path(pypinyin.constants.__file__).with_name("phrases_dict.json"))
    for name, module in list(sys.modules.items()):
        if (name == "pypinyin" or name.startswith("pypinyin.")) and getattr(module, "PHRASES_DICT", None) is empty:
            setattr(module, "PHRASES_DICT", table)  # noqa: B010 - a module's global, by name
    prefixes: Any = PhrasePrefixes(table)  # stands in for mmseg's PrefixSet: `in` and `train`
    mmseg.p_set = mmseg.seg._prefix_set = prefixes
    _loaded = True
